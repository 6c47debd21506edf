"""Single choice (``choice``): options written ``( )`` / ``(x)``, exactly one right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context, bool_attr
from mirco_lms.course.model import Choice, QuestionBase, SingleChoice
from mirco_lms.errors import Diagnostic
from mirco_lms.questions.base import (
    Markdown,
    OptionView,
    PaperForm,
    QuestionKind,
    Translator,
    letter,
    problem,
    shuffled,
)


def letters(index: int) -> str:
    """Option ids: 0 → ``a``, 25 → ``z``, 26 → ``aa``…"""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def tick_form(views: tuple[OptionView, ...], right: list[Any], layout: str) -> PaperForm:
    """Options to tick, lettered A, B… as printed; the key names the right ones so."""
    key = tuple(Markup(f"{letter(i)}. {view.html}") for i, view in enumerate(views)
                if view.id in right)
    return PaperForm(layout, options=views, key=key)


class ChoiceKind(QuestionKind):
    """What single and multiple choice share: options with ids ``a``, ``b``…"""

    writes = frozenset({"radio", "checkbox"})
    inline_kinds = ("option",)
    layout = "tick-one"
    """The paper test's response layout (see :class:`PaperForm`)."""

    def choices(self, items: Sequence[AnswerItem], ctx: Context) -> tuple[Choice, ...]:
        return tuple(
            Choice(letters(i), item.text, item.correct, item.feedback, ctx.loc(item.line))
            for i, item in enumerate(items)
        )

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        shuffle = bool_attr(attrs, "shuffle", True, ctx, line)
        model: Any = self.model
        question: QuestionBase = model(**common, choices=self.choices(items, ctx), shuffle=shuffle)
        return question

    def check(self, question: Any) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if len(question.choices) < 2:
            out.append(problem(question, "a choice question needs at least two options",
                               "add more options"))
        out += self.check_right(question, sum(c.correct for c in question.choices))
        for choice in question.choices:
            if not choice.text_md.strip():
                out.append(problem(question, f"option {choice.id} has no text",
                                   "write the option after '( )' or '[ ]'", choice.location))
        return out

    def check_right(self, question: Any, right: int) -> list[Diagnostic]:
        """Problems with the number of right options."""
        raise NotImplementedError

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        qid = question.id
        choices = tuple(
            replace(c, text_md=tr.text("option", c.text_md, c.location, qid),
                    feedback_md=tr.block(c.feedback_md, c.location, qid, "option feedback"))
            for c in question.choices
        )
        translated: QuestionBase = replace(question, choices=choices)
        return translated

    def options(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        return tuple(OptionView(c.id, md.inline(c.text_md), md.block(c.feedback_md))
                     for c in question.choices)

    def correct(self, question: Any) -> list[Any]:
        return [c.id for c in question.choices if c.correct]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        views = self.options(question, md)
        if question.shuffle:
            views = shuffled(views, seed)
        return tick_form(views, self.correct(question), self.layout)


class SingleChoiceKind(ChoiceKind):
    name = "choice"
    aliases = ("single", "single-choice")
    model = SingleChoice

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return kind == "radio"

    def check_right(self, question: Any, right: int) -> list[Diagnostic]:
        if right == 1:
            return []
        return [problem(
            question, f"a single-choice question needs exactly one right answer, found {right}",
            "mark exactly one option '(x)', or use '[x]' for multiple choice")]
