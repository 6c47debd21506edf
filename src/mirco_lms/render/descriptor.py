"""The course descriptor: one print-ready, self-contained HTML page per module and language.

It holds what an accreditation dossier asks for: learning outcomes, the syllabus with
durations, delivery modalities, target group, prerequisites, assessment methods and a
lesson plan per unit. Styles are inline, nothing is loaded from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mirco_lms import __version__
from mirco_lms.course.model import Assessment, Lesson, Module, SyllabusUnit
from mirco_lms.render.localized import DELIVERY_LABELS, LocalizedModule, format_duration
from mirco_lms.render.theme import Theme

TEMPLATE = "descriptor.html"


@dataclass(frozen=True)
class DescriptorInfo:
    """Who offers the course (from mirco.toml ``[project]``)."""

    organization: str = ""
    institution: str = ""
    country: str = ""
    catalogue: str = ""


@dataclass(frozen=True)
class UnitPlan:
    """One unit of the lesson plan."""

    number: int
    unit: SyllabusUnit
    lessons: tuple[Lesson, ...]
    outcomes: tuple[tuple[str, str], ...]
    """(id, text) of the outcomes the unit works toward."""


def _units(module: Module) -> list[UnitPlan]:
    lessons = {lesson.id: lesson for lesson in module.lessons}
    texts = {o.id: o.text for o in module.outcomes}
    return [
        UnitPlan(
            number=n,
            unit=unit,
            lessons=tuple(lessons[i] for i in unit.lessons if i in lessons),
            outcomes=tuple((o, texts.get(o, "")) for o in unit.outcomes),
        )
        for n, unit in enumerate(module.syllabus, start=1)
    ]


def _assessment_facts(assessment: Assessment | None, module: Module) -> dict[str, Any] | None:
    if assessment is None:
        return None
    pools = [item for item in assessment.items if hasattr(item, "draw")]
    outcomes = sorted({o for q in assessment.questions for o in q.outcomes})
    return {
        "title": assessment.title,
        "questions": assessment.questions_per_attempt,
        "bank": len(assessment.questions),
        "pools": len(pools),
        "max_points": f"{assessment.max_points:g}",
        "time_limit": assessment.time_limit_minutes,
        "outcomes": outcomes,
        "types": sorted({str(q.type) for q in assessment.questions}),
        "final": assessment.kind.value == "final",
        "passing_score": module.passing_score,
        "attempts": module.attempts,
    }


def render_descriptor(
    localized: LocalizedModule, theme: Theme, info: DescriptorInfo = DescriptorInfo()
) -> str:
    """The descriptor HTML of ``localized`` (template ``descriptor.html`` of the theme)."""
    module = localized.module
    units = _units(module)
    planned = {lesson.id for plan in units for lesson in plan.lessons}
    context: dict[str, Any] = {
        "module": module,
        "language": localized.language,
        "direction": localized.direction,
        "info": info,
        "units": units,
        "unplanned": [lesson for lesson in module.lessons if lesson.id not in planned],
        "delivery": [localized.gettext(DELIVERY_LABELS[d]) for d in module.delivery],
        "pretest": _assessment_facts(module.pretest, module),
        "final": _assessment_facts(module.final_test, module),
        "checks": sum(len(lesson.checks) for lesson in module.lessons),
        "syllabus_minutes": sum(unit.duration_minutes for unit in module.syllabus),
        "duration": lambda minutes: format_duration(minutes, localized),
        "generator": f"mirco {__version__}",
    }
    return theme.render(TEMPLATE, context, localized.translations)
