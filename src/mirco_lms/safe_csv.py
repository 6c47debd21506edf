"""The one CSV writer of mirco: cells that a spreadsheet would run as formulas are defused.

Reports, learner lists and statement exports carry text that learners and translators
wrote (names, institutions, responses). Opened in a spreadsheet, a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a formula, which can
run commands or send data away. As OWASP recommends, such a cell is written with a
leading ``'`` (shown as text, never evaluated) and every cell is quoted as the CSV
dialect needs. Plain numbers (``-3``, ``+1.5``, ``-2e3``) are kept as they are so that
columns of numbers stay numbers.

Every CSV mirco writes goes through :func:`writer` or :func:`dict_writer`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (plain numbers are not)."""
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: a formula-like text gets a leading ``'``."""
    if isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


def _breaks_lines(cells: Iterable[Any], terminator: str) -> bool:
    """Whether a cell holds a line break that minimal quoting would leave bare (``\r``
    when rows end in ``\n``): a reader would split the row there."""
    return any(isinstance(c, str) and any(ch in c and ch not in terminator for ch in "\r\n")
               for c in cells)


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell; a row with a bare line break
    in a cell is written with every cell quoted, so it stays one row."""

    def __init__(self, out: IO[str], **options: Any) -> None:
        self._writer = csv.writer(out, **options)
        self._quoted = csv.writer(out, **{**options, "quoting": csv.QUOTE_ALL})
        self._terminator = str(options.get("lineterminator", "\r\n"))

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [neutralise(cell) for cell in row]
        if _breaks_lines(cells, self._terminator):
            self._quoted.writerow(cells)
        else:
            self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """:class:`SafeWriter` for rows given as mappings (missing keys are empty cells)."""

    def __init__(self, out: IO[str], fieldnames: Sequence[str], **options: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(out, **options)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        unknown = set(row) - set(self.fieldnames)
        if unknown:
            raise ValueError(f"dict contains fields not in fieldnames: {sorted(unknown)}")
        self._writer.writerow([row.get(key, "") for key in self.fieldnames])


def writer(out: IO[str], **options: Any) -> SafeWriter:
    """A CSV writer on ``out`` (``options`` as for :func:`csv.writer`)."""
    return SafeWriter(out, **options)


def dict_writer(out: IO[str], fieldnames: Sequence[str], **options: Any) -> SafeDictWriter:
    """A dict CSV writer on ``out`` (``options`` as for :class:`csv.DictWriter`)."""
    return SafeDictWriter(out, fieldnames, **options)
