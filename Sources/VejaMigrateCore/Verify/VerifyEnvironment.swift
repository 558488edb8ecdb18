import Foundation

/// The throwaway Alembic environment `verify` runs the project's migrations with.
///
/// Alembic needs no project of its own to run a versions directory: a script location with a
/// minimal `env.py` (no `target_metadata`, no application import), `version_locations` pointing
/// at the project's directory, and the database URL from the environment (so a password is never
/// written to disk) are enough. The app's own `env.py` and settings are not needed.
public struct VerifyEnvironment: Equatable, Sendable {
    /// File name to text, written into an empty temporary directory.
    public var files: [String: String]

    /// The environment variable `env.py` reads the database URL from.
    public static let urlVariable = "VEJAMIGRATE_VERIFY_URL"
    /// The file the step script is written to, next to the environment.
    public static let scriptName = "vejamigrate_verify.py"

    /// The environment for `versionLocations` (absolute paths).
    public init(versionLocations: [String]) {
        files = [
            "alembic.ini": Self.ini(versionLocations: versionLocations),
            "env.py": Self.envPy,
            "script.py.mako": Self.scriptMako,
            Self.scriptName: VerifyScript.text,
        ]
    }

    /// `alembic.ini`: `%` doubled (configparser interpolation); the locations joined by the
    /// newline separator both new (1.16+, `path_separator`) and old Alembic understand.
    static func ini(versionLocations: [String]) -> String {
        func escaped(_ s: String) -> String { s.replacingOccurrences(of: "%", with: "%%") }
        let locations = versionLocations.map(escaped)
        return """
            # Written by vejamigrate verify into a temporary directory; removed when it ends.
            [alembic]
            script_location = %(here)s
            path_separator = newline
            version_path_separator = newline
            version_locations =
            \(locations.map { "    " + $0 }.joined(separator: "\n"))

            """
    }

    static let envPy = """
        # Written by vejamigrate verify: the project's migrations, no application code.
        import os

        import sqlalchemy as sa
        from alembic import context

        target_metadata = None
        url = os.environ["\(urlVariable)"]

        # SQLAlchemy 2.0 cannot render postgresql.JSONB on SQLite (2.1 writes JSONB): the same here.
        try:
            from sqlalchemy.dialects.sqlite.base import SQLiteTypeCompiler

            if not hasattr(SQLiteTypeCompiler, "visit_JSONB"):
                from sqlalchemy.dialects.postgresql import JSONB
                from sqlalchemy.ext.compiler import compiles

                @compiles(JSONB, "sqlite")
                def _jsonb_on_sqlite(type_, compiler, **kw):
                    return "JSONB"
        except ImportError:
            pass


        def run_migrations_offline() -> None:
            context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
            with context.begin_transaction():
                context.run_migrations()


        def run_migrations_online() -> None:
            engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            try:
                with engine.connect() as connection:
                    context.configure(connection=connection, target_metadata=target_metadata)
                    with context.begin_transaction():
                        context.run_migrations()
            finally:
                engine.dispose()


        if context.is_offline_mode():
            run_migrations_offline()
        else:
            run_migrations_online()

        """

    static let scriptMako = #"""
        """${message}

        Revision ID: ${up_revision}
        Revises: ${down_revision | comma,n}
        Create Date: ${create_date}

        """

        from alembic import op
        import sqlalchemy as sa
        ${imports if imports else ""}

        revision = ${repr(up_revision)}
        down_revision = ${repr(down_revision)}
        branch_labels = ${repr(branch_labels)}
        depends_on = ${repr(depends_on)}


        def upgrade() -> None:
            ${upgrades if upgrades else "pass"}


        def downgrade() -> None:
            ${downgrades if downgrades else "pass"}

        """#
}

/// The Python `verify` runs with the project's interpreter: one action a process.
///
/// - `probe`: `{"python", "alembic", "sqlalchemy", "psycopg", "psycopg2"}` (versions or null);
/// - `create-db URL NAME` / `drop-db URL NAME`: a database on the server of URL (AUTOCOMMIT),
///   `create-db` prints the URL of the new database;
/// - `step INI upgrade|downgrade TARGET...`: the Alembic command, then the schema reflected
///   with SQLAlchemy's inspector (plus pg_catalog on PostgreSQL), printed as one JSON object
///   (`ReflectedSchema`). Alembic's errors go to standard error, exit 1.
public enum VerifyScript {
    public static let text = #"""
        # Written by vejamigrate verify; see docs/verify.md.
        import json
        import logging
        import os
        import sys


        def probe():
            found = {"python": sys.version.split()[0]}
            for name in ("alembic", "sqlalchemy", "psycopg", "psycopg2"):
                try:
                    module = __import__(name)
                    found[name] = str(getattr(module, "__version__", "") or "?")
                except Exception:
                    found[name] = None
            print(json.dumps(found))


        def server_engine(url):
            import sqlalchemy as sa

            return sa.create_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")


        def quoted(name):
            return '"' + name.replace('"', '""') + '"'


        def create_db(url, name):
            import sqlalchemy as sa

