"""Schema facts: what a PostgreSQL database has, and what `vejamigrate schema --json` says it has,
turned into the same normalised set of one-line facts so that the two can be compared fact by fact.

A fact is `Fact(subject, value)`, shown as `subject=value` (or just `subject` when it has no value):

    table accounts
    column accounts.email type=character varying(255)
    column accounts.email nullable=false
    column accounts.email default=none                 (or `autoincrement` for a serial's nextval(...))
    column accounts.id identity=by default              (always / by default / none)
    primary key accounts columns=(id)
    primary key accounts name=accounts_pkey
    check accounts.ck_accounts_status validated=true
    check accounts.ck_accounts_status allows=status in {active, suspended}   (only for value lists)
    unique accounts.uq_accounts_email columns=(email)
    index accounts.uq_accounts_email_lower unique=true / method=btree / keys=(lower(email))
    index accounts.uq_accounts_email_lower descending=none / where=none
    foreign key orders.fk_orders_customer columns=(customer_id) references=customers(id)
    foreign key orders.fk_orders_customer ondelete=RESTRICT / onupdate=CASCADE / deferrable=false /
        initially_deferred=false / validated=true
    enum invoice_status values=(draft, sent, paid)

A field the JSON does not have becomes the value `<missing field NAME>`, which never equals what
the database says: a missing field fails the comparison instead of crashing it.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

# --- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Fact:
    subject: str
    value: str = ""
    # Tables the fact is about (its own table; a foreign key also names the table it references).
    tables: tuple[str, ...] = field(default=(), compare=False)

    @property
    def kind(self) -> str:
        for kind in ("primary key", "foreign key", "table", "column", "check", "unique", "index", "enum"):
            if self.subject.startswith(kind + " "):
                return kind
        raise ValueError(self.subject)

    def __str__(self) -> str:
        return f"{self.subject}={self.value}" if self.value else self.subject


def missing(name: str) -> str:
    return f"<missing field {name}>"


def _tuple(items) -> str:
    return "(" + ", ".join(str(i) for i in items) + ")"


def _bool(value: Any, name: str) -> str:
    if value is None or value is MISSING:
        return missing(name)
    if not isinstance(value, bool):
        return f"<not a bool: {value!r}>"
    return "true" if value else "false"


MISSING = object()


# --- SQL expression normaliser -------------------------------------------------------------------
#
# Both sides go through the same normaliser. What it does, and where that makes it lenient:
#   * tokenises, then re-joins with one space rule: whitespace and line breaks never matter;
#   * lowercases everything outside '...' strings (keywords and unquoted identifiers are
#     case-insensitive in PostgreSQL); "quoted" identifiers that need no quotes lose them;
#   * strips casts (`::text`, `::character varying(32)`, `::regclass`, `::invoice_status`,
#     `::text[]`); a quoted number cast to a numeric type ('-1'::integer) becomes the number.
#     Lenient: `'5'::text` and `5` stay different, but `x::int` and `x` compare equal;
#   * drops parentheses around a single token and grouping parentheses (those not after a function
#     name or IN / ANY / ALL / EXISTS / VALUES / ARRAY ...). PostgreSQL adds such parentheses
#     everywhere when it prints an expression. Lenient: `(a OR b) AND c` equals `a OR (b AND c)`;
#   * `x = ANY (ARRAY[v, ...])` becomes `x IN (v, ...)` (what PostgreSQL prints for IN) and `!=`
#     becomes `<>` (same operator).
# It is not a parser: two expressions that differ only in operator precedence inside removed
# parentheses compare equal; nothing else does.

_TOKEN = re.compile(
    r"""
    (?P<str>[eE]?'(?:[^']|'')*')
   |(?P<qid>"(?:[^"]|"")*")
   |(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)
   |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
   |(?P<op>::|<>|!=|>=|<=|\|\||->>|->|\#>>|\#>|@>|<@|!~\*|~\*|!~|&&|[-+*/%^<>=~!@\#&|?.,;()\[\]])
   |(?P<ws>\s+)
   |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_TYPE_CONTINUATION = {"varying", "precision", "with", "without", "time", "zone"}
_NUMERIC_TYPES = {
    "smallint",
    "integer",
    "int",
    "bigint",
    "int2",
    "int4",
    "int8",
    "numeric",
    "decimal",
    "real",
    "float4",
    "float8",
    "double",
}
# A parenthesis after one of these words is not a function call's.
_GROUPING_AFTER = {"and", "or", "not", "where", "when", "then", "else", "is", "check", "case", "like", "between"}
_KEEP_AFTER = {"in", "any", "all", "some", "exists", "values", "array", "row"}


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group()
        if kind == "ws":
            continue
        if kind == "word":
            value = value.lower()
        elif kind == "qid":
            inner = value[1:-1].replace('""', '"')
            if re.fullmatch(r"[a-z_][a-z0-9_$]*", inner):
                kind, value = "word", inner
        out.append((kind, value))
    return out


def _strip_casts(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        if toks[i] != ("op", "::"):
            out.append(toks[i])
            i += 1
            continue
        j = i + 1
        type_words = []
        # schema-qualified or plain type name, possibly several words (character varying, ...)
        while j < len(toks) and toks[j][0] in ("word", "qid"):
            type_words.append(toks[j][1])
            j += 1
            if j + 1 < len(toks) and toks[j] == ("op", ".") and toks[j + 1][0] in ("word", "qid"):
                j += 1
                continue
            if j < len(toks) and toks[j][0] == "word" and toks[j][1] in _TYPE_CONTINUATION:
                continue
            break
        if j < len(toks) and toks[j] == ("op", "("):  # (n) or (p, s)
            k = j + 1
            while k < len(toks) and toks[k] != ("op", ")"):
                k += 1
            j = k + 1
        while j + 1 < len(toks) and toks[j] == ("op", "[") and toks[j + 1] == ("op", "]"):
            j += 2
        if type_words and type_words[-1] in _NUMERIC_TYPES and out and out[-1][0] == "str":
            literal = out.pop()[1][1:-1]
            if re.fullmatch(r"-?\d+(\.\d+)?", literal):
                out.extend(_tokens(literal))
            else:
                out.append(("str", f"'{literal}'"))
        i = j
    return out


def _matching(toks: list[tuple[str, str]], start: int) -> int:
    depth = 0
    for k in range(start, len(toks)):
        if toks[k] == ("op", "("):
            depth += 1
        elif toks[k] == ("op", ")"):
            depth -= 1
            if depth == 0:
                return k
    return -1


def _drop_parens(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    changed = True
    while changed:
        changed = False
        for i, tok in enumerate(toks):
            if tok != ("op", "("):
                continue
            end = _matching(toks, i)
            if end < 0:
                continue
            prev = toks[i - 1] if i > 0 else None
            after_function = prev is not None and (
                (prev[0] in ("word", "qid") and prev[1] not in _GROUPING_AFTER) or prev == ("op", "]")
            )
            if after_function or (prev is not None and prev[0] == "word" and prev[1] in _KEEP_AFTER):
                continue
            if end == i + 1:  # () not after a function name: leave it
                continue
            toks = toks[:i] + toks[i + 1 : end] + toks[end + 1 :]
            changed = True
            break
    return toks


def _any_array_to_in(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        if (
            toks[i] == ("op", "=")
            and toks[i + 1 : i + 5] == [("word", "any"), ("op", "("), ("word", "array"), ("op", "[")]
            and i + 5 < len(toks)
        ):
            k = i + 5
            while k < len(toks) and toks[k] != ("op", "]"):
                k += 1
            if k + 1 < len(toks) and toks[k + 1] == ("op", ")"):
                out.extend([("word", "in"), ("op", "(")] + toks[i + 5 : k] + [("op", ")")])
                i = k + 2
                continue
        out.append(("op", "<>") if toks[i] == ("op", "!=") else toks[i])
        i += 1
    return out


def _render(toks: list[tuple[str, str]]) -> str:
    out = ""
    for i, (kind, value) in enumerate(toks):
        prev = toks[i - 1] if i else None
        if not out:
            out = value
        elif (
            value in (")", "]", ",", ".", "::")
            or (prev and prev[1] in ("(", "[", ".", "::"))
            or (
                value in ("(", "[")
                and prev
                and prev[0] in ("word", "qid")
                and prev[1] not in _KEEP_AFTER | _GROUPING_AFTER
            )
        ):
            out += value
        else:
            out += " " + value
    return out


def normalise_sql(text: str | None) -> str:
    """The comparable form of an SQL expression (a default, an index key or predicate, a CHECK)."""
    if text is None:
        return "none"
    toks = _tokens(str(text))
    toks = _strip_casts(toks)
    toks = _drop_parens(toks)
    toks = _any_array_to_in(toks)
    toks = _drop_parens(toks)
    return _render(toks)


def allowed_values(expression: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(column, values) when a CHECK is `col IN (...)` / `col = ANY (ARRAY[...])`; else None."""
    if expression is None:
        return None
    toks = _drop_parens(_strip_casts(_tokens(expression)))
    if toks and toks[0] == ("word", "check"):
        toks = _drop_parens(toks[1:])
    toks = _any_array_to_in(toks)
    if len(toks) < 5 or toks[0][0] != "word" or toks[1:3] != [("word", "in"), ("op", "(")] or toks[-1] != ("op", ")"):
        return None
    items = toks[3:-1]
    values = []
    for n, tok in enumerate(items):
        if n % 2 == 1:
            if tok != ("op", ","):
                return None
            continue
        if tok[0] == "str":
            values.append(tok[1][1:-1].replace("''", "'"))
        elif tok[0] == "num":
            values.append(tok[1])
        else:
            return None
    return toks[0][1], tuple(values)


def allows_text(column: str, values) -> str:
    return f"{column} in {{{', '.join(sorted(str(v) for v in values))}}}"


def default_fact(default: str | None) -> str:
    norm = normalise_sql(default)
    return "autoincrement" if norm.startswith("nextval(") else norm


# --- the database side ----------------------------------------------------------------------------

_FK_ACTION = {"a": None, "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def database_facts(url: str) -> set[Fact]:
    """Facts of schema public (less alembic_version), read with SQLAlchemy's inspector plus pg_catalog
    for what the inspector does not say: format_type() of each column and pg_constraint.convalidated."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return _database_facts(conn)
    finally:
        engine.dispose()


def _database_facts(conn) -> set[Fact]:
    insp = sa.inspect(conn)
    facts: set[Fact] = set()
    tables = sorted(t for t in insp.get_table_names(schema="public") if t != "alembic_version")
    sql_types = {
        (r[0], r[1]): r[2]
        for r in conn.execute(
            sa.text(
                """
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                """
            )
        )
    }
    validated = {
        (r[0], r[1]): r[2]
        for r in conn.execute(
            sa.text(
                """
                SELECT c.relname, con.conname, con.convalidated
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
                """
            )
        )
    }
    for table in tables:
        facts.add(Fact(f"table {table}", "", (table,)))
        for col in insp.get_columns(table, schema="public"):
            subject = f"column {table}.{col['name']}"
            facts.add(Fact(f"{subject} type", sql_types[(table, col["name"])], (table,)))
            facts.add(Fact(f"{subject} nullable", _bool(col["nullable"], "nullable"), (table,)))
            facts.add(Fact(f"{subject} default", default_fact(col.get("default")), (table,)))
            identity = col.get("identity")
            facts.add(
                Fact(
                    f"{subject} identity",
                    "none" if not identity else ("always" if identity["always"] else "by default"),
                    (table,),
                )
            )
        pk = insp.get_pk_constraint(table, schema="public")
        facts.add(Fact(f"primary key {table} columns", _tuple(pk.get("constrained_columns") or []), (table,)))
        facts.add(Fact(f"primary key {table} name", pk.get("name") or "none", (table,)))
        for check in insp.get_check_constraints(table, schema="public"):
            subject = f"check {table}.{check['name']}"
            facts.add(Fact(f"{subject} validated", _bool(validated[(table, check["name"])], "validated"), (table,)))
            listed = allowed_values(check["sqltext"])
            if listed:
                facts.add(Fact(f"{subject} allows", allows_text(*listed), (table,)))
        for unique in insp.get_unique_constraints(table, schema="public"):
            facts.add(Fact(f"unique {table}.{unique['name']} columns", _tuple(unique["column_names"]), (table,)))
        for index in insp.get_indexes(table, schema="public"):
            if index.get("duplicates_constraint"):
                continue  # the index behind a unique constraint
            subject = f"index {table}.{index['name']}"
            options = index.get("dialect_options", {})
            expressions = index.get("expressions") or index["column_names"]
            keys = [normalise_sql(k) for k in expressions]
            sorting = index.get("column_sorting", {})
            descending = [normalise_sql(k) for k in expressions if "desc" in sorting.get(k, ())]
            facts.add(Fact(f"{subject} unique", _bool(bool(index["unique"]), "unique"), (table,)))
            facts.add(Fact(f"{subject} method", options.get("postgresql_using", "btree"), (table,)))
            facts.add(Fact(f"{subject} keys", _tuple(keys), (table,)))
            facts.add(Fact(f"{subject} descending", _tuple(descending) if descending else "none", (table,)))
            facts.add(Fact(f"{subject} where", normalise_sql(options.get("postgresql_where")), (table,)))
        for fk in insp.get_foreign_keys(table, schema="public"):
            facts |= _fk_facts(
                table,
                fk["name"],
                fk["constrained_columns"],
                fk["referred_table"],
                fk["referred_columns"],
                fk["options"].get("ondelete"),
                fk["options"].get("onupdate"),
                fk["options"].get("deferrable", False),
                fk["options"].get("initially", "IMMEDIATE").upper() == "DEFERRED",
                validated[(table, fk["name"])],
            )
    for enum in insp.get_enums(schema="public"):
        facts.add(Fact(f"enum {enum['name']} values", _tuple(enum["labels"])))
    return facts


def _action(value: Any) -> str:
    if value is MISSING:
        return missing("ondelete/onupdate")
    return "NO ACTION" if value is None else str(value).upper()


def _fk_facts(table, name, columns, ref_table, ref_columns, ondelete, onupdate, deferrable, deferred, valid):
    subject = f"foreign key {table}.{name}"
    involved = (table, ref_table) if isinstance(ref_table, str) else (table,)
    return {
        Fact(f"{subject} columns", _tuple(columns), involved),
        Fact(f"{subject} references", f"{ref_table}{_tuple(ref_columns)}", involved),
        Fact(f"{subject} ondelete", _action(ondelete), involved),
        Fact(f"{subject} onupdate", _action(onupdate), involved),
        Fact(f"{subject} deferrable", _bool(deferrable, "deferrable"), involved),
        Fact(f"{subject} initially_deferred", _bool(deferred, "initially_deferred"), involved),
        Fact(f"{subject} validated", _bool(valid, "validated"), involved),
    }


# --- the vejamigrate side ------------------------------------------------------------------------


def reader_facts(data: dict) -> tuple[set[Fact], list[str]]:
    """Facts from `vejamigrate schema --json`, and the list of fields it lacks (for the summary)."""
    facts: set[Fact] = set()
    absent: list[str] = []

    def get(obj: Any, key: str, where: str) -> Any:
        if isinstance(obj, dict) and key in obj:
            return obj[key]
        absent.append(where)
        return MISSING

    tables = data.get("tables")
    if not isinstance(tables, dict):
        absent.append("tables")
        tables = {}
    for table, info in sorted(tables.items()):
        facts.add(Fact(f"table {table}", "", (table,)))
        columns = get(info, "columns", "tables.*.columns")
        for column, col in sorted((columns if isinstance(columns, dict) else {}).items()):
            subject = f"column {table}.{column}"
            sql_type = get(col, "sql_type", "columns.*.sql_type")
            facts.add(Fact(f"{subject} type", missing("sql_type") if sql_type is MISSING else str(sql_type), (table,)))
            facts.add(
                Fact(f"{subject} nullable", _bool(get(col, "nullable", "columns.*.nullable"), "nullable"), (table,))
            )
            identity = get(col, "identity", "columns.*.identity")
            autoincrement = get(col, "autoincrement", "columns.*.autoincrement")
            default = get(col, "default", "columns.*.default")
            if default is MISSING:
                default_value = missing("default")
            elif identity not in (None, MISSING):
                default_value = normalise_sql(default)  # an identity column has no default of its own
            elif autoincrement is True and identity is MISSING:
                # Serial or identity? Without the identity field the reader cannot say which.
                default_value = "autoincrement " + missing("identity")
            elif autoincrement is True:
                default_value = "autoincrement"
            else:
                default_value = default_fact(default)
            facts.add(Fact(f"{subject} default", default_value, (table,)))
            facts.add(
                Fact(
                    f"{subject} identity",
                    missing("identity") if identity is MISSING else ("none" if identity is None else str(identity)),
                    (table,),
                )
            )
        pk = get(info, "primary_key", "tables.*.primary_key")
        facts.add(
            Fact(f"primary key {table} columns", missing("primary_key") if pk is MISSING else _tuple(pk), (table,))
        )
        pk_name = get(info, "primary_key_name", "tables.*.primary_key_name")
        facts.add(
            Fact(
                f"primary key {table} name",
                missing("primary_key_name") if pk_name is MISSING else (pk_name or "none"),
                (table,),
            )
        )
        checks = get(info, "checks", "tables.*.checks")
        for name, check in sorted((checks if isinstance(checks, dict) else {}).items()):
            subject = f"check {table}.{name}"
            if not isinstance(check, dict):  # today's shape: NAME -> expression text
                check = {"expression": check}
            facts.add(
                Fact(
                    f"{subject} validated", _bool(get(check, "validated", "checks.*.validated"), "validated"), (table,)
                )
            )
            column = get(check, "column", "checks.*.column")
            values = get(check, "values", "checks.*.values")
            if column is MISSING or values is MISSING:
                facts.add(Fact(f"{subject} allows", missing("column/values"), (table,)))
            elif column is not None and values is not None:
                facts.add(Fact(f"{subject} allows", allows_text(column, values), (table,)))
        for unique in get(info, "unique", "tables.*.unique") or []:
            if unique is MISSING:
                break
            facts.add(
                Fact(f"unique {table}.{unique.get('name')} columns", _tuple(unique.get("columns") or []), (table,))
            )
        indexes = get(info, "indexes", "tables.*.indexes")
        for index in indexes if isinstance(indexes, list) else []:
            subject = f"index {table}.{index.get('name')}"
            keys = [normalise_sql(k) for k in index.get("columns") or []]
            facts.add(Fact(f"{subject} unique", _bool(get(index, "unique", "indexes.*.unique"), "unique"), (table,)))
            method = get(index, "method", "indexes.*.method")
            facts.add(Fact(f"{subject} method", missing("method") if method is MISSING else str(method), (table,)))
            facts.add(Fact(f"{subject} keys", _tuple(keys), (table,)))
            desc = get(index, "descending", "indexes.*.descending")
            if desc is MISSING:
                desc_value = missing("descending")
            elif not isinstance(desc, list) or len(desc) != len(keys):
                desc_value = f"<descending {desc!r} does not match {len(keys)} keys>"
            else:
                flagged = [k for k, d in zip(keys, desc) if d]
                desc_value = _tuple(flagged) if flagged else "none"
            facts.add(Fact(f"{subject} descending", desc_value, (table,)))
            where = get(index, "where", "indexes.*.where")
            facts.add(
                Fact(f"{subject} where", missing("where") if where is MISSING else normalise_sql(where), (table,))
            )
        fks = get(info, "foreign_keys", "tables.*.foreign_keys")
        for fk in fks if isinstance(fks, list) else []:
            ref = fk.get("references") or {}
            facts |= _fk_facts(
                table,
                fk.get("name"),
                fk.get("columns") or [],
                ref.get("table"),
                ref.get("columns") or [],
                get(fk, "ondelete", "foreign_keys.*.ondelete"),
                get(fk, "onupdate", "foreign_keys.*.onupdate"),
                get(fk, "deferrable", "foreign_keys.*.deferrable"),
                get(fk, "initially_deferred", "foreign_keys.*.initially_deferred"),
                get(fk, "validated", "foreign_keys.*.validated"),
            )
    enums = data.get("enums", MISSING)
    if enums is MISSING or not isinstance(enums, dict):
        absent.append("enums")
        facts.add(Fact("enum * values", missing("enums")))
    else:
        for name, values in sorted(enums.items()):
            facts.add(Fact(f"enum {name} values", _tuple(values)))
    return facts, absent


# --- opaque statements and what they may explain ------------------------------------------------

ALL_KINDS = frozenset({"table", "column", "primary key", "check", "unique", "index", "foreign key"})


@dataclass
class Opaque:
    at: str
    tables: list[str] | None  # None: the JSON entry does not say which tables (today's shape)
    text: str  # the statement's source, read from the migration file at FILE:LINE
    kinds: frozenset = frozenset()  # fact kinds of those tables the statement could change
    enums: frozenset = frozenset()  # enum types it could change


def statement_source(versions: Path, at: str) -> str:
    """The whole Python statement that starts at FILE:LINE (or the line itself)."""
    try:
        filename, line = at.rsplit(":", 1)
        path = versions / filename
        source = path.read_text()
        lineno = int(line)
    except (ValueError, OSError):
        return ""
    best = None
    for node in ast.walk(ast.parse(source)):
        inside = isinstance(node, ast.stmt) and node.lineno <= lineno <= (node.end_lineno or node.lineno)
        if inside and (best is None or (node.end_lineno - node.lineno) < (best.end_lineno - best.lineno)):
            best = node
    if best is None:
        return source.splitlines()[lineno - 1] if 0 < lineno <= len(source.splitlines()) else ""
    return textwrap.dedent(ast.get_source_segment(source, best, padded=True) or "")


_CONTROL = re.compile(r"^\s*(if|for|while|with|try|match|def)\b")
_SQL_INDEX = re.compile(r"\b(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX|ALTER\s+INDEX|REINDEX)\b", re.IGNORECASE)
_SQL_TYPE = re.compile(r"\b(?:CREATE|ALTER|DROP)\s+TYPE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?\"?(\w+)", re.IGNORECASE)


_OP_KINDS = {
    # What each Alembic operation can change (for the tables it names).
    "create_table": ALL_KINDS,
    "drop_table": ALL_KINDS,
    "rename_table": ALL_KINDS,
    "batch_alter_table": ALL_KINDS - {"table"},
    "add_column": ALL_KINDS - {"table"},  # a Column may carry a key, a foreign key, unique, index
    "drop_column": ALL_KINDS - {"table"},  # dropping a column drops what involves it
    "alter_column": ALL_KINDS - {"table"},  # renames reach indexes and constraints
    "create_index": frozenset({"index"}),
    "drop_index": frozenset({"index"}),
    "create_foreign_key": frozenset({"foreign key"}),
    "create_check_constraint": frozenset({"check"}),
    "create_unique_constraint": frozenset({"unique"}),
    "create_primary_key": frozenset({"primary key"}),
    "drop_constraint": frozenset({"check", "unique", "foreign key", "primary key"}),
    "bulk_insert": frozenset(),
    "inline_literal": frozenset(),
    "get_bind": frozenset(),
    "get_context": frozenset(),
    "f": frozenset(),
}


def _sql_kinds(sql: str) -> frozenset:
    kinds: set = set()
    if re.search(r"\b(CREATE|DROP)\s+TABLE\b|\bRENAME\s+TO\b|\bSELECT\b[^;]*\bINTO\b", sql, re.IGNORECASE):
        kinds |= ALL_KINDS
    if re.search(r"\bALTER\s+TABLE\b", sql, re.IGNORECASE):
        kinds |= ALL_KINDS - {"table"}
    if _SQL_INDEX.search(sql):
        kinds |= {"index", "unique", "primary key"}
    return frozenset(kinds)


def classify(text: str, source: str = "") -> tuple[frozenset, frozenset]:
    """Which fact kinds (of the tables the JSON names) and which enum types a statement could change.

    `text` is the statement's source; `source` the whole file, to read the helpers it calls.
    What is tolerated, exactly:
      * each Alembic operation in the statement (or in a helper function of the same file that it
        calls, read through) may change the kinds in _OP_KINDS: only create_table / drop_table /
        rename_table (or CREATE / DROP TABLE / RENAME TO in SQL) can explain a table's existence;
        add / drop / alter_column and batch mode any fact of the table but its existence;
        create_index an index, create_check_constraint a check, and so on;
      * SQL (in op.execute or any string): CREATE / DROP TABLE and RENAME TO any fact; ALTER TABLE
        any fact but the table's existence; CREATE / DROP / ALTER INDEX or REINDEX the index,
        unique and primary key facts; CREATE / ALTER / DROP TYPE the enum facts of the types it
        names; COMMENT ON, functions, triggers, INSERT / UPDATE / DELETE / SELECT, GRANT: nothing;
      * a call of something else (a function of another module, getattr, ...) or a statement the
        parser cannot read: any fact of the listed tables.
    """
    enums = frozenset(m.group(1).lower() for m in _SQL_TYPE.finditer(text))
    helpers: dict[str, str] = {}
    constants: dict[str, str] = {}  # module-level SQL strings: SET_NOT_NULL = "ALTER TABLE ..."
    try:
        for node in ast.parse(source).body if source else ():
            if isinstance(node, ast.FunctionDef) and node.name not in ("upgrade", "downgrade"):
                helpers[node.name] = ast.get_source_segment(source, node) or ""
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = node.value.value
    except SyntaxError:
        pass
    try:
        tree = ast.parse(textwrap.dedent(text))
    except SyntaxError:
        return (_sql_kinds(text) or ALL_KINDS), enums
    kinds: set = set()
    seen: set = set()

    def visit(tree: ast.AST) -> bool:
        """False when the statement does something the classifier cannot bound."""
        nonlocal enums
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in constants:
                kinds.update(_sql_kinds(constants[node.id]))
                enums |= frozenset(m.group(1).lower() for m in _SQL_TYPE.finditer(constants[node.id]))
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                kinds.update(_sql_kinds(node.value))
                enums |= frozenset(m.group(1).lower() for m in _SQL_TYPE.finditer(node.value))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
            if owner in ("op", "batch_op") and name in _OP_KINDS:
                kinds.update(_OP_KINDS[name])
            elif owner in ("op", "batch_op", "conn", "bind", "connection") and name in ("execute", "exec_driver_sql"):
                sql_in_it = any(
                    (isinstance(a, ast.Constant) and isinstance(a.value, str) and len(a.value.split()) > 1)
                    or (isinstance(a, ast.Name) and a.id in constants)
                    for a in ast.walk(node)
                )
                data_only = any(
                    isinstance(a, ast.Call)
                    and isinstance(a.func, ast.Attribute)
                    and a.func.attr in ("update", "insert", "delete", "values", "where")
                    for a in ast.walk(node)
                )
                if not sql_in_it and not data_only:
                    return False  # SQL from somewhere the classifier cannot see
                continue
            elif name in helpers and name not in seen:
                seen.add(name)
                if not visit(ast.parse(helpers[name])):
                    return False
            elif (
                owner in ("sa", "op", "context", "postgresql", "insp", "conn", "bind")
                or name
                in (
                    "inspect",
                    "text",
                    "str",
                    "any",
                    "all",
                    "reversed",
                    "range",
                    "len",
                    "set",
                    "list",
                    "dict",
                    "tuple",
                    "format",
                    "startswith",
                    "items",
                    "get_columns",
                    "get_indexes",
                    "get_table_names",
                    "has_table",
                    "get_main_option",
                    "fetchall",
                    "lower",
                    "upper",
                    "strip",
                    "join",
                    "replace",
                )
                or isinstance(func, ast.Attribute)
                and name in ("startswith", "format", "get", "items", "append")
            ):
                continue
            else:
                return False
        return True

    if not visit(tree):
        return ALL_KINDS, enums
    return frozenset(kinds), enums


def opaque_entries(data: dict, versions: Path) -> list[Opaque]:
    entries = []
    for item in data.get("opaque") or []:
        if isinstance(item, dict):
            at = str(item.get("at", ""))
            tables = item.get("tables") if isinstance(item.get("tables"), list) else None
            fallback = str(item.get("what") or "")
        else:  # today's shape: "FILE:LINE" with no tables
            at, tables, fallback = str(item), None, ""
        text = statement_source(versions, at) or fallback
        try:
            source = (versions / at.rsplit(":", 1)[0]).read_text()
        except (OSError, ValueError):
            source = ""
        kinds, enums = classify(text, source)
        entries.append(Opaque(at, tables, text, kinds, enums))
    return entries


def explaining(fact: Fact, entries: list[Opaque], versions: Path) -> Opaque | None:
    """The opaque entry that lists one of the fact's tables and could change this kind of fact.

    A listed table must be named in the statement or, for Python code, in its file (a loop over a
    module constant): an entry cannot excuse a table it has nothing to do with."""
    for entry in entries:
        if fact.kind == "enum":
            name = fact.subject.split(" ")[1]
            if name in entry.enums:
                return entry
            continue
        if entry.tables is None or fact.kind not in entry.kinds:
            continue
        for position, table in enumerate(fact.tables):
            if table not in entry.tables:
                continue
            if position > 0 and not re.search(
                r"rename_table|drop_table|RENAME\s+TO|DROP\s+TABLE", entry.text, re.IGNORECASE
            ):
                continue  # a foreign key's referenced table: only renaming or dropping it changes the key
            haystack = entry.text
            if _CONTROL.match(entry.text) or "op.execute" not in entry.text:
                try:
                    haystack = (versions / entry.at.rsplit(":", 1)[0]).read_text()
                except OSError:
                    pass
            # Named outright, or every part of the name appears (f"{parent}_tags" with parent "notes").
            if re.search(rf"\b{re.escape(table)}\b", haystack, re.IGNORECASE) or all(
                part.lower() in haystack.lower() for part in table.split("_") if part
            ):
                return entry
    return None
