"""The ``gain`` report: knowledge gain from the pre-test to the final test, per learner.

Two tables: the groups' summary (means, the paired tests of :mod:`.inference`) and the
per-learner pairs (``--table pairs``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from mirco_lms.reports import inference, stats
from mirco_lms.reports.enrolments import UNKNOWN, Facts, group_facts, group_key
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

COLUMNS = (
    Column("group", "group"),
    Column("n", "n (paired)", "int"),
    Column("pretest_only", "pre-test only", "int"),
    Column("mean_pretest", "mean pre-test", "score"),
    Column("mean_final", "mean final", "score"),
    Column("mean_gain", "mean gain", "score"),
    Column("median_gain", "median gain", "score"),
    Column("sd_gain", "sd of gain", "score"),
    Column("normalized_gain", "normalized gain ⟨g⟩", "number"),
    Column("ci_low", "95 % CI of gain, low", "score"),
    Column("ci_high", "95 % CI of gain, high", "score"),
    Column("t", "paired t", "stat"),
    Column("p_t", "p (t-test)", "p"),
    Column("d_z", "Cohen's d_z", "stat"),
    Column("wilcoxon", "Wilcoxon W", "stat"),
    Column("p_wilcoxon", "p (Wilcoxon)", "p"),
    Column("tests", "tests"),
)
LEARNER_COLUMNS = (
    Column("learner", "learner"),
    Column("actor_id", "actor id"),
    Column("course", "course"),
    Column("group", "group"),
    Column("pretest", "pre-test", "score"),
    Column("final", "final", "score"),
    Column("gain", "gain", "score"),
)
NOTES = (
    "Pairs: a learner's FIRST scored pre-test attempt and their BEST final-test score in "
    "the same course (scores in percent). Learners with only one of the two are not "
    "paired ('pre-test only' counts those without a final score).",
    "Gain = final − pre-test, in percentage points; sd is the sample standard deviation "
    "(n − 1).",
    "Normalized gain ⟨g⟩ (Hake 1998) = (mean final − mean pre-test) / (100 − mean pre-test), "
    "from the group's paired means.",
    "Paired t-test (df = n − 1) and Wilcoxon signed-rank test (zero gains dropped) of final "
    "against pre-test, two-sided, computed with scipy; the 95 % CI of the mean gain uses the "
    "t distribution; Cohen's d_z = mean gain / sd of gain. 'tests' says why a figure is "
    "missing (fewer than two pairs, or gains that do not vary).",
)


FACTS = frozenset({"name", "pretest_score", "final_score"})
"""What the tables read of each enrolment (beside ``--by``'s group)."""


def facts(by: str | None) -> frozenset[str]:
    return FACTS | group_facts(by)


def _pair(e: Facts) -> tuple[float, float] | None:
    pre, final = e.pretest_score, e.final_score
    return (pre, final) if pre is not None and final is not None else None


def mean_gain(members: Sequence[Facts]) -> tuple[int, float | None]:
    """The number of pairs and their mean gain (as :func:`summarize` gives them, without
    the tests)."""
    pairs = [pair for e in members if (pair := _pair(e))]
    return len(pairs), stats.mean([final - pre for pre, final in pairs])


def summarize(group: str, members: Sequence[Facts]) -> dict[str, Any]:
    pairs = [pair for e in members if (pair := _pair(e))]
    gains = [final - pre for pre, final in pairs]
    pre_mean = stats.mean([pre for pre, _ in pairs])
    final_mean = stats.mean([final for _, final in pairs])
    return {
        "group": group,
        "n": len(pairs),
        "pretest_only": sum(1 for e in members
                            if e.pretest_score is not None and e.final_score is None),
        "mean_pretest": pre_mean,
        "mean_final": final_mean,
        "mean_gain": stats.mean(gains),
        "median_gain": stats.median(gains),
        "sd_gain": stats.stdev(gains),
        "normalized_gain": stats.hake_gain(pre_mean, final_mean),
        **_tests(pairs),
    }


def _tests(pairs: Sequence[tuple[float, float]]) -> dict[str, Any]:
    found = inference.paired(pairs)
    return {"ci_low": found.ci_low, "ci_high": found.ci_high, "t": found.t,
            "p_t": found.p_t, "d_z": found.d_z, "wilcoxon": found.wilcoxon,
            "p_wilcoxon": found.p_wilcoxon, "tests": found.note}


def tables(items: Sequence[Facts], by: str | None,
           whole: Sequence[Facts] | None = None) -> tuple[Table, Table]:
    """The summary (a row per group of ``items``, then "all" when there are several; with
    ``whole``, always, and of those enrolments) and the pairs of each item."""
    groups: dict[str, list[Facts]] = defaultdict(list)
    learners = []
    modules: dict[str, str] = {}  # each course's short id, made once
    for e in items:
        group = group_key(e, by)
        groups[group].append(e)
        pre, final = e.pretest_score, e.final_score
        if pre is not None and final is not None:
            module = modules.get(e.course_id)
            if module is None:
                module = modules[e.course_id] = p.short_id(e.course_id)
            learners.append({
                "learner": e.name or e.actor_id, "actor_id": e.actor_id,
                "course": module, "group": group,
                "pretest": pre, "final": final, "gain": final - pre,
            })
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0]))
    rows = [summarize(name, members) for name, members in ordered]
    if whole is not None:
        rows.append(summarize("all", whole))
    elif by is not None and len(rows) > 1:
        rows.append(summarize("all", items))
    learners.sort(key=lambda r: (r["course"], r["learner"]))
    return (
        Table("Knowledge gain" + (f" by {by}" if by else ""), COLUMNS, tuple(rows),
              name="summary"),
        Table("Pairs (pre-test, final) per learner", LEARNER_COLUMNS, tuple(learners),
              name="pairs"),
    )


def charts(summary: Table, learners: Table) -> tuple[Chart, ...]:
    gains = [float(r["gain"]) for r in learners.rows]
    bins = [0] * 10  # −100…100 in steps of 20
    for g in gains:
        bins[min(int((g + 100) // 20), 9)] += 1
    rows = [r for r in summary.rows if r["group"] != "all" or len(summary.rows) == 1]
    return (
        Chart("bars", "Mean pre-test and final score", tuple(
            f"{r['group']} {kind}" for r in rows for kind in ("pre", "final")
        ), tuple(v for r in rows for v in (r["mean_pretest"], r["mean_final"])), "%"),
        Chart("histogram", "Gain per learner (percentage points)",
              tuple(str(-100 + 20 * i) for i in range(10)), tuple(float(b) for b in bins),
              "count", note="bins of 20 points from −100 to +100"),
    )
