"""Questions → what the templates show (views) and what the runtime scores (data).

Views hold HTML already rendered from Markdown; templates turn them into accessible
forms. Data is the JSON the learner runtime reads: types, correct responses, points,
outcomes and feedback. Both are built in one place so they always agree.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from mirco_lms.course.model import (
    FillIn,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)
from mirco_lms.render import markup
from mirco_lms.render.localized import LocalizedModule


@dataclass(frozen=True)
class OptionView:
    """An option, pair side or ordering item as shown."""

    id: str
    html: Markup
    feedback: Markup = Markup("")


@dataclass(frozen=True)
class QuestionView:
    """Everything a question template needs."""

    id: str
    type: str
    """The :class:`QuestionType` value, also the template name (``questions/<type>.html``)."""
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


def _shuffled(items: Sequence[OptionView], seed: str) -> tuple[OptionView, ...]:
    """A stable shuffle that never shows the correct order (when there is more than one)."""
    out = list(items)
    random.Random(seed).shuffle(out)
    if len(out) > 1 and [o.id for o in out] == [o.id for o in items]:
        out = out[1:] + out[:1]
    return tuple(out)


def _choice_options(question: Question, localized: LocalizedModule) -> tuple[OptionView, ...]:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return tuple(
            OptionView(c.id, markup.inline(c.text_md), markup.block(c.feedback_md, localized))
            for c in question.choices
        )
    if isinstance(question, TrueFalse):
        return (
            OptionView("true", Markup.escape(localized.gettext("True")),
                       markup.block(question.feedback_true_md, localized)),
            OptionView("false", Markup.escape(localized.gettext("False")),
                       markup.block(question.feedback_false_md, localized)),
        )
    return ()


def question_view(
    question: Question, localized: LocalizedModule, *, number: int | None = None,
    is_check: bool = False,
) -> QuestionView:
    """The view of ``question`` for the templates."""
    stem = markup.block(question.stem_md, localized)
    seed = f"{localized.module.id}:{question.id}"
    sources: tuple[OptionView, ...] = ()
    targets: tuple[OptionView, ...] = ()
    if isinstance(question, Matching):
        sources = tuple(OptionView(p.id, markup.inline(p.source_md)) for p in question.pairs)
        targets = _shuffled(
            [OptionView(p.id, markup.inline(p.target_md)) for p in question.pairs], seed
        )
    elif isinstance(question, Ordering):
        items = [OptionView(i.id, markup.inline(i.text_md)) for i in question.items]
        targets = _shuffled(items, seed)
    return QuestionView(
        id=question.id,
        type=question.type.value,
        dom_id=f"mq-{question.id}",
        number=number,
        legend=markup.as_phrasing(stem),
        stem=stem,
        points=question.points,
        outcomes=question.outcomes,
        shuffle=bool(getattr(question, "shuffle", False)),
        options=_choice_options(question, localized),
        sources=sources,
        targets=targets,
        feedback=markup.block(question.feedback_md, localized),
        is_check=is_check,
    )


def _correct(question: Question) -> list[Any]:
    """The correct response(s), in the shape the runtime scores against."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return [c.id for c in question.choices if c.correct]
    if isinstance(question, TrueFalse):
        return ["true" if question.answer else "false"]
    if isinstance(question, FillIn):
        return [a.text for a in question.answers]
    if isinstance(question, Numeric):
        return [{"low": a.low, "high": a.high} for a in question.answers]
    if isinstance(question, Matching):
        return [[p.id, p.id] for p in question.pairs]
    return [i.id for i in question.items]


def question_data(
    view: QuestionView, question: Question, localized: LocalizedModule
) -> dict[str, Any]:
    """The runtime's JSON description of one question."""
    data: dict[str, Any] = {
        "id": question.id,
        "type": view.type,
        "points": question.points,
        "outcomes": list(question.outcomes),
        "shuffle": view.shuffle,
        "check": view.is_check,
        "correct": _correct(question),
        "feedback": str(view.feedback),
    }
    if view.options:
        data["choices"] = [{"id": o.id, "feedback": str(o.feedback)} for o in view.options]
    if isinstance(question, FillIn):
        data["caseSensitive"] = question.case_sensitive
        data["answers"] = [
            {"text": a.text, "feedback": str(markup.block(a.feedback_md, localized))}
            for a in question.answers
        ]
    if isinstance(question, Numeric):
        data["answers"] = [
            {"low": a.low, "high": a.high, "feedback": str(markup.block(a.feedback_md, localized))}
            for a in question.answers
        ]
    if isinstance(question, Matching):
        data["sources"] = [o.id for o in view.sources]
        data["targets"] = [o.id for o in view.targets]
    return data
