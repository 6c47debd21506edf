"""Screenshots compared with reference images kept beside the tests.

``assert_screenshot(locator, "name", width)`` takes a PNG of one element (a block, a
question, a page) and compares it with ``tests/browser/screenshots/<name>-<width>.png``.
The reference images are made by Debian's Chromium on this project's machines; small
differences of anti-aliasing are allowed (``tolerance``: the share of pixels whose colour
differs by more than ``threshold`` in any channel), a changed layout is not.

To (re)make the references after a deliberate change of look::

    MIRCO_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser -k screenshot

then look at the new PNGs before committing them. A missing reference fails the test (it
never passes silently) and says how to make it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
UPDATE_ENV = "MIRCO_UPDATE_SCREENSHOTS"
WIDTHS = (360, 1280)
"""A phone and a desktop: the widths every block is compared at."""


def differing_share(actual: Image.Image, expected: Image.Image, threshold: int = 48,
                    shift: int = 1) -> float:
    """The share of pixels of ``actual`` whose colour differs by more than ``threshold``
    (0–255, in any channel) from every pixel of ``expected`` within ``shift`` pixels of the
    same place: text placed half a pixel lower, because something above it changed, draws
    its edges a pixel away, and an element's height may round a pixel up or down; a moved,
    resized or recoloured element still differs. 1.0 when the sizes differ by more than
    ``shift``."""
    mask = _differing_mask(actual, expected, threshold, shift)
    if mask is None:
        return 1.0
    return mask.histogram()[255] / (mask.size[0] * mask.size[1])


def _differing_mask(actual: Image.Image, expected: Image.Image, threshold: int,
                    shift: int) -> Image.Image | None:
    """255 where ``actual`` differs from every nearby pixel of ``expected``, else 0 (over
    the sizes' common part); None when the sizes differ by more than ``shift``."""
    if any(abs(a - b) > shift for a, b in zip(actual.size, expected.size, strict=True)):
        return None
    common = (0, 0, min(actual.width, expected.width), min(actual.height, expected.height))
    actual, expected = actual.crop(common), expected.crop(common)
    actual, expected = actual.convert("RGB"), expected.convert("RGB")
    nearest: Image.Image | None = None
    for dx in range(-shift, shift + 1):
        for dy in range(-shift, shift + 1):
            diff = ImageChops.difference(actual, ImageChops.offset(expected, dx, dy))
            channels = diff.split()
            worst = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
            nearest = worst if nearest is None else ImageChops.darker(nearest, worst)
    assert nearest is not None
    return nearest.point(lambda value: 255 if value > threshold else 0)


def settle(target: Any) -> None:
    """Wait until the page has its fonts and has painted twice since the last change (a
    resize, a key pressed), so that the screenshot shows the settled state, not a frame
    drawn half-way through a relayout on a busy machine."""
    page = getattr(target, "page", target)
    page.evaluate("""() => { window.__mircoSettled = false;
        document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(
            () => { window.__mircoSettled = true; }))); }""")
    page.wait_for_function("window.__mircoSettled === true", timeout=10_000)


PLACE_AND_FIND_COVERS = """element => {
    element.scrollIntoView({block: "center", inline: "nearest", behavior: "instant"});
    const box = element.getBoundingClientRect();
    const covers = [];
    for (const other of document.querySelectorAll("body *")) {
        const position = getComputedStyle(other).position;
        if ((position !== "fixed" && position !== "sticky") || other.contains(element)
                || element.contains(other) || !other.checkVisibility()) continue;
        const r = other.getBoundingClientRect();
        if (r.left < box.right && box.left < r.right && r.top < box.bottom
                && box.top < r.bottom)
            covers.push(other.tagName.toLowerCase()
                        + (other.className ? "." + other.className : ""));
    }
    return covers;
}"""


def place(target: Any) -> None:
    """Put a ``Locator``'s element in the middle of the viewport, the same place in every
    run, and fail if a fixed or sticky element (the pager at the bottom, a timer at the
    top) lies over it: Playwright scrolls an element only as far as needed to see it, so
    where it lands depends on where the page was scrolled before (by focus, by a layout
    settling late), and a sticky bar may then be drawn over its last rows."""
    if not hasattr(target, "page"):
        return  # a whole page: nothing to place
    covers = target.evaluate(PLACE_AND_FIND_COVERS)
    if covers:
        raise AssertionError(
            f"the element to compare is covered by {', '.join(covers)} even in the middle "
            f"of the viewport: make the viewport taller or the element smaller")


def differing_region(actual: Image.Image, expected: Image.Image, threshold: int = 48,
                     shift: int = 1) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) holding every differing pixel, for the message."""
    mask = _differing_mask(actual, expected, threshold, shift)
    return None if mask is None else mask.getbbox()


def assert_screenshot(target: Any, name: str, width: int, tolerance: float = 0.01) -> None:
    """Compare a Playwright ``Locator`` or ``Page`` screenshot with the reference
    ``<name>-<width>.png``; with ``MIRCO_UPDATE_SCREENSHOTS=1`` write it instead."""
    place(target)
    settle(target)
    png = target.screenshot(animations="disabled", caret="hide")
    reference = SCREENSHOTS / f"{name}-{width}.png"
    if os.environ.get(UPDATE_ENV) == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        reference.write_bytes(png)
        return
    if not reference.is_file():
        raise AssertionError(
            f"no reference screenshot {reference.relative_to(SCREENSHOTS.parents[2])}: run "
            f"the test with {UPDATE_ENV}=1, look at the image, and commit it")
    actual = Image.open(io.BytesIO(png))
    expected = Image.open(reference)
    share = differing_share(actual, expected)
    if share > tolerance:
        failed = reference.with_name(f"{reference.stem}.actual.png")
        failed.write_bytes(png)
        raise AssertionError(
            f"{name} at {width} px differs from {reference.name} in {share:.1%} of its "
            f"pixels (sizes {actual.size} vs {expected.size}; the differences lie within "
            f"{differing_region(actual, expected)}); the new image is "
            f"{failed.name} — if the change is meant, remake the reference with {UPDATE_ENV}=1")
