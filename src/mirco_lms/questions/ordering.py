"""Ordering (``sequencing``): a numbered list of items in the correct order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem, no_feedback
from mirco_lms.course.context import Context
from mirco_lms.course.model import Ordering, OrderItem, QuestionBase
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


class OrderingKind(QuestionKind):
    name = "sequencing"
    aliases = ("ordering",)
    model = Ordering
    writes = frozenset({"plain", "pair"})
    inline_kinds = ("ordering item",)

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return ordered and kind in self.writes

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        no_feedback(items, "ordering item", ctx)
        order = tuple(
            OrderItem(str(i + 1), item.raw, ctx.loc(item.line)) for i, item in enumerate(items)
        )
        return Ordering(**common, items=order)

    def check(self, question: Any) -> list[Diagnostic]:
        if len(question.items) >= 2:
            return []
        return [problem(question, "an ordering question needs at least two items",
                        "add numbered items")]

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        items = tuple(
            replace(i, text_md=tr.text("ordering item", i.text_md, i.location, question.id))
            for i in question.items
        )
        translated: QuestionBase = replace(question, items=items)
        return translated

    def targets(self, question: Any, md: Markdown, seed: str) -> tuple[OptionView, ...]:
        return shuffled([OptionView(i.id, md.inline(i.text_md)) for i in question.items], seed)

    def correct(self, question: Any) -> list[Any]:
        return [i.id for i in question.items]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        views = self.targets(question, md, seed)
        place = {view.id: letter(i) for i, view in enumerate(views)}
        key = Markup.escape(", ".join(place[item.id] for item in question.items))
        return PaperForm("order", options=views, key=(key,))
