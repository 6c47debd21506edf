"""The screenshot comparison the block tests rely on: what it allows and what it catches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PIL import Image, ImageDraw
from screenshots import differing_share, place


def _card(shift: int = 0, colour: str = "#1d4e89") -> Image.Image:
    image = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(image).rectangle((20 + shift, 20, 120 + shift, 60), fill=colour)
    return image


def test_identical_images_do_not_differ() -> None:
    assert differing_share(_card(), _card()) == 0.0


def test_a_faint_change_of_shade_is_allowed() -> None:
    assert differing_share(_card(colour="#1f508b"), _card()) == 0.0


def test_a_moved_box_is_caught() -> None:
    share = differing_share(_card(shift=10), _card())
    assert 0.03 < share < 0.05  # two 10×40 strips of 200×100


def test_text_a_pixel_away_is_allowed() -> None:
    assert differing_share(_card(shift=1), _card()) == 0.0


def test_a_height_rounded_a_pixel_up_is_allowed() -> None:
    taller = Image.new("RGB", (200, 101), "white")
    taller.paste(_card(), (0, 0))
    assert differing_share(taller, _card()) == 0.0


def test_a_changed_size_is_a_total_difference() -> None:
    assert differing_share(Image.new("RGB", (200, 110), "white"), _card()) == 1.0


_PAGE = """<!doctype html><body style="margin:0">
<div style="height:1500px"></div>
<div id="target" style="height:{height}px;background:#1d4e89"></div>
<div style="height:1500px"></div>
<div class="bar" style="position:sticky;bottom:0;height:50px;background:#c00"></div></body>"""


@contextmanager
def _sticky_page(browser: Any, height: int) -> Iterator[Any]:
    """A 300 × 400 page: a ``height`` px element between two long spacers, and a 50 px
    bar stuck to the bottom of the viewport."""
    page = browser.new_page(viewport={"width": 300, "height": 400})
    try:
        page.set_content(_PAGE.format(height=height))
        yield page
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_an_element_under_a_sticky_bar_is_moved_clear_of_it(browser: Any) -> None:
    with _sticky_page(browser, 60) as page:
        # scrolled as Playwright would leave it: the element just in view, under the bar
        page.evaluate("window.scrollTo(0, 1500 + 60 - 400)")
        place(page.locator("#target"))
        top, bottom = page.evaluate(
            "(() => { const b = document.getElementById('target').getBoundingClientRect();"
            " return [b.top, b.bottom]; })()")
        assert (top, bottom) == (170, 230)  # the middle of 400, clear of the bar at 350


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_an_element_a_sticky_bar_must_cover_is_refused(browser: Any) -> None:
    with _sticky_page(browser, 380) as page, \
            pytest.raises(AssertionError, match=r"covered by div\.bar"):
        place(page.locator("#target"))
