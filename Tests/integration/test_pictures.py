"""Pictures (issue 11, item 5): `schema --format mermaid` read by a reader written from Mermaid's
grammar (mermaid_er.py), `schema --format dot` rendered by Graphviz, and `status --graph` drawn
as text, compared line by line.

The diagrams are checked on every realistic history (Tests/integration/histories and the
example project) against what `schema --json` says: every table, column and foreign key is
there, keys are marked, and each relationship's cardinalities follow from the columns.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mermaid_er import MermaidError, parse
from vmcli import EXAMPLE_VERSIONS, REPO, run

HISTORIES_DIR = REPO / "Tests" / "integration" / "histories"
ALL = {p.name: p for p in sorted(HISTORIES_DIR.iterdir()) if p.is_dir()} | {"examples/vejapro": EXAMPLE_VERSIONS}


def schema_json(versions: Path) -> dict:
    result = run(["schema", "--json", "--versions-dir", str(versions)])
    assert result.code == 0, str(result)
    return json.loads(result.stdout)


def unique_sets(table: dict) -> list[set[str]]:
    sets = [set(table["primary_key"])] if table["primary_key"] else []
    sets += [set(u["columns"]) for u in table["unique"]]
    sets += [set(i["columns"]) for i in table["indexes"] if i["unique"]]
    return sets


def columns(table: dict) -> list[str]:
    return sorted(table["columns"], key=lambda c: table["columns"][c]["position"])


def expected_marks(table: dict) -> dict[str, list[str]]:
    marks: dict[str, list[str]] = {}
    for c in columns(table):
        m = []
        if c in table["primary_key"]:
            m.append("PK")
        if any(c in fk["columns"] for fk in table["foreign_keys"]):
            m.append("FK")
        singles = [u["columns"] for u in table["unique"]] + [i["columns"] for i in table["indexes"] if i["unique"] and i["where"] is None]
        if [c] in singles:
            m.append("UK")
        marks[c] = m
    return marks


@pytest.mark.parametrize("history", sorted(ALL))
def test_mermaid_parses_and_holds_every_table_column_and_key(history):
    versions = ALL[history]
    schema = schema_json(versions)
    result = run(["schema", "--format", "mermaid", "--versions-dir", str(versions)])
    assert result.code == 0, str(result)
    diagram = parse(result.stdout)
    tables = schema["tables"]
    referenced = {fk["references"]["table"] for t in tables.values() for fk in t["foreign_keys"]}
    assert set(diagram.entities) == set(tables) | referenced
    for name, table in tables.items():
        attributes = diagram.entities[name]
        # Column names as written, or rewritten with the real one in the comment.
        names = [a.comment.rsplit("; column ", 1)[1] if a.comment and "; column " in a.comment else a.name for a in attributes]
        assert names == columns(table), name
        marks = expected_marks(table)
        for a, column in zip(attributes, columns(table)):
            assert a.keys == marks[column], (name, column)
            spec = table["columns"][column]
            assert a.comment.split("; column ")[0].endswith("NOT NULL") == (not spec["nullable"]), (name, column)
    expected = []
    for name, table in tables.items():
        for fk in table["foreign_keys"]:
            optional = any(tables[name]["columns"][c]["nullable"] for c in fk["columns"])
            unique = set(fk["columns"]) in unique_sets(table)
            identifying = bool(table["primary_key"]) and set(fk["columns"]) <= set(table["primary_key"])
            expected.append((fk["references"]["table"], "ZERO_OR_ONE" if optional else "ONLY_ONE",
                             "IDENTIFYING" if identifying else "NON_IDENTIFYING",
                             "ZERO_OR_ONE" if unique else "ZERO_OR_MORE", name, ", ".join(fk["columns"])))
    got = [(r.left, r.left_card, r.identification, r.right_card, r.right, r.role) for r in diagram.relationships]
    assert sorted(got) == sorted(expected)
    assert expected or history == "guards_and_dialects" or not any(t["foreign_keys"] for t in tables.values())


AWKWARD = '''"""awkward names

