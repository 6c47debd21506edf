"""What the print templates show: lessons (with or without trainer notes), lesson plans
and questions on paper with their answer keys, in the language of a localized module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from mirco_lms import questions
from mirco_lms.course.markdown import DEFAULT_CALLOUT_LABELS, TRAINER_KIND, render_markdown
from mirco_lms.course.model import Activity, Lesson, Module, Question, SyllabusUnit
from mirco_lms.errors import BuildError
from mirco_lms.questions.base import PaperForm
from mirco_lms.render import markup
from mirco_lms.render.localized import N_, LocalizedModule
from mirco_lms.render.theme import Theme

TRAINER_NOTE_LABEL = N_("Trainer's note")
QUESTION_TEMPLATE = "print/question.html"


@dataclass(frozen=True)
class PrintMarkdown:
    """Markdown → HTML for print, in the language of ``localized``: what question types
    render with (:class:`mirco_lms.questions.Markdown`). Trainer notes are kept only for
    the trainer (``trainer_notes``)."""

    localized: LocalizedModule
    trainer_notes: bool = False

    def inline(self, text_md: str) -> Markup:
        return markup.inline(text_md)

    def block(self, text_md: str, render_check: Callable[[str], str] | None = None) -> Markup:
        if not text_md.strip():
            return Markup("")
        labels = {kind: self.gettext(label) for kind, label in DEFAULT_CALLOUT_LABELS.items()}
        labels[TRAINER_KIND] = self.gettext(TRAINER_NOTE_LABEL)
        return Markup(render_markdown(text_md, render_check=render_check, callout_labels=labels,
                                      trainer_notes=self.trainer_notes))

    def gettext(self, message: str) -> str:
        return self.localized.gettext(message)


@dataclass(frozen=True)
class PaperQuestion:
    """A question as printed: its stem, its response area and its answer key."""

    id: str
    number: int | None
    stem: Markup
    points: float
    outcomes: tuple[str, ...]
    form: PaperForm
    feedback: Markup
    graded: bool


def paper_question(question: Question, md: PrintMarkdown, seed: str,
                   number: int | None = None) -> PaperQuestion:
    """``question`` on paper, its options shuffled with ``seed`` where its type shuffles."""
    kind = questions.of(question)
    return PaperQuestion(
        id=question.id,
        number=number,
        stem=md.block(question.stem_md),
        points=question.points,
        outcomes=question.outcomes,
        form=kind.paper(question, md, f"{seed}:{question.id}"),
        feedback=md.block(question.feedback_md),
        graded=kind.graded,
    )


@dataclass(frozen=True)
class LessonView:
    """A lesson as printed: its body (checks as paper questions) and its plan."""

    lesson: Lesson
    body: Markup
    plan: tuple[Activity, ...]

    @property
    def plan_minutes(self) -> int:
        return sum(activity.minutes for activity in self.plan)


@dataclass(frozen=True)
class UnitView:
    """A syllabus unit and the lessons that teach it."""

    number: int
    unit: SyllabusUnit | None
    """None: the lessons no syllabus unit lists."""
    lessons: tuple[LessonView, ...]


def lesson_view(lesson: Lesson, md: PrintMarkdown, theme: Theme, *, key: bool) -> LessonView:
    """``lesson`` rendered for print; its knowledge checks printed with their answer key
    when ``key`` (the trainer's guide), without it otherwise."""
    checks = {q.id: q for q in lesson.checks}

    def render_check(check_id: str) -> str:
        question = checks.get(check_id)
        if question is None:
            raise BuildError(f"knowledge check {check_id!r} not found in lesson {lesson.id!r}",
                             location=lesson.location)
        view = paper_question(question, md, md.localized.module.id)
        return render_question(theme, md, view, key=key, check=True)

    return LessonView(lesson, md.block(lesson.body_md, render_check), lesson.plan)


def render_question(theme: Theme, md: PrintMarkdown, question: PaperQuestion, *, key: bool,
                    check: bool = False) -> str:
    """The theme's ``print/question.html`` for one question."""
    context: dict[str, Any] = {"question": question, "key": key, "check": check}
    return theme.render(QUESTION_TEMPLATE, context, md.localized.translations)


def unit_views(module: Module, md: PrintMarkdown, theme: Theme, *, key: bool) -> list[UnitView]:
    """The syllabus units with their lessons, then (as a unit without a title) the lessons
    no unit lists."""
    views = {lesson.id: lesson_view(lesson, md, theme, key=key) for lesson in module.lessons}
    units: list[UnitView] = []
    listed: set[str] = set()
    for number, unit in enumerate(module.syllabus, start=1):
        own = tuple(views[i] for i in unit.lessons if i in views and i not in listed)
        listed.update(view.lesson.id for view in own)
        units.append(UnitView(number, unit, own))
    rest = tuple(view for lesson_id, view in views.items() if lesson_id not in listed)
    if rest:
        units.append(UnitView(len(units) + 1, None, rest))
    return units
