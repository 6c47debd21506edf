"""``--by outcome`` on a small hand-checked data set (SQLite and PostgreSQL).

Course "oc": pre-test p1 (LO1), p2 (LO2), p3 (LO1, LO2), one point each; final test f1
(LO1, 1 point), f2 (LO2, 2 points), f3 (LO1, LO2, 1 point); lessons l1 (LO1), l2 (LO2).
Answers (1 right, 0 wrong), by learner:

    A  pre p1 p2 p3 = 1 0 0   final #1 f1 f2 f3 = 0 1 0 (2/4 failed), #2 = 1 1 1 (4/4 passed)
    B  pre          = 1 1 1   final #1          = 1 0 1 (2/4 failed, completed)
    C  pre          = 0 0 0   final #1          = 0 1 1 (3/4 passed)
    D  only visits lesson l1

Outcome scores (Σ points / Σ max × 100; first pre-test attempt, best final attempt):

    A  LO1 pre (p1+p3) 1/2 = 50,   final #2 (f1+f3) 2/2 = 100;  LO2 pre 0/2 = 0,   final 3/3 = 100
    B  LO1 pre 2/2 = 100,          final 2/2 = 100;             LO2 pre 2/2 = 100, final 1/3 = 33.33
    C  LO1 pre 0/2 = 0,            final 1/2 = 50;              LO2 pre 0/2 = 0,   final 3/3 = 100
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from reports_dataset import HOME, SUBMITTER

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.registry import Learner, upsert_learners
from mirco_lms.reports import aggregate, gain, outcomes
from mirco_lms.reports.data import fetch, fetch_outcomes
from mirco_lms.reports.enrolments import enrolments
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.run import build_report
from mirco_lms.xapi import profile as p

IDS = p.ActivityIds("https://example.org/mirco", "oc")
OUTCOMES = {"p1": ["LO1"], "p2": ["LO2"], "p3": ["LO1", "LO2"],
            "f1": ["LO1"], "f2": ["LO2"], "f3": ["LO1", "LO2"]}
POINTS = {"f2": 2}
COUNTRY = {"A": "MK", "B": "BA", "C": "ME", "D": "MK"}


class Play:
    """One learner's statements in course "oc", a minute apart."""

    def __init__(self, key: str) -> None:
        self.key, self.out, self.minute = key, [], 0
        self.registration = str(uuid.uuid4())

    def emit(self, verb: str, obj: str, kind: str, *, result: dict | None = None,
             parent: str | None = None, outcomes: list[str] | None = None,
             **extensions: Any) -> None:
        self.minute += 1
        ext: dict[str, Any] = {p.EXT_MODULE_VERSION: "1.0.0", p.EXT_PROVIDER_COUNTRY: "RS"}
        ext.update({p.EXTENSIONS + k: v for k, v in extensions.items()})
        if outcomes:
            ext[p.EXT_OUTCOMES] = outcomes
        acts: dict[str, Any] = {"grouping": [{"id": IDS.module}], "category": [{"id": p.CATEGORY}]}
        if parent:
            acts["parent"] = [{"id": parent}]
        stmt: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": HOME, "name": self.key}},
            "verb": {"id": verb}, "object": {"id": obj, "definition": {"type": kind}},
            "context": {"registration": self.registration, "language": "en",
                        "contextActivities": acts, "extensions": ext},
            "timestamp": f"2024-05-01T{8 + self.minute // 60:02d}:{self.minute % 60:02d}:00Z",
        }
        if result is not None:
            stmt["result"] = result
        self.out.append(stmt)

    def test(self, page: str, kind: str, attempt: int, answers: str) -> None:
        test = IDS.page(page)
        got = top = 0
        for index, right in enumerate(answers, start=1):
            question = f"{page[0]}{index}"
            points = POINTS.get(question, 1)
            got, top = got + points * int(right), top + points
            self.emit(p.ANSWERED, IDS.question(page, question), p.INTERACTION, parent=test,
                      outcomes=OUTCOMES[question], assessment=kind, attempt=attempt,
                      result={"success": right == "1",
                              "score": {"raw": points * int(right), "min": 0, "max": points}})
        score = {"scaled": round(got / top, 4)}
        verb = p.COMPLETED if kind == p.PRETEST else (p.PASSED if got / top >= 0.7 else p.FAILED)
        self.emit(verb, test, p.ASSESSMENT, parent=IDS.module, outcomes=["LO1", "LO2"],
                  assessment=kind, attempt=attempt, result={"score": score, "completion": True})
        if kind == p.FINAL:
            self.emit(verb, IDS.module, p.COURSE, result={"score": score})


