"""Multiple choice (``multiple-choice``): options written ``[ ]`` / ``[x]``, one or more right."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.model import MultipleChoice
from mirco_lms.errors import Diagnostic
from mirco_lms.questions.base import problem
from mirco_lms.questions.choice import ChoiceKind


class MultipleChoiceKind(ChoiceKind):
    name = "multiple-choice"
    aliases = ("multiple",)
    model = MultipleChoice
    layout = "tick-many"

    def detects(self, kind: str, items: Sequence[AnswerItem], ordered: bool) -> bool:
        return kind == "checkbox"

    def check_right(self, question: Any, right: int) -> list[Diagnostic]:
        if right:
            return []
        return [problem(question, "a multiple-choice question needs at least one right answer",
                        "mark one '[x]'")]
