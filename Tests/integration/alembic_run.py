"""Run real Alembic on a bare versions directory, with no project around it.

A temporary script location holds only a minimal env.py; `version_locations`
points at the versions directory under test. Everything runs in-process
(Alembic loads each migration file afresh for every command).
"""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

ENV_PY = """\
from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.dialects.sqlite.base import SQLiteTypeCompiler

if not hasattr(SQLiteTypeCompiler, "visit_JSONB"):
    # SQLAlchemy 2.0 cannot render postgresql.JSONB on SQLite (2.1 writes JSONB). A project
    # whose migrations use JSONB and whose tests run on SQLite needs this hook on 2.0.
    from sqlalchemy.dialects.postgresql import JSONB
    from sqlalchemy.ext.compiler import compiles

    @compiles(JSONB, "sqlite")
    def _jsonb_on_sqlite(type_, compiler, **kw):
        return "JSONB"

config = context.config
url = config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=None)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
"""


def write_script_location(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "env.py").write_text(ENV_PY)
    return directory


class AlembicRunner:
    """upgrade/downgrade/heads for one versions directory against one database URL."""

    def __init__(self, versions_dir: Path, url: str, script_location: Path) -> None:
        self.versions_dir = Path(versions_dir)
        self.url = url
        self.script_location = Path(script_location)
        if not (self.script_location / "env.py").exists():
            write_script_location(self.script_location)

    def config(self, output_buffer: io.StringIO | None = None) -> Config:
        cfg = Config(output_buffer=output_buffer, stdout=io.StringIO())
        # configparser interpolation: a literal % must be doubled.
        cfg.set_main_option("script_location", str(self.script_location).replace("%", "%%"))
        cfg.set_main_option("version_locations", str(self.versions_dir).replace("%", "%%"))
        cfg.set_main_option("path_separator", "os")
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    def upgrade(self, revision: str = "head") -> None:
        command.upgrade(self.config(), revision)

    def downgrade(self, revision: str = "-1") -> None:
        command.downgrade(self.config(), revision)

    def upgrade_sql(self, revision_range: str) -> str:
        """Offline (`--sql`) DDL for a range such as `20260211_000017:head`."""
        buffer = io.StringIO()
        command.upgrade(self.config(output_buffer=buffer), revision_range, sql=True)
        return buffer.getvalue()

    def downgrade_sql(self, revision_range: str) -> str:
        buffer = io.StringIO()
        command.downgrade(self.config(output_buffer=buffer), revision_range, sql=True)
        return buffer.getvalue()

    def heads(self) -> list[str]:
        return list(ScriptDirectory.from_config(self.config()).get_heads())

    def revisions_base_to_head(self) -> list[str]:
        """Revision ids in upgrade order (single-branch histories)."""
        script = ScriptDirectory.from_config(self.config())
        return [rev.revision for rev in reversed(list(script.walk_revisions()))]
