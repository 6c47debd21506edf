"""A plain-text table drawn as rich draws its default table, in time linear in the cells.

``mirco report --format table`` used rich's ``Table``: at tens of thousands of rows (the
gain report's pairs, the progress table) rich spent minutes on them, measuring and
rendering every cell as styled segments. :class:`TextTable` draws the same picture — the
title centred above, the heavy header box (``┏━┳┓``, ``┃``, ``┡━╇┩``), the body (``│``,
``└─┴┘``), one space of padding, numbers right-aligned, headers at the bottom of their
row — from plain strings: one pass measures every cell, one pass writes the lines.

Too wide a table is narrowed as rich narrows it (the widest columns first, down to the
next widest, then every column evenly), and cells are wrapped at spaces, a word longer
than its column folded; the text is never read as markup, and control characters (a
learner's name could hold a terminal's escape sequence) are shown as ``�``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len, chop_cells

_WORD = re.compile(r"\s*\S+\s*")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
"""Control characters but the line end: a terminal would obey them (escape sequences)."""
PADDING = 1
"""Spaces on each side of a cell."""


@dataclass
class TextTable:
    """A titled table of text cells (rows added with :meth:`add_row`)."""

    title: str
    headers: Sequence[str]
    right: Sequence[bool]
    """Per column: right-aligned (numbers) or left-aligned."""
    rows: list[Sequence[str]] = field(default_factory=list)

    def add_row(self, cells: Sequence[str]) -> None:
        """Add a row of cells; control characters in them are shown as ``�``."""
        self.rows.append([c if c.isprintable() else _CONTROL.sub("\N{REPLACEMENT CHARACTER}", c)
                          for c in cells])

    def lines(self, width: int) -> Iterator[str]:
        """The table's lines (without line ends), at most ``width`` cells wide."""
        widths = self._widths(width)
        table_width = sum(widths) + len(widths) + 1
        yield from wrap(self.title, table_width, center=True)
        yield "┏" + "┳".join("━" * w for w in widths) + "┓"
        yield from self._row(self.headers, widths, "┃", bottom=True)
        yield "┡" + "╇".join("━" * w for w in widths) + "┩"
        for row in self.rows:
            yield from self._row(row, widths, "│", bottom=False)
        yield "└" + "┴".join("─" * w for w in widths) + "┘"

    def _widths(self, width: int) -> list[int]:
        """Each column's width with its padding, as rich computes it."""
        available = width - (len(self.headers) + 1)
        pad = 2 * PADDING
        widest = [_longest_line(h) + pad for h in self.headers]
        for row in self.rows:
            for i, cell in enumerate(row):
                size = _longest_line(cell) + pad
                if size > widest[i]:
                    widest[i] = size
        widths = [min(w, available) or 1 for w in widest]
        if sum(widths) > available:
            widths = _collapse(widths, available)
            if sum(widths) > available:
                widths = _reduce(sum(widths) - available, [1] * len(widths), widths, widths)
        return [max(w, 0) for w in widths]

    def _row(self, cells: Sequence[str], widths: Sequence[int], bar: str, *,
             bottom: bool) -> Iterator[str]:
        columns = []
        for cell, w, right in zip(cells, widths, self.right, strict=True):
            inner = w - 2 * PADDING
            if inner <= 0:  # no room left for any text
                columns.append([" " * w])
            elif (size := _size(cell)) <= inner and "\n" not in cell:  # the common case
                if right:
                    cell = cell.rstrip()
                    size = _size(cell)
                blank = " " * (inner - size)
                columns.append([f" {blank}{cell} " if right else f" {cell}{blank} "])
            else:
                columns.append([f" {_justify(line, inner, right)} "
                                for line in wrap(cell, inner, keep_space=False)])
        height = max(len(c) for c in columns)
        if height == 1:
            yield bar + bar.join(c[0] for c in columns) + bar
            return
        for c, w in zip(columns, widths, strict=True):
            empty = [" " * w] * (height - len(c))
            if bottom:
                c[:0] = empty
            else:
                c.extend(empty)
        for n in range(height):
            yield bar + bar.join(c[n] for c in columns) + bar


def _size(text: str) -> int:
    """The cells ``text`` takes on a terminal (an ASCII text: its length)."""
    return len(text) if text.isascii() else cell_len(text)


def _longest_line(text: str) -> int:
    if "\n" in text:
        return max(_size(line) for line in text.split("\n"))
    return _size(text)


def _justify(text: str, width: int, right: bool) -> str:
    if right:
        text = text.rstrip()
    size = cell_len(text)
    if size > width:  # only a wide character at the end of a folded line
        text = chop_cells(text, width)[0]
        size = cell_len(text)
    return " " * (width - size) + text if right else text + " " * (width - size)


def wrap(text: str, width: int, *, center: bool = False, keep_space: bool = True) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells at spaces, a longer word
    folded (``center``: each line centred and padded to ``width``; ``keep_space``: a
    line keeps the space it was broken at, as rich prints wrapped notes)."""
    out = []
    for part in text.split("\n"):
        starts = _breaks(part, max(width, 1))
        for start, end in zip([0, *starts], [*starts, len(part)], strict=True):
            line = part[start:end]
            excess = cell_len(line) - width
            if excess > 0:  # a break's space beyond the width goes
                line = line[:len(line) - min(excess, len(line) - len(line.rstrip()))]
            if center:
                line = line.rstrip()
                left = (width - cell_len(line)) // 2
                line = " " * left + line + " " * (width - left - cell_len(line))
            elif not keep_space:
                line = line.rstrip()
            out.append(line)
    return out


def _breaks(text: str, width: int) -> list[int]:
    """Where rich breaks ``text`` into lines of ``width`` cells (its ``divide_line``)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        size = cell_len(word.rstrip())
        if width - offset >= size:
            offset += cell_len(word)
        elif size > width:
            pieces = chop_cells(word, width)
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _collapse(widths: list[int], limit: int) -> list[int]:
    """Narrow the widest columns to the next widest until the table fits (rich's
    ``Table._collapse_widths``, every column wrappable)."""
    excess = sum(widths) - limit
    while excess > 0:
        top = max(widths)
        second = max((w for w in widths if w != top), default=0)
        if top == second or not top:
            break
        ratios = [1 if w == top else 0 for w in widths]
        widths = _reduce(excess, ratios, [min(excess, top - second)] * len(widths), widths)
        excess = sum(widths) - limit
    return widths


def _reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """Take ``total`` from ``values`` in proportion to ``ratios``, at most ``maximums``
    from each (rich's ``ratio_reduce``)."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    left_ratio = sum(ratios)
    if not left_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and left_ratio > 0:
            taken = min(maximum, round(ratio * remaining / left_ratio))
            out.append(value - taken)
            remaining -= taken
            left_ratio -= ratio
        else:
            out.append(value)
    return out
