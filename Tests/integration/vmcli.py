"""Run the built `vejamigrate` binary against scratch copies of the example history."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_PROJECT = REPO / "examples" / "vejapro"
EXAMPLE_VERSIONS = EXAMPLE_PROJECT / "backend" / "app" / "migrations" / "versions"
VERSIONS_SUBPATH = Path("backend/app/migrations/versions")
DATE = "2026-11-25"
DATE_COMPACT = "20261125"
EXAMPLE_HEAD = "20260211_000017"
EXAMPLE_COUNT = 17

REMINDER_TEST = "Run `/test` to verify the migration applies cleanly against SQLite test DB."


def cli_binary() -> Path:
    return Path(os.environ.get("VEJAMIGRATE_BIN") or REPO / ".build" / "debug" / "vejamigrate")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    args: list[str]

    def __str__(self) -> str:  # shown by pytest when an assertion on it fails
        return f"vejamigrate {' '.join(self.args)} -> exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run(
    args: list[str],
    cwd: Path | None = None,
    stdin: str | None = None,
    timeout: float = 60,
    user: int | None = None,
    binary: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """`env` adds to (or, with a None value, removes from) the environment the binary gets."""
    binary = binary or cli_binary()
    if not binary.exists():
        raise AssertionError(f"{binary} is missing: build it with `swift build` (or set VEJAMIGRATE_BIN)")
    extra = env or {}
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["NO_COLOR"] = "1"  # plain text, whatever the terminal
    env.pop("ALEMBIC_CONFIG", None)  # discovery is the test's to set up
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    proc = subprocess.run(
        [str(binary), *args],
        cwd=cwd,
        input=stdin if stdin is not None else "",
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        **({"user": user, "group": user, "extra_groups": []} if user is not None else {}),
    )
    return Result(proc.returncode, proc.stdout, proc.stderr, list(args))


def copy_project(dest: Path) -> Path:
    """A scratch copy of the example project laid out as VejaPRO's (`<dest>/backend/app/migrations/versions`).

    Returns the versions directory.
    """
    versions = dest / VERSIONS_SUBPATH
    shutil.copytree(EXAMPLE_VERSIONS, versions, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return versions


def listing(directory: Path) -> dict[str, bytes]:
    """Every file under directory with its bytes, to prove that nothing was written."""
    return {
        str(path.relative_to(directory)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(directory.rglob("*"))
    }


def write_spec(directory: Path, spec: dict, name: str = "spec.json") -> Path:
    path = directory / name
    path.write_text(json.dumps(spec, indent=2))
    return path


def new_with_spec(tmp: Path, spec: dict, *extra: str) -> tuple[Result, Path]:
    """`vejamigrate new --spec FILE --versions-dir DIR --date 2026-11-25` on a fresh copy of the example."""
    versions = copy_project(tmp / "proj")
    spec_file = write_spec(tmp, spec)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE, *extra], cwd=tmp)
    return result, versions


def created_files(versions: Path) -> list[Path]:
    originals = {p.name for p in EXAMPLE_VERSIONS.iterdir()}
    return sorted(p for p in versions.iterdir() if p.name not in originals and p.suffix == ".py")


def ruff_binary() -> str:
    local = Path(sys.executable).parent / "ruff"
    if local.exists():
        return str(local)
    found = shutil.which("ruff")
    assert found, "ruff is not installed (make venv)"
    return found


def ruff_format_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ruff_binary(), "format", "--no-cache", "--check", "--diff", "--line-length", "120", *map(str, paths)],
        check=False,
        capture_output=True,
        text=True,
    )


def unprivileged_runner(base: Path, versions: Path) -> tuple[int | None, Path | None]:
    """`(user, binary)` for `run` so that `versions` cannot be written. Root writes anywhere, so under
    root the tool runs as `nobody` from a copy of the binary in `base` (the clone's own folders need
    not be open to `nobody`) with everything under `base` read-only to it; otherwise `versions` is
    made read-only. Skips the test when `nobody` cannot run the binary here."""
    import pytest

    if os.geteuid() != 0:
        versions.chmod(0o555)
        return None, None
    user = pwd.getpwnam("nobody").pw_uid
    binary = base / "vejamigrate"
    shutil.copy(cli_binary(), binary)
    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() or path == binary else 0o644)
    try:
        run(["--help"], cwd=base, user=user, binary=binary)
    except PermissionError as error:
        pytest.skip(f"`nobody` cannot run the binary here: {error}")
    return user, binary