def data_set() -> list[dict]:
    out = []
    plays = {"A": ("100", ["010", "111"]), "B": ("111", ["101"]), "C": ("000", ["011"])}
    for key, (pre, finals) in plays.items():
        learner = Play(key)
        learner.emit(p.INITIALIZED, IDS.module, p.COURSE)
        learner.test("pretest", p.PRETEST, 1, pre)
        learner.emit(p.EXPERIENCED, IDS.page("l1"), p.LESSON, parent=IDS.module,
                     outcomes=["LO1"], result={"duration": "PT5M"})
        learner.emit(p.EXPERIENCED, IDS.page("l2"), p.LESSON, parent=IDS.module,
                     outcomes=["LO2"], result={"duration": "PT5M"})
        for attempt, answers in enumerate(finals, start=1):
            learner.test("final-test", p.FINAL, attempt, answers)
        learner.emit(p.COMPLETED, IDS.module, p.COURSE, result={"completion": True})
        out += learner.out
    lurker = Play("D")
    lurker.emit(p.INITIALIZED, IDS.module, p.COURSE)
    lurker.emit(p.EXPERIENCED, IDS.page("l1"), p.LESSON, parent=IDS.module, outcomes=["LO1"])
    return out + lurker.out


@pytest.fixture
def outcome_store(store: SqlStore) -> SqlStore:
    writes.save_statements(store, writes.Batch(data_set()), SUBMITTER, "1.0.3")
    upsert_learners(store, [Learner(f"account:{HOME}|{k}", k, None, k, "Police", c, None)
                            for k, c in COUNTRY.items()])
    return store


def _rows(store: SqlStore, kind: str, course: str | None = "oc") -> dict[str, dict]:
    report = build_report(store, parse_spec(kind, course=course, by="outcome"))
    return {r.get("group") or r["outcome"]: r for r in report.main.rows}


def test_gain_by_outcome(outcome_store: SqlStore) -> None:
    rows = _rows(outcome_store, "gain")
    lo1, lo2, whole = rows["LO1"], rows["LO2"], rows["all"]
    # LO1 pairs (50, 100), (100, 100), (0, 50): gains 50, 0, 50
    assert lo1["n"] == 3
    assert (lo1["mean_pretest"], lo1["mean_final"]) == pytest.approx((50, 250 / 3))
    assert (lo1["mean_gain"], lo1["median_gain"]) == pytest.approx((100 / 3, 50))
    # sd: deviations 50/3, −100/3, 50/3 → √((2500 + 10000 + 2500) / 9 / 2) = 28.8675
    assert lo1["sd_gain"] == pytest.approx(28.8675, abs=1e-4)
    # ⟨g⟩ = (83.333 − 50) / (100 − 50) = 2/3
    assert lo1["normalized_gain"] == pytest.approx(2 / 3)
    # LO2 pairs (0, 100), (100, 33.33), (0, 100): gains 100, −66.67, 100
    assert (lo2["mean_pretest"], lo2["mean_final"]) == pytest.approx((100 / 3, 700 / 9))
    assert (lo2["mean_gain"], lo2["median_gain"]) == pytest.approx((400 / 9, 100))
    # ⟨g⟩ = (77.78 − 33.33) / (100 − 33.33) = (400/9) / (200/3) = 2/3
    assert lo2["normalized_gain"] == pytest.approx(2 / 3)
    # the whole test: pre scaled 0.3333 (four decimals), 1, 0; best final 100, 50, 75
    # → gains 66.67, −50, 75: mean (66.67 − 50 + 75) / 3 = 30.5567
    assert whole["n"] == 3
    assert whole["mean_gain"] == pytest.approx(30.5567, abs=1e-4)


def test_completions_by_outcome(outcome_store: SqlStore) -> None:
    rows = _rows(outcome_store, "completions")
    # D visited l1 (LO1) only: launched under LO1, not under LO2
    assert (rows["LO1"]["launched"], rows["LO2"]["launched"], rows["all"]["launched"]) == (4, 3, 4)
    assert (rows["LO1"]["passed"], rows["LO1"]["failed"], rows["LO1"]["completed"]) == (2, 1, 3)
    # outcome scores in the best final attempt: LO1 100, 100, 50; LO2 100, 33.33, 100
    assert rows["LO1"]["mean_score"] == pytest.approx(250 / 3)
    assert rows["LO2"]["mean_score"] == pytest.approx(700 / 9)
    # the whole test's best scores: 100, 50, 75
    assert rows["all"]["mean_score"] == pytest.approx(75)


