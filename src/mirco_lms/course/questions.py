"""Questions from Markdown tokens: assessments (pre-test, final test) and knowledge checks.

A question is a level-2 heading with ``{#id …}`` attributes (or a ``::: check {#id …}``
container), optional further paragraphs of question text, one answer list, and an
optional blockquote of general feedback. The answer list decides the type (see
``docs/source-format.md``). Problems are collected as diagnostics in a
:class:`Context`; a question that cannot be built is skipped, never half-built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from mirco_lms.course.markdown import check_info_attrs, parse_attrs, split_trailing_attrs
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
    Pool,
    Question,
    QuestionType,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from mirco_lms.errors import Diagnostic, Location

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
QUESTION_ATTRS = ("id", "outcome", "outcomes", "points", "type", "case", "shuffle")
POOL_ATTRS = ("id", "draw")
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
_QUOTE_MARK = re.compile(r"^\s*>\s?")


@dataclass
class Context:
    """Where tokens come from, and where problems go."""

    path: Path
    lines: list[str]
    """The Markdown text the tokens were parsed from, split into lines."""
    body_line: int
    """File line of ``lines[0]``."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def loc(self, token_line: int | None) -> Location:
        return Location(self.path, self.body_line + (token_line or 0))

    def error(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, self.loc(line), hint))

    def warn(self, message: str, line: int | None, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(message, self.loc(line), hint, "warning"))

    def source(self, blocks: Sequence[Sequence[Token]]) -> str:
        """The Markdown source of consecutive blocks (blank edges stripped)."""
        maps = [b[0].map for b in blocks if b and b[0].map]
        if not maps:
            return ""
        return "\n".join(self.lines[maps[0][0] : maps[-1][1]]).strip()

    def quote_source(self, block: Sequence[Token]) -> str:
        """The Markdown inside a blockquote, without its ``>`` markers."""
        start, end = block[0].map or (0, 0)
        out = [_QUOTE_MARK.sub("", line, count=1) if ">" in line else line.strip()
               for line in self.lines[start:end]]
        return "\n".join(out).strip()


def blocks(tokens: Sequence[Token]) -> list[list[Token]]:
    """Group a token stream into its top-level blocks (each from open to matching close)."""
    out: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth <= 0:
            out.append(current)
            current, depth = [], 0
    if current:
        out.append(current)
    return out


def line_of(block: Sequence[Token]) -> int:
    return block[0].map[0] if block and block[0].map else 0


# --- assessments ---------------------------------------------------------------------------


@dataclass
class AssessmentBody:
    """What an assessment's Markdown body holds."""

    title: str | None
    """Text of a level-1 heading without ``draw`` before the first question, if any."""
    intro_md: str
    items: list[Question | Pool]


@dataclass
class _PoolDraft:
    id: str
    title: str
    draw: int
    line: int
    questions: list[Question] = field(default_factory=list)


def parse_assessment(tokens: Sequence[Token], ctx: Context) -> AssessmentBody:
    """Questions and pools of an assessment body, in source order."""
    title: str | None = None
    intro: list[list[Token]] = []
    items: list[Question | Pool] = []
    pool: _PoolDraft | None = None
    head: list[Token] | None = None
    rest: list[list[Token]] = []

    def flush() -> None:
        if head is not None:
            question = question_from_heading(head, rest, ctx)
            if question is not None:
                (pool.questions if pool is not None else items).append(question)  # type: ignore[arg-type]

    for block in blocks(tokens):
        first = block[0]
        if first.type == "heading_open" and first.tag in ("h1", "h2"):
            flush()
            head, rest = None, []
            if first.tag == "h2":
                head = block
                continue
            if pool is not None:
                items.append(_close_pool(pool, ctx))
            pool = _open_pool(block, ctx)
            if pool is None and not items and title is None:
                title = split_trailing_attrs(block[1].content)[0]
        elif head is not None:
            rest.append(block)
        elif pool is None and not items:
            intro.append(block)
    flush()
    if pool is not None:
        items.append(_close_pool(pool, ctx))
    return AssessmentBody(title, ctx.source(intro), items)


