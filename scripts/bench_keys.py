#!/usr/bin/env python3
"""The keystroke benchmark (issue 12): how many keys the wizard takes, from a cold start to the written file.

Each task drives the real `vejamigrate-tui` under tmux (a private server, its own `-L` socket, see
Tests/e2e/tuiharness.py) on a fresh copy of the example project, counts every key it sends (a
typed character is one key, `Enter` is one, `M-a` is one), and stops counting once the migration
is written. The run only counts when the file written is byte-equal to what `vejamigrate new --spec`
writes for the task's expected spec on another fresh copy, so every figure is for a correct result.

    python3 scripts/bench_keys.py --tui .build/release/vejamigrate-tui --cli .build/release/vejamigrate
    python3 scripts/bench_keys.py --paths form,line --tasks invoices

The scripts are what an expert who knows the keys types (docs/wizard.md, "Keys"); the waits
between keys are for the screen to show what the script reads next and are not keys. The figures go to
stdout as a table and to `.tmp/bench/keys.json` (docs/performance.md, "Keystroke benchmark").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Tests" / "e2e"))
from tuiharness import TuiSession, copy_project  # noqa: E402

DATE = "2026-11-25"
VERSIONS = Path("backend/app/migrations/versions")

INVOICES = {
    "description": "add invoices table",
    "create_table": {
        "name": "invoices",
        "timestamps": True,
        "columns": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "project_id", "type": "uuid", "nullable": False,
             "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"}},
            {"name": "status", "type": "string", "length": 32, "nullable": False,
             "enum": ["DRAFT", "SENT", "PAID", "VOID"], "default": "DRAFT"},
            {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
            {"name": "number", "type": "string", "length": 64, "unique": True},
            {"name": "issued_at", "type": "datetime", "index": True},
        ],
    },
}

PAYMENTS = {
    "description": "add payments table",
    "create_table": {
        "name": "payments",
        "timestamps": True,
        "columns": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "invoice_id", "type": "uuid", "nullable": False,
             "foreign_key": {"table": "invoices", "column": "id", "ondelete": "CASCADE"}},
            {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
            {"name": "paid_at", "type": "datetime"},
        ],
    },
}

ARCHIVED_AT = {
    "description": "add archived_at to projects",
    "add_columns": {"table": "projects", "columns": [{"name": "archived_at", "type": "datetime"}]},
}


# A script is a list of steps: a str is typed literally (one key a character); K(...) sends tmux
# key names (one key each); W(text) waits until the screen shows text (no key).
@dataclass
class K:
    keys: tuple[str, ...]

    def __init__(self, *keys: str):
        self.keys = keys


@dataclass
class W:
    text: str


def wait_written(text: str = "✓ Migration written") -> W:
    return W(text)


# Today's wizard (before issue 12), the fastest path known with its keys: Alt-n/u/i for the flags,
# Esc to close an editor, Alt-6 to the foreign keys step, F10 to Review.
TODAY = {
    "invoices": [
        "add invoices table", K("Enter", "Enter"), W("2. Operation"), K("Enter"), W("3. Table"),
        "invoices", K("Enter", "Enter", "Enter"), W("4. Columns"),
        K("Enter"), W("› column 2"), "project_id", K("Enter"), "u", K("M-n", "Escape"), W("project_id  uuid"),
        "a", W("› column 3"), "status", K("Enter", "Enter"), "32", K("M-n"),
        K("Enter", "Enter", "Enter", "Enter", "Enter"), "DRAFT,SENT,PAID,VOID", K("Enter"), "DRAFT", K("Escape"),
        W("status  string(32)"),
        "a", W("› column 4"), "amount", K("Enter"), "n", K("Enter", "Enter"), "12", K("Enter"), "2", K("M-n", "Escape"),
        W("amount  numeric(12,2)"),
        "a", W("› column 5"), "number", K("Enter", "Enter"), "64", K("M-u", "Escape"), W("number  string(64)"),
        "a", W("› column 6"), "issued_at", K("Enter"), "d", K("M-i", "Escape"), W("issued_at  datetime"),
        K("M-6"), W("6. Foreign keys"), K("Enter"), W("references:"), K("Enter", "Enter", "Right", "Enter"),
        W("→ projects.id CASCADE"),
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
    "payments": [
        "add payments table", K("Enter", "Enter"), W("2. Operation"), K("Enter"), W("3. Table"),
        "payments", K("Enter", "Enter", "Enter"), W("4. Columns"),
        K("Enter"), W("› column 2"), "invoice_id", K("Enter"), "u", K("M-n", "Escape"), W("invoice_id  uuid"),
        "a", W("› column 3"), "amount", K("Enter"), "n", K("Enter", "Enter"), "12", K("Enter"), "2", K("M-n", "Escape"),
        W("amount  numeric(12,2)"),
        "a", W("› column 4"), "paid_at", K("Enter"), "d", K("Escape"), W("paid_at  datetime"),
        K("M-6"), W("6. Foreign keys"), K("Enter"), W("references:"), K("Enter", "Enter", "Right", "Enter"),
        W("→ invoices.id CASCADE"),
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
    "add_column": [
        "add archived_at to projects", K("Enter", "Enter"), W("2. Operation"), K("Right"), W("‹ Add columns ›"),
        K("Enter"), W("3. Table"), "proj", W("project_members"), K("Tab"), W("Tables: project_members, projects"),
        "s", K("Enter"), W("4. Columns"), K("Enter"), W("› column 1"), "archived_at", K("Enter"), "d", W("‹ datetime ›"),
        K("Escape"), W("archived_at  datetime"),
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
}

# With issue 12: an empty description is the one the operation says ("add invoices table"), so Alt-3
# and the table's name replace it; Alt-4 jumps to the columns; names suggest the rest (project_id: uuid NOT NULL → projects.id CASCADE;
# status: string(32) NOT NULL with its values asked next, the first the default), Alt-a starts the
# next column, F10 reviews and writes.
FORM = {
    "invoices": [
        K("M-3"), W("3. Table"), "invoices", K("M-4"), W("4. Columns"), K("Enter"), W("› column 2"),
        "project_id", W("projects.id CASCADE"), K("M-a"), W("› column 3"),
        "status", K("Enter"), "DRAFT,SENT,PAID,VOID", K("M-a"), W("› column 4"),
        "amount", K("M-n", "M-a"), W("› column 5"),
        "number", K("Enter", "Enter"), "64", K("M-u", "M-a"), W("› column 6"),
        "issued_at", K("M-i"),
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
    "payments": [
        K("M-3"), W("3. Table"), "payments", K("M-4"), W("4. Columns"), K("Enter"), W("› column 2"),
        "invoice_id", W("invoices.id CASCADE"), K("M-a"), W("› column 3"),
        "amount", K("M-n", "M-a"), W("› column 4"),
        "paid_at",
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
    "add_column": [
        "add archived_at to projects", K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
}

# The one-line syntax in the columns list (docs/column-line.md): a column a line, Enter adds it; the
# line being typed is in the preview already, so the last one needs no Enter before F10.
LINE = {
    "invoices": [
        K("M-3"), W("3. Table"), "invoices", K("M-4"), W("4. Columns"),
        "pro", K("Tab"), W("Reads as: project_id"), K("Enter"),  # Tab completes the history's column names
        "sta", K("Tab"), W("Reads as: status"), K("Enter"), W("Values of status"), "DRAFT,SENT,PAID,VOID", K("Enter"),
        "amount!", K("Enter"), "number:str(64):u", K("Enter"), "issued_at:i",
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
    "payments": [
        K("M-3"), W("3. Table"), "payments", K("M-4"), W("4. Columns"),
        "invoice_id", K("Enter"), "amount!", K("Enter"), "paid_at",
        K("F10"), W("No problems: ready to write."), K("Enter"), wait_written(),
    ],
}

# "today" is kept to measure a build from before issue 12 (--paths today --tui OLD_BINARY).
PATHS = {"form": FORM, "line": LINE, "today": TODAY}
DEFAULT_PATHS = "form,line"


@dataclass
class Task:
    name: str
    spec: dict
    # Specs written by `vejamigrate new --spec` before the task (payments needs the invoices table).
    before: list[dict] = field(default_factory=list)


TASKS = [
    Task("invoices", INVOICES),
    Task("payments", PAYMENTS, before=[INVOICES]),
    Task("add_column", ARCHIVED_AT),
]


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, timeout=60)


def make_project(root: Path, cli: Path, before: list[dict], date_of_before: str = "2026-11-24") -> Path:
    """A copy of the example project with the `before` specs written, as the task starts from."""
    copy_project(root)
    for k, spec in enumerate(before):
        path = root / f"before-{k}.json"
        path.write_text(json.dumps(spec))
        done = run([str(cli), "new", "--spec", str(path), "--date", date_of_before], root)
        if done.returncode != 0:
            raise SystemExit(f"setup: vejamigrate new --spec failed: {done.stderr}")
        path.unlink()
    return root / VERSIONS


def expected_file(root: Path, cli: Path, task: Task) -> tuple[str, bytes]:
    versions = make_project(root, cli, task.before)
    spec_path = root / "expected.json"
    spec_path.write_text(json.dumps(task.spec))
    done = run([str(cli), "new", "--spec", str(spec_path), "--date", DATE, "--json"], root)
    if done.returncode != 0:
        raise SystemExit(f"{task.name}: vejamigrate new --spec refused the expected spec: {done.stderr}")
    path = Path(json.loads(done.stdout)["path"])
    path = path if path.is_absolute() else root / path
    return path.name, (versions / path.name).read_bytes()


def drive(tui: Path, root: Path, script: list, state: Path) -> tuple[int, int, str]:
    """Runs the script in a fresh wizard; returns (keys, of them typed characters, last screen)."""
    keys = typed = 0
    with TuiSession(state, 100, 30) as s:
        s.start([str(tui), "--date", DATE], cwd=root)
        s.wait_until(lambda screen: "1. Description" in screen, what="the first screen")
        for step in script:
            if isinstance(step, W):
                s.wait_until(lambda screen, t=step.text: t in screen, timeout=15, what=repr(step.text))
            elif isinstance(step, K):
                for key in step.keys:
                    s.send_keys(key)
                    keys += 1
                    # Esc followed at once by a letter is Alt and the letter: let it be read alone.
                    time.sleep(0.15 if key == "Escape" else 0.01)
            else:
                s.send_text(step)
                keys += len(step)
                typed += len(step)
                time.sleep(0.01)
        return keys, typed, s.screen()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tui", default=str(REPO / ".build" / "release" / "vejamigrate-tui"))
    parser.add_argument("--cli", default=str(REPO / ".build" / "release" / "vejamigrate"))
    parser.add_argument("--paths", default=DEFAULT_PATHS, help="which scripts: " + ", ".join(PATHS))
    parser.add_argument("--tasks", default=",".join(t.name for t in TASKS))
    parser.add_argument("--out", default=str(REPO / ".tmp" / "bench" / "keys.json"))
    args = parser.parse_args()
    tui, cli = Path(args.tui).resolve(), Path(args.cli).resolve()
    for binary in (tui, cli):
        if not binary.exists():
            raise SystemExit(f"{binary} is missing: build it first (make release)")
    wanted = set(args.tasks.split(","))
    results = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as tmp:
        work = Path(tmp)
        for path_name in args.paths.split(","):
            scripts = PATHS[path_name]
            for task in TASKS:
                if task.name not in wanted or task.name not in scripts:
                    continue
                base = work / f"{path_name}-{task.name}"
                name, want = expected_file(base / "expected", cli, task)
                root = base / "wizard"
                versions = make_project(root, cli, task.before)
                started = time.monotonic()
                try:
                    keys, typed, screen = drive(tui, root, scripts[task.name], base / "tmux")
                except AssertionError as error:
                    keys, typed, screen = -1, -1, str(error)
                seconds = time.monotonic() - started
                written = versions / name
                ok = written.exists() and written.read_bytes() == want
                if not ok:
                    failed = True
                    got = sorted(p.name for p in versions.iterdir())
                    print(f"{path_name}/{task.name}: the file written is not the expected spec's ({name}); "
                          f"versions: {got[-3:]}\nlast screen:\n{screen}", file=sys.stderr)
                results.append({"path": path_name, "task": task.name, "keys": keys, "typed": typed,
                                "other": keys - typed, "ok": ok, "seconds": round(seconds, 1)})
    print(f"{'task':<12} {'path':<6} {'keys':>5} {'typed':>6} {'other':>6}  correct")
    for r in results:
        print(f"{r['task']:<12} {r['path']:<6} {r['keys']:>5} {r['typed']:>6} {r['other']:>6}  {'yes' if r['ok'] else 'NO'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
