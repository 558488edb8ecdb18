"""What a create_table spec promises, computed from the contract (shared/CONTRACT.md),
independently of the tool: names, nullability, types and defaults."""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# information_schema udt_name for each contract type
PG_UDT = {
    "uuid": "uuid",
    "string": "varchar",
    "text": "text",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "numeric": "numeric",
    "float": "float8",  # sa.Float() renders FLOAT, which PostgreSQL reads as double precision
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamptz",
    "jsonb": "jsonb",
    "json": "json",
}


@dataclass
class Column:
    name: str
    type: str
    nullable: bool
    primary_key: bool
    default: Any = None
    has_default: bool = False
    enum: list[str] | None = None
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    unique: bool = False
    index: bool = False
    foreign_key: dict | None = None
    raw: dict = field(default_factory=dict)
    # "a uuid primary key gets gen_random_uuid()": read as the table's lone primary key column
    # (a uuid inside a composite key is usually a foreign key, which a random default would break)
    generated_uuid: bool = False

    @property
    def server_generated(self) -> bool:
        """The database fills it when an INSERT leaves it out (per the contract)."""
        return self.has_default or self.generated_uuid


@dataclass
class Table:
    name: str
    columns: list[Column]
    indexes: list[dict]
    timestamps: bool

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def primary_key(self) -> list[str]:
        return [c.name for c in self.columns if c.primary_key]

    @property
    def enum_columns(self) -> list[Column]:
        return [c for c in self.columns if c.enum]

    @property
    def fk_columns(self) -> list[Column]:
        return [c for c in self.columns if c.foreign_key]


def table_of(spec: dict) -> Table:
    ct = spec["create_table"]
    columns = []
    for raw in ct["columns"]:
        pk = bool(raw.get("primary_key", False))
        columns.append(
            Column(
                name=raw["name"],
                type=raw["type"],
                nullable=bool(raw.get("nullable", not pk)) and not pk,
                primary_key=pk,
                default=raw.get("default"),
                has_default="default" in raw,
                enum=raw.get("enum"),
                length=raw.get("length", 255 if raw["type"] == "string" else None),
                precision=raw.get("precision"),
                scale=raw.get("scale"),
                unique=bool(raw.get("unique", False)),
                index=bool(raw.get("index", False)),
                foreign_key=raw.get("foreign_key"),
                raw=raw,
            )
        )
    keys = [c for c in columns if c.primary_key]
    if len(keys) == 1 and keys[0].type == "uuid" and not keys[0].has_default:
        keys[0].generated_uuid = True
    if ct.get("timestamps"):
        for name in ("created_at", "updated_at"):
            columns.append(
                Column(name=name, type="datetime", nullable=False, primary_key=False, default="now", has_default=True)
            )
    return Table(ct["name"], columns, ct.get("indexes", []), bool(ct.get("timestamps")))


def slug_of(description: str) -> str:
    """The contract's slug: ASCII (diacritics folded), lower snake_case."""
    folded = unicodedata.normalize("NFKD", description).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def module_values(path: Path) -> dict[str, Any]:
    """Docstring and top-level constant assignments of a migration file."""
    tree = ast.parse(path.read_text())
    values: dict[str, Any] = {"__doc__": ast.get_docstring(tree, clean=False)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return values


def check_constraint_text(table: str, column: Column) -> tuple[str, str]:
    """The two arguments of the seed's exact CHECK form,
    sa.CheckConstraint("status IN ('A','B')", name="chk_<table>_<column>"), as Python source."""
    values = ",".join("'" + v.replace("'", "''") + "'" for v in column.enum or [])
    return f'"{column.name} IN ({values})"', f'name="chk_{table}_{column.name}"'
