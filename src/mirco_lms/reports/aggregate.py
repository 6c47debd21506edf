"""Enrolment figures aggregated by the database: one row per (learner, course).

:func:`~.scan.enrolment_figures` folds every statement in Python, in time order; at a
million statements that is a sort of every row and a million rows through the driver.
Most facts a report reads of an enrolment are aggregates the database computes in the
same pass that reads the view, without sorting the statements or handing them over:

- first and last time, first completion of the module: ``MIN`` / ``MAX`` of ``time``;
- passed, failed (and never passed), the best final score: ``MAX`` of a flag or of the
  score in percent (the same double arithmetic as :func:`~.data.score_percent`);
- the *first* name, language, institution, country, unit and session, the *last* lesson:
  ``MIN`` (``MAX``) of the statement's order key — ``time``, ``stored`` and the statement
  id, fixed-width texts, in the reports' order (:data:`~.data.ORDER`) — followed by the
  value, which is cut off the winning key;
- the first scored pre-test: on PostgreSQL its score, the first of the pre-test scores
  ordered by the order key (:class:`first_where`); on SQLite the key of its statement,
  whose score is then looked up by the id the key ends with — a number either way,
  never passed through text;
- the delivery modes seen, and those of the module's completions: the distinct values,
  joined (each escaped, so that a value holding the separator survives).

The session durations (time on task) are not summed by the database: a sum in its order
could differ in the last bit from the sum in time order. They come from a second, small
read — the module's session ends only, in the reports' order — and are summed as the
fold sums them (``--by outcome``: in the pass over the tests' answers, which streams
each enrolment's statements in the reports' order already).

``--by outcome`` (:func:`outcome_figures`) adds, in the same grouped read, the distinct
``outcomes`` texts of the enrolment's statements (the outcomes it carries), and reads the
pre-test and final-test answers apart — the only statements whose order matters there —
enrolment by enrolment, reducing each one's attempts to its outcome scores at once.

The figures are those of :func:`~.scan.enrolment_figures` (the tests compare both on
generated stores, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Float, and_, case, cast, func, null, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from mirco_lms.lrs.store.reads import ReportSource, flat
from mirco_lms.lrs.store.views import outcome_ids, outcome_ids_in
from mirco_lms.reports.data import ORDER, _conditions
from mirco_lms.reports.outcomes import HeldAttempt, Scores, held_scores
from mirco_lms.reports.scan import Figures
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.xapi import profile as p

FACTS = frozenset({
    "name", "language", "institution", "country", "unit", "session", "delivery",
    "last_page", "first_time", "last_time", "completed_time", "completion_modes", "passed",
    "failed", "final_score", "pretest_score", "time_on_task_minutes", "hours_to_complete",
})
"""The facts of an enrolment a report may ask for (:class:`~.scan.Figures`' properties
beside the learner and the course)."""

_TIME_WIDTH, _ID_WIDTH = 24, 36
"""``time`` and ``stored`` (``2024-03-01T08:00:00.000Z``), the statement id (a UUID)."""
KEY_WIDTH = 2 * _TIME_WIDTH + _ID_WIDTH
"""The order key's width: ``time``, ``stored``, then the statement id."""

_FIRST = {"name": "actor_name", "language": "language", "institution": "institution",
          "country": "country", "unit": "unit", "session": "session_id"}
"""Facts that are the first non-empty value of a column, in the reports' order."""


class distinct_list(FunctionElement[str]):  # noqa: N801 - an SQL function's name
    """The distinct non-NULL values of a text expression, escaped and joined with ``,``
    (``group_concat`` on SQLite, ``string_agg`` on PostgreSQL)."""

    inherit_cache = True