Revision ID: 20260101_000001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20260101_000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("FK", sa.Numeric(12, 2), nullable=True),
        sa.PrimaryKeyConstraint("pk"),
    )
    op.create_table(
        "one_time_codes",
        sa.Column("token_pk", sa.Integer(), nullable=False),
        sa.Column("2fa", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("token_pk"),
        sa.ForeignKeyConstraint(["token_pk"], ["tokens.pk"]),
    )
    op.create_table(
        "end",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_pk", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["token_pk"], ["tokens.pk"]),
    )
    op.create_table("classes", sa.Column("id", sa.Integer(), nullable=False))
    op.create_table("route Direction  lr", sa.Column("id", sa.Integer(), nullable=False))
    op.create_table("users", sa.Column("id", sa.Integer(), nullable=False))


def downgrade() -> None:
    pass
'''


def awkward_history(tmp_path: Path) -> Path:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "20260101_000001_awkward_names.py").write_text(AWKWARD)
    return versions


def test_mermaid_quotes_names_the_lexer_would_cut_and_rewrites_key_words(tmp_path):
    result = run(["schema", "--format", "mermaid", "--versions-dir", str(awkward_history(tmp_path))])
    assert result.code == 0, str(result)
    text = result.stdout
    for quoted in ('"tokens" {', '"one_time_codes" {', '"end" {', '"classes" {'):
        assert quoted in text, text
    assert "\n    users {\n" in text  # plain names stay bare
    assert 'integer pk_ PK "integer NOT NULL; column pk"' in text
    assert 'numeric(12_2) FK_ "numeric(12,2); column FK"' in text
    assert 'character_varying(6) _2fa "character varying(6) NOT NULL; column 2fa"' in text
    # one_time_codes.token_pk is its primary key: one to one, identifying; end.token_pk is nullable.
    assert '"tokens" ||--o| "one_time_codes" : "token_pk"' in text
    assert '"tokens" |o..o{ "end" : "token_pk"' in text
    # Outside a block, `direction` + spaces + LR anywhere on a line is a direction statement, even in quotes.
    assert '"route Direction_lr" {' in text
    diagram = parse(text)
    assert set(diagram.entities) == {"tokens", "one_time_codes", "end", "classes", "users", "route Direction_lr"}


@pytest.mark.parametrize(
    "text",
    [
        "erDiagram\n    tokens {\n        integer id\n    }\n",  # `to` + `kens`
        "erDiagram\n    end\n",
        "erDiagram\n    t {\n        integer pk\n    }\n",  # pk reads as a key
        "erDiagram\n    t {\n        numeric(12,2) amount\n    }\n",
        "erDiagram\n    a ||--o{ b\n",  # no role
        'erDiagram\n    "route direction lr"\n    users\n',
        'erDiagram\n    t {\n        text a "x~y~z"\n    }\n',
    ],
)
def test_the_mermaid_reader_refuses_what_mermaid_would_misread(text):
    with pytest.raises(MermaidError):
        parse(text)


DOT = shutil.which("dot")


@pytest.mark.skipif(DOT is None, reason="graphviz is not installed (make deps installs it)")
@pytest.mark.parametrize("history", sorted(ALL) + ["awkward"])
def test_dot_renders_with_graphviz(history, tmp_path):
    versions = awkward_history(tmp_path) if history == "awkward" else ALL[history]
    result = run(["schema", "--format", "dot", "--versions-dir", str(versions)])
    assert result.code == 0, str(result)
    svg = subprocess.run([DOT, "-Tsvg"], input=result.stdout, capture_output=True, text=True, check=False)
    assert svg.returncode == 0 and svg.stderr == "", svg.stderr
    assert svg.stdout.lstrip().startswith("<?xml") and "</svg>" in svg.stdout
    tables = schema_json(versions)["tables"]
    # Graphviz writes a run of spaces in a name as a space and no-break spaces.
    titles = {html.unescape(t).replace("\u00a0", " ") for t in re.findall(r"<title>(.*?)</title>", svg.stdout)}
    for name in tables:
        assert name in titles, name
    edges = sum(len(t["foreign_keys"]) for t in tables.values())
    assert svg.stdout.count('class="edge"') == edges


def test_schema_format_of_one_table_and_refusals():
    one = run(["schema", "projects", "--format", "mermaid", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert one.code == 0, str(one)
    diagram = parse(one.stdout)
    assert all(r.left == "projects" or r.right == "projects" for r in diagram.relationships)
    assert [n for n, a in diagram.entities.items() if a] == ["projects"]
    both = run(["schema", "--json", "--format", "dot", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert both.code == 2 and both.stdout == "" and "--json" in both.stderr
    bad = run(["schema", "--format", "png", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert bad.code == 2 and bad.stdout == ""
    same = run(["schema", "--format", "json", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert same.stdout == run(["schema", "--json", "--versions-dir", str(EXAMPLE_VERSIONS)]).stdout


def migration(revision: str, parents: list[str], slug: str) -> tuple[str, str]:
    down = "None" if not parents else repr(parents[0]) if len(parents) == 1 else repr(tuple(parents))
    text = (
        f'"""{slug.replace("_", " ")}\n\nRevision ID: {revision}\nRevises: {", ".join(parents)}\nCreate Date: 2026-11-01\n"""\n\n'
        f"from __future__ import annotations\n\nrevision = {revision!r}\ndown_revision = {down}\n"
        "branch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    return f"{revision}_{slug}.py", text.replace("'", '"')


def write_history(tmp_path: Path, spec: list[tuple[str, list[str], str]]) -> Path:
    versions = tmp_path / "versions"
    versions.mkdir()
    for revision, parents, slug in spec:
        name, text = migration(revision, parents, slug)
        (versions / name).write_text(text)
    return versions


# A merge of two branches, then two heads on top of it, and a branch from the root that was never merged.
MERGE_AND_TWO_HEADS = [
    ("20261101_000001", [], "create_projects"),
    ("20261102_000002", ["20261101_000001"], "add_users"),
    ("20261103_000003", ["20261101_000001"], "add_prices"),
    ("20261104_000004", ["20261102_000002", "20261103_000003"], "merge_heads"),
    ("20261105_000005", ["20261104_000004"], "add_notes"),
    ("20261106_000006", ["20261104_000004"], "add_tags"),
]

GOLDEN_MERGE_AND_TWO_HEADS = """\
* 20261106_000006  20261106_000006_add_tags.py (head)
| * 20261105_000005  20261105_000005_add_notes.py (head)
|/
*   20261104_000004  20261104_000004_merge_heads.py (merge)
|\\
| * 20261103_000003  20261103_000003_add_prices.py
* | 20261102_000002  20261102_000002_add_users.py
|/
* 20261101_000001  20261101_000001_create_projects.py
problems: 1 (vejamigrate status lists them)
"""


def test_status_graph_draws_a_merge_and_two_heads(tmp_path):
    versions = write_history(tmp_path, MERGE_AND_TWO_HEADS)
    result = run(["status", "--graph", "--versions-dir", str(versions)])
    assert result.code == 3, str(result)  # two heads is a problem, as for `status`
    assert result.stdout == GOLDEN_MERGE_AND_TWO_HEADS, "\n" + result.stdout
    assert result.stderr == ""


# Three branches from one root, one of them merged into another across the third's lane.
CROSSING = [
    ("20261101_000001", [], "root"),
    ("20261102_000002", ["20261101_000001"], "left"),
    ("20261103_000003", ["20261101_000001"], "middle"),
    ("20261104_000004", ["20261101_000001"], "right"),
    ("20261105_000005", ["20261104_000004", "20261102_000002"], "join_right_and_left"),
]

GOLDEN_CROSSING = """\
*   20261105_000005  20261105_000005_join_right_and_left.py (head) (merge)
|\\
* | 20261104_000004  20261104_000004_right.py
| | * 20261103_000003  20261103_000003_middle.py (head)
| * | 20261102_000002  20261102_000002_left.py
| |/
|/
* 20261101_000001  20261101_000001_root.py
"""


def test_status_graph_joins_lanes_across_others(tmp_path):
    versions = write_history(tmp_path, CROSSING)
    result = run(["status", "--graph", "--versions-dir", str(versions)])
    assert result.code == 3, str(result)
    assert result.stdout.split("problems:")[0] == GOLDEN_CROSSING, "\n" + result.stdout


def test_status_graph_of_a_linear_history_and_its_refusals():
    result = run(["status", "--graph", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert result.code == 0, str(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 17 and all(line.startswith("* 2026") or line.startswith("* 2025") for line in lines)
    assert lines[0].endswith("(head)") and not any("(head)" in line for line in lines[1:])
    assert "\x1b[" not in result.stdout  # not a terminal
    both = run(["status", "--graph", "--json", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert both.code == 2 and both.stdout == ""
