"""What a scenario container looks like in the token stream (shared by parse and render).

``::: scenario [Title] {#id outcome=LO1}`` opens it; inside, each heading at the level of
the first one starts a node (``## Title {#node-id}``, ``{#id .ending}``, ``{#id .ending
.best}``); a node's choices are its last bullet list, each item one link to ``#node-id``.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from mirco_lms.course.markdown import parse_attrs, split_trailing_attrs

KIND = "scenario"
OPEN, CLOSE = f"container_{KIND}_open", f"container_{KIND}_close"
ATTRS = ("id", "outcome", "outcomes")
NODE_CLASSES = ("ending", "best")


def info_parts(info: str) -> tuple[str, dict[str, str], list[str]]:
    """``"scenario Title {#id outcome=LO1}"`` → (title, attributes, unreadable pieces)."""
    rest = info.strip()[len(KIND):].strip()
    title, attrs = split_trailing_attrs(rest)
    if attrs is None:
        return rest, {}, []
    found, bad = parse_attrs(attrs)
    return title, found, bad


def outcome_ids(attrs: dict[str, str]) -> tuple[str, ...]:
    """``outcome=LO1`` or ``outcomes=LO1,LO2`` → ``("LO1", "LO2")``."""
    raw = ",".join(attrs.get(key, "") for key in ("outcome", "outcomes"))
    return tuple(dict.fromkeys(p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()))


def heading_parts(content: str) -> tuple[str, str | None, set[str], list[str]]:
    """A node heading's inline content → (title, id, classes, unreadable pieces)."""
    title, attrs = split_trailing_attrs(content)
    if attrs is None:
        return title, None, set(), []
    found, bad = parse_attrs(attrs)
    classes = set(found.pop("class", "").split())
    bad += [f"{key}={value}" for key, value in found.items() if key != "id"]
    return title, found.get("id"), classes, bad


def containers(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """(open index, close index) of every scenario container, outermost ones."""
    out: list[tuple[int, int]] = []
    start, depth = -1, 0
    for index, token in enumerate(tokens):
        if token.type == OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif token.type == CLOSE and depth:
            depth -= 1
            if depth == 0:
                out.append((start, index))
    return out


def choice_link(item: Sequence[Token]) -> tuple[str, str] | None:
    """(target id, link text) when a list item (its tokens) is one link to ``#id``."""
    inlines = [t for t in item if t.type == "inline"]
    if len(inlines) != 1 or len([t for t in item if t.type == "paragraph_open"]) != 1:
        return None
    children = [c for c in inlines[0].children or []
                if not (c.type == "text" and not c.content.strip())]
    if len(children) < 3 or children[0].type != "link_open" or children[-1].type != "link_close":
        return None
    if any(c.type in ("link_open", "link_close") for c in children[1:-1]):
        return None
    href = str(children[0].attrGet("href") or "")
    if not href.startswith("#") or len(href) < 2:
        return None
    text = inlines[0].content.strip()
    return href[1:], text[1 : text.rfind("](")] if text.startswith("[") else text


def starts_with_node_link(item: Sequence[Token]) -> bool:
    """Whether a list item (its tokens) opens with a link to ``#…`` (meant as a choice)."""
    inline = next((t for t in item if t.type == "inline"), None)
    children = inline.children or [] if inline is not None else []
    return bool(children) and children[0].type == "link_open" and str(
        children[0].attrGet("href") or "").startswith("#")
