"""Every failure path, with the real executable (issue 13 item 4): each bad thing in or around the
versions directory gives a named problem (exit 3, `unreadable_file` and what is wrong) or an I/O
error (exit 4) with a clear message, and nothing partial or temporary is left behind: after each
case the directory listing is exactly what the case itself put there.

Runs as root here: the unreadable-file case runs the tool as `nobody` (vmcli.unprivileged_runner);
the full disk is a small tmpfs mounted for the test (skipped where `mount` is not allowed); the file
that appears between the check and the write is made by a second process woken by inotify the
moment the writer creates its temporary file."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import multiprocessing
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from vmcli import (
    DATE,
    DATE_COMPACT,
    copy_project,
    listing,
    run,
    unprivileged_runner,
    write_spec,
)

pytestmark = pytest.mark.cli

ADD_COLUMN_SPEC = {
    "description": "add projects note",
    "operations": [{"add_columns": {"table": "projects", "columns": [{"name": "note", "type": "text"}]}}],
}
NEW_NAME = f"{DATE_COMPACT}_000018_x_y.py"


def hidden(versions: Path) -> list[str]:
    """Temporary files and lock files: what a command must never leave behind."""
    return sorted(p.name for p in versions.iterdir() if p.name.startswith("."))


def status(versions: Path, **kw):
    result = run(["status", "--json", "--versions-dir", str(versions), "--date", DATE], **kw)
    return result, (json.loads(result.stdout) if result.stdout.strip().startswith("{") else None)


def problems_for(data: dict, name: str) -> list[dict]:
    return [p for p in data["problems"] if name in p["message"]]


def expect_refusals(tmp_path: Path, versions: Path, bad_name: str, words: str) -> None:
    """status names the file's problem (exit 3); new, new --spec and merge write nothing (exit 3)."""
    before = listing(versions)
    result, data = status(versions)
    assert result.code == 3, result
    found = problems_for(data, bad_name)
    assert found and all(p["kind"] == "unreadable_file" for p in found), data["problems"]
    assert re.search(words, found[0]["message"]), found
    spec = write_spec(tmp_path, ADD_COLUMN_SPEC)
    for args in (
        ["new", "x y"],
        ["new", "--spec", str(spec)],
        ["new", "x y", "--dry-run"],
        ["schema"],
    ):
        r = run([*args, "--versions-dir", str(versions), "--date", DATE])
        if args[0] == "schema":
            # schema reads what it can and reports the rest; it never writes.
            assert r.code in (0, 3), r
        else:
            assert r.code == 3, r
            assert "nothing was written" in r.stderr and bad_name in r.stderr, r
        assert listing(versions) == before, args
        assert hidden(versions) == [], args


# -- the files in the directory ----------------------------------------------------------------


def test_binary_junk(tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / "20260301_000018_junk.py").write_bytes(bytes(range(256)) * 40)
    expect_refusals(tmp_path, versions, "20260301_000018_junk.py", "not valid UTF-8")


def test_invalid_utf8_in_a_docstring(tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / "20260301_000018_latin1.py").write_bytes(
        b'"""Pridti s\xe0skait\xf8\n\nRevision ID: 20260301_000018\n"""\nrevision = "20260301_000018"\n'
        b'down_revision = "20260211_000017"\n'
    )
    expect_refusals(tmp_path, versions, "20260301_000018_latin1.py", "not valid UTF-8")


@pytest.mark.parametrize(
    "where, words",
    [
        ("inside down_revision's string", "string that starts on line 15 never ends"),
        ("inside the docstring", "string that starts on line 1 never ends"),
    ],
)
def test_a_truncated_file(tmp_path, where, words):
    versions = copy_project(tmp_path / "proj")
    path = versions / "20260211_000017_create_webhooks_table.py"
    text = path.read_bytes()
    cut = text.index(b'down_revision = "') + 20 if "down_revision" in where else 40
    path.write_bytes(text[:cut])
    expect_refusals(tmp_path, versions, path.name, words)


def test_a_symlink_loop(tmp_path):
    versions = copy_project(tmp_path / "proj")
    os.symlink("20260301_000019_b.py", versions / "20260301_000018_a.py")
    os.symlink("20260301_000018_a.py", versions / "20260301_000019_b.py")
    expect_refusals(tmp_path, versions, "20260301_000018_a.py", "cannot be opened")
    # The links are left as they were.
    assert os.readlink(versions / "20260301_000018_a.py") == "20260301_000019_b.py"


