"""Reports as text: terminal table (rich), CSV, JSON. HTML lives in :mod:`.html`.

Every kind of report is shown by the same code: the formats are listed here once, for
``mirco report --format`` (:data:`FORMATS`) and ``GET /reports/<kind>?format=``
(:data:`MEDIA_TYPES`).
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from typing import Any

from mirco_lms import safe_csv
from mirco_lms.reports.model import Report, Table
from mirco_lms.reports.values import format_value

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


def rich_tables(report: Report) -> list[Any]:
    """Renderables for a rich Console: a heading, each table, the notes."""
    from rich.table import Table as RichTable
    from rich.text import Text

    parts: list[Any] = []
    heading = report.title
    if report.filters:
        heading += "  (" + ", ".join(f"{k}: {v}" for k, v in report.filters.items()) + ")"
    parts.append(Text(heading, style="bold"))
    if report.empty:
        parts.append(Text(report.notes[0], style="bold yellow"))
    for table in report.tables:
        if table.rows:
            parts.append(_rich_table(table, RichTable))
        elif not report.empty:
            parts.append(Text(f"{table.title}: no rows"))
    for note in report.notes[1:] if report.empty else report.notes:
        parts.append(Text("• " + note, style="dim"))
    return parts


def _rich_table(table: Table, factory: Any) -> Any:
    numeric = {"int", "rate", "score", "number", "r", "stat", "p", "hours", "minutes"}
    shown = factory(title=f"{table.title} ({len(table.rows)} rows)")
    for column in table.columns:
        shown.add_column(column.label, justify="right" if column.kind in numeric else "left",
                         overflow="fold")
    for row in table.rows:
        shown.add_row(*(format_value(row.get(c.key), c) for c in table.columns))
    return shown


def render_text(report: Report, fmt: str, *, width: int = 160) -> str:
    """The report in ``fmt``: ``csv``, ``json``, ``html`` or ``table`` (plain text)."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "html":
        from mirco_lms.reports.html import to_html

        return to_html(report)
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    for part in rich_tables(report):
        console.print(part)
    return console.export_text()
