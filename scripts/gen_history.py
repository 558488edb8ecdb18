#!/usr/bin/env python3
"""Generate a synthetic Alembic history in the VejaPRO style, for benchmarks.

    scripts/gen_history.py N SEED OUTDIR

Writes N migrations into OUTDIR (created if missing; existing *.py files in it
are removed first): a single linear chain named `YYYYMMDD_NNNNNN_<slug>.py`
with `revision = "YYYYMMDD_NNNNNN"`, the seed's docstring, imports and
module-level assignments, and bodies like the hand-written example history
(examples/vejapro/backend/app/migrations/versions): create_table with several
columns, constraints and indexes; add_column and CHECK changes in
batch_alter_table; create_index; DDL written as SQL in op.execute (columns,
NOT VALID checks then VALIDATE, NOT NULL, tables with REFERENCES, partial
indexes), and data updates.

The output depends only on N and SEED (no clock, no hash randomisation), so
two runs produce byte-identical files. Every table and column a change
migration touches was created by an earlier migration, so the history could
be replayed into a schema. Lines stay within ruff's 120 columns.
"""

from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

NOUNS = [
    "users", "projects", "tasks", "comments", "attachments", "invoices", "payments", "customers",
    "orders", "products", "shipments", "suppliers", "contracts", "tickets", "events", "messages",
    "notifications", "reports", "budgets", "estimates", "labels", "webhooks", "teams", "roles",
    "sessions", "devices", "documents", "folders", "templates", "schedules", "shifts", "vehicles",
    "routes", "stops", "warehouses", "inventories", "receipts", "refunds", "discounts", "coupons",
    "subscriptions", "plans", "quotes", "leads", "deals", "campaigns", "surveys", "answers",
    "sites", "inspections", "defects", "permits", "materials", "deliveries", "crews", "timesheets",
    "expenses", "approvals", "milestones", "risks",
]
QUALIFIERS = [
    "", "project", "customer", "archived", "daily", "monthly", "internal", "external", "site",
    "team", "user", "vendor", "draft", "pending", "audit", "billing", "legacy", "mobile", "public",
    "private", "scheduled", "recurring", "shared", "regional",
]
COLUMN_WORDS = [
    "title", "name", "code", "note", "summary", "status", "kind", "priority", "amount", "total",
    "quantity", "position", "score", "rating", "email", "phone", "city", "country", "currency",
    "reference", "external_id", "due_date", "started_at", "finished_at", "approved_at", "is_active",
    "is_public", "is_locked", "metadata", "settings", "payload", "color", "locale", "timezone",
    "weight", "height", "width", "depth", "duration_minutes", "estimate_minutes", "version",
    "sort_order", "level", "source", "channel", "reason", "comment", "slug", "checksum", "size_bytes",
]
STATUS_SETS = [
    ["DRAFT", "ACTIVE", "COMPLETED"],
    ["TODO", "IN_PROGRESS", "IN_REVIEW", "DONE"],
    ["PENDING", "SENT", "FAILED"],
    ["NEW", "OPEN", "CLOSED"],
    ["DRAFT", "SENT", "PAID", "VOID"],
    ["REQUESTED", "APPROVED", "REJECTED"],
]
EXTRA_STATUSES = ["ON_HOLD", "ARCHIVED", "CANCELLED", "EXPIRED", "BLOCKED", "SCHEDULED", "RETRYING"]
DETAILS = [
    "Batch mode keeps this working on the SQLite test database.",
    "Requested by the operations team; the index serves the dashboard query.",
    "The column is nullable so existing rows need no backfill.",
    "Replaces the CHECK constraint so that the new states are allowed.",
    "Written as raw SQL by hand: the statement has no operation in Alembic.",
    "Part of the reporting work; the export reads these columns directly.",
    "Rows are never deleted, only archived, so the foreign keys cascade nothing.",
]

HEADER = '''"""{description}

Revision ID: {revision}
Revises: {revises}
Create Date: {date}
{details}"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{revision}"
down_revision = {down_revision}
branch_labels = None
depends_on = None


def upgrade() -> None:
{upgrade}

def downgrade() -> None:
{downgrade}'''


