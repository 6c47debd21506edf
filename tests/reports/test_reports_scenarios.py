"""``mirco report scenarios`` on SQLite and PostgreSQL: known statements → known counts.

Five plays of the scenario ``child`` (nodes start → interview → referred | onward;
start → detained), as packages send them (docs/xapi-profile.md), plus one answered
knowledge check that the report must leave out:

who  lang     path                        ending
A    en       interview, referred         referred (best)
A    en       detained                    detained        (played again)
B    en       interview, referred         referred (best)
C    sr-Latn  interview, onward           onward
D    sr-Latn  interview, referred         referred (best)
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.run import build_report
from mirco_lms.xapi import profile as p

BASE = "https://example.org/mirco"
MODULE = f"{BASE}/migration-human-rights"
PAGE = f"{MODULE}/lesson-vulnerable-groups"
SCENARIO = f"{PAGE}/child"
SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}})
STEPS = {"start": ("At the bus check", "Kontrola autobusa"),
         "interview": ("A quiet conversation", "Miran razgovor"),
         "referred": ("Protected and referred", "Zaštićen i upućen"),
         "detained": ("A night in detention", "Noć u zadržavanju"),
         "onward": ("Back with the group", "Ponovo s grupom")}
PLAYS = [("A", "en", ["interview", "referred"]), ("A", "en", ["detained"]),
         ("B", "en", ["interview", "referred"]), ("C", "sr-Latn", ["interview", "onward"]),
         ("D", "sr-Latn", ["interview", "referred"])]


def played(who: str, language: str, path: list[str], minute: int) -> dict[str, Any]:
    sr = language != "en"
    definition = {
        "type": p.INTERACTION, "name": {language: "Slučaj" if sr else "The case"},
        "interactionType": "choice",
        "choices": [{"id": k, "description": {language: v[sr]}} for k, v in STEPS.items()],
        "extensions": {p.EXT_SCENARIO: {"endings": ["referred", "detained", "onward"],
                                        "best": ["referred"]}},
    }
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{who.lower()}@example.org"},
        "verb": {"id": p.ANSWERED},
        "object": {"objectType": "Activity", "id": SCENARIO, "definition": definition},
        "result": {"response": "[,]".join(path), "completion": True,
                   "success": path[-1] == "referred"},
        "context": {"language": language, "contextActivities": {
            "grouping": [{"id": MODULE}], "parent": [{"id": PAGE}],
            "category": [{"id": p.CATEGORY}]}},
        "timestamp": f"2026-03-02T10:{minute:02d}:00Z",
    }


def check_answer() -> dict[str, Any]:
    found = played("A", "en", ["a"], 59)
    found["object"] = {"objectType": "Activity", "id": f"{PAGE}/mhr-kc-05", "definition": {
        "type": p.INTERACTION, "interactionType": "choice", "name": {"en": "A check"}}}
    return found


@pytest.fixture
def plays(store: SqlStore) -> SqlStore:
    batch = [played(*play, minute) for minute, play in enumerate(PLAYS)] + [check_answer()]
    writes.save_statements(store, writes.Batch(batch), SUBMITTER, "1.0.3")
    return store


def counts(options: list[dict[str, Any]]) -> dict[str, tuple[str, int, bool]]:
    return {o["id"]: (o["label"], o["count"], o["correct"]) for o in options}


def test_plays_endings_and_choices(plays: SqlStore) -> None:
    rep = build_report(plays, parse_spec("scenarios", course="migration-human-rights"),
                       activity_base=BASE)
    [row] = rep.main.rows
    assert (row["scenario"], row["title"], row["plays"], row["learners"]) == (
        "child", "The case", 5, 4)
    assert row["best"] == pytest.approx(3 / 5)
    assert counts(row["endings"]) == {
        "referred": ("Protected and referred", 3, True),
        "detained": ("A night in detention", 1, False),
        "onward": ("Back with the group", 1, False)}
    assert {o["id"]: (o["label"], o["count"]) for o in row["choices"]} == {
        "start>interview": ("At the bus check → A quiet conversation", 4),
        "interview>referred": ("A quiet conversation → Protected and referred", 3),
        "start>detained": ("At the bus check → A night in detention", 1),
        "interview>onward": ("A quiet conversation → Back with the group", 1)}
    paths = {r["response"]: (r["path"], r["plays"]) for r in rep.tables[1].rows}
    assert paths == {
        "interview[,]referred": ("A quiet conversation → Protected and referred", 3),
        "detained": ("A night in detention", 1),
        "interview[,]onward": ("A quiet conversation → Back with the group", 1)}
    # counted by the database; equal counts keep the order the plays were made in
    assert [o["id"] for o in row["choices"]] == [
        "start>interview", "interview>referred", "start>detained", "interview>onward"]
    assert [r["response"] for r in rep.tables[1].rows] == [
        "interview[,]referred", "detained", "interview[,]onward"]


def test_by_language_labels_in_each_language(plays: SqlStore) -> None:
    rep = build_report(plays, parse_spec("scenarios", by="language"))
    rows = {r["group"]: r for r in rep.main.rows}
    assert {g: (r["plays"], r["best"]) for g, r in rows.items()} == {
        "en": (3, pytest.approx(2 / 3)), "sr-Latn": (2, pytest.approx(1 / 2))}
    assert counts(rows["sr-Latn"]["endings"])["onward"] == ("Ponovo s grupom", 1, False)
    assert [c.title for c in rep.charts] == ["Plays reaching a best ending"]


def test_delivery_and_language_filter(plays: SqlStore) -> None:
    rep = build_report(plays, parse_spec("scenarios", by="delivery", language="sr"))
    assert [(r["group"], r["plays"]) for r in rep.main.rows] == [("elearning", 2)]
    assert rep.main.rows[0]["title"] == "Slučaj"


def test_no_scenarios_gives_empty_tables(store: SqlStore) -> None:
    writes.save_statements(store, writes.Batch([check_answer()]), SUBMITTER, "1.0.3")
    rep = build_report(store, parse_spec("scenarios"))
    assert rep.main.rows == () and rep.tables[1].rows == ()


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html"])
def test_every_format_through_the_cli(tmp_path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from mirco_lms.cli import main
    from mirco_lms.lrs.store import open_store

    db = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    store = open_store(db)
    try:
        batch = [played(*play, minute) for minute, play in enumerate(PLAYS)]
        writes.save_statements(store, writes.Batch(batch), SUBMITTER, "1.0.3")
    finally:
        store.close()
    out = CliRunner().invoke(main, ["report", "scenarios", "--db", db, "--format", fmt])
    assert out.exit_code == 0, out.output
    assert "A night in detention" in out.output or fmt == "csv"
    assert "child" in out.output
    paths = CliRunner().invoke(main, ["report", "scenarios", "--db", db, "--table", "paths",
                                      "--format", "csv"])
    assert paths.exit_code == 0 and "interview[,]referred" in paths.output
