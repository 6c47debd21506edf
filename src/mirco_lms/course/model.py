"""The course model: what a module *is*, independent of Markdown, HTML or SCORM.

Everything here is a frozen dataclass built by :mod:`mirco_lms.course.loader`. Every node
keeps the :class:`~mirco_lms.errors.Location` of its source, so later stages (checks,
translation, rendering) can point authors back to ``file:line``.

Markdown bodies are kept as Markdown source text (``*_md`` fields): rendering to HTML
happens in :mod:`mirco_lms.render`, once per language, after translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from mirco_lms.course.accreditation import Accreditation, Bloom, OutcomeDomain
from mirco_lms.errors import Location
from mirco_lms.scenarios.model import Scenario


class Delivery(StrEnum):
    """How a course is delivered (an accreditation dossier asks for this)."""

    SELF_PACED_ONLINE = "self-paced-online"
    IN_PERSON = "in-person"
    BLENDED = "blended"
    LIVE_ONLINE = "live-online"


class AssessmentKind(StrEnum):
    PRETEST = "pretest"
    """Knowledge before the course; never counts toward success."""
    FINAL = "final"
    """The final test; its score decides passed/failed."""
    EVALUATION = "evaluation"
    """The course evaluation survey (ratings and comments): recorded, never scored, after
    the final test; anonymous when its author says so."""


class Review(StrEnum):
    """When a test shows its review: each question's verdict, the feedback of the options
    chosen and the correct answer (before that, only the score)."""

    NEVER = "never"
    AFTER_PASS = "after-pass"
    """Once the learner has passed (final tests only)."""
    AFTER_LAST_ATTEMPT = "after-last-attempt"
    """Once no attempt can follow: passed, or every attempt used (final tests only; the
    final test's default)."""
    ALWAYS = "always"
    """After every submitted attempt (the pre-test's default)."""


DEFAULT_REVIEW = {AssessmentKind.PRETEST: Review.ALWAYS, AssessmentKind.FINAL:
                  Review.AFTER_LAST_ATTEMPT, AssessmentKind.EVALUATION: Review.NEVER}
"""The ``review:`` of a test that does not set one."""


class QuestionType(StrEnum):
    """The built-in question types' names (xAPI / SCORM 2004 interaction types); each is
    registered in :mod:`mirco_lms.questions`."""

    SINGLE = "choice"
    MULTIPLE = "multiple-choice"
    TRUE_FALSE = "true-false"
    FILL_IN = "fill-in"
    MATCHING = "matching"
    ORDERING = "sequencing"
    NUMERIC = "numeric"


@dataclass(frozen=True)
class Outcome:
    """A learning outcome; questions and syllabus units refer to it by ``id``."""

    id: str
    text: str
    location: Location = field(default_factory=Location, compare=False)
    domain: OutcomeDomain | None = None
    """Knowledge, skills or competence (``domain:``), for the programme document."""
    bloom: Bloom | None = None
    """The cognitive level (``bloom:``), for the programme document."""


@dataclass(frozen=True)
class Cover:
    """The cover page's artwork (front matter ``cover:``): every package opens on a cover
    page; this only adds the image."""

    image: str
    """Path of the image, relative to the module folder (``images/cover.svg``)."""
    alt: str
    """The image's text alternative (translated like any other text of the module)."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class SyllabusUnit:
    """One unit of the syllabus: what is taught, for how long, toward which outcomes."""

    title: str
    duration_minutes: int
    outcomes: tuple[str, ...]
    lessons: tuple[str, ...] = ()
    """Ids of the lessons that make up this unit (may be empty)."""
    description: str = ""
    methods: tuple[str, ...] = ()
    """Teaching methods (lecture, case study, group work…) for the lesson plan."""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Choice:
    """An option of a choice question (single, multiple, true/false)."""

    id: str
    """Stable id within the question (``a``, ``b``…; ``true``/``false``), same in all languages."""
    text_md: str
    correct: bool
    feedback_md: str = ""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class MatchPair:
    id: str
    """Stable id of the pair (``1``, ``2``…)."""
    source_md: str
    target_md: str
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class OrderItem:
    id: str
    text_md: str
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class NumericAnswer:
    """Correct when ``low <= answer <= high`` (``value ± tolerance`` or a range)."""

    low: float
    high: float
    feedback_md: str = ""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class TextAnswer:
    text: str
    feedback_md: str = ""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class QuestionBase:
    id: str
    """Author-given id, unique in the module, stable across languages and versions."""
    stem_md: str
    """The question text (Markdown), possibly several paragraphs."""
    points: float = 1.0
    outcomes: tuple[str, ...] = ()
    """Ids of the learning outcomes this question assesses."""
    feedback_md: str = ""
    """General feedback shown after answering, whatever the answer."""
    location: Location = field(default_factory=Location, compare=False)

    @property
    def type(self) -> str:  # pragma: no cover - overridden
        """The name of the question's type (see :mod:`mirco_lms.questions`)."""
        raise NotImplementedError


@dataclass(frozen=True)
class SingleChoice(QuestionBase):
    choices: tuple[Choice, ...] = ()
    shuffle: bool = True

    @property
    def type(self) -> QuestionType:
        return QuestionType.SINGLE


@dataclass(frozen=True)
class MultipleChoice(QuestionBase):
    choices: tuple[Choice, ...] = ()
    shuffle: bool = True

    @property
    def type(self) -> QuestionType:
        return QuestionType.MULTIPLE


@dataclass(frozen=True)
class TrueFalse(QuestionBase):
    answer: bool = True
    feedback_true_md: str = ""
    feedback_false_md: str = ""

    @property
    def type(self) -> QuestionType:
        return QuestionType.TRUE_FALSE


@dataclass(frozen=True)
class FillIn(QuestionBase):
    answers: tuple[TextAnswer, ...] = ()
    case_sensitive: bool = False

    @property
    def type(self) -> QuestionType:
        return QuestionType.FILL_IN


@dataclass(frozen=True)
class Matching(QuestionBase):
    pairs: tuple[MatchPair, ...] = ()
    shuffle: bool = True

    @property
    def type(self) -> QuestionType:
        return QuestionType.MATCHING


@dataclass(frozen=True)
class Ordering(QuestionBase):
    items: tuple[OrderItem, ...] = ()
    """In the correct order."""

    @property
    def type(self) -> QuestionType:
        return QuestionType.ORDERING


@dataclass(frozen=True)
class Numeric(QuestionBase):
    answers: tuple[NumericAnswer, ...] = ()

    @property
    def type(self) -> QuestionType:
        return QuestionType.NUMERIC


Question = QuestionBase
"""Any question: one of the built-in types above or a registered type's own class; what
depends on the type lives in its :class:`mirco_lms.questions.QuestionKind`."""


@dataclass(frozen=True)
class Pool:
    """A group of questions of which ``draw`` are drawn at random per attempt."""

    id: str
    title: str
    draw: int
    questions: tuple[Question, ...]
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Assessment:
    """A pre-test or final test: fixed questions and pools, in source order."""

    id: str
    kind: AssessmentKind
    title: str
    intro_md: str
    items: tuple[Question | Pool, ...]
    shuffle_questions: bool = False
    time_limit_minutes: int | None = None
    source: Path | None = None
    location: Location = field(default_factory=Location, compare=False)
    review: Review | None = None
    """When the learner sees the correct answers and the options' feedback (None: the
    default of the kind, :data:`DEFAULT_REVIEW`)."""
    required: bool = False
    """Pre-test: the lessons and the final test stay locked until it is submitted;
    evaluation: the module is complete only once it is sent."""
    anonymous: bool = False
    """Evaluation only: its answers are never stored with the learner's identity (not in
    the LMS's interactions; xAPI as an anonymous account, see ``docs/xapi-profile.md``)."""

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, pooled or not."""
        out: list[Question] = []
        for item in self.items:
            out.extend(item.questions if isinstance(item, Pool) else (item,))
        return tuple(out)

    @property
    def review_rule(self) -> Review:
        """The review rule in force (the one set, or the kind's default)."""
        return self.review or DEFAULT_REVIEW[self.kind]

    @property
    def questions_per_attempt(self) -> int:
        return sum(item.draw if isinstance(item, Pool) else 1 for item in self.items)

    @property
    def max_points(self) -> float:
        """Points of one attempt (a pool counts ``draw`` × its questions' highest points)."""
        total = 0.0
        for item in self.items:
            if isinstance(item, Pool):
                total += item.draw * max((q.points for q in item.questions), default=0.0)
            else:
                total += item.points
        return total


@dataclass(frozen=True)
class Activity:
    """One timed activity of a lesson plan (the lesson's ``plan:`` front matter)."""

    minutes: int
    method: str
    """How it is taught: lecture, case study, group work…"""
    trainer: str
    """What the trainer does."""
    participants: str
    """What the participants do."""
    outcomes: tuple[str, ...]
    """Ids of the learning outcomes it works toward."""
    materials: str = ""
    location: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Lesson:
    """One lesson page: Markdown body with embedded knowledge checks."""

    id: str
    title: str
    body_md: str
    """The lesson body, Markdown, knowledge checks included as ``::: check`` blocks."""
    checks: tuple[Question, ...] = ()
    """Knowledge checks found in the body (not counted toward the score)."""
    duration_minutes: int | None = None
    source: Path | None = None
    assets: tuple[str, ...] = ()
    """Paths (relative to the module folder) of images and media the lesson uses."""
    location: Location = field(default_factory=Location, compare=False)
    plan: tuple[Activity, ...] = ()
    """The lesson plan for classroom delivery (trainer's guide), in teaching order."""
    scenarios: tuple[Scenario, ...] = ()
    """Branching scenarios found in the body (tracked, never scored)."""


@dataclass(frozen=True)
class DiagramText:
    """One run of text in an SVG diagram (a ``<text>`` or ``<tspan>``): a segment."""

    element: str
    """The element's ``id``, else its position (``text[3]/tspan[1]``)."""
    text: str
    """The run's text, whitespace collapsed."""
    location: Location = field(default_factory=Location, compare=False)
    """The SVG file and the line of the element."""


@dataclass(frozen=True)
class Diagram:
    """An SVG image of the module whose texts are translated at build time."""

    path: str
    """The SVG's path relative to the module folder."""
    texts: tuple[DiagramText, ...] = ()
    """Its text runs, in document order."""


@dataclass(frozen=True)
class Module:
    """A course module: the unit that becomes one package per language and format."""

    slug: str
    """Folder name under ``modules/``; used in file names."""
    id: str
    title: str
    version: str
    language: str
    """Source language (BCP 47, script kept: ``sr-Latn``)."""
    description: str
    overview_md: str
    """The body of module.md: shown on the module's first page."""
    keywords: tuple[str, ...] = ()
    target_group: str = ""
    prerequisites: tuple[str, ...] = ()
    duration_minutes: int = 0
    delivery: tuple[Delivery, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    syllabus: tuple[SyllabusUnit, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    pretest: Assessment | None = None
    final_test: Assessment | None = None
    evaluation: Assessment | None = None
    """The course evaluation survey (``evaluation.md``), after the final test."""
    passing_score: int = 70
    """Percent (0–100) of the final test's points needed to pass."""
    attempts: int = 0
    """Attempts allowed at the final test; 0 means unlimited."""
    next_steps: str = ""
    """Markdown shown under "What is next" on the finish page (front matter ``next_steps``)."""
    assets: tuple[str, ...] = ()
    """Every image or media path the module uses, relative to the module folder."""
    root: Path | None = None
    """The module folder."""
    location: Location = field(default_factory=Location, compare=False)
    accreditation: Accreditation | None = None
    """The ``accreditation:`` fields (None when module.md has none)."""
    diagrams: tuple[Diagram, ...] = ()
    """The SVG images the module shows, with their texts (translated with the module)."""
    cover: Cover | None = None
    """The cover page's image (``cover:``); None: a cover page without an image."""

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        return tuple(a for a in (self.pretest, self.final_test, self.evaluation)
                     if a is not None)

    @property
    def tests(self) -> tuple[Assessment, ...]:
        """The pre-test and the final test (the evaluation survey is no test: never
        printed as one, never scored)."""
        return tuple(a for a in (self.pretest, self.final_test) if a is not None)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)
