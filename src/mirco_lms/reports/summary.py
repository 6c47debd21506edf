"""The ``summary`` report: the programme's figures over every delivery mode.

Trained persons are distinct learners with a module completion (eLearning or classroom)
in the period, each counted once however many courses and modes they completed; the
breakdown counts them by country, institution, gender (when the learner registry holds
it), course and delivery mode.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mirco_lms.lrs.store.registry import Learner
from mirco_lms.reports import gain
from mirco_lms.reports.enrolments import UNKNOWN, Facts
from mirco_lms.reports.model import Chart, Column, Table
from mirco_lms.xapi import profile as p

COLUMNS = (Column("measure", "measure"), Column("value", "value"))
BREAKDOWN_COLUMNS = (Column("by", "by"), Column("group", "group"),
                     Column("persons", "trained persons", "int"))
NOTES = (
    "Trained persons = distinct learners with a 'completed' statement on a module in the "
    "period, in any delivery mode (eLearning packages, or a classroom session's "
    "attendance); a person is counted once however many courses and modes they completed.",
    "Completions are (learner, course) pairs; a course completed both online and in a "
    "classroom counts once in each mode's completions.",
    "Breakdown: country and institution as the statements or the learner registry give "
    "them; gender from the registry only (shown when it holds any); course and delivery "
    "count a person once in each course and mode they completed.",
    "Mean knowledge gain: final − pre-test in percentage points over every learner with "
    "both scores, whatever the mode (as the gain report).",
)


FACTS = frozenset({"completed_time", "completion_modes", "country", "institution",
                   "pretest_score", "final_score"})
"""What the summary reads of each enrolment."""


def tables(found: Sequence[Facts], registry: Iterable[Learner]) -> tuple[Table, Table]:
    """The summary and its breakdown."""
    people = {x.actor_ifi: x for x in registry}
    done = [e for e in found if e.completed_time]
    persons: dict[str, list[Facts]] = defaultdict(list)
    for e in done:
        persons[e.actor_id].append(e)
    modes = {who: set().union(*(e.completion_modes for e in es)) for who, es in persons.items()}
    online = {who for who, m in modes.items() if p.ELEARNING in m}
    classroom = {who for who, m in modes.items() if m - {p.ELEARNING}}
    pairs, mean_gain = gain.mean_gain(found)
    rows = (
        {"measure": "trained persons", "value": len(persons)},
        {"measure": "trained through eLearning", "value": len(online)},
        {"measure": "trained in a classroom session", "value": len(classroom)},
        {"measure": "trained in both", "value": len(online & classroom)},
        {"measure": "eLearning completions",
         "value": sum(1 for e in done if p.ELEARNING in e.completion_modes)},
        {"measure": "classroom completions",
         "value": sum(1 for e in done if e.completion_modes - {p.ELEARNING})},
        {"measure": "mean knowledge gain (percentage points)",
         "value": None if mean_gain is None else round(mean_gain, 1)},
        {"measure": "learners with pre-test and final scores", "value": pairs},
    )
    breakdown = _breakdown(persons, people, modes)
    return (Table("Programme summary", COLUMNS, rows, name="summary"),
            Table("Trained persons by country, institution, gender, course and delivery",
                  BREAKDOWN_COLUMNS, tuple(breakdown), name="breakdown"))


def _first(enrolments: Sequence[Facts], attribute: str) -> str | None:
    return next((v for e in enrolments if (v := getattr(e, attribute))), None)


def _breakdown(persons: Mapping[str, list[Facts]], people: Mapping[str, Learner],
               modes: Mapping[str, set[str]]) -> list[dict[str, Any]]:
    counts: dict[str, Counter[str]] = {k: Counter() for k in
                                       ("country", "institution", "gender", "course",
                                        "delivery")}
    for who, es in persons.items():
        known = people.get(who)
        counts["country"][_first(es, "country") or (known and known.country) or UNKNOWN] += 1
        counts["institution"][_first(es, "institution") or (known and known.institution)
                              or UNKNOWN] += 1
        counts["gender"][(known and known.gender) or UNKNOWN] += 1
        for course in {p.short_id(e.course_id) for e in es}:
            counts["course"][course] += 1
        for mode in modes[who]:
            counts["delivery"][mode] += 1
    if set(counts["gender"]) == {UNKNOWN}:
        del counts["gender"]  # the registry holds no gender
    return [{"by": by, "group": group, "persons": n}
            for by, counter in counts.items()
            for group, n in sorted(counter.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0]))]


def charts(breakdown: Table) -> tuple[Chart, ...]:
    out = []
    for by in ("delivery", "country"):
        rows = [r for r in breakdown.rows if r["by"] == by]
        out.append(Chart("bars", f"Trained persons by {by}", tuple(r["group"] for r in rows),
                         tuple(float(r["persons"]) for r in rows), "count"))
    return tuple(out)