def _open_pool(block: Sequence[Token], ctx: Context) -> _PoolDraft | None:
    text, raw = split_trailing_attrs(block[1].content)
    line = line_of(block)
    attrs = _read_attrs(raw or "", POOL_ATTRS, ctx, line)
    if "draw" not in attrs:
        return None
    draw = _int_attr(attrs["draw"], "draw", ctx, line)
    pool_id = attrs.get("id", "")
    if not pool_id:
        ctx.error(
            f"the pool {text!r} has no id",
            line,
            "add an id to the heading: '# Title {#pool-name draw=3}'",
        )
    elif not ID_PATTERN.match(pool_id):
        ctx.error(f"the pool id {pool_id!r} is not valid", line, _ID_HINT)
    return _PoolDraft(pool_id, text, draw if draw is not None else 1, line)


def _close_pool(draft: _PoolDraft, ctx: Context) -> Pool:
    return Pool(draft.id, draft.title, draft.draw, tuple(draft.questions), ctx.loc(draft.line))


_ID_HINT = "ids use letters, digits, '-', '_' and '.', and start with a letter or digit"


# --- one question --------------------------------------------------------------------------


def question_from_heading(
    head: Sequence[Token], rest: Sequence[Sequence[Token]], ctx: Context
) -> Question | None:
    """A question from its level-2 heading block and the blocks that follow it."""
    text, raw = split_trailing_attrs(head[1].content)
    line = line_of(head)
    if raw is None or not parse_attrs(raw)[0].get("id"):
        ctx.error(
            f"the question {text!r} has no id",
            line,
            "end the heading with attributes: '## Question text? {#q-name outcome=LO1}'",
        )
        return None
    attrs = _read_attrs(raw, QUESTION_ATTRS, ctx, line)
    return build_question(attrs, text, rest, ctx, line)


def question_from_check(container: Sequence[Token], ctx: Context) -> Question | None:
    """A knowledge check from its ``::: check {#id …}`` container tokens."""
    open_token = container[0]
    line = line_of(container)
    attrs, _ = check_info_attrs(open_token.info)
    if not attrs.get("id"):
        ctx.error(
            "the knowledge check has no id",
            line,
            "open it with '::: check {#kc-name outcome=LO1}'",
        )
        return None
    raw = open_token.info.strip()[len("check") :].strip().removeprefix("{").removesuffix("}")
    attrs = _read_attrs(raw, QUESTION_ATTRS, ctx, line)
    return build_question(attrs, None, blocks(container[1:-1]), ctx, line)


def build_question(
    attrs: dict[str, str],
    heading: str | None,
    content: Sequence[Sequence[Token]],
    ctx: Context,
    line: int,
) -> Question | None:
    """Build one question from its attributes, heading text and following blocks."""
    qid = attrs["id"]
    if not ID_PATTERN.match(qid):
        ctx.error(f"the question id {qid!r} is not valid", line, _ID_HINT)
    list_at = next((i for i, b in enumerate(content) if _is_list(b)), None)
    if list_at is None:
        ctx.error(
            f"the question {qid!r} has no answer list",
            line,
            "add the answers as a list: '- (x) right', '- ( ) wrong', '- = answer'…",
        )
        return None
    stem_parts = [heading] if heading else []
    extra = ctx.source(content[:list_at])
    stem_parts += [extra] if extra else []
    if not stem_parts:
        ctx.error(f"the question {qid!r} has no question text", line,
                  "write the question as the first paragraph of the check")
    feedback = _general_feedback(qid, content[list_at + 1 :], ctx)
    answers = _answer_items(content[list_at], ctx)
    common = {
        "id": qid,
        "stem_md": "\n\n".join(stem_parts),
        "points": _points(attrs, ctx, line),
        "outcomes": _outcomes(attrs),
        "feedback_md": feedback,
        "location": ctx.loc(line),
    }
    ordered = content[list_at][0].type == "ordered_list_open"
    return _typed_question(attrs, answers, ordered, common, ctx, line)


