"""A report as ONE self-contained HTML page: inline CSS, inline SVG charts, no scripts.

The page loads nothing (its Content-Security-Policy forbids it), prints on A4, and can be
sent by e-mail as a single file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from mirco_lms.reports.model import Report, Table
from mirco_lms.reports.svg import chart_svg
from mirco_lms.reports.values import NUMERIC, format_value

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _cells(table: Table) -> list[list[dict[str, Any]]]:
    rows = []
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = row.get(column.key)
            cells.append({
                "text": format_value(value, column),
                "numeric": column.kind in NUMERIC,
                "options": value if column.kind == "options" else None,
            })
        rows.append(cells)
    return rows


def to_html(report: Report) -> str:
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        charts=[{"title": c.title, "note": c.note, "svg": Markup(chart_svg(c))}
                for c in report.charts],
        tables=[{"title": t.title, "columns": t.columns, "rows": _cells(t)}
                for t in report.tables],
        notes=report.notes[1:] if report.empty else report.notes,
    )
