"""True/false (``true-false``): two ``( )`` options reading True and False, one marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import QuestionBase, TrueFalse
from mirco_lms.questions.base import Markdown, OptionView, PaperForm, QuestionKind, Translator
from mirco_lms.questions.choice import tick_form

TRUE_WORDS = frozenset({"true", "tačno", "točno", "тачно", "точно", "e vërtetë", "vërtetë"})
FALSE_WORDS = frozenset({"false", "netačno", "netočno", "нетачно", "неточно", "e gabuar", "gabim"})


def true_false_order(items: Sequence[AnswerItem]) -> tuple[int, int] | None:
    """Indexes of the (true, false) options when the two options read True / False."""
    if len(items) != 2:
        return None
    words = [item.text.strip("*_ .").lower() for item in items]
    if words[0] in TRUE_WORDS and words[1] in FALSE_WORDS:
        return 0, 1
    if words[0] in FALSE_WORDS and words[1] in TRUE_WORDS:
        return 1, 0
    return None


class TrueFalseKind(QuestionKind):
    name = "true-false"
    aliases = ("truefalse",)
    model = TrueFalse
    writes = frozenset({"radio", "checkbox"})

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        right = sum(item.correct for item in items)
        return kind == "radio" and right == 1 and true_false_order(items) is not None

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        if len(items) != 2 or sum(item.correct for item in items) != 1:
            ctx.error(
                f"the true/false question {common['id']!r} needs exactly two options, "
                "one marked (x)",
                line,
                "write '- (x) True' and '- ( ) False' (or the reverse)",
            )
            return None
        true_at, false_at = true_false_order(items) or (0, 1)
        return TrueFalse(
            **common,
            answer=items[true_at].correct,
            feedback_true_md=items[true_at].feedback,
            feedback_false_md=items[false_at].feedback,
        )

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        where, qid = question.location, question.id
        translated: QuestionBase = replace(
            question,
            feedback_true_md=tr.block(question.feedback_true_md, where, qid, "feedback"),
            feedback_false_md=tr.block(question.feedback_false_md, where, qid, "feedback"),
        )
        return translated

    def options(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        return (
            OptionView("true", Markup.escape(md.gettext("True")),
                       md.block(question.feedback_true_md)),
            OptionView("false", Markup.escape(md.gettext("False")),
                       md.block(question.feedback_false_md)),
        )

    def correct(self, question: Any) -> list[Any]:
        return ["true" if question.answer else "false"]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        return tick_form(self.options(question, md), self.correct(question), "tick-one")
