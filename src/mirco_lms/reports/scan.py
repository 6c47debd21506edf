"""Reading the view once for a report, reducing the statements as they stream by.

The reports used to read every matching row of ``mirco_statements_flat`` into a list
and group it in Python; at a million statements that held the whole store in memory.
Here the database filters and orders, a server-side cursor streams only the columns a
report needs (:meth:`ReportSource.stream_views`), and each row is folded into small
per-learner state at once, then dropped:

- :func:`enrolment_figures`: one :class:`Figures` per (learner, course) — the handful of
  values the completions, gain, progress and summary reports read (first and last
  time, first completion, passed / failed, best final score, first pre-test score,
  session durations, first language, institution…);
- :func:`first_attempts`: each learner's first attempt at each assessment with the
  first answer to each question (the item analysis), as :class:`~.items.Answer` tuples.

The reports that group by enrolment have the database aggregate instead
(:mod:`.aggregate`); :func:`enrolment_figures` is what a kind asking for every fact
gets, and what the tests compare the aggregation with.

Memory is bounded by learners × courses × questions, never by statements. The figures
are the same values :class:`~.enrolments.Enrolment` computes from rows (the tests
compare the two on generated stores), so every report reads the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mirco_lms.lrs.store.reads import ReportSource, flat
from mirco_lms.lrs.store.views import outcome_ids
from mirco_lms.reports.data import ORDER, _conditions, score_percent
from mirco_lms.reports.items import GROUP_FIELDS, Answer, Attempt
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.xapi import profile as p

_ENROLMENT_COLUMNS = (
    "time", "actor_id", "course_id", "actor_name", "verb_id", "object_type", "assessment",
    "language", "institution", "country", "unit", "delivery", "session_id", "lesson_id",
    "score_scaled", "score_raw", "score_min", "score_max", "duration_seconds",
)
_ANSWER_COLUMNS = (
    "time", "actor_id", "lesson_id", "registration", "attempt", "question_id", "course_id",
    "assessment", "success", "score_raw", "score_max", "response", "language",
)
"""What the item analysis reads of an answer; ``--by delivery`` and ``--by session`` add
their column (the statement id, and those columns otherwise, are not read)."""
_READ = len(_ANSWER_COLUMNS)


class Figures:
    """One enrolment (a learner in a course) reduced to what the reports read: the same
    properties as :class:`~.enrolments.Enrolment`, without its rows."""

    __slots__ = ("actor_id", "course_id", "name", "language", "institution", "country",
                 "unit", "session", "deliveries", "first_time", "last_time",
                 "completed_time", "completion_modes", "passed", "_any_failed",
                 "final_score", "pretest_score", "durations", "last_page", "outcomes")

    def __init__(self, actor_id: str, course_id: str, time: str) -> None:
        self.actor_id = actor_id
        self.course_id = course_id
        self.name: str | None = None
        self.language: str | None = None
        self.institution: str | None = None
        self.country: str | None = None
        self.unit: str | None = None
        self.session: str | None = None
        self.deliveries: set[str] = set()
        self.first_time = time
        self.last_time = time
        self.completed_time: str | None = None
        self.completion_modes: set[str] = set()
        """The delivery modes of the module's ``completed`` statements."""
        self.passed = False
        self._any_failed = False
        self.final_score: float | None = None
        self.pretest_score: float | None = None
        self.durations: list[float] = []
        self.last_page: str | None = None
        self.outcomes: Set[str] | None = None
        """The outcome ids its statements carry, only when asked for (``--by outcome``)."""

    @property
    def delivery(self) -> str | None:
        return "+".join(sorted(self.deliveries)) or None

    @property
    def failed(self) -> bool:
        """Failed and never passed."""
        return not self.passed and self._any_failed

    @property
    def time_on_task_minutes(self) -> float | None:
        return sum(self.durations) / 60 if self.durations else None

    @property
    def hours_to_complete(self) -> float | None:
        done = self.completed_time
        if done is None:
            return None
        return (_instant(done) - _instant(self.first_time)).total_seconds() / 3600


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _stream(source: ReportSource, spec: ReportSpec, course: str | None,
            columns: Sequence[str], *conditions: Any) -> Iterator[Sequence[Any]]:
    query = (select(*(flat.c[name] for name in columns))
             .where(*_conditions(spec, course), *conditions)
             .order_by(*ORDER))
    return source.stream_views(query)


