"""Enrolments: a learner in a course, summarized from that learner's statements.

The unit of the completions, gain and progress reports is the *enrolment* — one learner
(actor IFI) in one course (module), over all their registrations (attempts). Its
language, institution, country and unit are those of its earliest statement that has
one (statements carry them; the learner registry fills the gaps).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from mirco_lms.reports.data import Row
from mirco_lms.reports.items import Answer, Attempt
from mirco_lms.xapi import profile as p

UNKNOWN = "(unknown)"


class Facts(Protocol):
    """What the reports read of an enrolment: :class:`Enrolment` computes it from the
    enrolment's rows, :class:`~.scan.Figures` while the rows stream by."""

    @property
    def actor_id(self) -> str: ...
    @property
    def course_id(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def institution(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def delivery(self) -> str | None: ...
    @property
    def session(self) -> str | None: ...
    @property
    def first_time(self) -> str: ...
    @property
    def last_time(self) -> str: ...
    @property
    def completed_time(self) -> str | None: ...
    @property
    def completion_modes(self) -> set[str]: ...
    @property
    def passed(self) -> bool: ...
    @property
    def failed(self) -> bool: ...
    @property
    def final_score(self) -> float | None: ...
    @property
    def pretest_score(self) -> float | None: ...
    @property
    def time_on_task_minutes(self) -> float | None: ...
    @property
    def hours_to_complete(self) -> float | None: ...
    @property
    def last_page(self) -> str | None: ...


FACT_NAMES = tuple(name for name, value in vars(Facts).items() if isinstance(value, property))
"""The names of the :class:`Facts` an enrolment has, in their order above."""


@dataclass
class Enrolment:
    actor_id: str
    course_id: str
    rows: list[Row] = field(default_factory=list)
    """The enrolment's statements, oldest first."""

    def _first(self, attribute: str) -> str | None:
        return next((getattr(r, attribute) for r in self.rows if getattr(r, attribute)), None)

    @property
    def name(self) -> str | None:
        return self._first("actor_name")

    @property
    def language(self) -> str | None:
        return self._first("language")

    @property
    def institution(self) -> str | None:
        return self._first("institution")

    @property
    def country(self) -> str | None:
        return self._first("country")

    @property
    def unit(self) -> str | None:
        return self._first("unit")

    @property
    def delivery(self) -> str | None:
        """How the learner took the course: ``elearning``, ``in-person``… or, when
        several, those joined with ``+`` (``elearning+in-person``)."""
        found = sorted({r.delivery for r in self.rows if r.delivery})
        return "+".join(found) or None

    @property
    def session(self) -> str | None:
        """The classroom session of the enrolment's earliest statement that has one."""
        return self._first("session_id")

    @property
    def first_time(self) -> str:
        return self.rows[0].time

    @property
    def last_time(self) -> str:
        return self.rows[-1].time

    @property
    def completed_time(self) -> str | None:
        """Time of the first ``completed`` statement on the module."""
        return next((r.time for r in self.rows if r.verb_id == p.COMPLETED and r.is_module),
                    None)

    @property
    def completion_modes(self) -> set[str]:
        """The delivery modes of the module's ``completed`` statements."""
        return {r.delivery or p.ELEARNING for r in self.rows
                if r.verb_id == p.COMPLETED and r.is_module}

    @property
    def attempts(self) -> dict[tuple[str, str, int], Attempt]:
        """Pre-test and final-test attempts by (assessment, registration, attempt): the
        first answer to each question."""
        found: dict[tuple[str, str, int], Attempt] = {}
        for row in self.rows:
            if row.verb_id != p.ANSWERED or not row.question_id or row.assessment not in (
                p.PRETEST, p.FINAL
            ):
                continue
            key = (row.assessment, row.registration or "", row.attempt or 1)
            attempt = found.setdefault(key, Attempt(row.time))
            if row.question_id not in attempt.answers:
                attempt.answers[row.question_id] = Answer.of(row)
        return found

    @property
    def passed(self) -> bool:
        return any(r.is_result and r.verb_id == p.PASSED for r in self.rows)

    @property
    def failed(self) -> bool:
        """Failed and never passed."""
        return not self.passed and any(r.is_result and r.verb_id == p.FAILED for r in self.rows)

    @property
    def final_score(self) -> float | None:
        """Best final-test score in percent (module or final-test passed/failed)."""
        scores = [s for r in self.rows if r.is_result and (s := r.score_percent) is not None]
        return max(scores) if scores else None

    @property
    def pretest_score(self) -> float | None:
        """Score of the first scored pre-test result, in percent."""
        return next(
            (s for r in self.rows
             if r.object_type == p.ASSESSMENT and r.assessment == p.PRETEST
             and r.verb_id in (p.COMPLETED, p.PASSED, p.FAILED)
             and (s := r.score_percent) is not None),
            None,
        )

    @property
    def time_on_task_minutes(self) -> float | None:
        """Sum of ``result.duration`` of the module's ``terminated`` statements (sessions)."""
        durations = [d for r in self.rows if r.verb_id == p.TERMINATED and r.is_module
                     and (d := r.duration_seconds) is not None]
        return sum(durations) / 60 if durations else None

    @property
    def hours_to_complete(self) -> float | None:
        """From the first statement to the first module ``completed``, in hours."""
        done = self.completed_time
        if done is None:
            return None
        return (_instant(done) - _instant(self.first_time)).total_seconds() / 3600

    @property
    def last_page(self) -> str | None:
        """The lesson or assessment of the newest statement that names one."""
        return next((r.lesson_id for r in reversed(self.rows) if r.lesson_id), None)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def enrolments(rows: Iterable[Row]) -> list[Enrolment]:
    """Rows grouped by (learner, course), in order of first appearance."""
    found: dict[tuple[str, str], Enrolment] = {}
    for row in rows:
        if row.actor_id is None or row.course_id is None:
            continue
        key = (row.actor_id, row.course_id)
        if key not in found:
            found[key] = Enrolment(row.actor_id, row.course_id)
        found[key].rows.append(row)
    return list(found.values())


def group_facts(by: str | None) -> frozenset[str]:
    """The enrolment facts :func:`group_key` reads for ``--by``."""
    if by is None or by == "course":
        return frozenset()
    return frozenset({"first_time" if by == "month" else by})


def group_key(enrolment: Facts, by: str | None) -> str:
    """The group an enrolment falls in for ``--by`` (``month``: of its first statement)."""
    if by is None:
        return "all"
    if by == "course":
        return p.short_id(enrolment.course_id)
    if by == "month":
        return enrolment.first_time[:7]
    value = getattr(enrolment, by)
    return str(value) if value else UNKNOWN
