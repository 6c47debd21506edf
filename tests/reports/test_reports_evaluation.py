"""``mirco report evaluation``: known survey statements in, known figures out, on SQLite
and PostgreSQL — ratings per item and overall (n, mean, agree, distribution), grouped by
language or delivery; the comments listed without anyone's identity."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any

import pytest
from reports_dataset import BASE, HOME, SUBMITTER

from mirco_lms.cli import main
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.reports import kinds
from mirco_lms.reports.run import build_report
from mirco_lms.xapi import profile as p

COURSE = "migration-human-rights"
IDS = p.ActivityIds(BASE, COURSE)
PAGE = IDS.page("evaluation")
TEXTS = {"ev-01": "The module met its stated learning outcomes.",
         "ev-02": "The content is relevant to my daily work.",
         "ev-06": "What should we improve, and what should we keep?"}
ANONYMOUS = {"objectType": "Agent", "account": {"homePage": IDS.module, "name": str(uuid.uuid4())}}


def _actor(name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "name": name.title(),
            "account": {"homePage": HOME, "name": name}}


def _answer(actor: dict[str, Any], question: str, response: str, *, language: str = "en",
            assessment: str | None = p.EVALUATION, delivery: str | None = None,
            hour: int = 8) -> dict[str, Any]:
    extensions: dict[str, Any] = {p.EXT_MODULE_VERSION: "1.0.0"}
    if assessment:
        extensions[p.EXT_ASSESSMENT] = assessment
    if delivery:
        extensions[p.EXT_DELIVERY] = delivery
    kind = "long-fill-in" if question == "ev-06" else "likert"
    definition: dict[str, Any] = {"type": p.INTERACTION, "interactionType": kind,
                                  "description": {"en": TEXTS.get(question, question)}}
    if kind == "likert":
        definition["scale"] = [{"id": str(i), "description": {"en": str(i)}} for i in range(1, 6)]
    context: dict[str, Any] = {
        "language": language, "extensions": extensions,
        "contextActivities": {"grouping": [{"id": IDS.module}], "parent": [{"id": PAGE}],
                              "category": [{"id": p.CATEGORY}]}}
    if actor is not ANONYMOUS:
        context["registration"] = str(uuid.uuid4())
    return {
        "id": str(uuid.uuid4()), "actor": actor,
        "verb": {"id": p.ANSWERED, "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": f"{PAGE}/{question}", "definition": definition},
        "result": {"response": response}, "context": context,
        "timestamp": f"2024-05-02T{hour:02d}:00:00+00:00",
    }


def statements() -> list[dict[str, Any]]:
    """ev-01: 5 4 3 1 · ev-02: 4 2 5 · two comments; and answers that must not count."""
    a, b, c = _actor("ana"), _actor("bojan"), _actor("cvijeta")
    return [
        _answer(a, "ev-01", "5"), _answer(a, "ev-02", "4"),
        _answer(a, "ev-06", "More case studies, please."),
        _answer(b, "ev-01", "4", hour=9), _answer(b, "ev-02", "2", hour=9),
        _answer(b, "ev-06", "   ", hour=9),  # blank: no comment
        _answer(c, "ev-01", "3", language="sr-Latn", delivery="in-person"),
        _answer(c, "ev-02", "5", language="sr-Latn", delivery="in-person"),
        _answer(c, "ev-06", "Odlično.", language="sr-Latn", delivery="in-person"),
        _answer(ANONYMOUS, "ev-01", "1", hour=10),
        # not the evaluation: a final-test answer and a knowledge check
        _answer(a, "ev-01", "2", assessment=p.FINAL),
        _answer(a, "ev-02", "1", assessment=None),
    ]


@pytest.fixture
def surveyed(store: SqlStore) -> SqlStore:
    writes.save_statements(store, writes.Batch(statements()), SUBMITTER, "1.0.3")
    return store


def _rows(store: SqlStore, by: str | None = None) -> tuple[list[dict[str, Any]], ...]:
    spec = kinds.parse_spec("evaluation", by=by)
    report = build_report(store, spec)
    ratings, comments = report.tables
    return list(ratings.rows), list(comments.rows)


def _figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["item"], row["n"], round(row["mean"], 4), round(row["agree"], 4),
            row["distribution"])


def test_satisfaction_per_item_and_overall(surveyed: SqlStore) -> None:
    ratings, comments = _rows(surveyed)
    assert [_figures(r) for r in ratings] == [
        ("(overall)", 7, round(24 / 7, 4), round(4 / 7, 4), [1, 1, 1, 2, 2]),
        ("ev-01", 4, 3.25, 0.5, [1, 0, 1, 1, 1]),
        ("ev-02", 3, round(11 / 3, 4), round(2 / 3, 4), [0, 1, 0, 1, 1]),
    ]
    assert {r["course"] for r in ratings} == {COURSE}
    assert ratings[1]["text"] == TEXTS["ev-01"]
    assert comments == [
        {"course": COURSE, "item": "ev-06", "question": TEXTS["ev-06"],
         "comment": "More case studies, please."},
        {"course": COURSE, "item": "ev-06", "question": TEXTS["ev-06"], "comment": "Odlično."},
    ]


def test_by_language_and_by_delivery(surveyed: SqlStore) -> None:
    ratings, comments = _rows(surveyed, "language")
    found = {(r["group"], r["item"]): (r["n"], round(r["mean"], 4)) for r in ratings}
    assert found == {("en", "(overall)"): (5, round(16 / 5, 4)),
                     ("en", "ev-01"): (3, round(10 / 3, 4)), ("en", "ev-02"): (2, 3.0),
                     ("sr-Latn", "(overall)"): (2, 4.0),
                     ("sr-Latn", "ev-01"): (1, 3.0), ("sr-Latn", "ev-02"): (1, 5.0)}
    assert [(c["group"], c["comment"]) for c in comments] == [
        ("en", "More case studies, please."), ("sr-Latn", "Odlično.")]
    ratings, _ = _rows(surveyed, "delivery")
    assert {(r["group"], r["item"], r["n"]) for r in ratings if r["item"] == "(overall)"} == {
        ("elearning", "(overall)", 5), ("in-person", "(overall)", 2)}


def test_cli_formats_and_no_identity(surveyed: SqlStore, db_url: str, runner: Any) -> None:
    db = db_url
    out = runner.invoke(main, ["report", "evaluation", "--db", db, "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["item"], r["n"], r["mean"], r["distribution"]) for r in rows] == [
        ("(overall)", "7", "3.4286", "1 1 1 2 2"), ("ev-01", "4", "3.25", "1 0 1 1 1"),
        ("ev-02", "3", "3.6667", "0 1 0 1 1")]
    out = runner.invoke(main, ["report", "evaluation", "--db", db, "--format", "json"])
    data = json.loads(out.output)
    assert [t["title"] for t in data["tables"]] == ["Course evaluation: satisfaction",
                                                     "Course evaluation: comments"]
    text = json.dumps(data)
    for who in ("ana", "Ana", "bojan", "cvijeta", ANONYMOUS["account"]["name"], HOME):
        assert who not in text
    out = runner.invoke(main, ["report", "evaluation", "--db", db, "--table", "comments",
                               "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert list(csv.DictReader(io.StringIO(out.output)))[0]["comment"] == (
        "More case studies, please.")
    html = runner.invoke(main, ["report", "evaluation", "--db", db, "--format", "html"])
    assert html.exit_code == 0 and "<svg" in html.output and "Odlično." in html.output
    bad = runner.invoke(main, ["report", "evaluation", "--db", db, "--by", "outcome"])
    assert bad.exit_code != 0 and "cannot be grouped by 'outcome'" in bad.output


def test_an_empty_store_says_so(store: SqlStore) -> None:
    report = build_report(store, kinds.parse_spec("evaluation"))
    assert report.empty and report.tables[0].rows == () and "no statements match" in (
        report.notes[0])
