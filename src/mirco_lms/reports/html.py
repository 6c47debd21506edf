"""A report as ONE self-contained HTML page: inline CSS, inline SVG charts, no scripts.

The page loads nothing (its Content-Security-Policy forbids it), prints on A4, and can be
sent by e-mail as a single file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

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


def _body(table: Table) -> Markup:
    """The table's ``<tr>`` rows, every value escaped: built in one pass, since the
    template's per-cell loop cost seconds at tens of thousands of rows."""
    columns = [(c, c.kind in NUMERIC, c.kind == "options") for c in table.columns]
    lines = []
    for row in table.rows:
        cells = []
        for column, numeric, options in columns:
            value = row.get(column.key)
            if options and value is not None:
                cells.append(_options(value))
            else:
                text = escape(format_value(value, column))
                cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        lines.append(f"    <tr>{''.join(cells)}</tr>\n")
    return Markup("".join(lines))


def _options(options: Iterable[dict[str, Any]]) -> str:
    """An ``options`` cell: each option with its count, the correct ones marked."""
    items = []
    for o in options:
        correct = ' class="correct"' if o["correct"] else ""
        mark = " ✓" if o["correct"] else ""
        shown = escape(o.get("label") or o["id"])
        items.append(f'<li{correct} title="{escape(o["id"])}">{shown}{mark}: '
                     f'{escape(o["count"])}</li>')
    return f'<td><ul class="options">{"".join(items)}</ul></td>'


def to_html(report: Report) -> str:
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        charts=[{"title": c.title, "note": c.note, "svg": Markup(chart_svg(c))}
                for c in report.charts],
        tables=[{"title": t.title, "columns": t.columns, "count": len(t.rows), "body": _body(t)}
                for t in report.tables],
        notes=report.notes[1:] if report.empty else report.notes,
    )
