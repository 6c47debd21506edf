"""Reports as text: terminal table (:mod:`.text_table`), CSV, JSON. HTML lives in :mod:`.html`.

Every kind of report is shown by the same code: the formats are listed here once, for
``mirco report --format`` (:data:`FORMATS`) and ``GET /reports/<kind>?format=``
(:data:`MEDIA_TYPES`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict

from mirco_lms import safe_csv
from mirco_lms.reports.model import Report, Table
from mirco_lms.reports.text_table import TextTable, wrap
from mirco_lms.reports.values import NUMERIC, format_value

FORMATS = ("table", "csv", "json", "html")
"""What :func:`render_text` writes (``table``: plain text, for terminals)."""
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
"""The formats served over HTTP, with their media types (``json`` first: the default)."""


def to_csv(report: Report) -> str:
    """The main table as CSV (header row, then one row per line); raw numbers, rates as
    fractions; text that a spreadsheet would run as a formula is defused (:mod:`.safe_csv`)."""
    out = io.StringIO()
    writer = safe_csv.writer(out, lineterminator="\n")
    table = report.main
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([format_value(row.get(c.key), c, plain=True) for c in table.columns])
    return out.getvalue()


def to_json(report: Report) -> str:
    data = {
        "kind": report.kind,
        "title": report.title,
        "filters": report.filters,
        "generated": report.generated,
        "empty": report.empty,
        "notes": list(report.notes),
        "tables": [
            {"title": t.title, "columns": [asdict(c) for c in t.columns], "rows": list(t.rows)}
            for t in report.tables
        ],
        "charts": [asdict(c) for c in report.charts],
        **report.extra,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def text_lines(report: Report, width: int) -> Iterator[str]:
    """The report as plain text for a terminal, ``width`` cells wide: its heading, each
    table (:class:`~.text_table.TextTable`), the notes, as rich used to print them."""
    heading = report.title
    if report.filters:
        heading += "  (" + ", ".join(f"{k}: {v}" for k, v in report.filters.items()) + ")"
    yield from wrap(heading, width)
    if report.empty:
        yield from wrap(report.notes[0], width)
    for table in report.tables:
        if table.rows:
            yield from _text_table(table).lines(width)
        elif not report.empty:
            yield from wrap(f"{table.title}: no rows", width)
    for note in report.notes[1:] if report.empty else report.notes:
        yield from wrap("• " + note, width)


def _text_table(table: Table) -> TextTable:
    shown = TextTable(f"{table.title} ({len(table.rows)} rows)",
                      [c.label for c in table.columns],
                      [c.kind in NUMERIC for c in table.columns])
    columns = table.columns
    for row in table.rows:
        shown.add_row([format_value(row.get(c.key), c) for c in columns])
    return shown


def render_text(report: Report, fmt: str, *, width: int = 160) -> str:
    """The report in ``fmt``: ``csv``, ``json``, ``html`` or ``table`` (plain text,
    ``width`` cells wide)."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "html":
        from mirco_lms.reports.html import to_html

        return to_html(report)
    return "".join(line + "\n" for line in text_lines(report, width))
