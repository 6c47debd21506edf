"""The screenshot comparison the block tests rely on: what it allows and what it catches."""

from __future__ import annotations

from PIL import Image, ImageDraw
from screenshots import differing_share


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
