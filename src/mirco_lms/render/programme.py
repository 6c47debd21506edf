"""The programme document's data: a localized module as an accreditation body reads it.

:func:`programme_document` gathers, for one module in one language, everything the
descriptor template (``descriptor.html``) shows: the summary, the accreditation fields,
the outcomes with their classification, the syllabus, the outcome × assessment matrix
and the lesson plan, with every label already in the document's language. Other printed
documents (a trainer's guide's descriptor summary) render the same
:class:`ProgrammeDocument` with their own templates.

:func:`render_programme_pdf` turns the descriptor into an A4 PDF (page numbers, table of
contents) through :func:`mirco_lms.render.pdf.html_to_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mirco_lms.course.accreditation import Accreditation, Bloom, OutcomeDomain
from mirco_lms.course.matrix import Matrix, outcome_matrix
from mirco_lms.course.model import Module
from mirco_lms.render.localized import N_, LocalizedModule

if TYPE_CHECKING:
    from mirco_lms.config import ProjectConfig

DOMAIN_LABELS: dict[OutcomeDomain, str] = {
    OutcomeDomain.KNOWLEDGE: N_("Knowledge"),
    OutcomeDomain.SKILLS: N_("Skills"),
    OutcomeDomain.COMPETENCE: N_("Competence"),
}
BLOOM_LABELS: dict[Bloom, str] = {
    Bloom.REMEMBER: N_("Remember"),
    Bloom.UNDERSTAND: N_("Understand"),
    Bloom.APPLY: N_("Apply"),
    Bloom.ANALYSE: N_("Analyse"),
    Bloom.EVALUATE: N_("Evaluate"),
    Bloom.CREATE: N_("Create"),
}
HOURS_LABELS: tuple[tuple[str, str], ...] = (
    ("contact", N_("Contact hours (with a trainer)")),
    ("online", N_("Supervised and online learning")),
    ("self_study", N_("Self-study")),
    ("assessment", N_("Assessment")),
)


@dataclass(frozen=True)
class DescriptorInfo:
    """Who offers the course (``[project]`` of mirco.toml)."""

    organization: str = ""
    institution: str = ""
    country: str = ""
    catalogue: str = ""
    localized: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    """Fields written per language: key (``organization``…) → language → text."""

    @classmethod
    def from_config(cls, config: ProjectConfig) -> DescriptorInfo:
        renamed = {"name": "catalogue"}
        return cls(config.organization, config.institution, config.country, config.name,
                   {renamed.get(k, k): v for k, v in config.localized.items()})

    def in_language(self, language: str) -> DescriptorInfo:
        """The same provider with its texts in ``language`` (where given in it)."""
        texts: dict[str, Any] = {key: values[language] for key, values in self.localized.items()
                                 if language in values}
        return replace(self, **texts)


@dataclass(frozen=True)
class OutcomeLine:
    """A learning outcome with its classification's labels."""

    id: str
    text: str
    domain: str = ""
    bloom: str = ""


@dataclass(frozen=True)
class HoursLine:
    label: str
    minutes: int


@dataclass(frozen=True)
class GradeRow:
    """A grade band with its range of the weighted mark (percent), highest first."""

    grade: str
    low: int
    high: int
    passed: bool


@dataclass(frozen=True)
class ProgrammeDocument:
    """What the programme document shows of one module in one language."""

    module: Module
    """The module, translated."""
    language: str
    provider: DescriptorInfo
    outcomes: tuple[OutcomeLine, ...]
    matrix: Matrix
    accreditation: Accreditation | None
    framework_level: str = ""
    """``MQF level 5`` (translated); empty when not given."""
    hours: tuple[HoursLine, ...] = ()
    """The learning hours by kind (those given), then their total."""
    languages: tuple[str, ...] = ()
    """The languages of instruction by name, in the document's language."""
    grades: tuple[GradeRow, ...] = ()
    pooled: bool = False
    """Some question of the matrix is drawn from a pool (the matrix says so)."""


def _outcomes(module: Module, localized: LocalizedModule) -> tuple[OutcomeLine, ...]:
    return tuple(
        OutcomeLine(
            o.id, o.text,
            localized.gettext(DOMAIN_LABELS[o.domain]) if o.domain else "",
            localized.gettext(BLOOM_LABELS[o.bloom]) if o.bloom else "",
        )
        for o in module.outcomes
    )


def _hours(acc: Accreditation | None, localized: LocalizedModule) -> tuple[HoursLine, ...]:
    if acc is None or acc.hours is None:
        return ()
    lines = [HoursLine(localized.gettext(label), getattr(acc.hours, key))
             for key, label in HOURS_LABELS if getattr(acc.hours, key)]
    return (*lines, HoursLine(localized.gettext("Total learning hours"),
                              acc.hours.total_minutes))


def _grades(acc: Accreditation | None) -> tuple[GradeRow, ...]:
    if acc is None:
        return ()
    rows: list[GradeRow] = []
    high = 100
    for band in sorted(acc.grades, key=lambda b: -b.minimum):
        rows.append(GradeRow(band.grade, band.minimum, max(high, band.minimum), band.passed))
        high = band.minimum - 1
    return tuple(rows)


def _level(acc: Accreditation | None, localized: LocalizedModule) -> str:
    if acc is None or acc.level is None or acc.framework is None:
        return ""
    return localized.gettext("{framework} level {level}").format(
        framework=acc.framework.value, level=acc.level)


def programme_document(localized: LocalizedModule, info: DescriptorInfo) -> ProgrammeDocument:
    """The programme document of ``localized`` (a module already in its language)."""
    from mirco_lms.i18n.locales import language_name

    module = localized.module
    acc = module.accreditation
    matrix = outcome_matrix(module)
    return ProgrammeDocument(
        module=module,
        language=localized.language,
        provider=info.in_language(localized.language),
        outcomes=_outcomes(module, localized),
        matrix=matrix,
        accreditation=acc,
        framework_level=_level(acc, localized),
        hours=_hours(acc, localized),
        languages=tuple(language_name(code, localized.language) for code in acc.languages)
        if acc else (),
        grades=_grades(acc),
        pooled=any(cell.pooled for row in matrix.rows for cell in row.cells),
    )
