"""Blocks in Markdown: reading them from tokens, checking them, rendering them.

:func:`blocks_plugin` is used by the one MarkdownIt factory
(:func:`mirco_lms.course.markdown.make_markdown`): its core rule turns each block
container's sections into ``mirco_block_*`` tokens that the kind renders.
:func:`block_problems` lists what is wrong with the blocks of a parsed text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mirco_lms.blocks import registry
from mirco_lms.blocks.base import Block, BlockKind, Item, Problem

_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")
_CONTAINER = re.compile(r"container_(\w+)_(open|close)\Z")


def is_block(word: str) -> bool:
    """Whether ``::: word`` opens a block."""
    return registry.find(word) is not None


def _kind_of(token: Token) -> BlockKind | None:
    match = _CONTAINER.match(token.type)
    return registry.find(match.group(1)) if match else None


# --- reading -----------------------------------------------------------------------------


@dataclass
class _Open:
    """A block being read: its kind, its opening token, what was found in it so far."""

    kind: BlockKind
    index: int
    token: Token
    items: list[Item] = field(default_factory=list)
    level: int = 0
    """The sections' heading level (that of the first heading), 0 before it."""
    image: bool = False


def read_blocks(tokens: Sequence[Token]) -> list[Block]:
    """Every block of ``tokens`` (nested ones too), in order of their opening."""
    out: list[Block] = []
    stack: list[_Open] = []
    for index, token in enumerate(tokens):
        kind = _kind_of(token)
        if kind is not None and token.nesting == 1:
            stack.append(_Open(kind, index, token))
        elif not stack:
            continue
        elif kind is not None and token.nesting == -1 and token.level == stack[-1].token.level:
            frame = stack.pop()
            extra = frame.token.info.strip()[len(frame.kind.name):].strip()
            out.append(Block(frame.kind.name, _line(frame.token), extra, tuple(frame.items),
                             frame.image, frame.index, index))
        elif token.type == "heading_open" and token.level == stack[-1].token.level + 1:
            frame = stack[-1]
            level = int(token.tag[1:])
            if not frame.level or level <= frame.level:
                frame.level = frame.level or level
                frame.items.append(_item(token, tokens[index + 1], index))
        elif (token.type == "inline" and not stack[-1].items
              and any(c.type == "image" for c in token.children or [])):
            stack[-1].image = True
    return sorted(out, key=lambda block: block.open)


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _item(heading: Token, inline: Token, index: int) -> Item:
    # deferred: course.markdown imports this package to build the one Markdown dialect
    from mirco_lms.course.markdown import parse_attrs

    title, raw = split_attrs(inline.content)
    attrs, bad = parse_attrs(raw) if raw is not None else ({}, [])
    return Item(title, _line(heading), attrs, tuple(bad), index)


def split_attrs(text: str) -> tuple[str, str | None]:
    """``"Label {x=1 y=2}"`` → ``("Label", "x=1 y=2")``."""
    match = _ATTRS_AT_END.search(text)
    if match is None:
        return text.strip(), None
    return text[: match.start()].strip(), match.group(1)


def block_problems(tokens: Sequence[Token]) -> list[Problem]:
    """What is wrong with the blocks of ``tokens``, in order."""
    out: list[Problem] = []
    for block in read_blocks(tokens):
        kind = registry.find(block.kind)
        if kind is not None:
            out.extend(kind.problems(block))
    return out


# --- rendering ---------------------------------------------------------------------------


def blocks_plugin(md: MarkdownIt) -> None:
    """Render the tokens :func:`for_rendering` makes of the registered blocks."""
    for name in ("open", "close", "items_open", "items_close", "item_open", "item_close"):
        md.add_render_rule(f"mirco_block_{name}", _render)


def for_rendering(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each block's container and section headings replaced by
    ``mirco_block_*`` tokens (the heading's inline token rides along in ``meta``)."""
    if not any(_kind_of(t) is not None for t in tokens if t.type.startswith("container_")):
        return tokens
    before: dict[int, list[Token]] = {}
    drop: set[int] = set()
    for block in read_blocks(tokens):
        kind = block.kind
        drop.update((block.open, block.close))
        before.setdefault(block.open, []).append(_token("open", kind))
        # the image under a labelled graphic places its buttons: loaded with the page
        first = block.items[0].heading if block.items else block.close
        for inline in tokens[block.open:first]:
            for child in inline.children or []:
                if child.type == "image":
                    child.attrSet("loading", "eager")
        for number, item in enumerate(block.items):
            heading = tokens[item.heading]
            tag = heading.tag
            marks = [_token("item_close", kind)] if number else [_token("items_open", kind)]
            opening = _token("item_open", kind)
            opening.meta.update(tag=tag, attrs=item.attrs, inline=tokens[item.heading + 1])
            _strip_attrs(tokens[item.heading + 1])
            before.setdefault(item.heading, []).extend([*marks, opening])
            drop.update((item.heading, item.heading + 1, item.heading + 2))
        closing = [_token("close", kind)]
        if block.items:
            closing[:0] = [_token("item_close", kind), _token("items_close", kind)]
        before.setdefault(block.close, []).extend(closing)
    out: list[Token] = []
    for index, token in enumerate(tokens):
        out.extend(before.get(index, ()))
        if index not in drop:
            out.append(token)
    return out


def _token(name: str, kind: str) -> Token:
    token = Token(f"mirco_block_{name}", "", 0, block=True)
    token.meta = {"kind": kind}
    return token


def _strip_attrs(inline: Token) -> None:
    """Drop the ``{…}`` attributes ending a heading's inline content (its last text)."""
    children = inline.children or []
    if children and children[-1].type == "text":
        last = children[-1]
        match = _ATTRS_AT_END.search(last.content)
        if match is not None:
            last.content = last.content[: match.start()].rstrip()


def _render(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    kind = registry.find(token.meta["kind"])
    if kind is None:
        return ""
    name = token.type[len("mirco_block_"):]
    if name == "item_open":
        inline: Token = token.meta["inline"]
        title = self.renderInline(inline.children or [], options, env)
        return kind.item_open_html(token.meta["attrs"], token.meta["tag"], title)
    html: str = getattr(kind, f"{name}_html")()
    return html