def call(indent: str, head: str, args: list[str], trailing: str = "") -> list[str]:
    """A call laid out as ruff does at 120 columns: on one line if it fits, else its arguments on one
    indented line, else one per line with a trailing comma."""
    one = f"{indent}{head}({', '.join(args)}){trailing}"
    if len(one) <= 120:
        return [one]
    inner = f"{indent}    {', '.join(args)}"
    if len(inner) <= 120:
        return [f"{indent}{head}(", inner, f"{indent}){trailing}"]
    return [f"{indent}{head}("] + [f"{indent}    {a}," for a in args] + [f"{indent}){trailing}"]


def make_slug(description: str) -> str:
    """MigrationNaming.slug for ASCII text: lower snake_case, cut at 60 at a word boundary
    when one falls in the second half."""
    import re

    out = "_".join(re.findall(r"[A-Za-z0-9]+", description)).lower()
    if len(out) > 60:
        cut = out[:60]
        if out[60] == "_":
            out = cut
        elif cut.rfind("_") >= 30:
            out = cut[: cut.rfind("_")]
        else:
            out = cut
    return out


def q(s: str) -> str:
    return '"' + s + '"'


class Column:
    def __init__(self, name: str, sa_type: str, nullable: bool, default: str | None = None):
        self.name = name
        self.sa_type = sa_type
        self.nullable = nullable
        self.default = default

    def render(self) -> list[str]:
        args = [q(self.name), self.sa_type]
        if self.default is not None:
            args.append(f"server_default=sa.text({q(self.default)})")
        args.append(f"nullable={self.nullable}")
        return args


class Table:
    def __init__(self, name: str):
        self.name = name
        self.columns: list[str] = []
        self.statuses: list[str] | None = None
        self.indexes: list[str] = []


