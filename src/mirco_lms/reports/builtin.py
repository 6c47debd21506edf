"""The report kinds mirco ships: completions, gain, items, progress, summary, scenarios
and evaluation.

Each is one :class:`~.kind.ReportKind`; the figures are computed in the modules named
after them (:mod:`.completions`, :mod:`.gain`, :mod:`.items`, :mod:`.progress`, and
:mod:`.outcomes` for ``--by outcome``).
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from mirco_lms.errors import ReportError
from mirco_lms.reports import (
    aggregate,
    completions,
    evaluation,
    gain,
    items,
    outcomes,
    progress,
    scan,
    summary,
)
from mirco_lms.reports.data import definitions
from mirco_lms.reports.kind import Parts, ReportContext, ReportKind
from mirco_lms.reports.scan import Figures
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.scenarios.report import SCENARIOS
from mirco_lms.xapi import profile as p

GROUPS = ("course", "language", "institution", "country", "month", "outcome", "delivery",
          "session")
"""What completions and gain group by."""


def _by_outcome_in_two(spec: ReportSpec) -> int:
    """``--by outcome`` reads the enrolments and the tests' answers at once."""
    return 2 if spec.by == "outcome" else 1


def _completions(ctx: ReportContext) -> Parts:
    if ctx.spec.by == "outcome":
        found, carried, scores = _with_outcomes(ctx, completions.FACTS)
        table = outcomes.completions_table(found, carried, scores, ctx.course is not None)
        return Parts((table,), completions.charts(found), (*completions.NOTES, *outcomes.NOTES))
    found = ctx.figures(completions.facts(ctx.spec.by))
    return Parts((completions.table(found, ctx.spec.by),), completions.charts(found),
                 completions.NOTES)


def _with_outcomes(ctx: ReportContext, facts: frozenset[str]) -> tuple[
    list[Figures], dict[tuple[str, str], Set[str]], dict[tuple[str, str], outcomes.Scores]
]:
    """The figures (``facts``), the outcomes each enrolment carries and its scores per
    outcome (:func:`.aggregate.outcome_figures`)."""
    found, scores = aggregate.outcome_figures(ctx.source, ctx.spec, ctx.course, facts)
    carried = {(e.actor_id, e.course_id): e.outcomes or frozenset() for e in found}
    return found, carried, scores


def _gain(ctx: ReportContext) -> Parts:
    if ctx.spec.by == "outcome":
        found, carried, scores = _with_outcomes(ctx, gain.FACTS)
        summary, learners, *rest = outcomes.gain_tables(
            found, carried, scores, ctx.course is not None)
        return Parts((summary, learners, *rest), gain.charts(summary, learners),
                     (*gain.NOTES, *outcomes.NOTES))
    summary, learners = gain.tables(ctx.figures(gain.facts(ctx.spec.by)), ctx.spec.by)
    return Parts((summary, learners), gain.charts(summary, learners), gain.NOTES)


def _items(ctx: ReportContext) -> Parts:
    spec = ctx.spec
    questions: set[str] = set()
    seen: set[str] = set()
    assessed: set[tuple[str, str, str]] | None = set() if spec.by == "outcome" else None
    attempts = scan.first_attempts(ctx.source, spec, ctx.course, questions, seen, assessed)
    general = definitions(ctx.source, questions)
    languages = seen if spec.by == "language" or spec.language else set()
    by_language = {lang: ctx.source.sent_definitions(questions, lang) for lang in languages}

    def definition_of(question: str, language: str | None) -> dict[str, Any]:
        found = by_language.get(language or "", {}).get(question)
        return found or general.get(question, {})

    if spec.by == "outcome":
        whole = items.table(attempts, None, definition_of, spec.language)
        table = outcomes.items_table(whole, assessed or (), ctx.course is not None)
        return Parts((table,), items.charts(whole), (*items.NOTES, *outcomes.NOTES))
    table = items.table(attempts, spec.by, definition_of, spec.language)
    return Parts((table,), items.charts(table), items.NOTES)


def _progress(ctx: ReportContext) -> Parts:
    registry = ctx.source.learners(institution=ctx.spec.institution, country=ctx.spec.country)
    table = progress.table(ctx.figures(progress.FACTS), registry, ctx.course)
    return Parts((table,), progress.charts(table), progress.NOTES)


def _summary(ctx: ReportContext) -> Parts:
    main, breakdown = summary.tables(ctx.figures(summary.FACTS), ctx.source.learners(
        institution=ctx.spec.institution, country=ctx.spec.country))
    return Parts((main, breakdown), summary.charts(breakdown), summary.NOTES)


def _one_course_or_institution(spec: ReportSpec) -> None:
    if not (spec.course or spec.institution):
        raise ReportError("the progress report is for one course or one institution",
                          hint="give --course or --institution (or both)")


BUILTIN = (
    ReportKind("completions", "Completions and results",
               "launched, completed, passed, scores, time to complete, time on task",
               _completions, by=GROUPS, readers=_by_outcome_in_two),
    ReportKind("gain", "Knowledge gain (pre-test → final test)",
               "pre-test → final test, per learner and per group", _gain, by=GROUPS,
               readers=_by_outcome_in_two),
    ReportKind("items", "Item analysis",
               "difficulty, discrimination and options chosen, per question", _items,
               by=("language", "outcome", "delivery", "session"), verbs=(p.ANSWERED,)),
    ReportKind("progress", "Learner progress",
               "each learner's state in a course or institution, for follow-up", _progress,
               check=_one_course_or_institution),
    ReportKind("summary", "Programme summary",
               "trained persons over every delivery mode, by country, institution, gender, "
               "course and mode; completions; mean knowledge gain", _summary),
    SCENARIOS,
    ReportKind("evaluation", "Course evaluation",
               "satisfaction per item and overall (mean, agree, distribution) and the "
               "comments, from the modules' evaluation surveys", evaluation.build,
               by=evaluation.GROUPS),
)
