"""`make install` (issue 11, item 4), run for real: the release binaries, the man pages made by
swift-argument-parser's generate-manual plugin and the shell completions, under a temporary
PREFIX, then under DESTDIR, then `make uninstall`.

The first run builds the release binaries (a few minutes); later runs reuse them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from vmcli import REPO, copy_project, run

VERSION = re.search(r'current = "([^"]+)"', (REPO / "Sources/VejaMigrateCore/Version.swift").read_text()).group(1)
EXECUTABLES = ["vejamigrate", "vejamigrate-tui"]


def make(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True, timeout=3600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def prefix(tmp_path_factory) -> Path:
    prefix = tmp_path_factory.mktemp("prefix")
    make("install", f"PREFIX={prefix}")
    return prefix


def commands(binary: Path) -> list[list[str]]:
    """Every command path of an executable, from the description argument-parser dumps."""
    info = json.loads(subprocess.run([str(binary), "--experimental-dump-help"], capture_output=True, text=True, check=True).stdout)

    def walk(command: dict, path: list[str]) -> list[list[str]]:
        here = path + [command["commandName"]]
        return [here] + [p for sub in command.get("subcommands", []) for p in walk(sub, here)]

    return walk(info["command"], [])


def test_the_installed_binaries_run_and_say_their_version(prefix, tmp_path):
    for exe in EXECUTABLES:
        result = subprocess.run([str(prefix / "bin" / exe), "--version"], capture_output=True, text=True, check=False)
        assert (result.returncode, result.stdout, result.stderr) == (0, VERSION + "\n", ""), exe
    # The README's first steps: cd into a project, `vejamigrate status`.
    copy_project(tmp_path / "project")
    status = run(["status"], cwd=tmp_path / "project", binary=prefix / "bin" / "vejamigrate")
    assert status.code == 0 and "history: healthy" in status.stdout, str(status)


def test_every_command_has_a_man_page_that_renders(prefix):
    man = shutil.which("man")
    assert man, "man is missing (make deps installs man-db)"
    pages = {p.name for p in (prefix / "share/man/man1").iterdir()}
    expected = {".".join(path) + ".1" for exe in EXECUTABLES for path in commands(prefix / "bin" / exe)}
    assert pages == expected
    assert {"vejamigrate.1", "vejamigrate-tui.1", "vejamigrate.status.1", "vejamigrate.schema.1"} <= pages
    for page in sorted(pages):
        out = subprocess.run([man, "-l", str(prefix / "share/man/man1" / page)], capture_output=True, text=True,
                             env={**os.environ, "MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"}, check=False)
        assert out.returncode == 0 and out.stderr == "", (page, out.stderr)
        assert "NAME" in out.stdout and "SYNOPSIS" in out.stdout, page
        assert page.removesuffix(".1").replace(".", " ") in out.stdout, page
    schema = subprocess.run([man, "-l", str(prefix / "share/man/man1/vejamigrate.schema.1")], capture_output=True, text=True,
                            env={**os.environ, "MANWIDTH": "100"}, check=True).stdout
    assert "--format" in schema and "mermaid" in schema


def test_the_bash_completions_load_and_complete(prefix):
    for exe in EXECUTABLES:
        script = prefix / "share/bash-completion/completions" / exe
        out = subprocess.run(["bash", "-c", f'source "{script}" && complete -p {exe}'], capture_output=True, text=True, check=False)
        assert out.returncode == 0 and f" {exe}" in out.stdout, out.stderr
    script = prefix / "share/bash-completion/completions/vejamigrate"
    words = subprocess.run(
        ["bash", "-c", f'source "{script}"; COMP_WORDS=(vejamigrate sch); COMP_CWORD=1; COMP_LINE="vejamigrate sch"; '
         'COMP_POINT=${#COMP_LINE}; _vejamigrate vejamigrate sch vejamigrate; printf "%s\\n" "${COMPREPLY[@]}"'],
        capture_output=True, text=True, check=False, env={**os.environ, "PATH": f"{prefix / 'bin'}:{os.environ['PATH']}"})
    assert "schema" in words.stdout.split(), words.stdout + words.stderr


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (make deps installs it)")
def test_the_zsh_completions_load(prefix, tmp_path):
    functions = prefix / "share/zsh/site-functions"
    out = subprocess.run(["zsh", "-fc", f"fpath=({functions} $fpath); autoload -Uz compinit; compinit -u -D; "
                          "print -r -- ${_comps[vejamigrate]} ${_comps[vejamigrate-tui]}"], capture_output=True, text=True, check=False,
                         env={**os.environ, "HOME": str(tmp_path)})
    assert out.stdout.split() == ["_vejamigrate", "_vejamigrate-tui"], out.stdout + out.stderr
    # compinit moves its dump file into place: `-d /dev/null` once replaced the device with a file.
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (make deps installs it)")
def test_the_fish_completions_load(prefix, tmp_path):
    script = prefix / "share/fish/vendor_completions.d/vejamigrate.fish"
    # fish makes its config and data folders on start: in a home of the test's, not the user's.
    home = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    out = subprocess.run(["fish", "--no-config", "-c", f"source {script}; complete -C'vejamigrate schema --format '"],
                         capture_output=True, text=True, check=False, env={**os.environ, **home})
    assert out.returncode == 0, out.stderr
    assert {line.split("\t")[0] for line in out.stdout.splitlines()} == {"text", "json", "mermaid", "dot"}


def test_destdir_stages_the_same_files_and_uninstall_removes_them(prefix, tmp_path):
    stage = tmp_path / "stage"
    make("install", f"DESTDIR={stage}", "PREFIX=/usr/local")
    assert files_under(stage / "usr/local") == files_under(prefix)
    assert {p.name for p in stage.iterdir()} == {"usr"}
    make("uninstall", f"DESTDIR={stage}", "PREFIX=/usr/local")
    assert files_under(stage) == set()
