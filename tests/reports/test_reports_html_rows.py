"""The HTML report writes its table rows in one pass (not through the template's per-cell
loop), and every value in them is still escaped: learner names, institutions, option
labels and ids that hold markup come out as text, never as elements or attributes."""

from __future__ import annotations

import pytest
import reports_dataset
from reports_dataset import C1, Person

from mirco_lms.lrs.store import SqlStore
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.model import Column, Report, Table
from mirco_lms.reports.render import render_text
from mirco_lms.reports.run import build_report

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_ATTRIBUTE = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def _safe(page: str) -> None:
    assert "<script" not in page and "<img" not in page and "onerror=alert(1)>" not in page


def test_every_kind_of_cell_is_escaped() -> None:
    options = [{"id": ATTRIBUTE, "label": SCRIPT, "count": 2, "correct": True},
               {"id": "b' onclick='x", "label": "", "count": 1, "correct": False}]
    columns = (Column("name", "name"), Column("n", "n", "int"),
               Column("options", "options", "options"), Column("rate", "rate", "rate"))
    rows = ({"name": SCRIPT, "n": 3, "options": options, "rate": 0.5},
            {"name": ATTRIBUTE + " & co", "n": None, "options": None, "rate": None})
    report = Report("x", "Hostile " + SCRIPT, {"institution": ATTRIBUTE},
                    (Table("People " + SCRIPT, columns, rows),), notes=(SCRIPT,))
    page = render_text(report, "html")
    _safe(page)
    assert f"<td>{ESCAPED_SCRIPT}</td>" in page
    assert f"<td>{ESCAPED_ATTRIBUTE} &amp; co</td>" in page
    assert ('<td><ul class="options"><li class="correct" '
            f'title="{ESCAPED_ATTRIBUTE}">{ESCAPED_SCRIPT} ✓: 2</li>'
            '<li title="b&#39; onclick=&#39;x">b&#39; onclick=&#39;x: 1</li></ul></td>') in page
    # a missing value in an options column reads as any missing value
    assert '<td class="num">3</td>' in page and '<td class="num">–</td>' in page
    assert "<td>–</td>" in page and '<td class="num">50.0 %</td>' in page
    assert "(2 rows)" in page


@pytest.mark.parametrize(("kind", "table"), [("gain", "pairs"), ("progress", None),
                                             ("completions", None)])
def test_a_hostile_learner_reads_as_text(store: SqlStore, monkeypatch: pytest.MonkeyPatch,
                                         kind: str, table: str | None) -> None:
    monkeypatch.setitem(reports_dataset.PEOPLE, "L1",
                        Person("L1", SCRIPT, ATTRIBUTE, "RS", "en"))
    reports_dataset.load(store)
    spec = parse_spec(kind, course=C1 if kind == "progress" else None,
                      by="institution" if kind == "completions" else None)
    report = build_report(store, spec)
    if table:
        report = report.only(table)
    page = render_text(report, "html")
    _safe(page)
    shown = ESCAPED_ATTRIBUTE if kind == "completions" else ESCAPED_SCRIPT
    assert f"<td>{shown}</td>" in page
