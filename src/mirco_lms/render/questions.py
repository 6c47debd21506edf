"""Questions → what the templates show (views) and what the runtime scores (data).

Views hold HTML already rendered from Markdown; templates turn them into accessible
forms. Data is the JSON the learner runtime reads: types, correct responses, points,
outcomes and feedback. Both are built in one place so they always agree; what depends on
the question's type comes from its :class:`~mirco_lms.questions.QuestionKind`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from mirco_lms import questions
from mirco_lms.course.model import Question
from mirco_lms.questions import OptionView
from mirco_lms.render import markup
from mirco_lms.render.localized import LocalizedModule

__all__ = ["OptionView", "QuestionView", "question_data", "question_view"]


@dataclass(frozen=True)
class QuestionView:
    """Everything a question template needs."""

    id: str
    type: str
    """The question type's name, also the template name (``questions/<type>.html``)."""
    dom_id: str
    """A unique HTML id prefix for the question's elements."""
    number: int | None
    """Position in its assessment (1-based); None for knowledge checks."""
    legend: Markup | None
    """The stem as phrasing content when it is one paragraph (then it is the legend)."""
    stem: Markup
    """The stem as block HTML (shown under a numbered legend when ``legend`` is None)."""
    points: float
    outcomes: tuple[str, ...]
    shuffle: bool
    options: tuple[OptionView, ...] = ()
    """Choices (choice, multiple-choice, true-false), in source order."""
    sources: tuple[OptionView, ...] = ()
    """Matching: the left sides, in source order."""
    targets: tuple[OptionView, ...] = ()
    """Matching: the right sides, shuffled; ordering: the items, shuffled."""
    feedback: Markup = Markup("")
    is_check: bool = False
    extras: dict[str, Any] = field(default_factory=dict)
    """What the type's template shows beyond this view (:meth:`QuestionKind.extras`)."""


@dataclass(frozen=True)
class _Markdown:
    """Markdown → HTML in the language of ``localized`` (what question types render with)."""

    localized: LocalizedModule

    def inline(self, text_md: str) -> Markup:
        return markup.inline(text_md)

    def block(self, text_md: str) -> Markup:
        return markup.block(text_md, self.localized)

    def gettext(self, message: str) -> str:
        return self.localized.gettext(message)


def question_view(
    question: Question, localized: LocalizedModule, *, number: int | None = None,
    is_check: bool = False,
) -> QuestionView:
    """The view of ``question`` for the templates."""
    kind = questions.of(question)
    md = _Markdown(localized)
    stem = markup.block(question.stem_md, localized)
    seed = f"{localized.module.id}:{question.id}"
    return QuestionView(
        id=question.id,
        type=kind.name,
        dom_id=f"mq-{question.id}",
        number=number,
        legend=markup.as_phrasing(stem),
        stem=stem,
        points=question.points,
        outcomes=question.outcomes,
        shuffle=bool(getattr(question, "shuffle", False)),
        options=kind.options(question, md),
        sources=kind.sources(question, md),
        targets=kind.targets(question, md, seed),
        feedback=markup.block(question.feedback_md, localized),
        is_check=is_check,
        extras=kind.extras(question, md),
    )


def question_data(
    view: QuestionView, question: Question, localized: LocalizedModule
) -> dict[str, Any]:
    """The runtime's JSON description of one question."""
    kind = questions.of(question)
    data: dict[str, Any] = {
        "id": question.id,
        "type": view.type,
        "points": question.points,
        "outcomes": list(question.outcomes),
        "shuffle": view.shuffle,
        "check": view.is_check,
        "correct": kind.correct(question),
        "feedback": str(view.feedback),
    }
    if not kind.graded:
        data["graded"] = False
    if view.options:
        data["choices"] = [{"id": o.id, "feedback": str(o.feedback)} for o in view.options]
    data.update(kind.data(question, view.sources, view.targets, _Markdown(localized)))
    return data
