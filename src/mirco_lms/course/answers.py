"""Answer lists → typed questions (single, multiple, true/false, fill-in, numeric…).

Each list item is classified by how it is written (``( )``/``(x)``, ``[ ]``/``[x]``,
``= answer``, ``left -> right``, plain); the kinds of the items (and an optional
``type=`` attribute) decide the question type. Choice ids are ``a``, ``b``…; pair and
ordering item ids ``1``, ``2``…
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from mirco_lms.course.context import Context, blocks, bool_attr, line_of
from mirco_lms.course.model import (
    Choice,
    FillIn,
    Matching,
    MatchPair,
    MultipleChoice,
    Numeric,
    NumericAnswer,
    Ordering,
    OrderItem,
    Question,
    QuestionType,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)

TYPE_NAMES: dict[str, QuestionType] = {
    "choice": QuestionType.SINGLE,
    "single": QuestionType.SINGLE,
    "single-choice": QuestionType.SINGLE,
    "multiple": QuestionType.MULTIPLE,
    "multiple-choice": QuestionType.MULTIPLE,
    "truefalse": QuestionType.TRUE_FALSE,
    "true-false": QuestionType.TRUE_FALSE,
    "fill-in": QuestionType.FILL_IN,
    "fillin": QuestionType.FILL_IN,
    "numeric": QuestionType.NUMERIC,
    "matching": QuestionType.MATCHING,
    "ordering": QuestionType.ORDERING,
    "sequencing": QuestionType.ORDERING,
}
TRUE_WORDS = frozenset({"true", "tačno", "točno", "тачно", "точно", "e vërtetë", "vërtetë"})
FALSE_WORDS = frozenset({"false", "netačno", "netočno", "нетачно", "неточно", "e gabuar", "gabim"})

_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_EXACT = re.compile(rf"^({_NUM})$")
_TOLERANCE = re.compile(rf"^({_NUM})\s*(?:\+-|\+/-|±)\s*({_NUM})$")
_RANGE = re.compile(rf"^({_NUM})\s*\.\.\s*({_NUM})$")
_CHOICE = re.compile(r"^([(\[])([ xX]?)([)\]])(?:\s+|$)(.*)$", re.DOTALL)
_ANSWER = re.compile(r"^=\s*(.*)$", re.DOTALL)
_PAIR = re.compile(r"^(.*?)\s+(?:->|→)\s+(.*)$", re.DOTALL)


# --- answers -------------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str
    """``radio``, ``checkbox``, ``answer``, ``pair`` or ``plain``."""
    text: str
    correct: bool
    feedback: str
    line: int
    right: str = ""
    raw: str = ""
    """The item's text as written, markers included."""


def answer_items(list_block: Sequence[Token], ctx: Context) -> list[_Item]:
    items: list[_Item] = []
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


def _classify(text: str, feedback: str, line: int) -> _Item:
    item = _classify_marked(text, feedback, line)
    item.raw = text
    return item


def _classify_marked(text: str, feedback: str, line: int) -> _Item:
    match = _CHOICE.match(text)
    if match and (match.group(1), match.group(3)) in (("(", ")"), ("[", "]")):
        kind = "radio" if match.group(1) == "(" else "checkbox"
        correct = match.group(2) in ("x", "X")
        return _Item(kind, match.group(4).strip(), correct, feedback, line)
    match = _ANSWER.match(text)
    if match:
        return _Item("answer", match.group(1).strip(), True, feedback, line)
    match = _PAIR.match(text)
    if match:
        return _Item("pair", match.group(1).strip(), True, feedback, line, match.group(2).strip())
    return _Item("plain", text, False, feedback, line)


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


# --- typing and building -------------------------------------------------------------------

_FITS: dict[QuestionType, frozenset[str]] = {
    QuestionType.SINGLE: frozenset({"radio", "checkbox"}),
    QuestionType.MULTIPLE: frozenset({"radio", "checkbox"}),
    QuestionType.TRUE_FALSE: frozenset({"radio", "checkbox"}),
    QuestionType.FILL_IN: frozenset({"answer"}),
    QuestionType.NUMERIC: frozenset({"answer"}),
    QuestionType.MATCHING: frozenset({"pair"}),
    QuestionType.ORDERING: frozenset({"plain", "pair"}),
}
_KIND_NAMES = {
    "radio": "( ) / (x)",
    "checkbox": "[ ] / [x]",
    "answer": "= answer",
    "pair": "left -> right",
    "plain": "plain items",
}