@compiles(distinct_list)
def _sqlite_list(element: distinct_list, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat(DISTINCT {compiler.process(element.clauses, **kw)})"


@compiles(distinct_list, "postgresql")
def _postgres_list(element: distinct_list, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg(DISTINCT {compiler.process(element.clauses, **kw)}, ',')"


class first_where(FunctionElement[Any]):  # noqa: N801 - an SQL function's name
    """Within an aggregate: the first value (in the order of the expressions after the
    condition) of the rows where the condition holds. PostgreSQL:
    ``(array_agg(value ORDER BY …) FILTER (WHERE condition))[1]`` — the value itself, a
    number never passed through text. SQLite has no such aggregate: NULL there (its
    callers look the value up by the first row's key instead)."""

    inherit_cache = True


@compiles(first_where)
def _sqlite_first(element: first_where, compiler: SQLCompiler, **kw: Any) -> str:
    return "NULL"


@compiles(first_where, "postgresql")
def _postgres_first(element: first_where, compiler: SQLCompiler, **kw: Any) -> str:
    value, condition, *order = element.clauses
    ordered = ", ".join(compiler.process(o, **kw) for o in order)
    return (f"(array_agg({compiler.process(value, **kw)} ORDER BY {ordered}) "
            f"FILTER (WHERE {compiler.process(condition, **kw)}))[1]")


class sqlite_only(FunctionElement[Any]):  # noqa: N801 - an SQL function's name
    """The expression on SQLite, NULL on PostgreSQL (which computes it otherwise: see
    :class:`first_where`)."""

    inherit_cache = True


@compiles(sqlite_only)
def _sqlite_only(element: sqlite_only, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(sqlite_only, "postgresql")
def _not_postgres(element: sqlite_only, compiler: SQLCompiler, **kw: Any) -> str:
    return "NULL"


def _escaped(value: Any) -> Any:
    """``%`` and ``,`` as ``%25`` and ``%2C`` (:func:`_values` reads them back)."""
    return func.replace(func.replace(value, "%", "%25"), ",", "%2C")


def _values(joined: str | None) -> set[str]:
    return {unquote(v) for v in joined.split(",")} if joined else set()


def _carried(joined: str | None) -> set[str]:
    """The outcome ids of the distinct ``outcomes`` JSON texts, joined by commas."""
    if not joined:
        return set()
    try:
        found = json.loads(f"[{joined}]")
    except ValueError:
        return set()  # never: each is the JSON text the writer or the database made
    return {o for listed in found for o in outcome_ids_in(listed)}


def _percent(view: Any = flat) -> Any:
    """A statement's score in percent, as :func:`~.data.score_percent` computes it."""
    scaled, raw = cast(view.c.score_scaled, Float), cast(view.c.score_raw, Float)
    low, high = cast(view.c.score_min, Float), cast(view.c.score_max, Float)
    return case(
        (scaled.is_not(None), scaled * 100),
        (and_(raw.is_not(None), low.is_not(None), high.is_not(None), high > low),
         (raw - low) / (high - low) * 100),
    )


def enrolment_figures(source: ReportSource, spec: ReportSpec, course: str | None,
                      facts: Collection[str], *, carried: bool = False) -> list[Figures]:
    """Every enrolment matching ``spec``, in order of its first statement, with the
    ``facts`` (of :data:`FACTS`) computed; the others stay empty. ``carried``: with the
    outcome ids its statements carry (:attr:`~.scan.Figures.outcomes`)."""
    facts = frozenset(facts)
    unknown = facts - FACTS
    if unknown:
        raise ValueError(f"no such enrolment facts: {sorted(unknown)}")
    key = flat.c.time.op("||")(flat.c.stored).op("||")(flat.c.statement_id)
    verb, kind = flat.c.verb_id, flat.c.object_type
    module = kind == p.COURSE
    result = and_(verb.in_((p.PASSED, p.FAILED)),
                  module | and_(kind == p.ASSESSMENT, flat.c.assessment == p.FINAL))
    completed = and_(verb == p.COMPLETED, module)
    columns: dict[str, Any] = {
        "first_key": func.min(key),
        "first_time": func.min(flat.c.time),
        "last_time": func.max(flat.c.time),
    }
    for fact, name in _FIRST.items():
        if fact in facts:
            value = flat.c[name]
            columns[fact] = func.min(case((value != "", key.op("||")(value))))
    if "last_page" in facts:
        columns["last_page"] = func.max(case((flat.c.lesson_id != "",
                                              key.op("||")(flat.c.lesson_id))))
    if "delivery" in facts:
        columns["delivery"] = distinct_list(case((flat.c.delivery != "",
                                                  _escaped(flat.c.delivery))))
    if facts & {"completed_time", "hours_to_complete"}:
        columns["completed_time"] = func.min(case((completed, flat.c.time)))
    if "completion_modes" in facts:
        mode = func.coalesce(func.nullif(flat.c.delivery, ""), p.ELEARNING)
        columns["completion_modes"] = distinct_list(case((completed, _escaped(mode))))
    if facts & {"passed", "failed"}:
        columns["passed"] = func.max(case((and_(result, verb == p.PASSED), 1), else_=0))
        columns["any_failed"] = func.max(case((and_(result, verb == p.FAILED), 1), else_=0))
    if "final_score" in facts:
        columns["final_score"] = func.max(case((result, _percent())))
    if carried:
        # JSON texts joined by commas: a JSON list of them once bracketed, no escaping
        columns["outcomes"] = distinct_list(flat.c.outcomes)
    if "pretest_score" in facts:
        pretest = and_(kind == p.ASSESSMENT, flat.c.assessment == p.PRETEST,
                       verb.in_((p.COMPLETED, p.PASSED, p.FAILED)), _percent().is_not(None))
        # PostgreSQL takes the first one's score in the aggregate; SQLite, which has no
        # such aggregate, looks it up by the id its key ends with (below)
        columns["pretest_key"] = sqlite_only(func.min(case((pretest, key))))
        columns["pretest_first"] = first_where(_percent(), and_(pretest, key.is_not(None)),
                                               *ORDER)
    grouped = (select(flat.c.actor_id, flat.c.course_id,
                      *(value.label(name) for name, value in columns.items()))
               .where(*_conditions(spec, course), flat.c.actor_id.is_not(None))
               .group_by(flat.c.actor_id, flat.c.course_id)
               .subquery("enrolments"))
    pretest_score: Any = null()
    if "pretest_score" in facts:
        # its statement's score, looked up by id (a join would make SQLite compute the
        # whole view apart first)
        pre = flat.alias("pretest")
        its_id = func.substr(grouped.c.pretest_key, 2 * _TIME_WIDTH + 1, _ID_WIDTH)
        looked_up = (select(_percent(pre)).where(pre.c.statement_id == its_id)
                     .scalar_subquery())
        pretest_score = func.coalesce(grouped.c.pretest_first, sqlite_only(looked_up))
    query = select(grouped, pretest_score.label("pretest")).order_by(grouped.c.first_key)
    found: dict[tuple[str, str], Figures] = {}
    parsed: dict[str | None, frozenset[str]] = {}  # the outcomes of each joined text
    firsts = [fact for fact in (*_FIRST, "last_page") if fact in columns]
    joined = "delivery" in columns or "completion_modes" in columns
    # one row per enrolment, not per statement: read at once rather than through a
    # server-side cursor, so that PostgreSQL may plan it in parallel (never a cursor's)
    for values in source.select_views(query):
        e = Figures(values["actor_id"], values["course_id"], values["first_time"])
        e.last_time = values["last_time"]
        for fact in firsts:
            first = values[fact]
            if first is not None:
                setattr(e, fact, first[KEY_WIDTH:])
        if joined:
            e.deliveries = _values(values.get("delivery"))
            e.completion_modes = _values(values.get("completion_modes"))
        e.completed_time = values.get("completed_time")
        e.passed = bool(values.get("passed"))
        e._any_failed = bool(values.get("any_failed"))
        if values.get("final_score") is not None:
            e.final_score = float(values["final_score"])
        if values["pretest"] is not None:
            e.pretest_score = float(values["pretest"])
        if carried:
            listed = values["outcomes"]
            known = parsed.get(listed)
            if known is None:
                known = parsed[listed] = frozenset(_carried(listed))
            e.outcomes = known  # one set for the enrolments carrying the same outcomes
        found[e.actor_id, e.course_id] = e
    if "time_on_task_minutes" in facts:
        add_durations(found, session_durations(source, spec, course))
    return list(found.values())


Durations = dict[tuple[str, str], list[float]]
"""Each enrolment's session durations in seconds, by learner and course."""
SESSION_END = and_(flat.c.verb_id == p.TERMINATED, flat.c.object_type == p.COURSE,
                   flat.c.duration_seconds.is_not(None))
"""A session's end with its duration: a ``terminated`` statement on the module."""


def session_durations(source: ReportSource, spec: ReportSpec, course: str | None) -> Durations:
    """The durations of each enrolment's sessions (its ``terminated`` statements on the
    module), in the reports' order: summed in that order, as the fold sums them."""
    ends = (select(flat.c.actor_id, flat.c.course_id, flat.c.duration_seconds)
            .where(*_conditions(spec, course), flat.c.actor_id.is_not(None), SESSION_END)
            .order_by(*ORDER))
    found: Durations = {}
    for actor, course_id, seconds in source.stream_views(ends):
        found.setdefault((actor, course_id), []).append(float(seconds))
    return found


def add_durations(found: Mapping[tuple[str, str], Figures], durations: Durations) -> None:
    """Each enrolment's session durations into its figures (``found``, by learner and
    course)."""
    for key, seconds in durations.items():
        its = found.get(key)
        if its is not None:  # else stored after the grouped read (no snapshot)
            its.durations.extend(seconds)


def outcome_figures(
    source: ReportSource, spec: ReportSpec, course: str | None, facts: Collection[str]
) -> tuple[list[Figures], dict[tuple[str, str], Scores]]:
    """``--by outcome``: every enrolment with ``facts`` and the outcomes it carries, and
    the (pre-test, final-test) score of each outcome its answers assess, by learner and
    course (:func:`outcome_scores`). Two reads, at once when the source has a companion
    reading the same snapshot (:meth:`~.reads.ReportSource.companions`): the grouped read
    in this thread, the tests' answers (with the session durations, if asked for) in
    another — the grouped read is mostly the database's work, the answers mostly the
    fold's, so on two cores each runs while the other does."""
    on_task = "time_on_task_minutes" in facts
    grouped = set(facts) - {"time_on_task_minutes"}
    beside = source.companions()
    if not beside:
        found = enrolment_figures(source, spec, course, grouped, carried=True)
        scores, durations = answers_and_sessions(source, spec, course, sessions=on_task)
    else:
        with ThreadPoolExecutor(1, thread_name_prefix="mirco-report") as pool:
            read = pool.submit(answers_and_sessions, beside[0], spec, course,
                               sessions=on_task)
            try:
                found = enrolment_figures(source, spec, course, grouped, carried=True)
            except BaseException:
                read.cancel()
                raise
            scores, durations = read.result()
    add_durations({(e.actor_id, e.course_id): e for e in found}, durations)
    return found, scores


def outcome_scores(source: ReportSource, spec: ReportSpec,
                   course: str | None) -> dict[tuple[str, str], Scores]:
    """The (pre-test, final-test) score of each outcome the answers of each enrolment
    assess, by learner and course (:func:`answers_and_sessions`)."""
    return answers_and_sessions(source, spec, course)[0]


def answers_and_sessions(
    source: ReportSource, spec: ReportSpec, course: str | None, *, sessions: bool = False
) -> tuple[dict[tuple[str, str], Scores], Durations]:
    """The (pre-test, final-test) score of each outcome the answers of each enrolment
    assess, by learner and course: the tests' answers read enrolment after enrolment,
    each in the reports' order, its attempts reduced to its scores as soon as its
    answers have streamed by. ``sessions``: with each enrolment's session durations
    (:func:`session_durations`), read in the same pass — its ``terminated`` statements
    on the module stream by among its answers, in the same order."""
    tests = (p.PRETEST, p.FINAL)
    answered = and_(flat.c.verb_id == p.ANSWERED, flat.c.assessment.in_(tests),
                    flat.c.question_id.is_not(None), flat.c.question_id != "")
    answers = (select(flat.c.actor_id, flat.c.course_id, flat.c.assessment,
                      flat.c.registration, flat.c.attempt, flat.c.question_id,
                      flat.c.success, flat.c.score_raw, flat.c.score_max, flat.c.outcomes,
                      flat.c.duration_seconds)
               .where(*_conditions(spec, course), flat.c.actor_id.is_not(None),
                      or_(answered, SESSION_END) if sessions else answered)
               .order_by(flat.c.actor_id, flat.c.course_id, *ORDER))
    scores: dict[tuple[str, str], Scores] = {}
    durations: Durations = {}
    listed_ids: dict[str | None, tuple[str, ...]] = {}  # few distinct lists: parsed once
    actor_now: Any = None  # the enrolment streaming by (none before the first row)
    course_now: Any = None
    # its attempts in the order they began (its answers stream by in time order), each
    # holding the first answer to each question
    attempts: dict[tuple[str, str, int], HeldAttempt] = {}
    for (actor, course_id, assessment, registration, attempt, question, success, raw,
         high, listed, seconds) in source.stream_views(answers):
        if actor != actor_now or course_id != course_now:
            if attempts:
                scores[actor_now, course_now] = held_scores(attempts.values())
            actor_now, course_now, attempts = actor, course_id, {}
        if question is None:  # a session's end (every answer read has a question)
            durations.setdefault((actor, course_id), []).append(float(seconds))
            continue
        slot = (assessment, registration or "", int(attempt) if attempt else 1)
        held = attempts.get(slot)
        if held is None:
            held = attempts[slot] = HeldAttempt(assessment)
        if question in held.answers:
            continue
        ids = listed_ids.get(listed)
        if ids is None:
            ids = listed_ids[listed] = tuple(sorted(set(outcome_ids(listed))))
        # as answer_score and the maximum of an answer read them
        held.answers[question] = (float(raw) if raw is not None else 1.0 if success else 0.0,
                                  float(high) if high is not None else 1.0, ids)
    if attempts:
        scores[actor_now, course_now] = held_scores(attempts.values())
    return scores, durations
