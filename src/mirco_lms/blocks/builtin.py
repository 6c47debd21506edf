"""The built-in block kinds: accordion, tabs, reveal cards, steps and a labelled graphic."""

from __future__ import annotations

from mirco_lms.blocks.base import BlockKind, Item, Problem


class AccordionKind(BlockKind):
    """Sections that open and close (WAI-ARIA APG accordion: heading buttons with
    ``aria-expanded``); all open without the runtime and in print."""

    name = "accordion"


class TabsKind(BlockKind):
    """Sections shown one at a time behind a tab list (WAI-ARIA APG tabs, arrow keys);
    all shown, one after the other, without the runtime and in print."""

    name = "tabs"
    section = "tab"
    min_items = 2


class CardsKind(BlockKind):
    """Reveal cards: the front (the heading) is a button that turns the card to show its
    back (the text); both sides shown without the runtime and in print."""

    name = "cards"
    section = "card"
    list_tag = "ul"
    item_tag = "li"


class StepsKind(BlockKind):
    """A process: an ordered list of steps shown one at a time with Previous / Next;
    the whole list without the runtime and in print."""

    name = "steps"
    section = "step"
    min_items = 2
    list_tag = "ol"
    item_tag = "li"


class HotspotsKind(BlockKind):
    """A labelled graphic: an image with numbered buttons placed in % over it, each
    opening its label; the labels are also listed in order under the image."""

    name = "hotspots"
    section = "hotspot"
    list_tag = "ol"
    item_tag = "li"
    item_attrs = ("x", "y")
    needs_image = True

    def example(self) -> str:
        return ("::: hotspots\n![alt text](images/diagram.svg)\n\n"
                "### Label {x=30 y=40}\nIts text.\n:::")

    def item_problems(self, item: Item) -> list[Problem]:
        out = super().item_problems(item)
        for axis, across in (("x", "from the left"), ("y", "from the top")):
            value = item.attrs.get(axis)
            hint = (f"write {{x=… y=…}} after the hotspot's title: its place in % of the "
                    f"image's width and height, e.g. '### {item.title or 'Label'} "
                    "{x=30 y=40}'")
            if value is None:
                out.append(Problem(item.line, f"the hotspot {item.title!r} has no {axis} "
                                   "coordinate", hint))
                continue
            try:
                number = float(value)
            except ValueError:
                number = -1.0
            if not 0 <= number <= 100:
                out.append(Problem(item.line, f"the hotspot {item.title!r} has {axis}="
                                   f"{value!r}; expected a number from 0 to 100 (% {across})",
                                   hint))
        return out


BUILTIN = (AccordionKind(), TabsKind(), CardsKind(), StepsKind(), HotspotsKind())
