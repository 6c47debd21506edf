"""Rating (``likert``): a statement rated on a five-point agreement scale, never scored.

Written ``## The case studies were useful. {#ev-cases type=likert}`` with no answer list:
the scale is built in (strongly disagree … strongly agree, translated with the UI), its
answers ``1`` to ``5``. A module's course evaluation (``evaluation.md``) is made of these
and open comments (essays without a model answer). Tracked
as a ``likert`` interaction in SCORM 1.2, 2004 and xAPI (``scale`` lists the five points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import QuestionBase
from mirco_lms.questions.base import Markdown, OptionView, PaperForm, QuestionKind


def N_(message: str) -> str:
    """Mark ``message`` for the UI catalogs (translated where it is shown)."""
    return message


SCALE = (
    ("1", N_("Strongly disagree")),
    ("2", N_("Disagree")),
    ("3", N_("Neither agree nor disagree")),
    ("4", N_("Agree")),
    ("5", N_("Strongly agree")),
)
"""The five points: the answer recorded (what reports average) and the label shown."""


@dataclass(frozen=True)
class Likert(QuestionBase):
    @property
    def type(self) -> str:
        return "likert"


class LikertKind(QuestionKind):
    name = "likert"
    aliases = ("rating",)
    model = Likert
    writes = frozenset()
    graded = False
    answers_optional = True

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        return Likert(**common)

    def options(self, question: Any, md: Markdown) -> tuple[OptionView, ...]:
        return tuple(OptionView(value, Markup.escape(md.gettext(label))) for value, label in SCALE)

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        return PaperForm("tick-one", options=self.options(question, md))