            engine = server_engine(url)
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("CREATE DATABASE " + quoted(name)))
            finally:
                engine.dispose()
            print(sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False))


        def drop_db(url, name):
            import sqlalchemy as sa

            engine = server_engine(url)
            try:
                with engine.connect() as conn:
                    version = conn.dialect.server_version_info or (0,)
                    force = " WITH (FORCE)" if version >= (13,) else ""
                    conn.execute(sa.text("DROP DATABASE IF EXISTS " + quoted(name) + force))
            finally:
                engine.dispose()


        def text_or_none(value):
            return None if value is None else str(value)


        def type_text(column_type, dialect):
            try:
                return str(column_type.compile(dialect=dialect))
            except Exception:
                return str(column_type)


        def reflect(url):
            import sqlalchemy as sa

            engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
            try:
                with engine.connect() as conn:
                    return reflect_connection(conn, sa)
            finally:
                engine.dispose()


        def reflect_connection(conn, sa):
            insp = sa.inspect(conn)
            postgres = conn.dialect.name == "postgresql"
            sql_types, validated = {}, {}
            if postgres:
                for r in conn.execute(
                    sa.text(
                        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                        " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0"
                        " AND NOT a.attisdropped"
                    )
                ):
                    sql_types[(r[0], r[1])] = r[2]
                for r in conn.execute(
                    sa.text(
                        "SELECT c.relname, con.conname, con.convalidated FROM pg_constraint con"
                        " JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE n.nspname = current_schema()"
                    )
                ):
                    validated[(r[0], r[1])] = bool(r[2])
            tables = {}
            for table in sorted(insp.get_table_names()):
                if table == "alembic_version":
                    continue
                columns = []
                for c in insp.get_columns(table):
                    identity = c.get("identity")
                    columns.append(
                        {
                            "name": c["name"],
                            "type": sql_types.get((table, c["name"])) or type_text(c["type"], conn.dialect),
                            "nullable": bool(c["nullable"]),
                            "default": text_or_none(c.get("default")),
                            "identity": None if not identity else ("always" if identity.get("always") else "by default"),
                        }
                    )
                pk = insp.get_pk_constraint(table) or {}
                indexes = []
                for index in insp.get_indexes(table):
                    if index.get("duplicates_constraint"):
                        continue
                    options = index.get("dialect_options") or {}
                    names = index.get("column_names") or []
                    expressions = index.get("expressions") or []
                    keys = [e if n is None else n for n, e in zip(names, expressions)] if expressions else names
                    keys = [k if k is not None else "?" for k in keys]
                    sorting = index.get("column_sorting") or {}
                    where = next((v for k, v in options.items() if k.endswith("_where")), None)
                    indexes.append(
                        {
                            "name": index["name"],
                            "keys": [str(k) for k in keys],
                            "descending": ["desc" in sorting.get(k, ()) for k in keys],
                            "unique": bool(index.get("unique")),
                            "method": str(options.get("postgresql_using") or "btree"),
                            "where": text_or_none(where),
                        }
                    )
                foreign_keys = []
                for fk in insp.get_foreign_keys(table):
                    opts = fk.get("options") or {}
                    foreign_keys.append(
                        {
                            "name": fk.get("name"),
                            "columns": list(fk["constrained_columns"]),
                            "referred_table": fk["referred_table"],
                            "referred_columns": list(fk["referred_columns"]),
                            "ondelete": text_or_none(opts.get("ondelete")),
                            "onupdate": text_or_none(opts.get("onupdate")),
                            "deferrable": bool(opts.get("deferrable")),
                            "initially_deferred": str(opts.get("initially") or "").upper() == "DEFERRED",
                            "validated": validated.get((table, fk.get("name")), True),
                        }
                    )
                checks = []
                try:
                    found_checks = insp.get_check_constraints(table)
                except NotImplementedError:
                    found_checks = []
                for check in found_checks:
                    checks.append(
                        {
                            "name": check.get("name"),
                            "sqltext": str(check.get("sqltext")),
                            "validated": validated.get((table, check.get("name")), True),
                        }
                    )
                uniques = [
                    {"name": u.get("name"), "columns": list(u["column_names"])}
                    for u in insp.get_unique_constraints(table)
                ]
                tables[table] = {
                    "columns": columns,
                    "primary_key": list(pk.get("constrained_columns") or []),
                    "primary_key_name": pk.get("name"),
                    "indexes": indexes,
                    "foreign_keys": foreign_keys,
                    "checks": checks,
                    "uniques": uniques,
                }
            enums = {}
            if postgres:
                for enum in insp.get_enums():
                    enums[enum["name"]] = list(enum["labels"])
            return {"dialect": conn.dialect.name, "tables": tables, "enums": enums}


        def step(ini, action, targets):
            from alembic import command
            from alembic.config import Config

            logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
            config = Config(ini)
            for target in targets:
                if action == "upgrade":
                    command.upgrade(config, target)
                else:
                    command.downgrade(config, target)
            sys.stdout.write(json.dumps(reflect(os.environ["VEJAMIGRATE_VERIFY_URL"]), sort_keys=True) + "\n")


        def main(argv):
            if argv[0] == "probe":
                probe()
            elif argv[0] == "create-db":
                create_db(argv[1], argv[2])
            elif argv[0] == "drop-db":
                drop_db(argv[1], argv[2])
            elif argv[0] == "reflect":
                sys.stdout.write(json.dumps(reflect(os.environ["VEJAMIGRATE_VERIFY_URL"]), sort_keys=True) + "\n")
            elif argv[0] == "step":
                step(argv[1], argv[2], argv[3:])
            else:
                raise SystemExit("unknown action " + argv[0])


        if __name__ == "__main__":
            main(sys.argv[1:])

        """#
}