def _is_list(block: Sequence[Token]) -> bool:
    return block[0].type in ("bullet_list_open", "ordered_list_open")


def _general_feedback(qid: str, after: Sequence[Sequence[Token]], ctx: Context) -> str:
    parts: list[str] = []
    for block in after:
        if block[0].type == "blockquote_open":
            parts.append(ctx.quote_source(block))
        else:
            ctx.error(
                f"unexpected content after the answers of question {qid!r}",
                line_of(block),
                "put general feedback in a blockquote ('> …') right after the list; "
                "anything else belongs before the list",
            )
    return "\n\n".join(parts)


def _read_attrs(
    raw: str, known: Sequence[str], ctx: Context, line: int
) -> dict[str, str]:
    attrs, bad = parse_attrs(raw)
    for piece in bad:
        ctx.error(f"cannot read the attribute {piece!r}", line,
                  "write attributes as '#id', 'key=value' or 'key=\"value with spaces\"'")
    for key in attrs:
        if key not in known:
            ctx.error(f"unknown attribute {key!r}", line,
                      f"known attributes: {', '.join(known)}")
    return {k: v for k, v in attrs.items() if k in known}


def _int_attr(value: str, name: str, ctx: Context, line: int) -> int | None:
    try:
        return int(value)
    except ValueError:
        ctx.error(f"{name}={value!r} is not a whole number", line, f"write e.g. {name}=3")
        return None


def _points(attrs: dict[str, str], ctx: Context, line: int) -> float:
    raw = attrs.get("points", "1")
    try:
        points = float(raw)
    except ValueError:
        points = float("nan")
    if not points >= 0 or points == float("inf"):
        ctx.error(f"points={raw!r} is not a number of points", line,
                  "write a number of 0 or more, e.g. points=2")
        return 1.0
    return points


def _outcomes(attrs: dict[str, str]) -> tuple[str, ...]:
    raw = ",".join(attrs[k] for k in ("outcome", "outcomes") if k in attrs)
    return tuple(o.strip() for o in raw.split(",") if o.strip())


def _bool_attr(attrs: dict[str, str], name: str, default: bool, ctx: Context, line: int) -> bool:
    raw = attrs.get(name)
    if raw is None:
        return default
    if raw.lower() in ("true", "yes", "1"):
        return True
    if raw.lower() in ("false", "no", "0"):
        return False
    ctx.error(f"{name}={raw!r} is neither true nor false", line, f"write {name}=false")
    return default


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


def _answer_items(list_block: Sequence[Token], ctx: Context) -> list[_Item]:
    items: list[_Item] = []
    for item in blocks(list_block[1:-1]):
        inner = blocks(item[1:-1])
        line = line_of(item)
        paras = [b for b in inner if b[0].type == "paragraph_open"]
        text = paras[0][1].content.strip() if paras else ""
        feedback = [ctx.quote_source(b) for b in inner if b[0].type == "blockquote_open"]
        if len(paras) > 1 or any(b[0].type not in ("paragraph_open", "blockquote_open")
                                 for b in inner):
            ctx.error("an answer is one paragraph, optionally followed by a blockquote",
                      line, "put option feedback in a blockquote ('> …') under the option")
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


