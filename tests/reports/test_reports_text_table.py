"""The terminal table format (``--format table``) is drawn by :class:`TextTable`, in time
linear in the cells, and looks exactly as rich's default table looked: the same title,
box characters, column widths, alignment, wrapping and folding. rich (the renderer it
replaces) is the reference here: every report of the hand-computed dataset and a few
hundred generated tables (wide characters, long words, empty cells, narrow terminals)
come out character for character the same."""

from __future__ import annotations

import io
import random

import pytest
import reports_dataset
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from mirco_lms.lrs.store import SqlStore
from mirco_lms.reports.kinds import names, parse_spec
from mirco_lms.reports.model import Column, Report, Table
from mirco_lms.reports.render import render_text
from mirco_lms.reports.run import build_report
from mirco_lms.reports.text_table import TextTable
from mirco_lms.reports.values import NUMERIC, format_value

WIDTHS = (40, 80, 120, 160, 240)


def _rich(parts: list[object], width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, record=True)
    for part in parts:
        console.print(part)
    return console.export_text()


def _rich_table(title: str, headers: list[str], right: list[bool],
                rows: list[list[str]]) -> RichTable:
    shown = RichTable(title=title)
    for header, is_right in zip(headers, right, strict=True):
        shown.add_column(header, justify="right" if is_right else "left", overflow="fold")
    for row in rows:
        shown.add_row(*row)
    return shown


def _as_rich(report: Report, width: int) -> str:
    """The report as ``--format table`` printed it with rich."""
    heading = report.title
    if report.filters:
        heading += "  (" + ", ".join(f"{k}: {v}" for k, v in report.filters.items()) + ")"
    parts: list[object] = [Text(heading)]
    if report.empty:
        parts.append(Text(report.notes[0]))
    for table in report.tables:
        if table.rows:
            parts.append(_rich_table(
                f"{table.title} ({len(table.rows)} rows)", [c.label for c in table.columns],
                [c.kind in NUMERIC for c in table.columns],
                [[format_value(r.get(c.key), c) for c in table.columns] for r in table.rows]))
        elif not report.empty:
            parts.append(Text(f"{table.title}: no rows"))
    parts += [Text("• " + note) for note in (report.notes[1:] if report.empty
                                             else report.notes)]
    return _rich(parts, width)


@pytest.mark.parametrize("kind", names())
def test_every_report_looks_as_rich_drew_it(loaded: SqlStore, kind: str) -> None:
    bys = [None, *(["country"] if kind in ("completions", "gain") else [])]
    for by in bys:
        spec = parse_spec(kind, by=by, course=reports_dataset.C1 if kind == "progress"
                          else None)
        report = build_report(loaded, spec)
        for width in WIDTHS:
            assert render_text(report, "table", width=width) == _as_rich(report, width), (
                kind, by, width)


def test_generated_tables_look_as_rich_drew_them() -> None:
    words = ["a", "bb", "ccc", "Đorđe", "Ćirić", "漢字テスト", "x" * 25, "–", "▁▂▃",
             "12.5 %", "", "account:https://lms.example.org|l1", "  lead", "tail  "]
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 8)
        headers = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))).strip()
                   or "h" for _ in range(n)]
        right = [rng.random() < 0.5 for _ in range(n)]
        rows = [[" ".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
                 for _ in range(n)] for _ in range(rng.randint(1, 5))]
        width = rng.randint(20, 200)
        title = f"A title ({len(rows)} rows)"
        mine = TextTable(title, headers, right)
        for row in rows:
            mine.add_row(row)
        expected = _rich([_rich_table(title, headers, right, rows)], width)
        assert "".join(line + "\n" for line in mine.lines(width)) == expected, (
            width, headers, rows)


def test_cells_are_text_never_markup_or_terminal_codes() -> None:
    rows = ({"name": "[bold]Ana[/bold] [/]", "n": 1},
            {"name": "Bo\x1b[31mjan\x07", "n": 2},
            {"name": "two\nlines", "n": 3})
    report = Report("x", "Hostile", {}, (Table(
        "People", (Column("name", "name"), Column("n", "n", "int")), rows),))
    shown = render_text(report, "table")
    assert "[bold]Ana[/bold] [/]" in shown  # as typed: rich read it as markup
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Bo�[31mjan�" in shown
    assert "│ two                  │ 3 │\n│ lines                │   │" in shown
