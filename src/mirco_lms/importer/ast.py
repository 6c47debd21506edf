"""Pandoc's JSON AST, made ready for mirco: chapters split at the top headings, images
collected with their alt text, layout attributes dropped, what cannot be kept noted.

Works on the plain JSON structure pandoc writes (``{"t": …, "c": …}`` nodes); it does
no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Node = dict[str, Any]
NO_ATTR: list[Any] = ["", [], []]
UNWRAP_INLINE = {"Span", "Underline", "SmallCaps"}


@dataclass
class ImageRef:
    """An image met in the document, in reading order."""

    url: str
    alt: str
    title: str
    node: Node
    """The ``Image`` node (its url and alt are set when the image is placed)."""


@dataclass
class Chapter:
    """A part of the document: the overview (no title) or a lesson under a top heading."""

    title: str
    blocks: list[Any]
    images: list[ImageRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was dropped or changed here that the author should look at."""


def plain(inlines: list[Any]) -> str:
    """The text of a list of inlines, as a reader sees it."""
    parts: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Str":
                parts.append(node["c"])
            elif kind in {"Space", "SoftBreak", "LineBreak"}:
                parts.append(" ")
            elif kind in {"Code", "Math"}:
                parts.append(node["c"][1])
            elif kind != "Note":
                visit(node.get("c"))
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(inlines)
    return " ".join("".join(parts).split())


def text_inlines(text: str) -> list[Node]:
    """``text`` as pandoc inlines (words and spaces)."""
    out: list[Node] = []
    for word in text.split():
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def _map_list(items: list[Any], fn: Callable[[Node], list[Any] | None]) -> list[Any]:
    """``items`` with each node replaced by ``fn(node)`` (None: kept, transformed inside)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and "t" in item:
            replaced = fn(item)
            if replaced is not None:
                out.extend(_map_list(replaced, fn))
                continue
            if "c" in item:
                item["c"] = _map_any(item["c"], fn)
            out.append(item)
        else:
            out.append(_map_any(item, fn))
    return out


def _map_any(value: Any, fn: Callable[[Node], list[Any] | None]) -> Any:
    if isinstance(value, list):
        return _map_list(value, fn)
    return value


class Cleaner:
    """Drops what mirco's Markdown has no place for, collecting images and notes."""

    def __init__(self) -> None:
        self.images: list[ImageRef] = []
        self.notes: list[str] = []

    def __call__(self, node: Node) -> list[Any] | None:
        kind = node["t"]
        if kind in UNWRAP_INLINE:
            return list(node["c"][1] if kind == "Span" else node["c"])
        if kind == "Div":
            return list(node["c"][1])
        if kind == "Header":
            node["c"][1] = NO_ATTR
        elif kind == "Image":
            self._image(node)
        elif kind == "Figure":
            return self._figure(node)
        elif kind == "Link":
            node["c"][0] = NO_ATTR
        elif kind in {"RawBlock", "RawInline"}:
            self.notes.append(f"raw {node['c'][0]} content dropped: {node['c'][1][:60]!r}")
            return []
        elif kind == "Table":
            self._table(node)
        return None

    def _image(self, node: Node) -> None:
        attr, alt, (url, title) = node["c"]
        del attr
        node["c"][0] = NO_ATTR
        self.images.append(ImageRef(url, plain(alt), title, node))

    def _figure(self, node: Node) -> list[Any]:
        """A figure → a paragraph of its image, the caption as the image's title."""
        _, (_, caption), body = node["c"]
        caption_text = " ".join(plain(b.get("c", [])) for b in caption if isinstance(b, dict))
        images: list[Node] = []

        def find(inner: Node) -> list[Any] | None:
            if inner["t"] == "Image":
                images.append(inner)
            return None

        _map_list(body, find)
        if len(images) != 1:
            return list(body)  # not one image: keep the figure's blocks as they are
        image = images[0]
        if caption_text:
            image["c"][2] = [image["c"][2][0], caption_text]
        return [{"t": "Para", "c": [image]}]

    def _table(self, node: Node) -> None:
        head = node["c"][3]
        rows = head[1] if isinstance(head, list) and len(head) > 1 else []
        if not rows:
            self.notes.append("a table has no header row: the first row is empty; "
                              "write the column names there")


def split(ast: dict[str, Any]) -> tuple[list[Any], list[Chapter], int]:
    """The overview blocks, the chapters, and the heading level the chapters start at.

    Chapters start at the highest heading level of the document (usually level 1); the
    headings under them move up so that a lesson's title is its level-1 heading.
    """
    blocks: list[Any] = ast.get("blocks", [])
    levels = [b["c"][0] for b in blocks if isinstance(b, dict) and b.get("t") == "Header"]
    if not levels:
        return blocks, [], 0
    top = min(levels)
    overview: list[Any] = []
    chapters: list[Chapter] = []
    for block in blocks:
        if isinstance(block, dict) and block.get("t") == "Header":
            block["c"][0] = max(1, block["c"][0] - top + 1)
            if block["c"][0] == 1:
                chapters.append(Chapter(plain(block["c"][2]), []))
        (chapters[-1].blocks if chapters else overview).append(block)
    return overview, chapters, top


def clean(chapter: Chapter) -> Chapter:
    """``chapter`` with attributes dropped, figures made images, images and notes noted."""
    cleaner = Cleaner()
    chapter.blocks = _map_list(chapter.blocks, cleaner)
    chapter.images.extend(cleaner.images)
    chapter.notes.extend(cleaner.notes)
    return chapter


def meta_title(ast: dict[str, Any]) -> str:
    """The document's title from its metadata (Word's or ODF's title property), or ''."""
    title = ast.get("meta", {}).get("title")
    if not isinstance(title, dict):
        return ""
    content: Any = title.get("c")
    if title.get("t") == "MetaString":
        return str(content).strip()
    if title.get("t") == "MetaInlines":
        return plain(content)
    if title.get("t") == "MetaBlocks":
        return " ".join(plain(b.get("c", [])) for b in content)
    return ""
