"""Numeric (``numeric``): answers written ``= 1951``, ``= 3.5 +- 0.5`` or ``= 10..20``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem, parse_numeric
from mirco_lms.course.context import Context
from mirco_lms.course.model import Numeric, NumericAnswer, QuestionBase
from mirco_lms.errors import Diagnostic
from mirco_lms.questions.base import (
    Markdown,
    OptionView,
    PaperForm,
    QuestionKind,
    Translator,
    problem,
)


class NumericKind(QuestionKind):
    name = "numeric"
    model = Numeric
    writes = frozenset({"answer"})

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return kind == "answer" and all(parse_numeric(item.text) is not None for item in items)

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        answers = []
        for item in items:
            bounds = parse_numeric(item.text)
            if bounds is None:
                ctx.error(
                    f"{item.text!r} is not a number",
                    item.line,
                    "write '= 1951', '= 3.5 +- 0.5' (or ±) or '= 10..20'",
                )
                continue
            answers.append(NumericAnswer(bounds[0], bounds[1], item.feedback, ctx.loc(item.line)))
        return Numeric(**common, answers=tuple(answers))

    def check(self, question: Any) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if not question.answers:
            out.append(problem(question, "a numeric question needs an answer",
                               "add '- = 42' or '- = 10..20'"))
        for answer in question.answers:
            if answer.low > answer.high:
                out.append(problem(
                    question,
                    f"the range {answer.low:g}..{answer.high:g} is empty (low > high)",
                    "write the lower bound first, e.g. '= 10..20'",
                    answer.location,
                ))
        return out

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        answers = tuple(
            replace(a, feedback_md=tr.block(a.feedback_md, a.location, question.id, "feedback"))
            for a in question.answers
        )
        translated: QuestionBase = replace(question, answers=answers)
        return translated

    def correct(self, question: Any) -> list[Any]:
        return [{"low": a.low, "high": a.high} for a in question.answers]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        key = tuple(Markup.escape(f"{a.low:g}" if a.low == a.high else f"{a.low:g} – {a.high:g}")
                    for a in question.answers)
        return PaperForm("write", key=key, lines=1)

    def data(self, question: Any, sources: Sequence[OptionView], targets: Sequence[OptionView],
             md: Markdown) -> dict[str, Any]:
        return {"answers": [{"low": a.low, "high": a.high, "feedback": str(md.block(a.feedback_md))}
                            for a in question.answers]}
