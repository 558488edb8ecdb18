"""The history cache through the built CLI: `schema` read from the cache prints exactly what a read
without it prints (test_histories.py compares that read with the database), on every realistic
history, and a change to a file is seen at once."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from vmcli import EXAMPLE_VERSIONS, REPO, run

pytestmark = pytest.mark.cli

HISTORIES = {h.name: h for h in sorted((REPO / "Tests" / "integration" / "histories").iterdir())} | {"example": EXAMPLE_VERSIONS}
# Files changed less than this long ago are not stored (SourceCache.settledAge, 3 s).
SETTLE = 3.2


def schema(versions: Path, cache: Path, *extra: str, cached: bool = True) -> str:
    env_before = dict(os.environ)
    try:
        if cached:
            os.environ["VEJAMIGRATE_CACHE_DIR"] = str(cache)
            os.environ.pop("VEJAMIGRATE_NO_CACHE", None)
        else:
            os.environ["VEJAMIGRATE_NO_CACHE"] = "1"
        result = run(["schema", *extra, "--versions-dir", str(versions)])
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    assert result.code == 0, result
    return result.stdout


@pytest.fixture(scope="module")
def settled(tmp_path_factory) -> dict[str, Path]:
    """A copy of every realistic history, old enough to be stored in the cache."""
    root = tmp_path_factory.mktemp("cached")
    copies = {}
    for name, history in HISTORIES.items():
        copies[name] = root / name
        shutil.copytree(history, copies[name], ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    time.sleep(SETTLE)
    return copies


@pytest.mark.parametrize("history", sorted(HISTORIES))
def test_schema_from_the_cache_is_the_schema_read_without_it(settled, tmp_path, history):
    versions = settled[history]
    cache = tmp_path / "cache"
    for form in (["--json"], []):
        plain = schema(versions, cache, *form, cached=False)
        first = schema(versions, cache, *form)  # reads the files, stores them
        assert list(cache.glob("history-*.bin")), "nothing was stored"
        second = schema(versions, cache, *form)  # from the cache
        assert first == plain
        assert second == plain


def test_a_changed_file_is_read_again(settled, tmp_path):
    versions = tmp_path / "versions"
    shutil.copytree(settled["raw_sql_heavy"], versions)
    cache = tmp_path / "cache"
    time.sleep(SETTLE)
    before = schema(versions, cache, "--json")
    assert schema(versions, cache, "--json") == before
    target = versions / "20250415_000007_rename_items_to_lines.py"
    stat = target.stat()
    text = target.read_text()
    assert "RENAME TO order_lines" in text
    # Same size, mtime put back: the cache must still see the change (ctime moved).
    target.write_text(text.replace("RENAME TO order_lines", "RENAME TO order_linez"))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = schema(versions, cache, "--json")
    assert '"order_linez"' in after
    assert after == schema(versions, cache, "--json", cached=False)
    # A removed migration is followed as well.
    (versions / "20250603_000010_unique_email_constraint.py").unlink()
    assert schema(versions, cache, "--json") == schema(versions, cache, "--json", cached=False)