def typed_question(
    attrs: dict[str, str],
    items: list[_Item],
    ordered: bool,
    common: dict[str, Any],
    ctx: Context,
    line: int,
) -> Question | None:
    qid = common["id"]
    kinds = sorted({item.kind for item in items})
    if len(kinds) > 1 and not (ordered and set(kinds) == {"plain", "pair"}):
        written = ", ".join(_KIND_NAMES[k] for k in kinds)
        ctx.error(
            f"the answers of question {qid!r} mix different kinds: {written}",
            line,
            "write every answer of one question the same way",
        )
        return None
    forced: QuestionType | None = None
    if "type" in attrs:
        forced = TYPE_NAMES.get(attrs["type"].lower())
        if forced is None:
            ctx.error(
                f"unknown question type {attrs['type']!r}",
                line,
                f"known types: {', '.join(sorted(TYPE_NAMES))}",
            )
            return None
    qtype = forced or _detect(kinds[0], items, ordered)
    if qtype is None:
        ctx.error(
            f"cannot tell the type of question {qid!r} from its answers",
            line,
            "mark answers as '( )'/'(x)', '[ ]'/'[x]', '= answer', 'left -> right', "
            "or use a numbered list for ordering",
        )
        return None
    if not set(kinds) <= _FITS[qtype]:
        ctx.error(
            f"type={attrs.get('type')} does not fit answers written as {_KIND_NAMES[kinds[0]]}",
            line,
            "remove the type attribute or rewrite the answers",
        )
        return None
    return _BUILDERS[qtype](attrs, items, common, ctx, line)


def _detect(kind: str, items: list[_Item], ordered: bool) -> QuestionType | None:
    if kind == "radio":
        correct = sum(item.correct for item in items)
        return QuestionType.TRUE_FALSE if correct == 1 and _tf_order(items) else QuestionType.SINGLE
    if kind == "checkbox":
        return QuestionType.MULTIPLE
    if kind == "answer":
        numeric = all(parse_numeric(item.text) is not None for item in items)
        return QuestionType.NUMERIC if numeric else QuestionType.FILL_IN
    if kind == "pair":
        return QuestionType.ORDERING if ordered else QuestionType.MATCHING
    return QuestionType.ORDERING if ordered else None


def _tf_order(items: list[_Item]) -> tuple[int, int] | None:
    """Indexes of the (true, false) options when the two options read True / False."""
    if len(items) != 2:
        return None
    words = [item.text.strip("*_ .").lower() for item in items]
    if words[0] in TRUE_WORDS and words[1] in FALSE_WORDS:
        return 0, 1
    if words[0] in FALSE_WORDS and words[1] in TRUE_WORDS:
        return 1, 0
    return None


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _choices(items: list[_Item], ctx: Context) -> tuple[Choice, ...]:
    return tuple(
        Choice(_letters(i), item.text, item.correct, item.feedback, ctx.loc(item.line))
        for i, item in enumerate(items)
    )


def _single(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
    shuffle = bool_attr(attrs, "shuffle", True, ctx, line)
    return SingleChoice(**common, choices=_choices(items, ctx), shuffle=shuffle)


def _multiple(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
    shuffle = bool_attr(attrs, "shuffle", True, ctx, line)
    return MultipleChoice(**common, choices=_choices(items, ctx), shuffle=shuffle)


def _true_false(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
    if len(items) != 2 or sum(item.correct for item in items) != 1:
        ctx.error(
            f"the true/false question {common['id']!r} needs exactly two options, one marked (x)",
            line,
            "write '- (x) True' and '- ( ) False' (or the reverse)",
        )
        return None
    true_at, false_at = _tf_order(items) or (0, 1)
    return TrueFalse(
        **common,
        answer=items[true_at].correct,
        feedback_true_md=items[true_at].feedback,
        feedback_false_md=items[false_at].feedback,
    )


def _fill_in(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
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


def _numeric(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
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


def _matching(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
    _no_feedback(items, "matching pair", ctx)
    pairs = tuple(
        MatchPair(str(i + 1), item.text, item.right, ctx.loc(item.line))
        for i, item in enumerate(items)
    )
    return Matching(**common, pairs=pairs, shuffle=bool_attr(attrs, "shuffle", True, ctx, line))


def _ordering(
    attrs: dict[str, str], items: list[_Item], common: dict[str, Any], ctx: Context, line: int
) -> Question | None:
    _no_feedback(items, "ordering item", ctx)
    order = tuple(
        OrderItem(str(i + 1), item.raw, ctx.loc(item.line)) for i, item in enumerate(items)
    )
    return Ordering(**common, items=order)


def _no_feedback(items: list[_Item], what: str, ctx: Context) -> None:
    for item in items:
        if item.feedback:
            ctx.warn(
                f"feedback under a {what} is not shown",
                item.line,
                "move it to the question's general feedback (a blockquote after the list)",
            )


_Builder = Callable[[dict[str, str], list[_Item], dict[str, Any], Context, int], Question | None]
_BUILDERS: dict[QuestionType, _Builder] = {
    QuestionType.SINGLE: _single,
    QuestionType.MULTIPLE: _multiple,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.FILL_IN: _fill_in,
    QuestionType.NUMERIC: _numeric,
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
}
