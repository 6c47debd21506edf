"""``build_report``: a :class:`ReportSpec` and a store in, a :class:`Report` out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from mirco_lms.lrs.store.registry import list_learners
from mirco_lms.lrs.store.sql import SqlStore
from mirco_lms.reports import completions, gain, items, outcomes, progress
from mirco_lms.reports.data import (
    definitions,
    fetch,
    fetch_outcomes,
    resolve_course,
    sent_definitions,
)
from mirco_lms.reports.enrolments import enrolments
from mirco_lms.reports.model import Report, Table
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.xapi import profile as p

TITLES = {
    "completions": "Completions and results",
    "gain": "Knowledge gain (pre-test → final test)",
    "items": "Item analysis",
    "progress": "Learner progress",
}


def build_report(
    store: SqlStore,
    spec: ReportSpec,
    *,
    activity_base: str | None = None,
    project_modules: Sequence[str] = (),
) -> Report:
    """Run the report ``spec`` asks for on ``store``.

    ``activity_base`` and ``project_modules`` (module ids of the course project) let
    ``--course`` name a module that has no statements yet."""
    course = (
        resolve_course(store, spec.course, activity_base, project_modules)
        if spec.course else None
    )
    verbs = (p.ANSWERED,) if spec.kind == "items" else ()
    rows = fetch(store, spec, course, verbs=verbs)
    builder = _BUILDERS[spec.kind]
    tables, charts, notes = builder(store, spec, rows, course)
    empty = not rows
    if empty:
        notes = (_describe(spec), *notes)
    return Report(
        kind=spec.kind, title=TITLES[spec.kind], filters=spec.describe(),
        tables=tables, charts=charts if any(t.rows for t in tables) else (), notes=notes,
        generated=datetime.now(UTC).isoformat(timespec="seconds"), empty=empty,
        extra={"course_id": course} if course else {},
    )


def _describe(spec: ReportSpec) -> str:
    filters = {k: v for k, v in spec.describe().items() if k != "by"}
    if not filters:
        return "no statements match: the store has no statements about any course yet"
    return "no statements match " + " ".join(f"{k}={v}" for k, v in filters.items())


Built = tuple[tuple[Table, ...], tuple[Any, ...], tuple[str, ...]]


def _completions(store: SqlStore, spec: ReportSpec, rows: Any, course: str | None) -> Built:
    found = enrolments(rows)
    if spec.by == "outcome":
        table = outcomes.completions_table(found, fetch_outcomes(store, spec, course),
                                           course is not None)
        return (table,), completions.charts(found), (*completions.NOTES, *outcomes.NOTES)
    return (completions.table(found, spec.by),), completions.charts(found), completions.NOTES


def _gain(store: SqlStore, spec: ReportSpec, rows: Any, course: str | None) -> Built:
    if spec.by == "outcome":
        summary, learners, *rest = outcomes.gain_tables(
            enrolments(rows), fetch_outcomes(store, spec, course), course is not None)
        return ((summary, learners, *rest), gain.charts(summary, learners),
                (*gain.NOTES, *outcomes.NOTES))
    summary, learners = gain.tables(enrolments(rows), spec.by)
    return (summary, learners), gain.charts(summary, learners), gain.NOTES


def _items(store: SqlStore, spec: ReportSpec, rows: Any, course: str | None) -> Built:
    questions = {r.question_id for r in rows if r.question_id}
    general = definitions(store, questions)
    languages = {r.language for r in rows if r.language} if spec.by == "language" else set()
    if spec.language:
        languages |= {r.language for r in rows if r.language}
    by_language = {lang: sent_definitions(store, questions, lang) for lang in languages}

    def definition_of(question: str, language: str | None) -> dict[str, Any]:
        found = by_language.get(language or "", {}).get(question)
        return found or general.get(question, {})

    if spec.by == "outcome":
        whole = items.table(rows, None, definition_of, spec.language)
        table = outcomes.items_table(whole, rows, fetch_outcomes(store, spec, course),
                                     course is not None)
        return (table,), items.charts(whole), (*items.NOTES, *outcomes.NOTES)
    table = items.table(rows, spec.by, definition_of, spec.language)
    return (table,), items.charts(table), items.NOTES


def _progress(store: SqlStore, spec: ReportSpec, rows: Any, course: str | None) -> Built:
    registry = list_learners(store, institution=spec.institution, country=spec.country)
    table = progress.table(enrolments(rows), registry, course)
    return (table,), progress.charts(table), progress.NOTES


_BUILDERS = {
    "completions": _completions,
    "gain": _gain,
    "items": _items,
    "progress": _progress,
}
