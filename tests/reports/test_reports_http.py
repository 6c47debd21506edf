"""``GET /reports/<kind>`` on the collector: credentials, scopes, formats, bad input."""

from __future__ import annotations

import csv
import io

from mirco_lrs_test_fixtures import add_credential
from reports_dataset import C1

from mirco_lms.lrs.store import SqlStore


def test_reports_need_credentials_with_a_read_scope(loaded: SqlStore, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/reports/completions").status_code == 401
    writer = add_credential(loaded, "writer", "statements/write")
    answer = client.get("/reports/completions", headers={"Authorization": writer.header})
    assert answer.status_code == 403 and "statements/read" in answer.json()["hint"]
    mine = add_credential(loaded, "mine", "statements/read/mine")
    assert client.get("/reports/completions",
                      headers={"Authorization": mine.header}).status_code == 403
    for scope in ("statements/read", "all/read", "all"):
        reader = add_credential(loaded, f"reader {scope}", scope)
        answer = client.get("/reports/completions", headers={"Authorization": reader.header})
        assert answer.status_code == 200, scope


def test_report_formats(loaded: SqlStore, client) -> None:  # type: ignore[no-untyped-def]
    reader = add_credential(loaded, "analyst", "all/read")
    headers = {"Authorization": reader.header}
    data = client.get(f"/reports/completions?course={C1}", headers=headers).json()
    [row] = data["tables"][0]["rows"]
    assert (row["launched"], row["completed"], row["passed"]) == (5, 4, 2)
    answer = client.get("/reports/items?course=migration-human-rights&format=csv",
                        headers=headers)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["question"] for r in rows] == ["q1", "q2", "q3"]
    assert rows[0]["difficulty"] == "0.8000"
    page = client.get("/reports/gain?format=html&by=course", headers=headers)
    assert page.headers["content-type"].startswith("text/html")
    assert "<svg" in page.text and "<script" not in page.text
    pairs = client.get("/reports/gain?table=pairs&format=csv", headers=headers)
    assert pairs.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(pairs.text)))) == 6  # the six paired learners


def test_bad_report_requests_answer_400_naming_the_problem(loaded: SqlStore, client) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": add_credential(loaded, "analyst", "all").header}
    cases = {
        "/reports/nonsense": "unknown report",
        "/reports/completions?course=nowhere": "unknown course",
        "/reports/completions?since=31.03.2024": "is not a date",
        "/reports/completions?by=planet": "cannot be grouped by",
        "/reports/completions?format=pdf": "format must be one of json, csv, html",
        "/reports/completions?colour=red": "unknown parameter",
        "/reports/gain?table=people": "has no table 'people'",
    }
    for url, message in cases.items():
        answer = client.get(url, headers=headers)
        assert answer.status_code == 400, url
        assert message in answer.json()["error"], url
    assert "migration-human-rights" in client.get(
        "/reports/completions?course=nowhere", headers=headers).json()["hint"]
