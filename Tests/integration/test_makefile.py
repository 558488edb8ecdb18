"""The Makefile's lists of Debian packages: what `make test` and the other targets install.

A fresh machine has none of them; a list that silently lost a package (as TEST_NEEDS once lost
postgresql, read before it was assigned) only shows there, so the lists are checked here.
"""

from __future__ import annotations

import re
import subprocess

from vmcli import REPO


def make_variables() -> dict[str, str]:
    out = subprocess.run(["make", "-p", "-n", "-f", str(REPO / "Makefile"), "all"], cwd=REPO, capture_output=True, text=True, check=False).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"^([A-Z_]+) :?= (.*)$", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def packages(needs: str) -> set[str]:
    return {item.rsplit("=", 1)[1] for item in needs.split()}


def test_every_target_group_lists_its_packages():
    v = make_variables()
    assert packages(v["BUILD_NEEDS"]) == {"libncurses-dev", "libpg-query-dev"}, v["BUILD_NEEDS"]
    # man-db, graphviz, zsh, fish: test_install.py renders the man pages and loads the completions
    # in each shell, test_pictures.py renders the dot output.
    assert packages(v["TEST_NEEDS"]) == {"tmux", "postgresql", "man-db", "graphviz", "zsh", "fish"}, v["TEST_NEEDS"]
    assert packages(v["BENCH_NEEDS"]) == {"hyperfine", "time"}, v["BENCH_NEEDS"]
    assert packages(v["PG_NEEDS"]) == {"postgresql"}, v["PG_NEEDS"]


def test_install_goes_under_prefix_and_destdir():
    v = make_variables()
    assert v["PREFIX"] == "/usr/local"
    out = subprocess.run(["make", "-n", "install", "PREFIX=/opt/vm", "DESTDIR=/stage"], cwd=REPO, capture_output=True, text=True, check=False).stdout
    for folder in ("bin", "share/man/man1", "share/bash-completion/completions", "share/zsh/site-functions", "share/fish/vendor_completions.d"):
        assert f'"/stage/opt/vm/{folder}"' in out, folder
