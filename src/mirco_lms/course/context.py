"""Where question tokens come from, and where problems about them go.

Shared by :mod:`mirco_lms.course.questions` (question structure) and
:mod:`mirco_lms.course.answers` (answer lists and question types).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from mirco_lms.errors import Diagnostic, Location

_QUOTE_MARK = re.compile(r"^\s*>\s?")


@dataclass
class Context:
    """Where tokens come from, and where problems go."""

    path: Path
    lines: list[str]
    """The Markdown text the tokens were parsed from, split into lines."""
    body_line: int
    """File line of ``lines[0]``."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def loc(self, token_line: int | None) -> Location:
        return Location(self.path, self.body_line + (token_line or 0))

    def error(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, self.loc(line), hint))

    def warn(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, self.loc(line), hint, "warning"))

    def source(self, blocks: Sequence[Sequence[Token]]) -> str:
        """The Markdown source of consecutive blocks (blank edges stripped)."""
        maps = [b[0].map for b in blocks if b and b[0].map]
        if not maps:
            return ""
        return "\n".join(self.lines[maps[0][0] : maps[-1][1]]).strip()

    def quote_source(self, block: Sequence[Token]) -> str:
        """The Markdown inside a blockquote, without its ``>`` markers."""
        start, end = block[0].map or (0, 0)
        out = [
            _QUOTE_MARK.sub("", line, count=1) if ">" in line else line.strip()
            for line in self.lines[start:end]
        ]
        return "\n".join(out).strip()


def blocks(tokens: Sequence[Token]) -> list[list[Token]]:
    """Group a token stream into its top-level blocks (each from open to matching close)."""
    out: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth <= 0:
            out.append(current)
            current, depth = [], 0
    if current:
        out.append(current)
    return out


def line_of(block: Sequence[Token]) -> int:
    return block[0].map[0] if block and block[0].map else 0


def bool_attr(attrs: dict[str, str], name: str, default: bool, ctx: Context, line: int) -> bool:
    raw = attrs.get(name)
    if raw is None:
        return default
    if raw.lower() in ("true", "yes", "1"):
        return True
    if raw.lower() in ("false", "no", "0"):
        return False
    ctx.error(f"{name}={raw!r} is neither true nor false", line, f"write {name}=false")
    return default
