"""What the build says about a package's images and media before it is made: files
over the size budget, packages over theirs, languages whose videos lack captions.

The budgets are ``[build].max_file_kb`` and ``[build].max_package_kb`` in mirco.toml:
an LMS refuses uploads over its limit (Moodle's default is the PHP upload limit) and
learners on mobile data download every byte, so the build warns early. Warnings only:
the author decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from mirco_lms.config import BuildSettings
from mirco_lms.course.model import Module
from mirco_lms.errors import Diagnostic, Location
from mirco_lms.media import files
from mirco_lms.media.package import language_assets


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def package_warnings(
    module: Module, language: str, settings: BuildSettings
) -> list[Diagnostic]:
    """Warnings for the package of ``module`` in ``language``."""
    root = module.root
    if root is None:
        return []
    out: list[Diagnostic] = []
    total = 0
    for planned in language_assets(module, language, module.assets):
        path = root / planned.origin
        try:
            size = path.stat().st_size
        except OSError:
            continue  # reported by the link check
        total += size
        if size > settings.max_file_kb * 1024:
            out.append(Diagnostic(
                f"{module.slug} [{language}]: {planned.origin} is {_kb(size)}, over the "
                f"{settings.max_file_kb:,} KB budget for one file",
                Location(path), "compress it (video: ffmpeg -crf 30, 640×360; images: "
                "smaller dimensions, SVG or WebP), or raise [build].max_file_kb",
                "warning"))
    if total > settings.max_package_kb * 1024:
        out.append(Diagnostic(
            f"{module.slug} [{language}]: its images and media take {_kb(total)}, over the "
            f"{settings.max_package_kb:,} KB budget for a package",
            Location(root), "compress the largest files, split the module, or raise "
            "[build].max_package_kb", "warning"))
    return out + _caption_warnings(module, language)


def _caption_warnings(module: Module, language: str) -> list[Diagnostic]:
    out = []
    for asset in module.assets:
        if files.media_kind(asset) != "video" or language == module.language:
            continue
        wanted = files.captions_path(asset, language)
        if files.language_file(wanted, language, module.root) is None and \
                files.language_file(files.captions_path(asset, module.language),
                                    module.language, module.root) is not None:
            out.append(Diagnostic(
                f"{module.slug} [{language}]: the video {asset!r} has no {language} "
                f"captions; the package shows the {module.language} ones",
                Location(module.root / asset if module.root else None),
                f"translate {files.captions_path(asset, module.language)} into {wanted}",
                "warning"))
    return out


def build_warnings(
    module: Module, languages: Sequence[str], settings: BuildSettings
) -> list[Diagnostic]:
    """:func:`package_warnings` of every language built."""
    return [w for language in languages for w in package_warnings(module, language, settings)]
