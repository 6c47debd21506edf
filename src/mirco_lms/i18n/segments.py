"""Markdown text → translatable segments, and back with translations substituted.

Segmentation follows Sphinx's gettext builder: every leaf block with inline content is
one segment whose message is the block's *inline Markdown source* (emphasis, links and
code stay in the message, so translators can move them). Soft line breaks are joined
with spaces, so re-wrapping a paragraph in the source does not invalidate its
translation. Segments are:

- headings (without trailing ``{…}`` attributes), paragraphs (also inside list items,
  blockquotes, callouts, interactive blocks, footnotes);
- table cells (each one);
- the titles of callouts (``::: warning Title``);
- an image alone in its paragraph: its alt text and its caption (the title) separately,
  so the path and attributes never reach translators.

Code blocks, raw HTML and knowledge-check containers (``::: check``: their questions
are segmented from the course model) are not segments.

:func:`translate_markdown` puts translations back by replacing the lines of each block,
keeping the container prefixes (``> ``, list indentation, ``## ``…) of the source; a
translation that would start a different block (``1951. godine…`` read as a list) is
escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from mirco_lms.course.markdown import parse, split_trailing_attrs

PARAGRAPH = "paragraph"
HEADING = "heading"
LIST_ITEM = "list item"
QUOTE = "quote"
TABLE_CELL = "table cell"
CALLOUT_TITLE = "callout title"
ALT_TEXT = "alt text"
CAPTION = "caption"

_IMAGE_ALONE = re.compile(
    r'^!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\((?P<dest><[^>]*>|\S+)(?:\s+"(?P<title>(?:[^"\\]|\\.)*)")?\)'
    r"(?P<attrs>\{[^{}]*\})?$"
)
_BLOCK_START = re.compile(
    r"^(?:(\d{1,9})([.)])|([-+*])|(#{1,6})|(>)|(:::)|(```|~~~)|(=+|-+)\s*$)(?=\s|$)"
)


@dataclass(frozen=True)
class Segment:
    """One translatable piece of a Markdown text."""

    kind: str
    """``paragraph``, ``heading``, ``list item``, ``table cell``, ``caption``…"""
    text: str
    """The message: inline Markdown, soft line breaks joined."""
    line: int
    """0-based line of the text where the segment starts."""


Translate = Callable[[Segment], "str | None"]
"""Gives the translation of a segment, or None to keep the source."""


def message_text(content: str) -> str:
    """Inline content as a message: lines joined with spaces, hard breaks kept."""
    lines = content.split("\n")
    out = ""
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        hard = not last and (line.endswith("  ") or line.endswith("\\"))
        text = line.strip() if not line.endswith("\\") else line.lstrip()
        if hard and not text.endswith("\\"):
            text += "\\"
        out += text + ("\n" if hard else ("" if last else " "))
    return out.strip(" ")


def segments(text: str) -> list[Segment]:
    """Every segment of ``text``, in reading order."""
    found: list[Segment] = []

    def record(segment: Segment) -> str | None:
        found.append(segment)
        return None

    _process(text, record)
    return found


def translate_markdown(text: str, translate: Translate) -> str:
    """``text`` with each segment replaced by ``translate(segment)`` (when not None)."""
    return _process(text, translate)


# --- the walk --------------------------------------------------------------------------------


@dataclass
class _Edit:
    start: int
    end: int
    lines: list[str]


def _process(text: str, translate: Translate) -> str:
    if not text.strip():
        return text
    lines = text.split("\n")
    tokens = parse(text)
    edits: list[_Edit] = []
    parents: list[str] = []
    checks = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "container_check_open":
            checks += 1
        elif token.type == "container_check_close":
            checks -= 1
        elif checks:
            pass
        elif token.type.startswith("container_") and token.nesting == 1:
            _callout(token, lines, translate, edits)
        elif token.type == "heading_open":
            _heading(token, tokens[i + 1], lines, translate, edits)
        elif token.type == "paragraph_open":
            _paragraph(token, tokens[i + 1], _kind(parents), lines, translate, edits)
        elif token.type == "tr_open":
            i = _row(tokens, i, lines, translate, edits)
            continue
        if token.nesting == 1 and token.type.endswith("_open"):
            parents.append(token.type)
        elif token.nesting == -1 and parents:
            parents.pop()
        i += 1
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        lines[edit.start : edit.end] = edit.lines
    return "\n".join(lines)


def _kind(parents: list[str]) -> str:
    for parent in reversed(parents):
        if parent == "list_item_open":
            return LIST_ITEM
        if parent == "blockquote_open":
            return QUOTE
    return PARAGRAPH


def _callout(token: Token, lines: list[str], translate: Translate, edits: list[_Edit]) -> None:
    kind, _, title = token.info.strip().partition(" ")
    title, attrs = split_trailing_attrs(title.strip())  # '{#id …}' is never translated
    if not title or token.map is None:
        return
    result = translate(Segment(CALLOUT_TITLE, title, token.map[0]))
    if result is None:
        return
    line = lines[token.map[0]]
    at = line.find(kind) + len(kind)
    tail = f" {{{attrs}}}" if attrs is not None else ""
    edits.append(_Edit(token.map[0], token.map[0] + 1,
                       [f"{line[:at]} {_one_line(result)}{tail}"]))


def _heading(
    token: Token, inline: Token, lines: list[str], translate: Translate, edits: list[_Edit]
) -> None:
    if token.map is None or not inline.content.strip():
        return
    start, end = token.map
    text, attrs = split_trailing_attrs(inline.content)
    if not text.strip():
        return
    result = translate(Segment(HEADING, message_text(text), start))
    if result is None:
        return
    if attrs is not None:  # {x=30 y=40} after a heading: kept, never a translator's
        result = f"{_one_line(result)} {{{attrs}}}"
    if token.markup in ("=", "-"):  # setext: keep the underline
        prefix = _prefix(lines[start], inline.content.split("\n")[0])
        edits.append(_Edit(start, end - 1, [prefix + _one_line(result)]))
        return
    line = lines[start]
    at = line.find(inline.content)
    if at < 0:
        return
    after = line[at + len(inline.content) :]
    edits.append(_Edit(start, end, [line[:at] + _one_line(result) + after]))


def _paragraph(
    token: Token, inline: Token, kind: str, lines: list[str], translate: Translate,
    edits: list[_Edit],
) -> None:
    if token.map is None or not inline.content.strip():
        return
    start, end = token.map
    if _image_alone(inline):
        _image(inline.content.strip(), start, lines, translate, edits)
        return
    result = translate(Segment(kind, message_text(inline.content), start))
    if result is None:
        return
    content_lines = inline.content.split("\n")
    prefix = _prefix(lines[start], content_lines[0])
    if end - start > 1 and len(content_lines) > 1:
        follow = _prefix(lines[start + 1], content_lines[1])
    else:
        follow = re.sub(r"[^>\s]", " ", prefix)
    new = [line for line in _escape_blocks(result).split("\n")]
    edits.append(_Edit(start, end, [prefix + new[0], *(follow + rest for rest in new[1:])]))


def _prefix(line: str, content: str) -> str:
    at = line.find(content.strip()) if content.strip() else -1
    return line[:at] if at >= 0 else re.sub(r"\S.*$", "", line)


def _image_alone(inline: Token) -> bool:
    children = [
        c for c in inline.children or []
        if c.type not in ("softbreak", "mirco_figcaption")
        and not (c.type == "text" and not c.content.strip())
    ]
    return len(children) == 1 and children[0].type == "image"


def _image(
    content: str, start: int, lines: list[str], translate: Translate, edits: list[_Edit]
) -> None:
    match = _IMAGE_ALONE.match(content)
    if match is None:
        result = translate(Segment(PARAGRAPH, content, start))
        if result is not None:
            edits.append(_Edit(start, start + 1, [_prefix(lines[start], content) + result]))
        return
    alt, title = match.group("alt"), match.group("title")
    new_alt = translate(Segment(ALT_TEXT, alt, start)) if alt.strip() else None
    new_title = translate(Segment(CAPTION, title, start)) if title and title.strip() else None
    if new_alt is None and new_title is None:
        return
    alt_text = _one_line(new_alt).replace("]", "\\]") if new_alt is not None else alt
    image = f"![{alt_text}]({match.group('dest')}"
    if title is not None:
        caption = _one_line(new_title) if new_title is not None else title
        image += ' "' + re.sub(r'(?<!\\)"', '\\"', caption) + '"'
    image += ")" + (match.group("attrs") or "")
    edits.append(_Edit(start, start + 1, [_prefix(lines[start], content) + image]))


def _row(
    tokens: list[Token], i: int, lines: list[str], translate: Translate, edits: list[_Edit]
) -> int:
    """Segments of one table row (from ``tr_open`` at ``i``); returns the index after it."""
    row = tokens[i]
    cells: list[Token] = []
    i += 1
    while i < len(tokens) and tokens[i].type != "tr_close":
        if tokens[i].type == "inline":
            cells.append(tokens[i])
        i += 1
    if row.map is None:
        return i + 1
    line_no = row.map[0]
    indent, lead, raw, trail = split_row(lines[line_no])
    changed = False
    for index, _cell in enumerate(cells[: len(raw)]):
        source = raw[index].strip()
        if not source:
            continue
        result = translate(Segment(TABLE_CELL, source, line_no))
        if result is not None:
            raw[index] = re.sub(r"(?<!\\)\|", r"\\|", _one_line(result))
            changed = True
    if changed:
        body = " | ".join(cell.strip() for cell in raw)
        edits.append(_Edit(line_no, line_no + 1,
                           [f"{indent}{'| ' if lead else ''}{body}{' |' if trail else ''}"]))
    return i + 1


def split_row(line: str) -> tuple[str, bool, list[str], bool]:
    """``| a | b \\| c |`` → (indent, leading pipe, raw cells, trailing pipe)."""
    indent = line[: len(line) - len(line.lstrip())]
    text = line.strip()
    cells: list[str] = []
    current = ""
    in_code = 0
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            current += text[pos : pos + 2]
            pos += 2
            continue
        if char == "`":
            run = len(text[pos:]) - len(text[pos:].lstrip("`"))
            in_code = 0 if in_code == run else (in_code or run)
            current += "`" * run
            pos += run
            continue
        if char == "|" and not in_code:
            cells.append(current)
            current = ""
        else:
            current += char
        pos += 1
    cells.append(current)
    lead = text.startswith("|")
    trail = text.endswith("|") and len(text) > 1 and not text.endswith("\\|")
    if lead:
        cells = cells[1:]
    if trail:
        cells = cells[:-1]
    return indent, lead, cells, trail


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _escape_blocks(text: str) -> str:
    """Escape what would make a translated paragraph start another block."""
    out = []
    for index, line in enumerate(text.split("\n")):
        line = line.strip()
        match = _BLOCK_START.match(line)
        if match is not None:
            if match.group(1):
                line = f"{match.group(1)}\\{line[len(match.group(1)):]}"
            elif match.group(8) and index == 0:
                pass  # a lone === / --- opening a paragraph stays a paragraph
            else:
                line = "\\" + line
        out.append(line)
    return "\n".join(out)
