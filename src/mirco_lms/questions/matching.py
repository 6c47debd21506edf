"""Matching (``matching``): pairs written ``left -> right``; the right sides are shuffled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem, no_feedback
from mirco_lms.course.context import Context, bool_attr
from mirco_lms.course.model import Matching, MatchPair, QuestionBase
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


class MatchingKind(QuestionKind):
    name = "matching"
    model = Matching
    writes = frozenset({"pair"})
    inline_kinds = ("matching left", "matching right")

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return kind == "pair"

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        no_feedback(items, "matching pair", ctx)
        pairs = tuple(
            MatchPair(str(i + 1), item.text, item.right, ctx.loc(item.line))
            for i, item in enumerate(items)
        )
        return Matching(**common, pairs=pairs, shuffle=bool_attr(attrs, "shuffle", True, ctx, line))

    def check(self, question: Any) -> list[Diagnostic]:
        if len(question.pairs) >= 2:
            return []
        return [problem(question, "a matching question needs at least two pairs",
                        "add 'left -> right' lines")]

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        qid = question.id
        pairs = tuple(
            replace(p, source_md=tr.text("matching left", p.source_md, p.location, qid),
                    target_md=tr.text("matching right", p.target_md, p.location, qid))
            for p in question.pairs
        )
        translated: QuestionBase = replace(question, pairs=pairs)
        return translated

    def sources(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        return tuple(OptionView(p.id, md.inline(p.source_md)) for p in question.pairs)

    def targets(self, question: Any, md: Markdown, seed: str) -> tuple[OptionView, ...]:
        return shuffled([OptionView(p.id, md.inline(p.target_md)) for p in question.pairs], seed)

    def correct(self, question: Any) -> list[Any]:
        return [[p.id, p.id] for p in question.pairs]

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        left = self.sources(question, md)
        right = self.targets(question, md, seed)
        place = {view.id: letter(i) for i, view in enumerate(right)}
        key = tuple(Markup(f"{n}. {view.html} → {place[view.id]}")
                    for n, view in enumerate(left, start=1))
        return PaperForm("match", options=left, targets=right, key=key)

    def data(self, question: Any, sources: Sequence[OptionView], targets: Sequence[OptionView],
             md: Markdown) -> dict[str, Any]:
        return {"sources": [o.id for o in sources], "targets": [o.id for o in targets]}