def test_items_by_outcome(outcome_store: SqlStore) -> None:
    report = build_report(outcome_store, parse_spec("items", course="oc", by="outcome"))
    listed = [(r["outcome"], r["question"]) for r in report.main.rows]
    assert listed == [("LO1", "p1"), ("LO1", "p3"), ("LO1", "f1"), ("LO1", "f3"),
                      ("LO2", "p2"), ("LO2", "p3"), ("LO2", "f2"), ("LO2", "f3")]
    # first attempts only: f1 right for B (1 of 3), f2 right for A and C (2 of 3)
    difficulty = {r["question"]: r["difficulty"] for r in report.main.rows}
    assert (difficulty["f1"], difficulty["f2"], difficulty["p3"]) == pytest.approx(
        (1 / 3, 2 / 3, 1 / 3))


def test_by_outcome_without_a_course_names_the_module(outcome_store: SqlStore) -> None:
    assert {"oc/LO1", "oc/LO2", "all"} == set(_rows(outcome_store, "gain", course=None))


def test_by_country_is_the_learners_not_the_providers(outcome_store: SqlStore) -> None:
    rows = build_report(outcome_store, parse_spec("completions", by="country")).main.rows
    assert {r["group"]: r["launched"] for r in rows} == {"BA": 1, "ME": 1, "MK": 2, "all": 4}


def test_outcome_scores_read_every_shape_of_answer(store: SqlStore) -> None:
    """Learner E's answers carry a score with and without a maximum, or only success; a
    question answered twice in an attempt counts its first answer; of two final attempts
    with the same whole-test score, the earlier counts. Read as the aggregated report
    streams them (in one thread and beside the grouped read) and row by row:

        pre   #1 p1 success, p2 failure, p3 raw 0.5 (max 1), p1 again (ignored)
              LO1 (1 + 0.5) / 2 = 75,  LO2 (0 + 0.5) / 2 = 25
              #2 all right (the first attempt counts)
        final #1 f1 1/1, f2 success, f3 failure: 2/3     LO1 1/2 = 50, LO2 1/2 = 50
              #2 f1 failure, f2 2/2 raw, f3 raw 0: 2/4
              #3 f1 success, f2 failure, f3 raw 1: 2/3   (a tie with #1: #1 counts)
    """
    e = Play("E")

    def answer(page: str, kind: str, attempt: int, question: str, result: dict) -> None:
        e.emit(p.ANSWERED, IDS.question(page, question), p.INTERACTION, parent=IDS.page(page),
               outcomes=OUTCOMES[question], assessment=kind, attempt=attempt, result=result)

    right, wrong = {"success": True}, {"success": False}
    for question, result in (("p1", right), ("p2", wrong), ("p3", {"score": {"raw": 0.5}}),
                             ("p1", wrong)):
        answer("pretest", p.PRETEST, 1, question, result)
    for question in ("p1", "p2", "p3"):  # a second pre-test attempt: the first counts
        answer("pretest", p.PRETEST, 2, question, right)
    finals = [
        (("f1", {"score": {"raw": 1, "max": 1}}), ("f2", right), ("f3", wrong)),
        (("f1", wrong), ("f2", {"score": {"raw": 2, "max": 2}}), ("f3", {"score": {"raw": 0}})),
        (("f1", right), ("f2", wrong), ("f3", {"score": {"raw": 1}})),
    ]
    for attempt, answers in enumerate(finals, start=1):
        for question, result in answers:
            answer("final-test", p.FINAL, attempt, question, result)
    writes.save_statements(store, writes.Batch(e.out), SUBMITTER, "1.0.3")
    expected = {"LO1": (75.0, 50.0), "LO2": (25.0, 50.0)}
    key = (f"account:{HOME}|E", IDS.module)
    spec = parse_spec("gain", by="outcome")
    assert aggregate.outcome_scores(store, spec, None)[key] == expected
    with store.snapshot(readers=2) as reads:
        assert aggregate.outcome_figures(reads, spec, None, gain.FACTS)[1][key] == expected
    found = enrolments(fetch(store, spec, None))
    assert outcomes.scores_by_rows(found, fetch_outcomes(store, spec, None))[key] == expected
    pairs = build_report(store, spec).tables[1].rows  # its outcomes beside the grouped read
    assert {(r["group"], r["pretest"], r["final"]) for r in pairs if r["actor_id"] == key[0]} == {
        ("oc/LO1", 75.0, 50.0), ("oc/LO2", 25.0, 50.0)}
