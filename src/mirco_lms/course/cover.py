"""The ``cover:`` front matter of ``module.md`` → a :class:`~mirco_lms.course.model.Cover`.

Every package opens on a cover page (title, duration, learning outcomes, Start/Resume);
``cover:`` adds its artwork::

    cover:
      image: images/cover.svg
      alt: A border crossing point at dawn, with the centre's emblem

The image must be a file inside the module folder and have a text alternative; each
problem is a diagnostic at the line of the key that is wrong.
"""

from __future__ import annotations

from pathlib import Path

from mirco_lms.course.assets import resolve_target
from mirco_lms.course.fields import Fields
from mirco_lms.course.model import Cover
from mirco_lms.errors import Location

COVER_KEYS = ("image", "alt")
EXAMPLE = "write 'cover:' then, indented, 'image: images/cover.svg' and 'alt: what it shows'"


def read_cover(f: Fields, folder: Path) -> Cover | None:
    """The ``cover:`` of the module whose ``module.md`` fields are ``f`` (None: no image)."""
    if "cover" not in f:
        return None
    node = f.values["cover"]
    if node.is_scalar and isinstance(node.value, str):
        f.error("cover", f"the cover image {node.value!r} has no alt text",
                f"{EXAMPLE} (alt: the text read to people who cannot see the image)")
        return None
    if not node.is_map:
        f.error("cover", "cover must be 'image:' and 'alt:' lines", EXAMPLE)
        return None
    item = Fields(node, f.path, f.diagnostics)
    item.check_unknown(COVER_KEYS, " in cover")
    image, alt = item.text("image"), item.text("alt")
    if not image:
        f.error("cover", "the cover has no image", EXAMPLE)
        return None
    if not alt:
        (item if "alt" in item.values else f).error(
                   "alt" if "alt" in item.values else "cover",
                   f"the cover image {image!r} has no alt text",
                   "add 'alt: …' under cover: saying what the image shows (screen readers "
                   "read it to people who cannot see the image)")
    resolved = resolve_target(image)
    if resolved.kind != "local":
        item.error("image", f"the cover image {image!r} is not a file in the module folder",
                   "put the image in the module folder (images/…) and give its relative path")
        return None
    if not (folder / resolved.path).is_file():
        item.error("image", f"the cover image {image!r} does not exist",
                   "check the file name (letter case counts) and that it is in the module "
                   "folder")
        return None
    return Cover(resolved.path, alt, Location(f.path, item.line("alt" if alt else "image")))
