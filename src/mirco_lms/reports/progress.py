"""The ``progress`` report: where each learner of a course or institution stands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from mirco_lms.lrs.store.registry import Learner
from mirco_lms.reports.enrolments import Facts
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

STATES = ("not started", "in progress", "completed", "failed", "passed")
COLUMNS = (
    Column("learner", "learner"),
    Column("actor_id", "actor id"),
    Column("institution", "institution"),
    Column("country", "country"),
    Column("unit", "unit"),
    Column("course", "course"),
    Column("state", "state"),
    Column("at", "at lesson"),
    Column("score", "best final score", "score"),
    Column("last_activity", "last activity"),
)
NOTES = (
    "passed / failed: the module's (or final test's) result; failed means never passed. "
    "completed: 'completed' on the module without a pass/fail result. in progress: any "
    "other statement; 'at lesson' is the lesson or test of the newest statement that "
    "names one.",
    "not started: learners in the registry (of the chosen institution / country) with no "
    "statement in the course during the period.",
)


FACTS = frozenset({"passed", "failed", "completed_time", "name", "institution", "country",
                   "unit", "last_page", "final_score", "last_time"})
"""What the table reads of each enrolment."""


def state(enrolment: Facts) -> str:
    if enrolment.passed:
        return "passed"
    if enrolment.failed:
        return "failed"
    if enrolment.completed_time:
        return "completed"
    return "in progress"


def _row(enrolment: Facts, registered: Learner | None) -> dict[str, Any]:
    return {
        "learner": enrolment.name or (registered.name if registered else None)
        or enrolment.actor_id,
        "actor_id": enrolment.actor_id,
        "institution": enrolment.institution, "country": enrolment.country,
        "unit": enrolment.unit,
        "course": p.short_id(enrolment.course_id), "state": state(enrolment),
        "at": p.short_id(enrolment.last_page) if state(enrolment) == "in progress" else "",
        "score": enrolment.final_score, "last_activity": enrolment.last_time,
    }


def _not_started(learner: Learner, course: str) -> dict[str, Any]:
    return {
        "learner": learner.name or learner.account or learner.email,
        "actor_id": learner.actor_ifi, "institution": learner.institution,
        "country": learner.country, "unit": learner.unit,
        "course": p.short_id(course) if course else "", "state": "not started", "at": "",
        "score": None, "last_activity": None,
    }


def table(items: Sequence[Facts], registry: Sequence[Learner],
          course: str | None) -> Table:
    courses = [course] if course else sorted({e.course_id for e in items})
    by_key = {(e.actor_id, e.course_id): e for e in items}
    registered = {learner.actor_ifi: learner for learner in registry}
    rows = [_row(e, registered.get(e.actor_id)) for e in items]
    for learner in registry:
        for each in courses or [""]:
            if (learner.actor_ifi, each) not in by_key:
                rows.append(_not_started(learner, each))
    rows.sort(key=lambda r: (r["course"], STATES.index(r["state"]), str(r["learner"]).lower()))
    return Table("Progress", COLUMNS, tuple(rows))


def charts(progress: Table) -> tuple[Chart, ...]:
    counts = Counter(r["state"] for r in progress.rows)
    return (Chart("bars", "Learners by state", STATES,
                  tuple(float(counts[s]) for s in STATES), "count"),)
