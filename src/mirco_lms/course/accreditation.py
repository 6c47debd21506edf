"""What an accreditation body asks of a programme, beyond what the learner sees.

A module's ``accreditation:`` front matter (all optional) becomes an
:class:`Accreditation`: the qualifications-framework level, ECTS credits and the
learning hours behind them, entry requirements, languages of instruction, the assessment
components with their weights and the grading scheme, the trainers' qualifications, the
reading list, quality assurance and the approval. Learning outcomes carry their own
classification (:class:`OutcomeDomain`, :class:`Bloom`) in :class:`~mirco_lms.course.model.Outcome`.

Read by :mod:`mirco_lms.course.accreditation_fields`, checked by
:mod:`mirco_lms.course.accreditation_checks`, shown by the programme document
(:mod:`mirco_lms.render.programme`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mirco_lms.errors import Location


class Framework(StrEnum):
    """The qualifications framework a level refers to (both have levels 1–8)."""

    MQF = "MQF"
    """The Malta Qualifications Framework."""
    EQF = "EQF"
    """The European Qualifications Framework."""


class OutcomeDomain(StrEnum):
    """The EQF's three kinds of learning outcome."""

    KNOWLEDGE = "knowledge"
    SKILLS = "skills"
    COMPETENCE = "competence"


class Bloom(StrEnum):
    """The cognitive level of an outcome (Bloom's taxonomy, revised)."""

    REMEMBER = "remember"
    UNDERSTAND = "understand"
    APPLY = "apply"
    ANALYSE = "analyse"
    EVALUATE = "evaluate"
    CREATE = "create"


class ComponentTest(StrEnum):
    """The module test an assessment component stands for (``test:``)."""

    PRETEST = "pretest"
    FINAL = "final"


@dataclass(frozen=True)
class AccreditationRules:
    """Project-wide rules of the checks (``[accreditation]`` in mirco.toml)."""

    hours_per_ects: tuple[int, int] = (25, 30)
    """The learning hours one ECTS credit stands for (lowest, highest)."""


@dataclass(frozen=True)
class LearningHours:
    """The total learning time behind the credits, in minutes, by kind of learning."""

    contact: int = 0
    """Taught in the room or live online, with a trainer."""
    online: int = 0
    """Supervised or self-paced online learning (the packages)."""
    self_study: int = 0
    """Reading and preparation on the participant's own."""
    assessment: int = 0
    """Tests and assessed work."""
    total: int | None = None
    """The total as written (``total:``), checked against the parts; None: not written."""
    location: Location = field(default_factory=Location, compare=False)

    @property
    def parts_minutes(self) -> int:
        return self.contact + self.online + self.self_study + self.assessment

    @property
    def total_minutes(self) -> int:
        return self.total if self.total is not None else self.parts_minutes


@dataclass(frozen=True)
class AssessmentComponent:
    """One component of the final mark, with its weight in percent."""

    title: str
    weight: int
    test: ComponentTest | None = None
    """The module test it stands for; None: assessed outside the package (an exercise,
    a presentation…)."""
    description: str = ""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class GradeBand:
    """A grade given from ``minimum`` percent of the weighted mark upward."""

    grade: str
    minimum: int
    passed: bool = True
    """False for the failing band(s) (those under the pass mark)."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Reference:
    """An entry of the reading list or of the resources: a citation as written."""

    citation: str
    """Author, year, title, publisher: not translated (it names a publication)."""
    url: str = ""
    note: str = ""
    """Why it is listed (translated)."""
    required: bool = False
    """Required reading, not only recommended."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Accreditation:
    """A module's accreditation fields; every one optional."""

    framework: Framework | None = None
    level: int | None = None
    """1–8 in :attr:`framework`."""
    ects: float | None = None
    hours: LearningHours | None = None
    entry_requirements: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    """Languages of instruction (BCP 47 tags)."""
    components: tuple[AssessmentComponent, ...] = ()
    pass_mark: int | None = None
    """Percent of the weighted mark needed to pass the module."""
    grades: tuple[GradeBand, ...] = ()
    """From the highest band down."""
    trainer_qualifications: tuple[str, ...] = ()
    reading: tuple[Reference, ...] = ()
    resources: tuple[Reference, ...] = ()
    quality_assurance: str = ""
    evaluation: str = ""
    """How the course is evaluated (participants' feedback, follow-up)."""
    approved: str = ""
    """The approval date, ISO 8601 (``2026-09-15``)."""
    approved_by: str = ""
    location: Location = field(default_factory=Location, compare=False)
    """Where ``accreditation:`` is written."""
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The file line of each key of ``accreditation:`` and ``assessment:`` (for checks)."""

    def where(self, key: str) -> Location:
        """The location of ``key`` (or of ``accreditation:`` when it is not written)."""
        return Location(self.location.file, self.key_lines.get(key, self.location.line))
