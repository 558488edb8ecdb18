"""Concurrent writers (issue 13): `vejamigrate new` started by several processes at the same moment
in one versions directory gives one linear chain, because every command that reads the history
and then writes holds the versions directory's lock (docs/concurrency.md) from the read to the write.

Real processes: each child waits on a barrier, then execs the binary, so all eight start together."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

import pytest
from vmcli import DATE, EXAMPLE_COUNT, EXAMPLE_HEAD, cli_binary, copy_project, run

pytestmark = pytest.mark.cli

WRITERS = 8
ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "3"))
LOCK_NAME = ".vejamigrate.lock"


def _writer(barrier, argv: list[str], cwd: str, queue) -> None:
    barrier.wait()
    proc = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"}
    )
    queue.put((proc.returncode, proc.stdout, proc.stderr))


def _start_together(argvs: list[list[str]], cwd: Path) -> list[tuple[int, str, str]]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(argvs))
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(barrier, argv, str(cwd), queue)) for argv in argvs]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    return results


def _chain(versions: Path) -> dict:
    """`status --json`: exit 3 when there are several heads, which is a state, not a failure here."""
    status = run(["status", "--json", "--versions-dir", str(versions)])
    assert status.code in (0, 3), status
    return json.loads(status.stdout)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_eight_new_at_once_make_one_linear_chain(tmp_path: Path, round_: int):
    versions = copy_project(tmp_path / "proj")
    argvs = [
        [str(cli_binary()), "new", f"writer {i} change", "--versions-dir", str(versions), "--date", DATE]
        for i in range(WRITERS)
    ]
    results = _start_together(argvs, tmp_path)
    assert all(code == 0 for code, _, _ in results), results
    written = sorted(p.name for p in versions.glob(f"{DATE.replace('-', '')}_*.py"))
    assert len(written) == WRITERS, written
    # Eight sequence numbers, one after the other after the example's 17.
    assert [int(name[9:15]) for name in written] == list(range(EXAMPLE_COUNT + 1, EXAMPLE_COUNT + 1 + WRITERS))
    state = _chain(versions)
    assert len(state["heads"]) == 1, state
    assert state["problems"] == [], state
    # Linear: each new file revises the one before it, the first revises the example's head.
    parent = EXAMPLE_HEAD
    for name in written:
        text = (versions / name).read_text()
        assert f'down_revision = "{parent}"' in text, (name, text)
        parent = name[:15]
    # Nothing else left behind: no temporary file, no lock file.
    leftovers = sorted(p.name for p in versions.iterdir() if p.name.startswith("."))
    assert leftovers == [], leftovers


def test_merge_and_new_at_once_stay_one_chain(tmp_path: Path):
    """A merge and writers together: the merge joins the heads it read, the writers each revise one head."""
    versions = copy_project(tmp_path / "proj")
    # Two heads: a branch off the example's head.
    first = run(["new", "branch a", "--versions-dir", str(versions), "--date", DATE])
    assert first.code == 0, first
    # The same parent again, by hand: a second head.
    a = next(versions.glob("*_000018_branch_a.py"))
    (versions / a.name.replace("000018_branch_a", "000019_branch_b")).write_text(
        a.read_text().replace("20261125_000018", "20261125_000019")
    )
    assert len(_chain(versions)["heads"]) == 2
    argvs = [[str(cli_binary()), "merge", "--versions-dir", str(versions), "--date", DATE]]
    argvs += [
        [str(cli_binary()), "new", f"after {i}", "--versions-dir", str(versions), "--date", DATE] for i in range(3)
    ]
    results = _start_together(argvs, tmp_path)
    # `new` with two heads refuses (exit 3) unless the merge came first; either way no two files share a number.
    codes = sorted(code for code, _, _ in results)
    assert all(code in (0, 3) for code in codes), results
    names = sorted(p.name for p in versions.glob("*.py"))
    sequences = [int(n[9:15]) for n in names if n[:8].isdigit()]
    assert len(sequences) == len(set(sequences)), names
    state = _chain(versions)
    assert [p for p in state["problems"] if p["kind"] != "multiple_heads"] == [], state
    assert not [p.name for p in versions.iterdir() if p.name.startswith(".")]


def test_a_held_lock_times_out_with_exit_4(tmp_path: Path):
    """Another process holds the lock (here: Python's flock on the same file): the command waits
    --lock-timeout seconds, then stops with exit 4, naming the lock file, and writes nothing."""
    versions = copy_project(tmp_path / "proj")
    before = sorted(p.name for p in versions.iterdir())
    lock_path = versions / LOCK_NAME
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        result = run(["new", "waits", "--versions-dir", str(versions), "--date", DATE, "--lock-timeout", "1"])
        waited = time.monotonic() - started
    assert result.code == 4, result
    assert LOCK_NAME in result.stderr and "another command is writing" in result.stderr, result
    assert "--lock-timeout" in result.stderr, result
    assert waited >= 1.0, waited
    lock_path.unlink()
    assert sorted(p.name for p in versions.iterdir()) == before


def test_a_lock_file_left_by_a_killed_process_does_not_block(tmp_path: Path):
    """flock is released by the kernel when its holder dies: a lock file left behind (kill -9 while
    holding it) is only a name; the next command takes the lock at once and removes the file."""
    versions = copy_project(tmp_path / "proj")
    holder = subprocess.Popen(
        [
            "python3",
            "-c",
            f"import fcntl,time; f=open({str(versions / LOCK_NAME)!r},'w'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    assert (versions / LOCK_NAME).exists()
    result = run(["new", "after a crash", "--versions-dir", str(versions), "--date", DATE, "--lock-timeout", "1"])
    assert result.code == 0, result
    assert not (versions / LOCK_NAME).exists()
    # Readers never take the lock file for a migration.
    state = _chain(versions)
    assert state["problems"] == [] and len(state["heads"]) == 1


def test_readers_ignore_the_lock_file(tmp_path: Path):
    versions = copy_project(tmp_path / "proj")
    (versions / LOCK_NAME).write_text("")
    status = run(["status", "--versions-dir", str(versions)])
    assert status.code == 0, status
    assert LOCK_NAME not in status.stdout + status.stderr
