"""The ``completions`` report: who launched, completed and passed, how well, how fast."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from mirco_lms.reports import stats
from mirco_lms.reports.enrolments import UNKNOWN, Facts, group_facts, group_key
from mirco_lms.reports.model import Chart, Column, Table

COLUMNS = (
    Column("group", "group"),
    Column("launched", "launched", "int"),
    Column("completed", "completed", "int"),
    Column("completion_rate", "completion rate", "rate"),
    Column("passed", "passed", "int"),
    Column("failed", "failed", "int"),
    Column("pass_rate", "pass rate", "rate"),
    Column("mean_score", "mean score", "score"),
    Column("median_score", "median score", "score"),
    Column("score_distribution", "scores 0–100", "counts"),
    Column("median_hours_to_complete", "median hours to complete", "hours"),
    Column("mean_minutes_on_task", "mean minutes on task", "minutes"),
    Column("median_minutes_on_task", "median minutes on task", "minutes"),
)

NOTES = (
    "An enrolment is one learner in one course; launched = enrolments with any statement "
    "in the period.",
    "Completed = a 'completed' statement on the module. Completion rate = completed / "
    "launched.",
    "Passed = a 'passed' statement on the module (or its final test); failed = 'failed' "
    "and never passed. Pass rate = passed / (passed + failed).",
    "Score = the learner's best final-test score in percent; mean, median and the "
    "distribution are over learners with a score.",
    "Hours to complete = first statement → first module 'completed'. Minutes on task = "
    "sum of result.duration of the learner's sessions ('terminated' on the module).",
    "Month groups enrolments by the month (UTC) of their first statement.",
)


def summarize(group: str, members: Sequence[Facts]) -> dict[str, Any]:
    completed = [e for e in members if e.completed_time]
    passed = sum(1 for e in members if e.passed)
    failed = sum(1 for e in members if e.failed)
    scores = [s for e in members if (s := e.final_score) is not None]
    hours = [h for e in completed if (h := e.hours_to_complete) is not None]
    minutes = [m for e in members if (m := e.time_on_task_minutes) is not None]
    return {
        "group": group,
        "launched": len(members),
        "completed": len(completed),
        "completion_rate": stats.rate(len(completed), len(members)),
        "passed": passed,
        "failed": failed,
        "pass_rate": stats.rate(passed, passed + failed),
        "mean_score": stats.mean(scores),
        "median_score": stats.median(scores),
        "score_distribution": stats.histogram(scores),
        "median_hours_to_complete": stats.median(hours),
        "mean_minutes_on_task": stats.mean(minutes),
        "median_minutes_on_task": stats.median(minutes),
    }


FACTS = frozenset({"completed_time", "passed", "failed", "final_score", "hours_to_complete",
                   "time_on_task_minutes", "country", "language"})
"""What the table and the charts read of each enrolment (beside ``--by``'s group)."""


def facts(by: str | None) -> frozenset[str]:
    return FACTS | group_facts(by)


def _groups(items: Sequence[Facts], by: str | None) -> dict[str, list[Facts]]:
    groups: dict[str, list[Facts]] = defaultdict(list)
    for enrolment in items:
        groups[group_key(enrolment, by)].append(enrolment)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0])))


def table(items: Sequence[Facts], by: str | None,
          whole: Sequence[Facts] | None = None) -> Table:
    """One row per group of ``items``, then "all" (when there are several groups): every
    item's. ``whole``: the "all" row is always added, and is these enrolments' (an item
    per enrolment and outcome: the row counts each enrolment once)."""
    rows = [summarize(name, members) for name, members in _groups(items, by).items()]
    if whole is not None:
        rows.append(summarize("all", whole))
    elif by is not None and len(rows) > 1:
        rows.append(summarize("all", items))
    return Table("Completions" + (f" by {by}" if by else ""), COLUMNS, tuple(rows))


def _pass_rate_chart(items: Sequence[Facts], by: str) -> Chart:
    groups = _groups(items, by)
    labels, values = [], []
    for name, members in groups.items():
        passed = sum(1 for e in members if e.passed)
        decided = passed + sum(1 for e in members if e.failed)
        labels.append(name)
        values.append(None if not decided else passed / decided * 100)
    return Chart("bars", f"Pass rate by {by}", tuple(labels), tuple(values), "%")


def charts(items: Sequence[Facts]) -> tuple[Chart, ...]:
    months = Counter(t[:7] for e in items if (t := e.completed_time))
    ordered = sorted(months)
    scores = [s for e in items if (s := e.final_score) is not None]
    bins = stats.histogram(scores)
    return (
        Chart("bars", "Completions over time (per month)", tuple(ordered),
              tuple(float(months[m]) for m in ordered), "count"),
        _pass_rate_chart(items, "country"),
        _pass_rate_chart(items, "language"),
        Chart("histogram", "Final-test scores", tuple(f"{i * 10}" for i in range(10)),
              tuple(float(b) for b in bins), "count", note="percent; bins of 10 points"),
    )
