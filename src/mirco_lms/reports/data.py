"""Reading the flattened view for a report: filters in SQL, typed rows out.

Filters (course, language, institution, country, period) are applied by the database on
``mirco_statements_flat``; the reports then aggregate the rows in Python, where medians,
standard deviations and correlations are computed the same way on every database. All
reads go through a :class:`~mirco_lms.lrs.store.reads.ReportSource`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from mirco_lms.errors import ReportError
from mirco_lms.lrs.store.reads import ReportSource, flat, outcomes_view
from mirco_lms.reports.spec import ReportSpec, utc_text
from mirco_lms.xapi import profile as p

ORDER = (flat.c.time, flat.c.stored, flat.c.statement_id)
"""The order the reports read statements in: by time; ties by when they were stored, then
by id, so that every run folds them in the same order (an enrolment's "first" name,
language… never changes between runs of the same report)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of ``mirco_statements_flat`` (see ``docs/analytics.md``)."""

    statement_id: str
    time: str
    stored: str
    actor_id: str | None
    actor_name: str | None
    verb_id: str
    verb: str
    object_id: str | None
    object_type: str | None
    course_id: str | None
    module_version: str | None
    lesson_id: str | None
    question_id: str | None
    assessment: str | None
    attempt: int | None
    language: str | None
    registration: str | None
    score_scaled: float | None
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    success: bool | None
    completion: bool | None
    duration_seconds: float | None
    response: str | None
    institution: str | None
    """The learner's (never the provider's: see ``provider_institution``)."""
    country: str | None
    unit: str | None
    provider_institution: str | None = None
    """The training provider's (``[project]``), as the statement says."""
    provider_country: str | None = None
    delivery: str | None = None
    """``elearning`` (sent by a package) or a classroom session's delivery."""
    session_id: str | None = None
    """The classroom session of an imported statement."""
    outcomes: str | None = None
    """The outcome ids it carries, as JSON text (:func:`~.views.outcome_ids` reads it)."""

    @property
    def score_percent(self) -> float | None:
        """The score in percent: ``scaled`` × 100, else from raw, min and max."""
        return score_percent(self.score_scaled, self.score_raw, self.score_min,
                             self.score_max)

    @property
    def is_module(self) -> bool:
        return self.object_type == p.COURSE

    @property
    def is_result(self) -> bool:
        """A passed / failed statement on the module or on its final test."""
        return self.verb_id in (p.PASSED, p.FAILED) and (
            self.is_module or (self.object_type == p.ASSESSMENT and self.assessment == p.FINAL)
        )


def score_percent(scaled: float | None, raw: float | None, low: float | None,
                  high: float | None) -> float | None:
    """A score in percent: ``scaled`` × 100, else from raw, min and max."""
    if scaled is not None:
        return scaled * 100
    if raw is not None and low is not None and high is not None:
        bottom, top = float(low or 0), float(high or 0)
        if top > bottom:
            return (float(raw or 0) - bottom) / (top - bottom) * 100
    return None


def _row(mapping: Any) -> Row:
    values = dict(mapping)
    for key in ("success", "completion"):
        if values[key] is not None:
            values[key] = bool(values[key])
    for key in ("score_scaled", "score_raw", "score_min", "score_max", "duration_seconds"):
        if values[key] is not None:
            values[key] = float(values[key])
    if values["attempt"] is not None:
        values["attempt"] = int(values["attempt"])
    return Row(**values)


def known_courses(source: ReportSource) -> list[str]:
    """Course ids that statements mention."""
    found = source.select_views(
        select(flat.c.course_id).where(flat.c.course_id.is_not(None)).distinct()
    )
    return sorted(r["course_id"] for r in found)


def resolve_course(
    source: ReportSource, value: str, activity_base: str | None,
    project_modules: Sequence[str] = (),
) -> str:
    """The course IRI meant by ``value``: an IRI, or a module id (then ``<base>/<id>``, or
    the one stored course whose last segment it is). Unknown → ReportError naming those
    that exist."""
    courses = known_courses(source)
    modules = (
        {p.ActivityIds(activity_base, m).module: m for m in project_modules}
        if activity_base else {}
    )
    if "://" in value:
        if value in courses or value in modules:
            return value
    else:
        if activity_base and value in project_modules:
            return p.ActivityIds(activity_base, value).module
        candidates = [c for c in courses if p.short_id(c) == value]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise ReportError(f"course {value!r} is ambiguous",
                              hint=f"give the full id: {', '.join(candidates)}")
    existing = sorted({p.short_id(c) for c in courses} | set(project_modules))
    raise ReportError(
        f"unknown course {value!r}",
        hint=f"courses: {', '.join(existing)}" if existing
        else "the store has no statements about any course yet",
    )


def fetch(
    source: ReportSource, spec: ReportSpec, course_iri: str | None, *,
    verbs: Iterable[str] = (),
) -> list[Row]:
    """The view's rows matching the spec's filters (and ``verbs`` if given), oldest first."""
    query = select(*flat.c).where(*_conditions(spec, course_iri))
    verbs = list(verbs)
    if verbs:
        query = query.where(flat.c.verb_id.in_(verbs))
    query = query.order_by(*ORDER)
    return [_row(r) for r in source.select_views(query)]


def fetch_outcomes(
    source: ReportSource, spec: ReportSpec, course_iri: str | None
) -> dict[str, tuple[str, ...]]:
    """The outcome ids of each statement matching the spec's filters (those carrying any)."""
    joined = outcomes_view.join(flat, flat.c.statement_id == outcomes_view.c.statement_id)
    query = (select(outcomes_view.c.statement_id, outcomes_view.c.outcome)
             .select_from(joined).where(*_conditions(spec, course_iri)))
    found: dict[str, set[str]] = {}
    for row in source.select_views(query):
        found.setdefault(row["statement_id"], set()).add(str(row["outcome"]))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def filters(spec: ReportSpec, course_iri: str | None) -> list[Any]:
    """The spec's filters as conditions on the flat view, for kinds that count in SQL."""
    return _conditions(spec, course_iri)


def _conditions(spec: ReportSpec, course_iri: str | None) -> list[Any]:
    conds: list[Any] = [flat.c.course_id.is_not(None)]
    if course_iri:
        conds.append(flat.c.course_id == course_iri)
    if spec.language:
        lang = spec.language.lower()
        conds.append(or_(func.lower(flat.c.language) == lang,
                         func.lower(flat.c.language).like(lang + "-%")))
    if spec.institution:
        conds.append(flat.c.institution == spec.institution)
    if spec.country:
        conds.append(flat.c.country == spec.country)
    if spec.since:
        conds.append(flat.c.time >= utc_text(spec.since))
    if spec.until:
        conds.append(flat.c.time < utc_text(spec.until))
    return conds


def definitions(source: ReportSource, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Activity definitions: the stored (merged) one, else the newest one sent."""
    wanted = set(ids)
    found = source.stored_definitions(wanted)
    missing = {i for i in wanted if not found.get(i)}
    found.update(source.sent_definitions(missing))
    return found


def name_of(definition: dict[str, Any] | None, language: str | None, key: str = "name") -> str:
    """A language map's text in ``language`` (or its base language), else English, else any."""
    names = (definition or {}).get(key) or {}
    if not isinstance(names, dict) or not names:
        return ""
    if language:
        for tag, text in names.items():
            if tag.lower() == language.lower() or tag.lower().startswith(language.lower() + "-"):
                return str(text)
    for tag in ("en", "en-US", "en-GB"):
        if tag in names:
            return str(names[tag])
    return str(next(iter(names.values())))
