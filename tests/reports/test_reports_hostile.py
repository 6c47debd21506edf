"""One hostile statement never breaks the view or a report: out-of-range attempts, scores
and durations are stored, come out of ``mirco_statements_flat`` as NULL, and every report
(in every format, on SQLite and PostgreSQL, and over HTTP) still runs and ignores them."""

from __future__ import annotations

import copy
import json

import pytest
import reports_dataset
from mirco_lrs_test_fixtures import add_credential
from reports_dataset import C1, HOME, SUBMITTER
from sqlalchemy import text

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.views import OUTCOMES_VIEW, VIEW
from mirco_lms.reports.kinds import names, parse_spec
from mirco_lms.reports.render import render_text as render
from mirco_lms.reports.run import build_report
from mirco_lms.xapi import profile as p

HOSTILE_DURATIONS = ("P999999999999Y", "PT" + "9" * 400 + "S", "P" + "9" * 400 + "D",
                     "P99999999Y99999999M99999999W99999999D", "P2Y", "PT99999999999H")
HOSTILE_ATTEMPTS = (99999999999, -1, 1_000_001, 10**30, 1e300)
HOSTILE_SCORES = (10**16, -(10**16), 10**30, 1e300, -1e300)


def _hostile(key: str, n: int, *, attempt: object = None, score: object = None,
             duration: str | None = None) -> dict:
    """A final-test 'passed' (+ module 'passed' / 'terminated') by learner ``key``."""
    module = f"{reports_dataset.BASE}/{C1}"
    ext: dict = {p.EXT_MODULE_VERSION: "1.0.0", p.EXT_ASSESSMENT: p.FINAL}
    if attempt is not None:
        ext[p.EXT_ATTEMPT] = attempt
    result: dict = {"success": True, "completion": True}
    if score is not None:
        result["score"] = {"raw": score, "min": 0, "max": 100}
    if duration is not None:
        result["duration"] = duration
    return {
        "actor": {"objectType": "Agent", "name": f"Hostile {n}",
                  "account": {"homePage": HOME, "name": f"{key}{n}"}},
        "verb": {"id": p.PASSED if n % 2 else p.TERMINATED},
        "object": {"id": module, "definition": {"type": p.COURSE}},
        "context": {"registration": "6f1c3a0e-3b0a-4c55-9b7f-5a3c1d2e4f6" + str(n % 10),
                    "contextActivities": {"grouping": [{"id": module}],
                                          "category": [{"id": p.CATEGORY}]},
                    "extensions": ext},
        "result": result,
        "timestamp": f"2024-03-{10 + n % 15:02d}T10:00:00Z",
    }


def hostile_statements() -> list[dict]:
    out = [_hostile("d", i, duration=d) for i, d in enumerate(HOSTILE_DURATIONS)]
    out += [_hostile("a", i, attempt=v) for i, v in enumerate(HOSTILE_ATTEMPTS)]
    out += [_hostile("s", i, score=v) for i, v in enumerate(HOSTILE_SCORES)]
    answered = copy.deepcopy(out[-1])
    answered["verb"] = {"id": p.ANSWERED}
    answered["object"] = {"id": f"{reports_dataset.BASE}/{C1}/final-test/q1",
                          "definition": {"type": p.INTERACTION}}
    answered["context"]["extensions"][p.EXT_ATTEMPT] = 99999999999
    answered["context"]["extensions"][p.EXT_OUTCOMES] = ["LO1", 7, {"x": 1}, "LO2"]
    answered["result"] = {"response": "a", "success": True,
                          "score": {"raw": 1e300, "min": 0, "max": 1}}
    return [*out, answered]


@pytest.fixture
def hostile(loaded: SqlStore) -> SqlStore:
    stored = writes.save_statements(loaded, writes.Batch(hostile_statements()), SUBMITTER,
                                     "1.0.3")
    assert len(stored) == len(hostile_statements())
    return loaded


def _view(store: SqlStore, where: str = "") -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(f"SELECT * FROM {VIEW} {where}")).mappings()]


