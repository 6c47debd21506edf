"""Essay or reflection (``essay``): free text, never scored, compared with a model answer.

Written ``## What would you ask first? {#q-id type=essay max=1500}`` with one answer, the
model answer, ``- = …`` (its blockquote, if any, is shown under it), or with no answer list
at all: an open comment (a course evaluation's), with no model answer. The learner writes up
to ``max`` characters (default 1,000, at most 4,000: what a SCORM 2004 ``long-fill-in``
response holds); once the answer is checked or the test submitted, the model answer is
shown and the learner rates how much of it they covered (all, most, some, none: a
``likert`` interaction of its own, ``<id>-self``).

The answer is recorded, never right or wrong (:attr:`QuestionKind.graded` is false): it
counts toward no score, pass mark or completion. The LMS keeps it in the interaction
(SCORM 2004 ``long-fill-in``; SCORM 1.2 has no long text, so ``fill-in`` with the first
255 characters), xAPI in ``result.response`` in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mirco_lms.course.answers import AnswerItem
from mirco_lms.course.context import Context
from mirco_lms.course.model import QuestionBase
from mirco_lms.questions.base import Markdown, PaperForm, QuestionKind, Translator

DEFAULT_MAX = 1000
"""Characters an essay takes when ``max=`` is not written."""
LONGEST = 4000
"""The most ``max=`` may be: a SCORM 2004 ``long-fill-in`` response (SPM 4,000)."""
SELF_SCALE = ("all", "most", "some", "none")
"""The self-assessment's answers, most covered first (their ids in the interaction)."""


@dataclass(frozen=True)
class Essay(QuestionBase):
    model_md: str = ""
    """The model answer, shown once the learner's answer is in."""
    model_note_md: str = ""
    """The blockquote under the model answer (what to look for), if any."""
    max_chars: int = DEFAULT_MAX
    """The most characters the learner may write."""

    @property
    def type(self) -> str:
        return "essay"


class EssayKind(QuestionKind):
    name = "essay"
    aliases = ("reflection",)
    model = Essay
    writes = frozenset({"answer"})
    graded = False
    attributes = ("max",)
    answers_optional = True

    def build(self, attrs: dict[str, str], items: Sequence[AnswerItem], common: dict[str, Any],
              ctx: Context, line: int) -> QuestionBase | None:
        if len(items) > 1 or (items and not items[0].text):
            ctx.error(f"an essay question has one model answer, not {len(items)} answers",
                      line, "write the model answer as one item: '- = What a good answer says' "
                      "(or no list at all for an open comment)")
            return None
        model = items[0] if items else None
        return Essay(**common, model_md=model.text if model else "",
                     model_note_md=model.feedback if model else "",
                     max_chars=_max_chars(attrs.get("max"), ctx, line))

    def translate(self, question: Any, tr: Translator) -> QuestionBase:
        q: Essay = question
        if not q.model_md:
            return q
        return replace(
            q,
            model_md=tr.block(q.model_md, q.location, q.id, "model answer"),
            model_note_md=tr.block(q.model_note_md, q.location, q.id, "answer feedback"),
        )

    def extras(self, question: Any, md: Markdown) -> dict[str, Any]:
        q: Essay = question
        model = md.block(q.model_md) + md.block(q.model_note_md) if q.model_md else ""
        return {"max": q.max_chars, "model": model,
                "scale": SELF_SCALE}

    def data(self, question: Any, sources: Sequence[Any], targets: Sequence[Any],
             md: Markdown) -> dict[str, Any]:
        return {"max": question.max_chars}

    def paper(self, question: Any, md: Markdown, seed: str) -> PaperForm:
        """Lines to write on (one per 80 characters allowed, 4 to 20); the key is the
        model answer."""
        lines = min(20, max(4, question.max_chars // 80))
        key = (md.block(question.model_md),) if question.model_md else ()
        return PaperForm("write", key=key, lines=lines)


def _max_chars(raw: str | None, ctx: Context, line: int) -> int:
    if raw is None:
        return DEFAULT_MAX
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= LONGEST:
        ctx.error(f"max={raw!r} is not a number of characters from 1 to {LONGEST:,}", line,
                  f"write e.g. max={DEFAULT_MAX} (SCORM 2004 keeps at most {LONGEST:,})")
        return DEFAULT_MAX
    return value


__all__ = ["DEFAULT_MAX", "LONGEST", "SELF_SCALE", "Essay", "EssayKind"]