def test_a_directory_named_like_a_migration(tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / "20260301_000018_folder.py").mkdir()
    (versions / "20260301_000018_folder.py" / "inside.txt").write_text("keep")
    expect_refusals(tmp_path, versions, "20260301_000018_folder.py", "cannot be opened")


def test_an_unreadable_file_as_a_normal_user(tmp_path):
    base = Path(tempfile.mkdtemp(prefix="vm-unreadable-"))
    try:
        versions = copy_project(base / "proj")
        user, binary = unprivileged_runner(base, versions)
        secret = versions / "20260301_000018_secret.py"
        shutil.copy(versions / "20260211_000017_create_webhooks_table.py", secret)
        secret.chmod(0o000)
        before = listing(versions)
        result = run(["status", "--json", "--versions-dir", str(versions)], cwd=base, user=user, binary=binary)
        assert result.code == 3, result
        found = problems_for(json.loads(result.stdout), secret.name)
        assert found and found[0]["kind"] == "unreadable_file" and "cannot be opened" in found[0]["message"], result
        dry = run(["new", "x y", "--dry-run", "--versions-dir", str(versions)], cwd=base, user=user, binary=binary)
        assert dry.code == 3 and secret.name in dry.stderr and "nothing was written" in dry.stderr, dry
        assert listing(versions) == before
        assert hidden(versions) == []
    finally:
        for path in [base, *base.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_a_5_mb_migration_is_read_and_written_on(tmp_path):
    """Large is not broken: a 5 MB migration (200,000 op.execute lines) is a normal parent."""
    versions = copy_project(tmp_path / "proj")
    big = versions / "20260301_000018_big_backfill.py"
    body = '    op.execute("UPDATE projects SET name = name")\n' * 110_000
    big.write_text(
        '"""big backfill\n\nRevision ID: 20260301_000018\nRevises: 20260211_000017\nCreate Date: 2026-03-01\n"""\n'
        'from alembic import op\n\nrevision = "20260301_000018"\ndown_revision = "20260211_000017"\n\n\n'
        f"def upgrade() -> None:\n{body}\n\ndef downgrade() -> None:\n    pass\n"
    )
    assert big.stat().st_size > 5_000_000
    result, data = status(versions)
    assert result.code == 0 and data["heads"] == ["20260301_000018"], result
    spec = write_spec(tmp_path, ADD_COLUMN_SPEC)
    written = run(["new", "--spec", str(spec), "--versions-dir", str(versions), "--date", DATE], timeout=180)
    assert written.code == 0, written
    new_file = versions / f"{DATE_COMPACT}_000019_add_projects_note.py"
    assert 'down_revision = "20260301_000018"' in new_file.read_text()
    assert hidden(versions) == []


# -- the directory itself ----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["new", "x y"], ["merge"], ["schema"]])
def test_a_missing_versions_directory(tmp_path, command):
    missing = tmp_path / "backend" / "app" / "migrations" / "versions"
    result = run([*command, "--versions-dir", str(missing), "--date", DATE], cwd=tmp_path)
    assert result.code == 4, result
    assert str(missing) in result.stderr and "--versions-dir" in result.stderr, result
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_a_versions_path_that_is_a_file(tmp_path):
    path = tmp_path / "versions"
    path.write_text("not a directory")
    result = run(["new", "x y", "--versions-dir", str(path), "--date", DATE])
    assert result.code == 4 and "not a directory" in result.stderr, result
    assert path.read_text() == "not a directory" and sorted(os.listdir(tmp_path)) == ["versions"]


def test_no_versions_directory_found(tmp_path):
    result = run(["new", "x y", "--date", DATE], cwd=tmp_path)
    assert result.code == 4, result
    assert "no versions directory found" in result.stderr and "--versions-dir" in result.stderr, result
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["new", "x y"], ["merge"], ["rebase", "20260211_000017"]])
def test_an_unwritable_versions_directory(command):
    base = Path(tempfile.mkdtemp(prefix="vm-ro-"))
    try:
        versions = copy_project(base / "proj")
        user, binary = unprivileged_runner(base, versions)
        before = listing(versions)
        result = run([*command, "--versions-dir", str(versions), "--date", DATE], cwd=base, user=user, binary=binary)
        assert result.code == 4, result
        assert f"cannot write in the versions directory {versions}" in result.stderr, result
        assert "Permission denied" in result.stderr and "nothing was written" in result.stderr, result
        assert listing(versions) == before
        assert hidden(versions) == []
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# -- a full disk -------------------------------------------------------------------------------


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 4 MB tmpfs at tmp_path/disk: what worked here (root, `mount -t tmpfs`). Skipped elsewhere."""
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,nr_inodes=400", "tmpfs", str(mountpoint)],
        check=False,
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def fill(directory: Path) -> None:
    """Takes every free block on the file system with a file outside the versions directory."""
    fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    os.sync()


def test_a_full_disk(tmp_path, small_tmpfs):
    versions = copy_project(small_tmpfs / "proj")
    fill(small_tmpfs)
    before = listing(versions)
    spec = write_spec(tmp_path, {**ADD_COLUMN_SPEC, "details": "a long explanation " * 2000})
    result = run(["new", "--spec", str(spec), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 4, result
    name = f"{versions}/{DATE_COMPACT}_000018_add_projects_note.py"
    assert f"error: cannot write {name}: No space left on device; nothing was written" in result.stderr, result
    assert listing(versions) == before
    assert hidden(versions) == []
    # Room again: the same command succeeds.
    (small_tmpfs / "filler").unlink()
    again = run(["new", "--spec", str(spec), "--versions-dir", str(versions), "--date", DATE])
    assert again.code == 0, again


# -- a file appears at the target name between the check and the write ---------------------------

IN_CREATE = 0x100
TEMP_NAME = re.compile(r"^\.(?P<final>.+\.py)\.\d+\.tmp$")


def _squatter(directory: str, ready, done) -> None:
    """A second process: when the writer creates its hidden temporary file, creates the final name first."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fd = libc.inotify_init1(0)
    assert fd >= 0 and libc.inotify_add_watch(fd, directory.encode(), IN_CREATE) >= 0
    ready.set()
    while True:
        data = os.read(fd, 65536)
        offset = 0
        while offset < len(data):
            _wd, _mask, _cookie, length = struct.unpack_from("iIII", data, offset)
            name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode()
            offset += 16 + length
            match = TEMP_NAME.match(name)
            if match:
                try:
                    out = os.open(os.path.join(directory, match["final"]), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                    os.write(out, b"# the squatter's file\n")
                    os.close(out)
                    done.put(match["final"])
                except FileExistsError:
                    done.put(None)
                return


@pytest.mark.parametrize("command", ["new", "rebase"])
def test_a_file_that_appears_between_the_check_and_the_write(tmp_path, command):
    """The writer checks that the name is free, writes a temporary file and hard-links it: the
    link(2) refuses the name the second process took in between, so its file survives, exit 4,
    and the temporary file is gone. The new file is large (2 MB details, or a 2 MB migration to
    rebase) so that writing it takes longer than the second process needs to wake."""
    versions = copy_project(tmp_path / "proj")
    if command == "new":
        spec = write_spec(tmp_path, {"description": "x y", "details": "z" * 2_000_000})
        args = ["new", "--spec", str(spec)]
    else:
        target = versions / "20260301_000018_large.py"
        target.write_text(
            '"""large\n\nRevision ID: 20260301_000018\nRevises: 20260115_000016\nCreate Date: 2026-03-01\n"""\n'
            'revision = "20260301_000018"\ndown_revision = "20260115_000016"\n\n\n'
            "def upgrade() -> None:\n" + "    pass  # padding padding padding padding\n" * 50_000
        )
        args = ["rebase", target.name]
    before = listing(versions)
    ctx = multiprocessing.get_context("fork")
    ready, done = ctx.Event(), ctx.Queue()
    squatter = ctx.Process(target=_squatter, args=(str(versions), ready, done))
    squatter.start()
    assert ready.wait(10)
    result = run([*args, "--versions-dir", str(versions), "--date", DATE])
    taken = done.get(timeout=30)
    squatter.join(10)
    assert taken, f"the second process lost the race (the writer linked first): {result}"
    assert result.code == 4, result
    assert f"{taken} exists already; nothing was written" in result.stderr, result
    assert (versions / taken).read_bytes() == b"# the squatter's file\n"
    after = listing(versions)
    del after[taken]
    assert after == before, "something besides the second process's file changed"
    assert hidden(versions) == []
