"""What an interactive block kind is, and what a block written in Markdown holds.

A block is a container named for its kind whose sections start with headings::

    ::: tabs
    ### Global
    Text of the first tab.

    ### Regional
    Text of the second tab.
    :::

The level of the first heading inside the container is the sections' level; deeper
headings belong to a section's text. Without the runtime (JS off, print, the handbook)
the block reads as what it is written as: headings and their text. A :class:`BlockKind`
checks a block (:meth:`BlockKind.problems`) and names the HTML it becomes; its runtime
module (``script``, ``style``) makes it interactive in the learner's browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from markdown_it.common.utils import escapeHtml

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
"""The blocks' runtime modules (JS and CSS), one pair per kind."""


@dataclass(frozen=True)
class Item:
    """One section of a block: its heading and its attributes."""

    title: str
    """The heading's text, trailing ``{…}`` attributes removed."""
    line: int
    """0-based line of the heading in the Markdown text."""
    attrs: dict[str, str] = field(default_factory=dict)
    """``{x=30 y=40}`` after the heading, read."""
    bad_attrs: tuple[str, ...] = ()
    """Pieces of the ``{…}`` that could not be read."""
    heading: int = 0
    """Index of the heading's ``heading_open`` token."""


@dataclass(frozen=True)
class Block:
    """One block as written: its kind, where it is, its sections."""

    kind: str
    line: int
    """0-based line of the opening ``:::``."""
    extra: str
    """Text written after the kind on the opening line (none is expected)."""
    items: tuple[Item, ...]
    has_image: bool
    """Whether an image comes before the first section."""
    open: int = 0
    """Index of the container's opening token."""
    close: int = 0
    """Index of the container's closing token."""


@dataclass(frozen=True)
class Problem:
    """A mistake in a block, at a 0-based line of its Markdown text."""

    line: int
    message: str
    hint: str


class BlockKind:
    """An interactive block kind: its container name, its checks and its HTML.

    Subclasses set the class attributes and may add checks; the HTML is the same shape
    for every kind (a wrapper, a list of sections, each a heading and a body), so that
    the text of every block is readable without the runtime.
    """

    name: ClassVar[str]
    """The container's name: ``::: <name>``."""
    section: ClassVar[str] = "section"
    """What a section is called in messages (``tab``, ``card``, ``step``…)."""
    min_items: ClassVar[int] = 1
    list_tag: ClassVar[str] = "div"
    item_tag: ClassVar[str] = "div"
    item_attrs: ClassVar[tuple[str, ...]] = ()
    """Attributes a section heading may carry (``{x=… y=…}``)."""
    needs_image: ClassVar[bool] = False

    @property
    def script(self) -> Path:
        """The kind's runtime module, registered under :attr:`name`."""
        return RUNTIME_DIR / f"{self.name}.js"

    @property
    def style(self) -> Path:
        return RUNTIME_DIR / f"{self.name}.css"

    def example(self) -> str:
        return f"::: {self.name}\n### First {self.section}\nIts text.\n\n### Second …\n:::"

    # --- checks ---------------------------------------------------------------------

    def problems(self, block: Block) -> list[Problem]:
        """What is wrong with ``block`` (nothing: an empty list)."""
        out: list[Problem] = []
        if block.extra:
            out.append(Problem(block.line, f"unexpected text {block.extra!r} after "
                               f"'::: {self.name}'",
                               f"write '::: {self.name}' alone on its line; put a title in a "
                               "heading before the block"))
        if len(block.items) < self.min_items:
            need = "a section" if self.min_items == 1 else f"at least {self.min_items} sections"
            out.append(Problem(block.line, f"the {self.name} block has {len(block.items)} "
                               f"{self.section}(s); it needs {need}",
                               f"start each {self.section} with a heading, e.g.\n"
                               f"{self.example()}"))
        if self.needs_image and not block.has_image:
            out.append(Problem(block.line, f"the {self.name} block has no image",
                               "put the image (![alt text](images/diagram.svg)) first in the "
                               "block, before its first heading"))
        for item in block.items:
            out.extend(self.item_problems(item))
        return out

    def item_problems(self, item: Item) -> list[Problem]:
        out: list[Problem] = []
        if not item.title:
            out.append(Problem(item.line, f"a {self.section} of a {self.name} block has no "
                               "title", f"write the {self.section}'s title after the '#'s"))
        unknown = [key for key in item.attrs if key not in self.item_attrs]
        for piece in (*item.bad_attrs, *unknown):
            allowed = ", ".join(f"{a}=…" for a in self.item_attrs) or "none"
            out.append(Problem(item.line, f"unknown attribute {piece!r} on a {self.section} "
                               f"of a {self.name} block",
                               f"attributes a {self.section} may have: {allowed}"))
        return out

    # --- HTML -----------------------------------------------------------------------

    def open_html(self) -> str:
        return f'<div class="mirco-block mirco-{self.name}" data-block="{self.name}">\n'

    def close_html(self) -> str:
        return "</div>\n"

    def items_open_html(self) -> str:
        return f'<{self.list_tag} class="mirco-items">\n'

    def items_close_html(self) -> str:
        return f"</{self.list_tag}>\n"

    def item_open_html(self, item_attrs: dict[str, str], tag: str, title_html: str) -> str:
        data = "".join(f' data-{k}="{escapeHtml(v)}"' for k, v in item_attrs.items()
                       if k in self.item_attrs)
        return (f'<{self.item_tag} class="mirco-item"{data}>\n'
                f'<{tag} class="mirco-item-title">{title_html}</{tag}>\n'
                '<div class="mirco-item-body">\n')

    def item_close_html(self) -> str:
        return f"</div>\n</{self.item_tag}>\n"