def enrolment_figures(source: ReportSource, spec: ReportSpec,
                      course: str | None) -> list[Figures]:
    """Every enrolment matching ``spec``, in order of its first statement."""
    found: dict[tuple[str, str], Figures] = {}
    completed, passed, failed = p.COMPLETED, p.PASSED, p.FAILED
    terminated, course_type, assessment_type = p.TERMINATED, p.COURSE, p.ASSESSMENT
    final, pretest, elearning = p.FINAL, p.PRETEST, p.ELEARNING
    pretest_verbs = (completed, passed, failed)
    for (time, actor, course_id, name, verb, object_type, assessment, language,
         institution, country, unit, delivery, session, lesson, scaled, raw, low, high,
         duration) in _stream(source, spec, course, _ENROLMENT_COLUMNS,
                              flat.c.actor_id.is_not(None)):
        key = (actor, course_id)
        e = found.get(key)
        if e is None:
            e = found[key] = Figures(actor, course_id, time)
        e.last_time = time
        if name and e.name is None:
            e.name = name
        if language and e.language is None:
            e.language = language
        if institution and e.institution is None:
            e.institution = institution
        if country and e.country is None:
            e.country = country
        if unit and e.unit is None:
            e.unit = unit
        if session and e.session is None:
            e.session = session
        if delivery:
            e.deliveries.add(delivery)
        if lesson:
            e.last_page = lesson
        is_module = object_type == course_type
        if verb == completed and is_module:
            if e.completed_time is None:
                e.completed_time = time
            e.completion_modes.add(delivery or elearning)
        if verb == passed or verb == failed:
            if is_module or (object_type == assessment_type and assessment == final):
                if verb == passed:
                    e.passed = True
                else:
                    e._any_failed = True
                score = score_percent(_float(scaled), _float(raw), _float(low), _float(high))
                if score is not None and (e.final_score is None or score > e.final_score):
                    e.final_score = score
        if (e.pretest_score is None and object_type == assessment_type
                and assessment == pretest and verb in pretest_verbs):
            e.pretest_score = score_percent(_float(scaled), _float(raw), _float(low),
                                            _float(high))
        if verb == terminated and is_module and duration is not None:
            e.durations.append(float(duration))
    return list(found.values())


def first_attempts(
    source: ReportSource, spec: ReportSpec, course: str | None,
    questions: set[str], languages: set[str],
    assessed: set[tuple[str, str, str]] | None = None,
) -> list[Attempt]:
    """Each learner's first attempt at each assessment, streamed from the ``answered``
    statements (as :func:`~.items.first_attempts` from rows, but for the statement id,
    and the delivery and session unless ``--by`` groups by them: the analysis does not
    read them); fills ``questions`` and ``languages`` with every question id and language
    those statements name, and ``assessed`` (if given: the item analysis by outcome)
    with the (question, course, outcome) of every one carrying outcomes."""
    attempts: dict[tuple[Any, ...], Attempt] = {}
    first: dict[tuple[str, str], tuple[Any, ...]] = {}
    tests = (p.PRETEST, p.FINAL)
    grouped = GROUP_FIELDS.get(spec.by or "")
    extra = () if grouped is None or grouped in _ANSWER_COLUMNS else (grouped,)
    lists: set[tuple[str, str | None, str]] = set()  # few distinct: each parsed once
    for row in _stream(source, spec, course,
                       (*_ANSWER_COLUMNS, *extra, *(("outcomes",) if assessed is not None else ())),
                       flat.c.verb_id == p.ANSWERED):
        (time, actor, lesson, registration, attempt, question, course_id, assessment,
         success, raw, high, response, language) = row[:_READ]
        if question:
            questions.add(question)
        if language:
            languages.add(language)
        if assessed is not None and question is not None and row[-1] is not None:
            lists.add((question, course_id, row[-1]))
        if not question or assessment not in tests:
            continue
        key = (actor, lesson, registration or "", int(attempt) if attempt else 1)
        if first.setdefault((str(actor), str(lesson)), key) != key:
            continue  # a later attempt: not analysed
        held = attempts.get(key)
        if held is None:
            held = attempts[key] = Attempt(time)
        if question not in held.answers:
            group = row[_READ] if extra else None
            held.answers[question] = Answer(
                "", course_id, assessment, None if success is None else bool(success),
                _float(raw), _float(high), response, language,
                group if grouped == "delivery" else None,
                group if grouped == "session_id" else None)
    if assessed is not None:
        assessed.update((question, str(course_id), o) for question, course_id, listed in lists
                        for o in outcome_ids(listed))
    return [attempts[key] for key in first.values()]


def any_statement(source: ReportSource, spec: ReportSpec, course: str | None,
                  verbs: Sequence[str] = ()) -> bool:
    """Whether any statement matches (the report is not empty)."""
    query = select(flat.c.statement_id).where(*_conditions(spec, course))
    if verbs:
        query = query.where(flat.c.verb_id.in_(list(verbs)))
    return bool(source.select_views(query.limit(1)))