def _typed_question(
    attrs: dict[str, str],
    items: list[_Item],
    ordered: bool,
    common: dict[str, object],
    ctx: Context,
    line: int,
) -> Question | None:
    qid = common["id"]
    kinds = sorted({item.kind for item in items})
    if len(kinds) > 1 and not (ordered and set(kinds) == {"plain", "pair"}):
        written = ", ".join(_KIND_NAMES[k] for k in kinds)
        ctx.error(f"the answers of question {qid!r} mix different kinds: {written}", line,
                  "write every answer of one question the same way")
        return None
    forced: QuestionType | None = None
    if "type" in attrs:
        forced = TYPE_NAMES.get(attrs["type"].lower())
        if forced is None:
            ctx.error(f"unknown question type {attrs['type']!r}", line,
                      f"known types: {', '.join(sorted(TYPE_NAMES))}")
            return None
    qtype = forced or _detect(kinds[0], items, ordered)
    if qtype is None:
        ctx.error(f"cannot tell the type of question {qid!r} from its answers", line,
                  "mark answers as '( )'/'(x)', '[ ]'/'[x]', '= answer', 'left -> right', "
                  "or use a numbered list for ordering")
        return None
    if not set(kinds) <= _FITS[qtype]:
        ctx.error(f"type={attrs.get('type')} does not fit answers written as "
                  f"{_KIND_NAMES[kinds[0]]}", line,
                  "remove the type attribute or rewrite the answers")
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


def _single(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    shuffle = _bool_attr(attrs, "shuffle", True, ctx, line)
    return SingleChoice(**common, choices=_choices(items, ctx), shuffle=shuffle)


def _multiple(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    shuffle = _bool_attr(attrs, "shuffle", True, ctx, line)
    return MultipleChoice(**common, choices=_choices(items, ctx), shuffle=shuffle)


def _true_false(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    if len(items) != 2 or sum(item.correct for item in items) != 1:
        ctx.error(f"the true/false question {common['id']!r} needs exactly two options, "
                  "one marked (x)", line, "write '- (x) True' and '- ( ) False' (or the reverse)")
        return None
    true_at, false_at = _tf_order(items) or (0, 1)
    return TrueFalse(
        **common,
        answer=items[true_at].correct,
        feedback_true_md=items[true_at].feedback,
        feedback_false_md=items[false_at].feedback,
    )


def _fill_in(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    case = attrs.get("case", "insensitive").lower()
    if case not in ("sensitive", "insensitive"):
        ctx.error(f"case={attrs['case']!r} is not 'sensitive' or 'insensitive'", line,
                  "write case=sensitive to compare answers letter case included")
    answers = []
    for item in items:
        if not item.text:
            ctx.error("an accepted answer is empty", item.line, "write the answer after '= '")
            continue
        answers.append(TextAnswer(item.text, item.feedback, ctx.loc(item.line)))
    return FillIn(**common, answers=tuple(answers), case_sensitive=case == "sensitive")


def _numeric(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    answers = []
    for item in items:
        bounds = parse_numeric(item.text)
        if bounds is None:
            ctx.error(f"{item.text!r} is not a number", item.line,
                      "write '= 1951', '= 3.5 +- 0.5' (or ±) or '= 10..20'")
            continue
        answers.append(NumericAnswer(bounds[0], bounds[1], item.feedback, ctx.loc(item.line)))
    return Numeric(**common, answers=tuple(answers))


def _matching(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    _no_feedback(items, "matching pair", ctx)
    pairs = tuple(
        MatchPair(str(i + 1), item.text, item.right, ctx.loc(item.line))
        for i, item in enumerate(items)
    )
    return Matching(**common, pairs=pairs, shuffle=_bool_attr(attrs, "shuffle", True, ctx, line))


def _ordering(attrs, items, common, ctx, line):  # type: ignore[no-untyped-def]
    _no_feedback(items, "ordering item", ctx)
    order = tuple(
        OrderItem(str(i + 1), item.raw, ctx.loc(item.line)) for i, item in enumerate(items)
    )
    return Ordering(**common, items=order)


def _no_feedback(items: list[_Item], what: str, ctx: Context) -> None:
    for item in items:
        if item.feedback:
            ctx.warn(f"feedback under a {what} is not shown", item.line,
                     "move it to the question's general feedback (a blockquote after the list)")


_BUILDERS = {
    QuestionType.SINGLE: _single,
    QuestionType.MULTIPLE: _multiple,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.FILL_IN: _fill_in,
    QuestionType.NUMERIC: _numeric,
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
}
