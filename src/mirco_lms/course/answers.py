"""Answer lists → answer items, each classified by how it is written.

``( )``/``(x)`` (radio), ``[ ]``/``[x]`` (checkbox), ``= answer``, ``left -> right``
(pair) or plain; the kinds of the items (and an optional ``type=`` attribute) decide the
question type, which builds the question (see :mod:`mirco_lms.questions`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from mirco_lms.course.context import Context, blocks, line_of

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_EXACT = re.compile(rf"^({_NUM})$")
_TOLERANCE = re.compile(rf"^({_NUM})\s*(?:\+-|\+/-|±)\s*({_NUM})$")
_RANGE = re.compile(rf"^({_NUM})\s*\.\.\s*({_NUM})$")
_CHOICE = re.compile(r"^([(\[])([ xX]?)([)\]])(?:\s+|$)(.*)$", re.DOTALL)
_ANSWER = re.compile(r"^=\s*(.*)$", re.DOTALL)
_PAIR = re.compile(r"^(.*?)\s+(?:->|→)\s+(.*)$", re.DOTALL)


# --- answers -------------------------------------------------------------------------------


@dataclass
class AnswerItem:
    """One item of an answer list."""

    kind: str
    """``radio``, ``checkbox``, ``answer``, ``pair`` or ``plain``."""
    text: str
    correct: bool
    feedback: str
    line: int
    right: str = ""
    raw: str = ""
    """The item's text as written, markers included."""


def answer_items(list_block: Sequence[Token], ctx: Context) -> list[AnswerItem]:
    items: list[AnswerItem] = []
    for item in blocks(list_block[1:-1]):
        inner = blocks(item[1:-1])
        line = line_of(item)
        paras = [b for b in inner if b[0].type == "paragraph_open"]
        text = paras[0][1].content.strip() if paras else ""
        feedback = [ctx.quote_source(b) for b in inner if b[0].type == "blockquote_open"]
        if len(paras) > 1 or any(
            b[0].type not in ("paragraph_open", "blockquote_open") for b in inner
        ):
            ctx.error(
                "an answer is one paragraph, optionally followed by a blockquote",
                line,
                "put option feedback in a blockquote ('> …') under the option",
            )
        items.append(_classify(text, "\n\n".join(feedback), line))
    return items


def _classify(text: str, feedback: str, line: int) -> AnswerItem:
    item = _classify_marked(text, feedback, line)
    item.raw = text
    return item


def _classify_marked(text: str, feedback: str, line: int) -> AnswerItem:
    match = _CHOICE.match(text)
    if match and (match.group(1), match.group(3)) in (("(", ")"), ("[", "]")):
        kind = "radio" if match.group(1) == "(" else "checkbox"
        correct = match.group(2) in ("x", "X")
        return AnswerItem(kind, match.group(4).strip(), correct, feedback, line)
    match = _ANSWER.match(text)
    if match:
        return AnswerItem("answer", match.group(1).strip(), True, feedback, line)
    match = _PAIR.match(text)
    if match:
        left, right = match.group(1).strip(), match.group(2).strip()
        return AnswerItem("pair", left, True, feedback, line, right)
    return AnswerItem("plain", text, False, feedback, line)


def parse_numeric(text: str) -> tuple[float, float] | None:
    """``1951`` → (1951, 1951); ``3.5 +- 0.5`` / ``3.5 ± 0.5`` → (3, 4); ``10..20``."""
    text = text.strip()
    if m := _EXACT.match(text):
        return float(m.group(1)), float(m.group(1))
    if m := _TOLERANCE.match(text):
        value, tolerance = float(m.group(1)), abs(float(m.group(2)))
        return value - tolerance, value + tolerance
    if m := _RANGE.match(text):
        return float(m.group(1)), float(m.group(2))
    return None


KIND_NAMES = {
    "radio": "( ) / (x)",
    "checkbox": "[ ] / [x]",
    "answer": "= answer",
    "pair": "left -> right",
    "plain": "plain items",
}
"""How each kind of answer item is written (for messages)."""


def no_feedback(items: Sequence[AnswerItem], what: str, ctx: Context) -> None:
    """Warn about feedback under items that cannot show it (``what``: the items' name)."""
    for item in items:
        if item.feedback:
            ctx.warn(
                f"feedback under a {what} is not shown",
                item.line,
                "move it to the question's general feedback (a blockquote after the list)",
            )
