"""No message names a command that does not exist.

Every string literal in the Swift sources (messages, help, fixes) and every page of
docs/ and the README is read; each `vejamigrate WORD` it names must be a subcommand
that the built binary lists in its help, or `vejamigrate-tui`.
"""

from __future__ import annotations

import re

import pytest

from vmcli import REPO, run

# "vejamigrate status", `vejamigrate new`, but not "vejamigrate-tui" or "vejamigrate's".
MENTION = re.compile(r"\bvejamigrate\s+([a-z][a-z-]*)")
# The words that follow "vejamigrate" in prose rather than as a command.
PROSE = {"is", "reads", "can", "cannot", "writes", "itself", "and", "or", "the", "does", "will", "would", "a", "makes"}


def subcommands() -> set[str]:
    result = run(["--help"])
    assert result.code == 0, str(result)
    section = result.stdout.split("SUBCOMMANDS:", 1)[1]
    names = set(re.findall(r"^\s{2}([a-z][a-z-]*)\b", section, re.M))
    assert {"status", "new", "schema", "merge", "rebase"} <= names, section
    return names


def swift_string_literals(text: str) -> list[str]:
    # Multi-line literals first, then single-line ones; escapes are kept as written.
    literals = re.findall(r'"""(.*?)"""', text, re.S)
    text = re.sub(r'"""(.*?)"""', "", text, flags=re.S)
    literals += re.findall(r'"((?:[^"\\\n]|\\.)*)"', text)
    return literals


def mentions(text: str) -> list[str]:
    return [m for m in MENTION.findall(text) if m not in PROSE]


@pytest.mark.cli
def test_every_command_a_message_names_exists():
    known = subcommands() | {"help"}
    bad: list[str] = []
    for path in sorted((REPO / "Sources").rglob("*.swift")):
        for literal in swift_string_literals(path.read_text()):
            for word in mentions(literal):
                if word not in known:
                    bad.append(f"{path.relative_to(REPO)}: `vejamigrate {word}` in {literal[:100]!r}")
    assert not bad, "messages name commands that do not exist:\n" + "\n".join(bad)


@pytest.mark.cli
def test_the_scan_finds_a_command_that_does_not_exist():
    # The scanner itself: a literal naming an unknown command is caught, a known one is not.
    known = subcommands()
    assert [w for w in mentions("join them with `vejamigrate frobnicate`") if w not in known] == ["frobnicate"]
    assert [w for w in mentions("join them with `vejamigrate merge`") if w not in known] == []
    assert [w for w in mentions("run `vejamigrate status --json`") if w not in known] == []
    assert swift_string_literals('let a = "x \\"q\\" `vejamigrate frob`"') == ['x \\"q\\" `vejamigrate frob`']
