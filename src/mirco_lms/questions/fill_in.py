"""Fill-in (``fill-in``): accepted answers written ``= answer``, compared as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import FillIn, QuestionBase, TextAnswer
from mirco_lms.errors import Diagnostic
from mirco_lms.questions.base import (
    Markdown,
    OptionView,
    PaperForm,
    QuestionKind,
    Translator,
    problem,
)


class FillInKind(QuestionKind):
    name = "fill-in"
    aliases = ("fillin",)
    model = FillIn
    writes = frozenset({"answer"})

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return kind == "answer"

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        case = attrs.get("case", "insensitive").lower()
        if case not in ("sensitive", "insensitive"):
            ctx.error(
                f"case={attrs['case']!r} is not 'sensitive' or 'insensitive'",
                line,
                "write case=sensitive to compare answers letter case included",
            )
        answers = []
        for item in items:
            if not item.text:
                ctx.error("an accepted answer is empty", item.line, "write the answer after '= '")
                continue
            answers.append(TextAnswer(item.text, item.feedback, ctx.loc(item.line)))
        return FillIn(**common, answers=tuple(answers), case_sensitive=case == "sensitive")

    def check(self, question: Any) -> list[Diagnostic]:
        if question.answers:
            return []
        return [problem(question, "a fill-in question needs accepted answers",
                        "add '- = answer' lines")]

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        """Accepted answers are one message; alternative ``i`` takes the feedback of source
        answer ``i``, and alternatives beyond the source's count that of the first."""
        q: FillIn = question
        if not q.answers:
            return q
        texts = tr.alternatives([a.text for a in q.answers], q.answers[0].location, q.id)
        feedback = [tr.block(a.feedback_md, a.location, q.id, "answer feedback")
                    for a in q.answers]
        answers = tuple(
            TextAnswer(text, feedback[i] if i < len(feedback) else feedback[0],
                       q.answers[min(i, len(q.answers) - 1)].location)
            for i, text in enumerate(texts)
        )
        return replace(q, answers=answers)

    def correct(self, question: Any) -> list[Any]:
        return [a.text for a in question.answers]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        key = Markup(" / ").join(Markup.escape(a.text) for a in question.answers)
        return PaperForm("write", key=(key,), lines=1)

    def data(self, question: Any, sources: Sequence[OptionView], targets: Sequence[OptionView],
             md: Markdown) -> dict[str, Any]:
        return {
            "caseSensitive": question.case_sensitive,
            "answers": [{"text": a.text, "feedback": str(md.block(a.feedback_md))}
                        for a in question.answers],
        }
