"""A paper answer, scored against the module's sources as the learner runtime scores it.

An answer sheet's cell holds what the learner marked: option ids for choice questions
(``a``, ``a c`` or ``a,c``), ``true`` / ``false`` (or ``t`` / ``f``), a number, a text;
``-`` marks a question left blank. Matching and ordering questions are not read from
paper (give the sheet's total ``score`` instead). :func:`interaction` is the activity
definition sent with the answer, as packages send it (``docs/xapi-profile.md`` §1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mirco_lms.course.model import (
    FillIn,
    MultipleChoice,
    Numeric,
    Question,
    SingleChoice,
    TrueFalse,
)
from mirco_lms.questions import registry
from mirco_lms.xapi import profile as p

BLANK = "-"
"""A question on the sheet that the learner left blank."""
_SPLIT = re.compile(r"[\s,;/+]+")
_TRUE = {"true", "t", "yes", "y", "1", "x"}
_FALSE = {"false", "f", "no", "n", "0"}


class UnreadableAnswer(ValueError):
    """A cell that is no answer to its question: ``args`` = (message, hint)."""


@dataclass(frozen=True)
class Answer:
    """One scored answer."""

    response: str
    """``result.response`` (xAPI response syntax)."""
    success: bool | None
    """None: an ungraded question."""
    raw: float | None
    """Points obtained (None: ungraded)."""
    points: float


def score_answer(question: Question, written: str) -> Answer:
    """The answer ``written`` on the sheet to ``question``, scored (or UnreadableAnswer)."""
    graded = registry.of(question).graded
    if written == BLANK:
        return Answer("", False if graded else None, 0.0 if graded else None, question.points)
    response, right = _read(question, written.strip())
    if not graded:
        return Answer(response, None, None, question.points)
    return Answer(response, right, question.points if right else 0.0, question.points)


def _read(question: Question, text: str) -> tuple[str, bool]:
    if isinstance(question, SingleChoice | MultipleChoice):
        ids = [c.id for c in question.choices]
        parts = [x for x in _SPLIT.split(text.lower()) if x]
        if len(parts) == 1 and parts[0] not in ids and all(ch in ids for ch in parts[0]):
            parts = list(parts[0])  # "ace": one letter per option
        unknown = [x for x in parts if x not in ids]
        if unknown or not parts:
            raise UnreadableAnswer(f"{text!r} is not an option of question {question.id!r}",
                                   f"its options are {', '.join(ids)}")
        if isinstance(question, SingleChoice) and len(parts) > 1:
            raise UnreadableAnswer(f"question {question.id!r} takes one option, got {text!r}",
                                   "write one option id")
        chosen = sorted(set(parts), key=ids.index)
        keys = {c.id for c in question.choices if c.correct}
        return p.RESPONSE_SEPARATOR.join(chosen), set(chosen) == keys
    if isinstance(question, TrueFalse):
        word = text.lower()
        if word not in _TRUE | _FALSE:
            raise UnreadableAnswer(f"{text!r} is not true or false",
                                   "write true or false (t / f)")
        value = word in _TRUE
        return ("true" if value else "false"), value == question.answer
    if isinstance(question, Numeric):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise UnreadableAnswer(f"{text!r} is not a number",
                                   "write the number the learner wrote") from None
        return f"{number:g}", any(a.low <= number <= a.high for a in question.answers)
    if isinstance(question, FillIn):
        fold = (lambda s: s) if question.case_sensitive else str.casefold
        return text, any(fold(a.text.strip()) == fold(text) for a in question.answers)
    raise UnreadableAnswer(f"question {question.id!r} ({question.type}) cannot be read from "
                           "an answer sheet", "give the sheet's total in the score column")


def interaction(question: Question, language: str) -> dict[str, Any]:
    """The interaction definition of ``question`` (texts in the sources' ``language``)."""
    stem = " ".join(question.stem_md.split())
    definition: dict[str, Any] = {
        "type": p.INTERACTION,
        "name": {language: stem[:120]},
        "description": {language: stem},
    }
    if isinstance(question, SingleChoice | MultipleChoice):
        right = [c.id for c in question.choices if c.correct]
        definition.update(
            interactionType="choice",
            correctResponsesPattern=[p.RESPONSE_SEPARATOR.join(right)],
            choices=[{"id": c.id, "description": {language: c.text_md}}
                     for c in question.choices])
    elif isinstance(question, TrueFalse):
        definition.update(interactionType="true-false",
                          correctResponsesPattern=["true" if question.answer else "false"])
    elif isinstance(question, Numeric):
        definition.update(interactionType="numeric", correctResponsesPattern=[
            f"{a.low:g}[:]{a.high:g}" for a in question.answers])
    elif isinstance(question, FillIn):
        prefix = "" if question.case_sensitive else "{case_matters=false}"
        definition.update(interactionType="fill-in", correctResponsesPattern=[
            prefix + a.text for a in question.answers])
    return definition
