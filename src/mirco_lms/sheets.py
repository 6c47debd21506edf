"""Reading a CSV sheet (classroom sessions, attendance, paper results, the learner
registry): header row, separator guessed, every row checked for its width.

Errors are ``FILE:ROW: message`` with a hint (:class:`~mirco_lms.errors.MircoError`);
the callers check the columns and cells, naming the row too (:func:`row_error`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.errors import Location, MircoError


class SheetError(MircoError):
    """A CSV file, or one of its rows, cannot be imported."""


def row_error(path: Path, row: int | None, message: str, hint: str) -> SheetError:
    return SheetError(message, location=Location(file=path, line=row), hint=hint)


@dataclass(frozen=True)
class Sheet:
    """A CSV file read whole: its header (lower case, stripped) and its non-blank rows."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    """(line number, cells by column name, stripped)."""


def read_sheet(path: Path, *, example: str) -> Sheet:
    """The sheet at ``path`` (UTF-8, a header row; commas, semicolons or tabs).
    ``example`` is a header line shown in the hint when the file is empty."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise row_error(path, None, f"cannot read the file: {exc.strerror}",
                        "check the path and that the file is readable") from exc
    except UnicodeDecodeError as exc:
        raise row_error(path, 1, "the file is not UTF-8",
                        "save it from the spreadsheet as 'CSV UTF-8'") from exc
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise row_error(path, 1, "the file is empty: a header row is required",
                        f"start with a header such as: {example}")
    reader = csv.reader(lines, dialect=_dialect(lines[0]))
    header = tuple(h.strip().lower() for h in next(reader))
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise row_error(path, 1, f"column {twice[0]!r} appears twice", "keep one of them")
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise row_error(path, reader.line_num,
                            f"expected {len(header)} cells, got {len(cells)}",
                            "every row needs as many cells as the header (quote cells "
                            "that contain the separator)")
        rows.append((reader.line_num, dict(zip(header, (c.strip() for c in cells),
                                                strict=True))))
    return Sheet(path, header, tuple(rows))


def require_columns(sheet: Sheet, groups: Sequence[Sequence[str]], hint: str) -> None:
    """Each group names columns of which the header needs at least one."""
    missing = [" or ".join(group) for group in groups
               if not any(name in sheet.header for name in group)]
    if missing:
        raise row_error(sheet.path, 1, f"missing column: {', '.join(missing)}", hint)


def _dialect(header_line: str) -> type[csv.Dialect]:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    separator = max(counts, key=lambda s: counts[s])

    class Dialect(csv.excel):
        delimiter = separator

    return Dialect
