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
from typing import Any

from markdown_it.token import Token

from mirco_lms import questions
from mirco_lms.course.answers import KIND_NAMES, AnswerItem, answer_items
from mirco_lms.course.context import Context, blocks, bool_attr, line_of
from mirco_lms.course.markdown import check_info_attrs, parse_attrs, split_trailing_attrs
from mirco_lms.course.model import Pool, Question

__all__ = [
    "Context",
    "blocks",
    "bool_attr",
    "line_of",
    "parse_assessment",
    "question_from_check",
    "question_from_heading",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
QUESTION_ATTRS = ("id", "outcome", "outcomes", "points", "type", "case", "shuffle")
POOL_ATTRS = ("id", "draw")


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
            if question is not None and pool is not None:
                pool.questions.append(question)
            elif question is not None:
                items.append(question)

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
    attrs = _read_attrs(raw, QUESTION_ATTRS + questions.attributes(), ctx, line)
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
    attrs = _read_attrs(raw, QUESTION_ATTRS + questions.attributes(), ctx, line)
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
    listless = questions.find(attrs.get("type", ""))
    if list_at is None and listless is not None and listless.answers_optional:
        list_at = len(content)
    elif list_at is None:
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
        ctx.error(
            f"the question {qid!r} has no question text",
            line,
            "write the question as the first paragraph of the check",
        )
    feedback = _general_feedback(qid, content[list_at + 1 :], ctx)
    answers = answer_items(content[list_at], ctx) if list_at < len(content) else []
    common: dict[str, Any] = {
        "id": qid,
        "stem_md": "\n\n".join(stem_parts),
        "points": _points(attrs, ctx, line),
        "outcomes": _outcomes(attrs),
        "feedback_md": feedback,
        "location": ctx.loc(line),
    }
    ordered = list_at < len(content) and content[list_at][0].type == "ordered_list_open"
    return typed_question(attrs, answers, ordered, common, ctx, line)


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


def _read_attrs(raw: str, known: Sequence[str], ctx: Context, line: int) -> dict[str, str]:
    attrs, bad = parse_attrs(raw)
    for piece in bad:
        ctx.error(
            f"cannot read the attribute {piece!r}",
            line,
            "write attributes as '#id', 'key=value' or 'key=\"value with spaces\"'",
        )
    for key in attrs:
        if key not in known:
            ctx.error(f"unknown attribute {key!r}", line, f"known attributes: {', '.join(known)}")
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
        ctx.error(
            f"points={raw!r} is not a number of points",
            line,
            "write a number of 0 or more, e.g. points=2",
        )
        return 1.0
    return points


def _outcomes(attrs: dict[str, str]) -> tuple[str, ...]:
    raw = ",".join(attrs[k] for k in ("outcome", "outcomes") if k in attrs)
    return tuple(o.strip() for o in raw.split(",") if o.strip())


# --- the question's type -------------------------------------------------------------------


def typed_question(
    attrs: dict[str, str],
    items: list[AnswerItem],
    ordered: bool,
    common: dict[str, Any],
    ctx: Context,
    line: int,
) -> Question | None:
    """The question its type (``type=``, else told by how the answers are written) builds."""
    qid = common["id"]
    written = sorted({item.kind for item in items})
    if len(written) > 1 and not (ordered and set(written) == {"plain", "pair"}):
        ctx.error(
            f"the answers of question {qid!r} mix different kinds: "
            + ", ".join(KIND_NAMES[k] for k in written),
            line,
            "write every answer of one question the same way",
        )
        return None
    kind: questions.QuestionKind | None = None
    if "type" in attrs:
        kind = questions.find(attrs["type"])
        if kind is None:
            ctx.error(
                f"unknown question type {attrs['type']!r}",
                line,
                f"known types: {', '.join(questions.names())}",
            )
            return None
    else:
        kind = next((k for k in questions.kinds() if k.detects(written[0], items, ordered)), None)
    if kind is None:
        ctx.error(
            f"cannot tell the type of question {qid!r} from its answers",
            line,
            "mark answers as '( )'/'(x)', '[ ]'/'[x]', '= answer', 'left -> right', "
            "or use a numbered list for ordering",
        )
        return None
    if not set(written) <= kind.writes:
        ctx.error(
            f"type={attrs.get('type')} does not fit answers written as {KIND_NAMES[written[0]]}",
            line,
            "remove the type attribute or rewrite the answers",
        )
        return None
    if not kind.graded:
        common = {**common, "points": 0.0}
    return kind.build(attrs, items, common, ctx, line)