def test_out_of_range_values_are_null_in_the_view(hostile: SqlStore) -> None:
    rows = _view(hostile, "WHERE actor_name LIKE 'Hostile%'")
    assert len(rows) == len(hostile_statements())
    assert {r["duration_seconds"] for r in rows} == {None}
    assert {r["attempt"] for r in rows} == {None}
    assert {r["score_raw"] for r in rows} == {None}
    # in-range values of the same statements are still read
    assert {r["score_max"] for r in rows if r["score_max"] is not None} == {1.0, 100.0}
    with hostile.engine.connect() as conn:
        outcomes = conn.execute(text(f"SELECT outcome FROM {OUTCOMES_VIEW}")).scalars().all()
    assert sorted(outcomes) == ["LO1", "LO2"]  # the number and the object are left out


def test_in_range_values_at_the_limits_are_kept(store: SqlStore) -> None:
    limits = [_hostile("k", 0, attempt=1_000_000, duration="P1Y"),
              _hostile("k", 1, attempt=0, score=1e15, duration="PT31557600S")]
    writes.save_statements(store, writes.Batch(limits), SUBMITTER, "1.0.3")
    rows = sorted(_view(store), key=lambda r: r["attempt"])
    assert [r["attempt"] for r in rows] == [0, 1_000_000]
    assert [r["duration_seconds"] for r in rows] == [31_557_600, 31_557_600]
    assert rows[0]["score_raw"] == 1e15


@pytest.mark.parametrize("kind", names())
def test_every_report_runs_and_ignores_hostile_values(loaded: SqlStore, kind: str) -> None:
    spec = parse_spec(kind, course=C1 if kind == "progress" else None,
                      by="country" if kind in ("completions", "gain") else None)
    before = build_report(loaded, spec)
    writes.save_statements(loaded, writes.Batch(hostile_statements()), SUBMITTER, "1.0.3")
    report = build_report(loaded, spec)
    for fmt in ("table", "csv", "json", "html"):
        assert render(report, fmt)
    data = json.loads(render(report, "json"))
    json.dumps(data, allow_nan=False)  # strict JSON: no inf, no nan anywhere
    if kind in ("completions", "gain"):
        # the hostile learners are in no registry: the dataset's groups are unchanged
        after = {r["group"]: r for r in report.main.rows}
        for row in before.main.rows:
            if row["group"] != "all":
                assert after[row["group"]] == row
    if kind == "completions":
        # their scores (1e300, ±1e16…) and durations (P999999999999Y…) are left out
        unknown = {r["group"]: r for r in report.main.rows}["(unknown)"]
        assert unknown["launched"] == len({s["actor"]["account"]["name"]
                                           for s in hostile_statements()})
        assert unknown["mean_score"] is None and unknown["mean_minutes_on_task"] is None
    if kind == "items":
        # the hostile answer to q1 counts (success = true), its score 1e300 does not
        assert [r["n"] for r in report.main.rows] == [6, 5, 5]
        assert [r["n"] for r in before.main.rows] == [5, 5, 5]


def test_reports_over_http_answer_200(hostile: SqlStore, client) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": add_credential(hostile, "analyst", "all/read").header}
    for kind in ("completions", "gain", "items"):
        for fmt in ("json", "csv", "html"):
            answer = client.get(f"/reports/{kind}?format={fmt}", headers=headers)
            assert answer.status_code == 200, (kind, fmt, answer.text[:200])
    answer = client.get(f"/reports/progress?course={C1}", headers=headers)
    assert answer.status_code == 200


@pytest.mark.parametrize("kind", ["completions", "gain", "items"])
def test_reports_by_outcome_read_text_outcome_ids_only(hostile: SqlStore, kind: str) -> None:
    """An outcomes list holding a number and an object counts its texts only, by outcome
    as in the outcomes view (the flat view's ``outcomes`` column is read in Python)."""
    report = build_report(hostile, parse_spec(kind, by="outcome"))
    for fmt in ("table", "csv", "json", "html"):
        assert render(report, fmt)
    key = "outcome" if kind == "items" else "group"
    groups = {str(r[key]) for r in report.main.rows} - {"all", "(unknown)"}
    assert {g.rsplit("/", 1)[-1] for g in groups} == {"LO1", "LO2"}
