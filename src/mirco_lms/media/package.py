"""The files of a module's images and media as the package of one language holds them.

For each asset a page uses, :func:`language_assets` names every file the package needs
in that language — the asset itself (its ``<lang>/`` override when there is one), a
video's poster and the caption tracks the page points at — and :func:`asset_files`
reads them, passing each through the transform registered for its kind: an SVG diagram
gets its translated texts, captions made from another script are transliterated.
Files of other languages never enter the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError, Location
from mirco_lms.i18n.translit import transliterate
from mirco_lms.media import files
from mirco_lms.media.svg import translate_svg
from mirco_lms.media.vtt import transliterate_vtt
from mirco_lms.package.spec import PackageFile
from mirco_lms.paths import inside


@dataclass(frozen=True)
class PlannedFile:
    """One file of the package: where it is read from and how it is made."""

    path: str
    """Its path in the package (what the pages point at)."""
    origin: str
    """The module-relative file it is read from."""
    transliterate: bool = False


Transform = Callable[[bytes, PlannedFile, Module, Location], bytes]
"""Turns the bytes of a file into the bytes the package holds."""
_TRANSFORMS: dict[str, Transform] = {}


def register_transform(extension: str, transform: Transform) -> None:
    """Pass every packaged file ending in ``extension`` through ``transform``."""
    _TRANSFORMS[extension] = transform


def _svg(data: bytes, planned: PlannedFile, module: Module, where: Location) -> bytes:
    if planned.origin != planned.path:
        return data  # the language's own drawing (images/<lang>/…) is used as it is
    diagram = next((d for d in module.diagrams if d.path == planned.path), None)
    if diagram is None:
        return data
    return translate_svg(data, [t.text for t in diagram.texts], where)


def _vtt(data: bytes, planned: PlannedFile, module: Module, where: Location) -> bytes:
    if not planned.transliterate:
        return data
    return transliterate_vtt(data.decode("utf-8-sig"), transliterate).encode("utf-8")


register_transform(".svg", _svg)
register_transform(".vtt", _vtt)


def language_assets(module: Module, language: str, assets: Iterable[str]) -> list[PlannedFile]:
    """Every file the package in ``language`` needs for ``assets``, each once."""
    root = module.root
    planned: dict[str, PlannedFile] = {}
    for asset in assets:
        planned.setdefault(asset, PlannedFile(asset, files.localized_path(asset, language, root)))
        kind = files.media_kind(asset)
        if kind != "video":
            continue
        poster = files.poster_path(asset, root)
        if poster is not None:
            planned.setdefault(poster, PlannedFile(
                poster, files.localized_path(poster, language, root)))
        for track in files.caption_tracks(asset, language, module.language, root):
            planned.setdefault(track.path, PlannedFile(track.path, track.origin,
                                                       track.transliterate))
    return list(planned.values())


def read_planned(module: Module, planned: PlannedFile) -> PackageFile:
    """The package file of ``planned``, read from inside the module folder only."""
    root = (module.root or Path(".")).resolve()
    path = inside(root, planned.origin)
    relative = planned.origin
    if path is None or relative.startswith("/") or "\\" in relative:
        raise BuildError(
            f"asset path {relative!r} leaves the module folder",
            location=module.location,
            hint="keep images and media inside the module folder (images/…)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(
            f"cannot read asset {relative!r}: {exc.strerror}",
            location=Location(file=path),
            hint="check that the file exists and is readable",
        ) from exc
    transform = _TRANSFORMS.get(files.extension(planned.path))
    if transform is not None:
        data = transform(data, planned, module, Location(path))
    return PackageFile(Path(planned.path).as_posix(), data)


def asset_files(module: Module, language: str, assets: Iterable[str]) -> list[PackageFile]:
    """The package files of ``assets`` in ``language`` (see :func:`language_assets`)."""
    return [read_planned(module, planned)
            for planned in language_assets(module, language, assets)]