class Generator:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.rng = random.Random(seed)
        self.tables: list[Table] = []
        self.names_used: set[str] = set()
        # Dates run up to a fixed day in the past (several migrations a day, as busy teams
        # write them), from a stream of their own so the bodies do not depend on them.
        dates = random.Random(seed * 7919 + 1)
        gaps = [dates.choice([0, 0, 1]) for _ in range(n)]
        self.day = datetime.date(2026, 6, 30) - datetime.timedelta(days=sum(gaps))
        self.gaps = gaps

    # -- names ---------------------------------------------------------------------------------
    def new_table_name(self) -> str:
        rng = self.rng
        for _ in range(50):
            qual = rng.choice(QUALIFIERS)
            noun = rng.choice(NOUNS)
            name = f"{qual}_{noun}" if qual else noun
            if name not in self.names_used:
                self.names_used.add(name)
                return name
        i = 2
        while f"{noun}_{i}" in self.names_used:
            i += 1
        name = f"{noun}_{i}"
        self.names_used.add(name)
        return name

    def column_type(self, word: str) -> tuple[str, bool, str | None]:
        rng = self.rng
        if word.startswith("is_"):
            return "sa.Boolean()", False, rng.choice(["true", "false"])
        if word.endswith("_at"):
            return "sa.DateTime(timezone=True)", True, None
        if word.endswith("_date"):
            return "sa.Date()", True, None
        if word in ("amount", "total", "weight", "height", "width", "depth", "rating"):
            return "sa.Numeric(12, 2)", rng.random() < 0.5, None
        if word in ("quantity", "position", "score", "version", "sort_order", "level", "priority") or word.endswith(
            ("_minutes", "_bytes")
        ):
            t = rng.choice(["sa.Integer()", "sa.SmallInteger()", "sa.BigInteger()"])
            return t, False, "0"
        if word in ("metadata", "settings", "payload"):
            return "postgresql.JSONB(astext_type=sa.Text())", False, "'{}'"
        if word in ("note", "summary", "comment", "reason"):
            return "sa.Text()", True, None
        if word == "currency":
            return "sa.String(length=3)", False, "'EUR'"
        if word == "external_id":
            return "postgresql.UUID(as_uuid=True)", True, None
        length = rng.choice([32, 64, 128, 255])
        return f"sa.String(length={length})", rng.random() < 0.6, None

    def fresh_columns(self, table: Table, count: int) -> list[Column]:
        rng = self.rng
        out = []
        for word in rng.sample(COLUMN_WORDS, k=min(count * 2, len(COLUMN_WORDS))):
            if len(out) == count:
                break
            if word in table.columns or word == "status":
                continue
            sa_type, nullable, default = self.column_type(word)
            out.append(Column(word, sa_type, nullable, default))
        return out

    # -- migrations ----------------------------------------------------------------------------
    def create_table(self) -> tuple[str, list[str], list[str], str]:
        rng = self.rng
        t = Table(self.new_table_name())
        cols = [Column("id", "postgresql.UUID(as_uuid=True)", False, "gen_random_uuid()")]
        t.columns.append("id")
        fks = []
        for parent in rng.sample(self.tables, k=min(len(self.tables), rng.choice([0, 1, 1, 2]))):
            fk_col = parent.name.rstrip("s")[:40] + "_id"
            if fk_col in t.columns:
                continue
            cols.append(Column(fk_col, "postgresql.UUID(as_uuid=True)", rng.random() < 0.3))
            t.columns.append(fk_col)
            fks.append((fk_col, parent.name, rng.choice(["CASCADE", "SET NULL", "RESTRICT"])))
        for c in self.fresh_columns(t, rng.randint(2, 7)):
            cols.append(c)
            t.columns.append(c.name)
        if rng.random() < 0.6:
            t.statuses = list(rng.choice(STATUS_SETS))
            cols.append(Column("status", "sa.String(length=32)", False, f"'{t.statuses[0]}'"))
            t.columns.append("status")
        for ts in ("created_at", "updated_at"):
            cols.append(Column(ts, "sa.DateTime(timezone=True)", False, "now()"))
            t.columns.append(ts)

        up = ["    op.create_table(", f"        {q(t.name)},"]
        for c in cols:
            up += call("        ", "sa.Column", c.render(), ",")
        up.append('        sa.PrimaryKeyConstraint("id"),')
        for col, parent, ondelete in fks:
            args = [f"[{q(col)}]", f"[{q(parent + '.id')}]", f"name={q(f'fk_{t.name}_{col}')}", f"ondelete={q(ondelete)}"]
            up += call("        ", "sa.ForeignKeyConstraint", args, ",")
        uniques = [c for c in ("code", "email", "slug", "reference") if c in t.columns]
        for u in uniques[:1]:
            up += call("        ", "sa.UniqueConstraint", [q(u), f"name={q(f'uniq_{t.name}_{u}')}"], ",")
        if t.statuses:
            cond = "status IN (" + ",".join(f"'{s}'" for s in t.statuses) + ")"
            up += call("        ", "sa.CheckConstraint", [q(cond), f"name={q(f'chk_{t.name}_status')}"], ",")
        up.append("    )")
        index_cols = [[col] for col, _, _ in fks]
        if t.statuses and fks:
            index_cols.append([fks[0][0], "status"])
        elif t.statuses:
            index_cols.append(["status"])
        down = []
        for ic in index_cols:
            name = f"idx_{t.name}_{'_'.join(ic)}"
            t.indexes.append(name)
            up += call("    ", "op.create_index", [q(name), q(t.name), "[" + ", ".join(q(c) for c in ic) + "]"])
            down = call("    ", "op.drop_index", [q(name), f"table_name={q(t.name)}"]) + down
        down += [f"    op.drop_table({q(t.name)})"]
        self.tables.append(t)
        return f"create {t.name.replace('_', ' ')} table", up, down, ""

    def add_columns(self) -> tuple[str, list[str], list[str], str]:
        rng = self.rng
        t = rng.choice(self.tables)
        cols = self.fresh_columns(t, rng.choice([1, 1, 2, 3]))
        if not cols:
            return self.create_index()
        up = [f"    with op.batch_alter_table({q(t.name)}) as batch_op:"]
        down = [f"    with op.batch_alter_table({q(t.name)}) as batch_op:"]
        for c in cols:
            one = call("        ", "batch_op.add_column", ["sa.Column(" + ", ".join(c.render()) + ")"])
            if len(one) > 1 and any(len(line) > 120 for line in one):
                one = ["        batch_op.add_column("] + call("            ", "sa.Column", c.render(), ",") + ["        )"]
            up += one
            t.columns.append(c.name)
        for c in reversed(cols):
            down.append(f"        batch_op.drop_column({q(c.name)})")
        words = " and ".join(c.name.replace("_", " ") for c in cols)
        details = rng.choice(DETAILS) if rng.random() < 0.3 else ""
        if len(cols) == 1 and rng.random() < 0.4:
            name = f"idx_{t.name}_{cols[0].name}"
            if name not in t.indexes:
                t.indexes.append(name)
                up += call("    ", "op.create_index", [q(name), q(t.name), f"[{q(cols[0].name)}]"])
                down = call("    ", "op.drop_index", [q(name), f"table_name={q(t.name)}"]) + down
        return f"add {words} to {t.name.replace('_', ' ')}", up, down, details

    def create_index(self) -> tuple[str, list[str], list[str], str]:
        rng = self.rng
        t = rng.choice(self.tables)
        candidates = [c for c in t.columns if c not in ("id", "updated_at")]
        for _ in range(10):
            ic = rng.sample(candidates, k=min(len(candidates), rng.choice([1, 2, 2])))
            name = f"idx_{t.name}_{'_'.join(ic)}"
            if name not in t.indexes:
                break
        else:
            return self.raw_sql()
        t.indexes.append(name)
        args = [q(name), q(t.name), "[" + ", ".join(q(c) for c in ic) + "]"]
        unique = rng.random() < 0.15
        if unique:
            args.append("unique=True")
        up = call("    ", "op.create_index", args)
        down = call("    ", "op.drop_index", [q(name), f"table_name={q(t.name)}"])
        kind = "unique index" if unique else "index"
        return f"add {kind} on {t.name.replace('_', ' ')} {' '.join(ic).replace('_', ' ')}", up, down, ""

    def change_check(self) -> tuple[str, list[str], list[str], str]:
        rng = self.rng
        with_status = [t for t in self.tables if t.statuses is not None]
        if not with_status:
            return self.add_columns()
        t = rng.choice(with_status)
        extra = [s for s in EXTRA_STATUSES if s not in t.statuses]
        if not extra:
            return self.create_index()
        old = list(t.statuses)
        new = old + [rng.choice(extra)]
        t.statuses = new
        name = f"chk_{t.name}_status"

        def block(statuses: list[str]) -> list[str]:
            cond = "status IN (" + ",".join(f"'{s}'" for s in statuses) + ")"
            return [
                f"    with op.batch_alter_table({q(t.name)}) as batch_op:",
                f'        batch_op.drop_constraint({q(name)}, type_="check")',
                *call("        ", "batch_op.create_check_constraint", [q(name), q(cond)]),
            ]

        details = f"Replaces {name} so that rows can be {new[-1].lower().replace('_', ' ')}."
        if rng.random() < 0.5:
            details += "\n" + DETAILS[0]
        return f"add {new[-1].lower().replace('_', ' ')} {t.name.replace('_', ' ')} status", block(new), block(old), details

    def raw_sql(self) -> tuple[str, list[str], list[str], str]:
        rng = self.rng
        t = rng.choice(self.tables)
        if t.statuses and rng.random() < 0.5:
            name = f"idx_{t.name}_open_created_at"
            if name not in t.indexes:
                t.indexes.append(name)
                sql = f"CREATE INDEX {name} ON {t.name} (created_at) WHERE status <> '{t.statuses[-1]}'"
                up = call("    ", "op.execute", [q(sql)])
                down = call("    ", "op.execute", [q(f"DROP INDEX {name}")])
                return f"add partial index on open {t.name.replace('_', ' ')}", up, down, DETAILS[4]
        col = rng.choice([c for c in t.columns if c not in ("id",)])
        up = [
            "    op.execute(",
            '        """',
            f"        UPDATE {t.name}",
            "        SET updated_at = now()",
            f"        WHERE {col} IS NOT NULL",
            '        """',
            "    )",
        ]
        down = ["    pass"]
        return f"touch {t.name.replace('_', ' ')} updated at", up, down, DETAILS[4]

    def sql_ddl(self) -> tuple[str, list[str], list[str], str]:
        """Schema changes written as SQL, the way hand-written histories often are."""
        rng = self.rng
        t = rng.choice(self.tables)
        kind = rng.random()
        self.sql_count = getattr(self, "sql_count", 0) + 1
        n = self.sql_count
        if kind < 0.4:
            col = f"note_{n}"
            t.columns.append(col)
            up = [
                "    op.execute(",
                '        """',
                f"        ALTER TABLE {t.name} ADD COLUMN {col} VARCHAR(200);",
                f"        UPDATE {t.name} SET {col} = '' WHERE {col} IS NULL;",
                f"        ALTER TABLE {t.name} ALTER COLUMN {col} SET DEFAULT '';",
                f"        ALTER TABLE {t.name} ALTER COLUMN {col} SET NOT NULL;",
                '        """',
                "    )",
            ]
            down = call("    ", "op.execute", [q(f"ALTER TABLE {t.name} DROP COLUMN {col}")])
            return f"add {col.replace('_', ' ')} to {t.name.replace('_', ' ')} in sql", up, down, DETAILS[4]
        if kind < 0.7:
            name = f"chk_{t.name}_id_{n}"
            up = call("    ", "op.execute", [q(f"ALTER TABLE {t.name} ADD CONSTRAINT {name} CHECK (id IS NOT NULL) NOT VALID")])
            up += call("    ", "op.execute", [q(f"ALTER TABLE {t.name} VALIDATE CONSTRAINT {name}")])
            down = call("    ", "op.execute", [q(f"ALTER TABLE {t.name} DROP CONSTRAINT {name}")])
            return f"add {name.replace('_', ' ')} not valid then validate", up, down, ""
        log = f"{t.name}_log_{n}"
        up = [
            "    op.execute(",
            '        """',
            f"        CREATE TABLE {log} (",
            "            id BIGSERIAL PRIMARY KEY,",
            f"            {t.name}_id UUID NOT NULL",
            f"                REFERENCES {t.name} (id) ON DELETE CASCADE,",
            "            payload JSONB NOT NULL DEFAULT '{}',",
            "            created_at TIMESTAMPTZ NOT NULL DEFAULT now()",
            "        );",
            f"        CREATE INDEX idx_{log}_parent",
            f"            ON {log} ({t.name}_id);",
            '        """',
            "    )",
        ]
        down = call("    ", "op.execute", [q(f"DROP TABLE {log}")])
        return f"create {log.replace('_', ' ')} table in sql", up, down, ""

    def body(self, i: int) -> tuple[str, list[str], list[str], str]:
        if i < 3 or len(self.tables) < 3:
            return self.create_table()
        r = self.rng.random()
        if r < 0.27:
            return self.create_table()
        if r < 0.52:
            return self.add_columns()
        if r < 0.67:
            return self.create_index()
        if r < 0.79:
            return self.change_check()
        if r < 0.93:
            return self.sql_ddl()
        return self.raw_sql()

    def generate(self, outdir: Path) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        for old in outdir.glob("*.py"):
            old.unlink()
        previous = None
        for i in range(1, self.n + 1):
            self.day += datetime.timedelta(days=self.gaps[i - 1])
            description, up, down, details = self.body(i)
            seq = f"{i:06d}"
            revision = f"{self.day:%Y%m%d}_{seq}"
            slug = make_slug(description)
            text = HEADER.format(
                description=description,
                revision=revision,
                revises=previous or "None",
                date=f"{self.day:%Y-%m-%d}",
                details=f"\n{details}\n" if details else "",
                down_revision=q(previous) if previous else "None",
                upgrade="\n".join(up) + "\n",
                downgrade="\n".join(down) + "\n",
            )
            (outdir / f"{revision}_{slug}.py").write_text(text, encoding="utf-8")
            previous = revision


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    n, seed, outdir = int(argv[1]), int(argv[2]), Path(argv[3])
    Generator(n, seed).generate(outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
