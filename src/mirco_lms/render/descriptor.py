"""The course descriptor, or programme document: one print-ready, self-contained HTML page
per module and language, and the same page as an A4 PDF.

It holds what an accreditation dossier asks for: learning outcomes (classified), the
syllabus with durations, delivery modalities, target group, entry requirements, the
qualifications-framework level, credits and learning hours, the assessment components,
grading scheme and outcome × assessment matrix, the trainers' qualifications, the
reading list, quality assurance and approval, and a lesson plan per unit (the data:
:mod:`mirco_lms.render.programme`). Styles are inline, nothing is loaded from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirco_lms import __version__
from mirco_lms.course.model import Assessment, Lesson, Module, SyllabusUnit
from mirco_lms.render.localized import DELIVERY_LABELS, LocalizedModule, format_duration
from mirco_lms.render.programme import DescriptorInfo, programme_document
from mirco_lms.render.theme import Theme

__all__ = ["DescriptorInfo", "render_descriptor", "render_programme_pdf"]

TEMPLATE = "descriptor.html"
_NO_INFO = DescriptorInfo()


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
    localized: LocalizedModule, theme: Theme, info: DescriptorInfo = _NO_INFO
) -> str:
    """The descriptor HTML of ``localized`` (template ``descriptor.html`` of the theme)."""
    return theme.render(TEMPLATE, _context(localized, info), localized.translations)


def render_programme_pdf(
    localized: LocalizedModule, theme: Theme, info: DescriptorInfo = _NO_INFO
) -> bytes:
    """The programme document of ``localized`` as an A4 PDF: the descriptor page laid out
    for print (page numbers, table of contents with page references), deterministic."""
    from mirco_lms.render.pdf import html_to_pdf

    context = {**_context(localized, info), "pdf": True}
    html = theme.render(TEMPLATE, context, localized.translations)
    module = localized.module
    base = module.root if module.root is not None else Path.cwd()
    author = info.in_language(localized.language).organization
    return html_to_pdf(html, base_url=base, metadata={"authors": author} if author else None)


def _context(localized: LocalizedModule, info: DescriptorInfo) -> dict[str, Any]:
    module = localized.module
    units = _units(module)
    planned = {lesson.id for plan in units for lesson in plan.lessons}
    document = programme_document(localized, info)
    return {
        "module": module,
        "language": localized.language,
        "direction": localized.direction,
        "info": document.provider,
        "doc": document,
        "acc": document.accreditation,
        "pdf": False,
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
