"""The link and image targets of course Markdown, with the line each is written on: what
the checks verify (files exist, links are allowed) and the packager copies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mirco_lms.course.markdown import make_markdown, parse, walk_tokens


@dataclass(frozen=True)
class Target:
    """A link or image target found in Markdown text."""

    kind: str
    """``link`` or ``image``."""
    url: str
    line: int
    """0-based line within the Markdown text."""
    alt: str = ""
    """Alt text (images)."""


_MAY_BE_REFUSED = re.compile(r"(?i)(?:script|file|data)(?::|&colon;)|&#")
"""What a link the renderer refuses (``javascript:``, ``vbscript:``, ``file:``, ``data:``,
maybe written with character references) must contain."""


def may_hide_targets(text: str) -> bool:
    """Whether ``text`` may hold links that :func:`parse` leaves out as plain text (the
    renderer refuses ``javascript:``, ``file:``, ``data:``… targets); :func:`find_targets`
    lists those too, so that the checks can report them."""
    return _MAY_BE_REFUSED.search(text) is not None


@lru_cache(maxsize=1)
def _listing_markdown() -> MarkdownIt:
    """The dialect keeping every link target: for listing targets, never for rendering."""
    md = make_markdown()
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def find_targets(text: str) -> list[Target]:
    """Every link and image target of ``text`` with the line it is written on, including
    the ones the renderer refuses (``javascript:``…)."""
    if "[" not in text and "<" not in text:
        return []  # links and images start with '[' or '![', autolinks with '<'
    if may_hide_targets(text):
        return targets_in(_listing_markdown().parse(text, {}), text)
    return targets_in(parse(text), text)


def targets_in(tokens: Sequence[Token], text: str) -> list[Target]:
    """Every link and image target in ``tokens``, the result of :func:`parse` of ``text``."""
    lines = text.split("\n")
    out: list[Target] = []
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        start, end = block.map or (0, 1)
        for child in walk_tokens(block.children):
            if child.type == "image":
                url = str(child.attrGet("src") or "")
                alt = "".join(c.content for c in walk_tokens(child.children or []))
                line = _line_of(url, lines, start, end)
                out.append(Target("image", url, line, alt or child.content))
            elif child.type == "link_open":
                url = str(child.attrGet("href") or "")
                out.append(Target("link", url, _line_of(url, lines, start, end)))
    return out


def _line_of(url: str, lines: list[str], start: int, end: int) -> int:
    for needle in (url, unquote(url)):
        for i in range(start, min(end, len(lines))):
            if needle and needle in lines[i]:
                return i
    return start
