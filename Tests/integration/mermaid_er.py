"""A reader of Mermaid's `erDiagram` syntax, written from its grammar (mermaid-js/mermaid,
packages/mermaid/src/diagrams/er/parser/erDiagram.jison), for the diagrams
`vejamigrate schema --format mermaid` prints.

What matters about that grammar, and what this reader does the same way:
- the lexer is case-insensitive and, like every jison lexer without `flex`, takes the FIRST rule
  that matches at the current position, not the longest: `tokens` lexes as the keyword `to`
  followed by `kens`, so a table named so must be quoted;
- inside `{ ... }` a separate set of rules: keys `PK`/`FK`/`UK` as whole words (also `pk`), words
  of letters, digits, `-`, `_`, `()`, `[]` (the older, stricter class: no `.` or `,`), quoted
  comments, and a "generic type" rule for anything between two `~`;
- statements: an entity alone, an entity with a block of attributes
  (`type name [KEY[, KEY]...] ["comment"]`), and a relationship
  `entity cardinality identification cardinality entity : role`.

Only that part of the language is read (no styles, classes, subgraphs, titles); anything else is
an error, so a diagram this reader accepts is one Mermaid reads the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_I = re.IGNORECASE | re.ASCII

# (pattern, token) in the grammar's order; None skips. Outside blocks:
_INITIAL = [
    (r"accTitle\s*:\s*", "ACC_TITLE"),
    (r"accDescr\s*:\s*", "ACC_DESCR"),
    (r"accDescr\s*\{\s*", "ACC_DESCR_MULTILINE"),
    (r".*direction\s+(?:TB|BT|RL|LR)[^\n]*", "DIRECTION"),
    (r"[ \t\r]+", None),
    (r"\n+", "NEWLINE"),
    (r'"[^"%\r\n\v\x08\\]+"', "ENTITY_NAME"),
    (r'"[^"]*"', "WORD"),
    (r"erDiagram", "ER_DIAGRAM"),
    (r"\{", "BLOCK_START"),
    (r"#", "BRKT"),
    (r",", "COMMA"),
    (r":::", "STYLE_SEPARATOR"),
    (r":", "COLON"),
    (r"\[", "SQS"),
    (r"\]", "SQE"),
    (r"style", "STYLE"),
    (r"classDef", "CLASSDEF"),
    (r"class", "CLASS"),
    (r"subgraph", "SUBGRAPH"),
    (r"end\b\s*", "END"),
    (r"one or zero", "ZERO_OR_ONE"),
    (r"one or more", "ONE_OR_MORE"),
    (r"one or many", "ONE_OR_MORE"),
    (r"1\+", "ONE_OR_MORE"),
    (r"\|o", "ZERO_OR_ONE"),
    (r"zero or one", "ZERO_OR_ONE"),
    (r"zero or more", "ZERO_OR_MORE"),
    (r"zero or many", "ZERO_OR_MORE"),
    (r"0\+", "ZERO_OR_MORE"),
    (r"\}o", "ZERO_OR_MORE"),
    (r"many\(0\)", "ZERO_OR_MORE"),
    (r"many\(1\)", "ONE_OR_MORE"),
    (r"many", "ZERO_OR_MORE"),
    (r"\}\|", "ONE_OR_MORE"),
    (r"one", "ONLY_ONE"),
    (r"only one", "ONLY_ONE"),
    (r"[0-9]+\.[0-9]+", "DECIMAL_NUM"),
    (r"1(?=\s+[A-Za-z_\"'])", "ONLY_ONE"),
    (r"1(?=\s+[0-9])", "ONLY_ONE"),
    (r"1(?=--|\.\.|\.-|-\.)", "ONLY_ONE"),
    (r"1", "ENTITY_ONE"),
    (r"[0-9]+", "NUM"),
    (r"\|\|", "ONLY_ONE"),
    (r"o\|", "ZERO_OR_ONE"),
    (r"o\{", "ZERO_OR_MORE"),
    (r"\|\{", "ONE_OR_MORE"),
    (r"u(?=[.\-|])", "MD_PARENT"),
    (r"\.\.", "NON_IDENTIFYING"),
    (r"--", "IDENTIFYING"),
    (r"to", "IDENTIFYING"),
    (r"optionally to", "NON_IDENTIFYING"),
    (r"\.-", "NON_IDENTIFYING"),
    (r"-\.", "NON_IDENTIFYING"),
    (r"(?:[^\x00-\x7F]|\w|-|\*|\.)+", "UNICODE_TEXT"),
    (r".", "CHAR"),
]
# Inside `{ ... }`:
_BLOCK = [
    (r"\s+", None),
    (r"\b(?:PK|FK|UK)\b", "ATTRIBUTE_KEY"),
    (r"[^\s]*~.*~[^\s]*", "GENERIC_WORD"),
    (r"[*A-Za-z_\u00C0-\uFFFF][A-Za-z0-9\-_\[\]()\u00C0-\uFFFF*]*", "ATTRIBUTE_WORD"),
    (r"`", "BACKTICK"),
    (r'"[^"]*"', "COMMENT"),
    (r"\}", "BLOCK_STOP"),
    (r".", "CHAR"),
]
_INITIAL_RX = [(re.compile(p, _I), t) for p, t in _INITIAL]
_BLOCK_RX = [(re.compile(p, _I), t) for p, t in _BLOCK]

CARDINALITIES = {"ZERO_OR_ONE", "ZERO_OR_MORE", "ONE_OR_MORE", "ONLY_ONE", "MD_PARENT"}
ENTITY_TOKENS = {"ENTITY_NAME", "UNICODE_TEXT", "NUM", "DECIMAL_NUM", "ENTITY_ONE"}
ROLE_TOKENS = {"WORD", "ENTITY_NAME", "UNICODE_TEXT"}


class MermaidError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos, block = 0, False
    while pos < len(text):
        for rx, kind in _BLOCK_RX if block else _INITIAL_RX:
            m = rx.match(text, pos)
            if m and (m.end() > pos):
                break
        else:
            raise MermaidError(f"nothing matches at {text[pos:pos + 20]!r}")
        pos = m.end()
        if kind is None:
            continue
        if kind == "BLOCK_START":
            block = True
        elif kind == "BLOCK_STOP":
            block = False
        out.append((kind, m.group(0)))
    out.append(("EOF", ""))
    return out


@dataclass
class Attribute:
    type: str
    name: str
    keys: list[str] = field(default_factory=list)
    comment: str | None = None


@dataclass
class Relationship:
    left: str
    left_card: str
    identification: str
    right_card: str
    right: str
    role: str


@dataclass
class Diagram:
    entities: dict[str, list[Attribute]]
    relationships: list[Relationship]


def _entity_name(tok: tuple[str, str]) -> str:
    kind, text = tok
    if kind not in ENTITY_TOKENS:
        raise MermaidError(f"expected an entity name, got {kind} {text!r}")
    return text.replace('"', "") if kind == "ENTITY_NAME" else text


def parse(text: str) -> Diagram:
    toks = tokens(text)
    i = 0

    def take(*kinds: str) -> tuple[str, str]:
        nonlocal i
        tok = toks[i]
        if tok[0] not in kinds:
            raise MermaidError(f"expected {'/'.join(kinds)}, got {tok[0]} {tok[1]!r} (token {i})")
        i += 1
        return tok

    while toks[i][0] == "NEWLINE":
        i += 1
    take("ER_DIAGRAM")
    entities: dict[str, list[Attribute]] = {}
    relationships: list[Relationship] = []
    while toks[i][0] != "EOF":
        if toks[i][0] == "NEWLINE":
            i += 1
            continue
        name = _entity_name(take(*ENTITY_TOKENS))
        entities.setdefault(name, [])
        kind = toks[i][0]
        if kind == "BLOCK_START":
            i += 1
            while toks[i][0] != "BLOCK_STOP":
                a = Attribute(take("ATTRIBUTE_WORD")[1], take("ATTRIBUTE_WORD")[1])
                if toks[i][0] == "ATTRIBUTE_KEY":
                    a.keys.append(take("ATTRIBUTE_KEY")[1].upper())
                    while toks[i] == ("CHAR", ","):
                        i += 1
                        a.keys.append(take("ATTRIBUTE_KEY")[1].upper())
                if toks[i][0] == "COMMENT":
                    a.comment = take("COMMENT")[1].replace('"', "")
                entities[name].append(a)
            take("BLOCK_STOP")
        elif kind in CARDINALITIES:
            left_card = take(*CARDINALITIES)[0]
            ident = take("IDENTIFYING", "NON_IDENTIFYING")[0]
            right_card = take(*CARDINALITIES)[0]
            other = _entity_name(take(*ENTITY_TOKENS))
            entities.setdefault(other, [])
            take("COLON")
            role_kind, role = take(*ROLE_TOKENS)
            relationships.append(Relationship(name, left_card, ident, right_card, other, role.replace('"', "")))
        take("NEWLINE", "EOF") if toks[i][0] != "EOF" else None
    return Diagram(entities, relationships)
