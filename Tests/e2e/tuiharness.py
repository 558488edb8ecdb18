"""Drive the built `vejamigrate-tui` for real: a private tmux server per test, keys in, screens out.

The program runs inside a small shell script in the pane that records `stty -g` before and
after it, and its exit status, into files; then it prints `[exit N]` and sleeps, so the pane
(and the status) outlive the program.

    with TuiSession(tmp_path / "tui") as tui:
        tui.start([binary, "--versions-dir", str(versions)], cwd=project)
        tui.wait_until(lambda screen: "Description" in screen)
        tui.send_text("add invoices table")
        tui.send_keys("Enter")
        assert tui.wait_exit() == 0
        assert tui.terminal_restored()

Waiting for a substring can race with the last keystroke; `wait_for_screen` (the whole
screen equals the expected one) does not.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_VERSIONS = REPO / "examples" / "vejapro" / "backend" / "app" / "migrations" / "versions"
VERSIONS_SUBPATH = Path("backend/app/migrations/versions")
DATE = "2026-11-25"

DEFAULT_TIMEOUT = 10.0
POLL_INTERVAL = 0.02

# Runs in the pane: $1 is the state directory, the rest is the program and its arguments.
WRAPPER = r"""#!/bin/sh
state=$1
shift
stty -g > "$state/stty-before"
"$@"
code=$?
stty -g > "$state/stty-after"
printf '%d\n' "$code" > "$state/exit.tmp" && mv "$state/exit.tmp" "$state/exit"
printf '\n[exit %d]' "$code"
exec sleep 600
"""

TMUX_CONF = """set -g status off
set -g default-terminal "{term}"
set -g history-limit 0
"""

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def tui_binary() -> Path:
    """The binary under test: `$VEJAMIGRATE_TUI_BIN`, else the debug build."""
    return Path(os.environ.get("VEJAMIGRATE_TUI_BIN") or REPO / ".build" / "debug" / "vejamigrate-tui")


def require_binary() -> Path:
    binary = tui_binary()
    if not binary.exists():
        raise AssertionError(f"{binary} is missing: build it with `swift build` (or set VEJAMIGRATE_TUI_BIN)")
    return binary


def copy_project(dest: Path) -> Path:
    """A scratch copy of the example project at `<dest>/backend/app/migrations/versions`; returns that directory."""
    versions = dest / VERSIONS_SUBPATH
    shutil.copytree(EXAMPLE_VERSIONS, versions, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return versions


def listing(directory: Path) -> dict[str, bytes]:
    """Every file under directory with its bytes, to prove that nothing was written."""
    return {
        str(path.relative_to(directory)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(directory.rglob("*"))
    }


def colour_codes(escaped_screen: str) -> list[str]:
    """SGR parameters in a `capture-pane -e` screen that set a colour (39/49, back to the default, do not)."""
    found = []
    for match in _SGR.finditer(escaped_screen):
        params = [p for p in re.split(r"[;:]", match.group(1)) if p]
        i = 0
        while i < len(params):
            p = int(params[i])
            if p in (38, 48):  # 38;5;N or 38;2;R;G;B
                found.append(match.group(0))
                break
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                found.append(match.group(0))
                break
            i += 1
    return found


def _terminal_type() -> str:
    """tmux-256color where its terminfo entry exists, else screen-256color (older ncurses-base)."""
    ok = subprocess.run(["infocmp", "tmux-256color"], capture_output=True, check=False).returncode == 0
    return "tmux-256color" if ok else "screen-256color"


class TuiSession:
    """One private tmux server (its own `-L` socket) with one pane running the program."""

    def __init__(self, state_dir: Path, width: int = 80, height: int = 24):
        if shutil.which("tmux") is None:
            raise AssertionError("tmux is missing: `make deps` installs it")
        self.state = Path(state_dir)
        self.state.mkdir(parents=True, exist_ok=True)
        self.width = width
        self.height = height
        self.socket = f"vmtui-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.target = "tui"
        self.program: str | None = None
        self._started = False
        self._socket_path = ""
        (self.state / "wrapper.sh").write_text(WRAPPER)
        (self.state / "tmux.conf").write_text(TMUX_CONF.format(term=_terminal_type()))

    # -- lifecycle -------------------------------------------------------------------------

    def start(
        self, argv: list[str | os.PathLike], env: Mapping[str, str | None] | None = None, cwd: Path | None = None
    ) -> None:
        """Starts the program in a new pane of `width` x `height`.

        `env` adds to a clean environment (NO_COLOR unset, LANG=C.UTF-8, the Swift backtracer
        non-interactive); a value of None removes the variable.
        """
        argv = [str(a) for a in argv]
        self.program = argv[0]
        environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TMUX", "TMUX_PANE")}
        environment["LANG"] = "C.UTF-8"
        environment.pop("LC_ALL", None)
        # A crash report must not wait for a key press in the pane.
        environment["SWIFT_BACKTRACE"] = "interactive=no"
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        command = " ".join(shlex.quote(part) for part in ["sh", str(self.state / "wrapper.sh"), str(self.state), *argv])
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "-f",
                str(self.state / "tmux.conf"),
                "new-session",
                "-d",
                "-s",
                self.target,
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                "-c",
                str(cwd or self.state),
                command,
            ],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
            timeout=DEFAULT_TIMEOUT,
        )
        self._started = True
        self._socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip()

    def start_shell(self, cwd: Path | None = None) -> None:
        """Starts an interactive `dash` with job control (no tty fix-ups of its own) and prompt `vm$ `."""
        environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TMUX", "TMUX_PANE")}
        environment.update({"LANG": "C.UTF-8", "PS1": "vm$ ", "ENV": "", "SWIFT_BACKTRACE": "interactive=no"})
        environment.pop("LC_ALL", None)
        subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.state / "tmux.conf"), "new-session", "-d", "-s", self.target,
             "-x", str(self.width), "-y", str(self.height), "-c", str(cwd or self.state), "env PS1='vm$ ' ENV= dash -i"],
            env=environment, check=True, capture_output=True, text=True, timeout=DEFAULT_TIMEOUT,
        )
        self._started = True
        self._socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip()

    def close(self) -> None:
        """Kills the tmux server (and with it anything still running in the pane)."""
        if self._started:
            subprocess.run(
                ["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False, timeout=DEFAULT_TIMEOUT
            )
            self._started = False
            # tmux leaves its socket file behind in /tmp/tmux-UID/.
            if self._socket_path:
                Path(self._socket_path).unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False, timeout=DEFAULT_TIMEOUT
        )
        if result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    # -- input -----------------------------------------------------------------------------

    def send_keys(self, *keys: str) -> None:
        """tmux key names: `Enter`, `Tab`, `BTab`, `Escape`, `BSpace`, `Up`, `C-c`, `F1`, ..."""
        self.tmux("send-keys", "-t", self.target, *keys)

    def send_text(self, text: str) -> None:
        """Types `text` literally (no key-name lookup)."""
        self.tmux("send-keys", "-t", self.target, "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))
        self.width, self.height = width, height

    # -- output ----------------------------------------------------------------------------

    def screen(self, escapes: bool = False) -> str:
        """The visible pane, one line a row, trailing spaces trimmed; with `escapes`, SGR codes kept (-e)."""
        args = ["capture-pane", "-p", "-t", self.target]
        if escapes:
            args.append("-e")
        text = self.tmux(*args)
        text = text.removesuffix("\n")
        return "\n".join(line.rstrip() for line in text.split("\n"))

    def wait_until(
        self, predicate: Callable[[str], bool], timeout: float = DEFAULT_TIMEOUT, escapes: bool = False, what: str = ""
    ) -> str:
        """Polls the whole screen until `predicate(screen)` holds; returns that screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.screen(escapes=escapes)
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what or predicate}; last screen:\n{screen}"
                )
            time.sleep(POLL_INTERVAL)

    def wait_for_screen(self, expected: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Polls until the whole screen equals `expected` (trailing spaces and blank last lines ignored)."""
        want = _normalise(expected)
        try:
            return self.wait_until(lambda s: _normalise(s) == want, timeout=timeout, what="the expected screen")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- expected:\n{expected}") from None

    def wait_for_content(self, timeout: float = DEFAULT_TIMEOUT, quiet: float = 0.1) -> str:
        """Waits until something is painted and has not changed for `quiet` seconds; returns that screen.

        Anything painted means the program has taken over the terminal (raw mode is on); the quiet
        period keeps a capture from landing between two chunks of one paint.
        """
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while True:
            screen = self.screen()
            now = time.monotonic()
            if screen != last:
                last, since = screen, now
            elif screen.strip() and now - since >= quiet:
                return screen
            if now > deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for a settled first screen; last screen:\n{screen}"
                )
            time.sleep(POLL_INTERVAL)

    # -- the program -----------------------------------------------------------------------

    def exit_code(self) -> int | None:
        """The program's exit status once it has ended (128+N when killed by signal N), else None."""
        path = self.state / "exit"
        return int(path.read_text()) if path.exists() else None

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while (code := self.exit_code()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not exit within {timeout}s; screen:\n{self.screen()}")
            time.sleep(POLL_INTERVAL)
        return code

    def stty(self) -> tuple[str, str | None]:
        """`stty -g` in the pane before the program and after it (None while it runs)."""
        before = (self.state / "stty-before").read_text().strip()
        after_path = self.state / "stty-after"
        return before, after_path.read_text().strip() if after_path.exists() else None

    def terminal_restored(self) -> bool:
        before, after = self.stty()
        return after is not None and before == after

    def pid(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """The program's process id: the descendant of the pane whose argv[0] is the binary (found with pgrep)."""
        pane_pid = int(self.tmux("display-message", "-p", "-t", self.target, "#{pane_pid}").strip())
        deadline = time.monotonic() + timeout
        while True:
            for pid in _descendants(pane_pid):
                try:
                    argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
                except OSError:
                    continue
                if argv0 == self.program:
                    return pid
            if time.monotonic() > deadline:
                raise AssertionError(f"no process for {self.program} under the pane (pid {pane_pid})")
            time.sleep(POLL_INTERVAL)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        os.kill(self.pid(), sig)


def _descendants(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    children = [int(p) for p in found.stdout.split()]
    return children + [d for child in children for d in _descendants(child)]


def _normalise(screen: str) -> list[str]:
    lines = [line.rstrip() for line in screen.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def expect_no_new_files(before: Mapping[str, bytes], directory: Path) -> None:
    after = listing(directory)
    added = sorted(set(after) - set(before))
    changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
    removed = sorted(set(before) - set(after))
    assert not (added or changed or removed), (
        f"files changed in {directory}: added {added}, changed {changed}, removed {removed}"
    )


def start_args(binary: Path, versions: Path, *extra: str, date: str | None = DATE) -> list[str]:
    """`vejamigrate-tui --versions-dir DIR [--date DATE] EXTRA...`."""
    args = [str(binary), "--versions-dir", str(versions)]
    if date is not None:
        args += ["--date", date]
    return args + list(extra)


__all__ = [
    "DATE",
    "EXAMPLE_VERSIONS",
    "REPO",
    "TuiSession",
    "colour_codes",
    "copy_project",
    "expect_no_new_files",
    "listing",
    "require_binary",
    "start_args",
    "tui_binary",
]
