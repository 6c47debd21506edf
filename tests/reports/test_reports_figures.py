"""Report figures against values worked out by hand from ``reports_dataset.py``.

Every expected number below is derived in the comment next to it from the dataset's
table (not computed by the code under test). Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from reports_dataset import BASE, C1, C2, ifi

from mirco_lms.errors import ReportError
from mirco_lms.lrs.store import SqlStore
from mirco_lms.reports.kinds import parse_spec
from mirco_lms.reports.run import build_report

approx = pytest.approx


def report(store: SqlStore, kind: str, **options: Any):  # type: ignore[no-untyped-def]
    return build_report(store, parse_spec(kind, **options), activity_base=BASE,
                        project_modules=[C1, C2])


def rows_by_group(rep) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {row["group"]: row for row in rep.main.rows}


def test_completions_overall(loaded: SqlStore) -> None:
    [row] = report(loaded, "completions").main.rows
    assert row["launched"] == 8  # L1–L8; L9 never started
    assert row["completed"] == 6  # L1 L2 L3 L5 L6 L8
    assert row["completion_rate"] == approx(6 / 8)
    assert row["passed"] == 4  # L1 L3 L6 L8 (L4's 'passed' is voided)
    assert row["failed"] == 3  # L2 L4 L5
    assert row["pass_rate"] == approx(4 / 7)
    # best final scores: 100, 66.67, 100, 0, 66.67, 80, 90 (L7 has none)
    assert row["mean_score"] == approx((100 + 200 / 3 + 100 + 0 + 200 / 3 + 80 + 90) / 7)
    assert row["median_score"] == approx(80)  # 0, 66.7, 66.7, [80], 90, 100, 100
    assert row["score_distribution"] == [1, 0, 0, 0, 0, 0, 2, 0, 1, 3]
    # hours to complete: 24, 2, 4, 6, 3, 48 → sorted 2 3 [4 6] 24 48
    assert row["median_hours_to_complete"] == approx(5)
    # minutes on task: 90 45 90 20 60 120 15 75 → sum 515
    assert row["mean_minutes_on_task"] == approx(515 / 8)
    assert row["median_minutes_on_task"] == approx((60 + 75) / 2)


def test_completions_by_course(loaded: SqlStore) -> None:
    groups = rows_by_group(report(loaded, "completions", by="course"))
    c1, c2 = groups[C1], groups[C2]
    assert (c1["launched"], c1["completed"], c1["passed"], c1["failed"]) == (5, 4, 2, 3)
    assert c1["completion_rate"] == approx(0.8) and c1["pass_rate"] == approx(0.4)
    assert c1["mean_score"] == approx((100 + 200 / 3 + 100 + 0 + 200 / 3) / 5)
    assert c1["median_score"] == approx(200 / 3)
    assert (c2["launched"], c2["completed"], c2["passed"], c2["failed"]) == (3, 2, 2, 0)
    assert c2["completion_rate"] == approx(2 / 3) and c2["pass_rate"] == approx(1.0)
    assert c2["mean_score"] == approx(85) and c2["median_score"] == approx(85)
    assert groups["all"]["launched"] == 8


def test_completions_by_country_uses_the_registry_for_missing_context(loaded: SqlStore) -> None:
    groups = rows_by_group(report(loaded, "completions", by="country"))
    # RS: L1 L2 L3 L7; BA: L4 L5 L6 and L8 (L8's country only in the registry)
    assert groups["RS"]["launched"] == 4 and groups["BA"]["launched"] == 4
    assert groups["RS"]["pass_rate"] == approx(2 / 3)  # L1 L3 passed, L2 failed
    assert groups["BA"]["pass_rate"] == approx(2 / 4)  # L6 L8 passed, L4 L5 failed
    assert "(unknown)" not in groups


def test_completions_by_language_and_month(loaded: SqlStore) -> None:
    lang = rows_by_group(report(loaded, "completions", by="language"))
    en, sr = lang["en"], lang["sr-Latn"]
    assert (en["launched"], en["completed"], en["passed"], en["failed"]) == (5, 4, 2, 2)
    assert en["mean_score"] == approx((100 + 200 / 3 + 200 / 3 + 90) / 4)
    assert en["median_score"] == approx((200 / 3 + 90) / 2)
    assert (sr["launched"], sr["completed"], sr["passed"], sr["failed"]) == (3, 2, 2, 1)
    assert sr["mean_score"] == approx(60) and sr["median_score"] == approx(80)
    month = rows_by_group(report(loaded, "completions", by="month"))
    assert month["2024-03"]["launched"] == 5 and month["2024-04"]["launched"] == 3


def test_completions_filters(loaded: SqlStore) -> None:
    [row] = report(loaded, "completions", course=C2, language="sr").main.rows
    assert (row["launched"], row["passed"]) == (1, 1)  # L6 only ('sr' matches sr-Latn)
    [row] = report(loaded, "completions", institution="MSB").main.rows
    assert row["launched"] == 4  # L4 L5 L6 L8
    [row] = report(loaded, "completions", since="2024-04-01").main.rows
    assert row["launched"] == 3  # the C2 learners (C1 ended on 2024-03-05)
    [row] = report(loaded, "completions", since="2024-03-02", until="2024-03-02").main.rows
    assert (row["launched"], row["completed"]) == (2, 2)  # L1's 2nd day, L2; both complete


def test_completions_charts(loaded: SqlStore) -> None:
    charts = {c.title: c for c in report(loaded, "completions").charts}
    over_time = charts["Completions over time (per month)"]
    assert over_time.labels == ("2024-03", "2024-04") and over_time.values == (4.0, 2.0)
    by_country = charts["Pass rate by country"]
    assert dict(zip(by_country.labels, by_country.values, strict=True)) == {
        "BA": approx(50.0), "RS": approx(200 / 3)}


def test_gain(loaded: SqlStore) -> None:
    rep = report(loaded, "gain")
    [row] = rep.main.rows
    # pairs (first pre-test, best final): L1 (33.3, 100) L2 (66.7, 66.7) L3 (33.3, 100)
    # L4 (0, 0) L6 (50, 80) L8 (60, 90); L5 has no pre-test, L7 no final
    assert row["n"] == 6 and row["pretest_only"] == 1
    gains = [200 / 3, 0, 200 / 3, 0, 30, 30]
    assert row["mean_gain"] == approx(sum(gains) / 6)  # 32.22
    assert row["median_gain"] == approx(30)  # 0 0 [30 30] 66.7 66.7
    # sd: deviations 34.44 −32.22 34.44 −32.22 −2.22 −2.22; Σd² = 4459.26; /5 → √891.85
    assert row["sd_gain"] == approx(29.8638, abs=1e-3)
    pre = (100 / 3 + 200 / 3 + 100 / 3 + 0 + 50 + 60) / 6  # 40.56
    post = (100 + 200 / 3 + 100 + 0 + 80 + 90) / 6  # 72.78
    assert row["mean_pretest"] == approx(pre) and row["mean_final"] == approx(post)
    assert row["normalized_gain"] == approx((post - pre) / (100 - pre))  # 0.5421
    learners = {r["actor_id"]: r for r in rep.tables[1].rows}
    assert learners[ifi("L1")]["pretest"] == approx(100 / 3)  # the first pre-test, not 66.7
    # paired t = mean / (sd / √6) = 32.222 / (29.8638 / 2.44949) = 32.222 / 12.1920 = 2.6429
    assert row["t"] == approx(2.6429, abs=1e-4)
    # 95 % CI: t(0.975; 5) = 2.570582 (tables) → 32.222 ± 31.3406 = [0.8820, 63.5625]
    assert row["ci_low"] == approx(0.8820, abs=1e-3)
    assert row["ci_high"] == approx(63.5625, abs=1e-3)
    assert row["d_z"] == approx(32.2222 / 29.8638, abs=1e-4)  # 1.0790
    assert 0.04 < row["p_t"] < 0.05  # t(5) two-sided: t = 2.571 gives 0.05, 3.365 gives 0.02
    # Wilcoxon: the two zero gains dropped, the other four all positive → W = 0
    assert row["wilcoxon"] == 0 and row["tests"] == ""


def test_gain_by_course(loaded: SqlStore) -> None:
    groups = rows_by_group(report(loaded, "gain", by="course"))
    assert groups[C1]["n"] == 4 and groups[C2]["n"] == 2
    assert groups[C2]["mean_gain"] == approx(30) and groups[C2]["sd_gain"] == approx(0)
    assert groups[C1]["median_gain"] == approx((0 + 200 / 3) / 2)  # 0 0 66.7 66.7
    # C2's two pairs both gain 30: no spread, so no t-test — said, never NaN
    assert groups[C2]["t"] is None and groups[C2]["d_z"] is None
    assert "same gain" in groups[C2]["tests"]


def test_items(loaded: SqlStore) -> None:
    rows = {r["question"]: r for r in report(loaded, "items", course=C1).main.rows}
    assert set(rows) == {"q1", "q2", "q3"}
    # first attempts L1..L5: q1 = 1 1 1 0 1, q2 = 1 0 1 0 1, q3 = 0 1 1 0 0
    # totals 2 2 3 0 2 (L1's second attempt, all correct, is left out)
    assert rows["q1"]["n"] == 5
    assert rows["q1"]["difficulty"] == approx(0.8)
    assert rows["q2"]["difficulty"] == approx(0.6)
    assert rows["q3"]["difficulty"] == approx(0.4)
    # q1: rest = 1 1 2 0 1; Sxx = 0.8, Syy = 2, Sxy = 1 → r = 1/√1.6
    assert rows["q1"]["discrimination"] == approx(0.790569, abs=1e-5)
    # q2: rest = 1 2 2 0 1; Sxx = 1.2, Syy = 2.8, Sxy = 0.4 → 0.4/√3.36
    assert rows["q2"]["discrimination"] == approx(0.218218, abs=1e-5)
    # q3: rest = 2 1 2 0 2; Sxx = 1.2, Syy = 3.2, Sxy = 0.2 → 0.2/√3.84
    assert rows["q3"]["discrimination"] == approx(0.102062, abs=1e-5)
    counts = {q: {o["id"]: (o["count"], o["correct"]) for o in r["options"]}
              for q, r in rows.items()}
    assert counts["q1"] == {"a": (4, True), "b": (1, False), "c": (0, False)}
    assert counts["q2"] == {"a": (1, False), "b": (3, True), "c": (1, False)}
    assert counts["q3"] == {"a": (2, True), "b": (2, False), "c": (1, False)}
    assert "weak discrimination" in rows["q3"]["flag"]


def test_items_by_language(loaded: SqlStore) -> None:
    rows = {(r["question"], r["language"]): r
            for r in report(loaded, "items", course=C1, by="language").main.rows}
    # en: L1 L2 L5 all right on q1 → p = 1, no spread → r undefined
    assert rows[("q1", "en")]["n"] == 3 and rows[("q1", "en")]["difficulty"] == approx(1.0)
    assert rows[("q1", "en")]["discrimination"] is None
    # sr-Latn: L3 (right, rest 2) and L4 (wrong, rest 0) → p = 0.5, r = 1
    assert rows[("q1", "sr-Latn")]["difficulty"] == approx(0.5)
    assert rows[("q1", "sr-Latn")]["discrimination"] == approx(1.0)
    labels = {o["id"]: o["label"] for o in rows[("q1", "sr-Latn")]["options"]}
    assert labels["a"] == "Opcija A"


def test_progress_for_an_institution(loaded: SqlStore) -> None:
    rows = report(loaded, "progress", institution="MUP").main.rows
    state = {(r["actor_id"], r["course"]): r for r in rows}
    assert state[(ifi("L1"), C1)]["state"] == "passed"
    assert state[(ifi("L2"), C1)]["state"] == "failed"
    assert state[(ifi("L7"), C2)]["state"] == "in progress"
    assert state[(ifi("L7"), C2)]["at"] == "smuggling-vs-trafficking"
    assert state[(ifi("L9"), C1)]["state"] == "not started"
    assert state[(ifi("L1"), C2)]["state"] == "not started"
    # 4 enrolments of MUP learners + not started: L1 L2 L3 in C2, L7 in C1, L9 in both
    assert len(rows) == 10


def test_progress_for_a_course(loaded: SqlStore) -> None:
    rows = report(loaded, "progress", course=C2).main.rows
    states = {r["actor_id"]: r["state"] for r in rows}
    assert states[ifi("L6")] == "passed" and states[ifi("L8")] == "passed"
    assert states[ifi("L7")] == "in progress"
    assert states[ifi("L1")] == "not started"  # registered, never in C2
    assert ifi("L6") in states  # L6 is not registered but has statements
    assert len(rows) == 3 + 6  # L6 L7 L8, then L1 L2 L3 L4 L5 L9 not started


def test_empty_store_says_so(store: SqlStore) -> None:
    rep = build_report(store, parse_spec("completions"))
    assert rep.empty and rep.main.rows == ()
    assert rep.notes[0].startswith("no statements match")
    rep = build_report(store, parse_spec("items", course=C1), activity_base=BASE,
                       project_modules=[C1])
    assert rep.empty and "course=" in rep.notes[0]


def test_unknown_course_names_the_known_ones(loaded: SqlStore) -> None:
    with pytest.raises(ReportError) as caught:
        report(loaded, "completions", course="no-such-course")
    assert C1 in str(caught.value.hint) and C2 in str(caught.value.hint)
