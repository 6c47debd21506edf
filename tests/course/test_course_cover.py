"""The ``cover:`` front matter: the cover image and its alt text, each mistake at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from course_support import MODULE_MD, WriteModule

from mirco_lms.course.loader import load_module

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 1"/>'


def with_cover(block: str) -> str:
    """MODULE_MD with ``block`` after ``duration:`` (so ``cover:`` is on line 7)."""
    return MODULE_MD.replace("duration: 2h\n", "duration: 2h\n" + block, 1)


def test_a_cover_image_with_alt_text_loads_and_is_an_asset(write_module: WriteModule) -> None:
    folder = write_module({
        "module.md": with_cover("cover:\n  image: images/cover.svg\n  alt: A globe.\n"),
        "images/cover.svg": SVG,
    })
    result = load_module(folder)
    assert result.diagnostics == []
    cover = result.require().cover
    assert cover is not None and (cover.image, cover.alt) == ("images/cover.svg", "A globe.")
    assert cover.location.line == 9  # the alt text's line: the PO reference of its translation
    assert "images/cover.svg" in result.require().assets


def test_no_cover_key_means_a_cover_page_without_an_image(write_module: WriteModule) -> None:
    result = load_module(write_module({}))
    assert result.ok and result.require().cover is None


@pytest.mark.parametrize(
    ("block", "files", "line", "message", "hint"),
    [
        ("cover:\n  image: images/missing.svg\n  alt: A globe.\n", {}, 8,
         "the cover image 'images/missing.svg' does not exist", "letter case"),
        ("cover:\n  image: images/cover.svg\n", {"images/cover.svg": SVG}, 7,
         "the cover image 'images/cover.svg' has no alt text", "alt: …"),
        ("cover:\n  image: images/cover.svg\n  alt: ''\n", {"images/cover.svg": SVG}, 9,
         "the cover image 'images/cover.svg' has no alt text", "screen readers"),
        ("cover: images/cover.svg\n", {"images/cover.svg": SVG}, 7,
         "the cover image 'images/cover.svg' has no alt text", "image: images/cover.svg"),
        ("cover:\n  alt: A globe.\n", {}, 7, "the cover has no image", "image:"),
        ("cover:\n  image: https://example.org/c.svg\n  alt: A globe.\n", {}, 8,
         "is not a file in the module folder", "module folder"),
        ("cover:\n  image: ../elsewhere.svg\n  alt: A globe.\n", {}, 8,
         "is not a file in the module folder", "module folder"),
        ("cover: [a, b]\n", {}, 7, "cover must be 'image:' and 'alt:' lines", "alt:"),
    ],
)
def test_cover_mistakes_are_errors_at_their_line(
    write_module: WriteModule, block: str, files: dict[str, bytes], line: int, message: str,
    hint: str,
) -> None:
    result = load_module(write_module({"module.md": with_cover(block), **files}))
    assert not result.ok
    (error,) = result.errors
    assert message in error.message
    assert error.location.file is not None and error.location.file.name == "module.md"
    assert error.location.line == line
    assert error.hint is not None and hint in error.hint


def test_an_unknown_key_in_cover_is_a_warning_with_a_suggestion(
    write_module: WriteModule,
) -> None:
    block = "cover:\n  image: images/cover.svg\n  alt: A globe.\n  atl: typo\n"
    result = load_module(write_module({"module.md": with_cover(block),
                                       "images/cover.svg": SVG}))
    assert result.ok
    (warning,) = result.diagnostics
    assert warning.severity == "warning" and "'atl'" in warning.message
    assert warning.location.line == 10 and "'alt'" in (warning.hint or "")


def test_the_scaffold_has_a_cover_and_points_to_the_projects_templates(tmp_path: Path) -> None:
    from mirco_lms.cli.new import scaffold_module

    folder = scaffold_module(tmp_path, "new-module", "New module")
    result = load_module(folder)
    cover = result.require().cover
    assert cover is not None and cover.alt and (folder / cover.image).is_file()
    assert not [d for d in result.diagnostics if "cover" in d.message]
    text = (folder / "module.md").read_text(encoding="utf-8")
    assert "templates/" in text and "docs/branding.md" in text
