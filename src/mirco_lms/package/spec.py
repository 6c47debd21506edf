"""What the render stage hands to the packaging stage: files, SCOs and localized metadata.

The renderer (``mirco_lms.render``) produces a :class:`PackageSpec`; a format module
(``scorm12``, ``scorm2004``, ``cmi5``) turns it into a validated zip. The spec knows
nothing about Markdown or HTML; the format modules know nothing about rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from mirco_lms.course.model import Module


@dataclass(frozen=True)
class PackageFile:
    """One file of the package: a POSIX path relative to the package root, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class ScoSpec:
    """One launchable unit (an item of the organization with its resource)."""

    identifier: str
    """XML id of the item (``ITEM-…``); the resource id is derived from it."""
    title: str
    href: str
    """The launch file, relative to the package root."""
    files: tuple[str, ...]
    """The files this SCO uses (its resource lists them), launch file included."""
    mastery_score: int | None = None
    """Passing score (percent) when this SCO carries the final test; None otherwise."""
    duration_minutes: int | None = None


@dataclass(frozen=True)
class PackageSpec:
    """Everything a package format needs, already localized."""

    module: Module
    language: str
    """BCP 47 tag of this package's language (``sr-Cyrl``)."""
    title: str
    description: str
    keywords: tuple[str, ...]
    files: tuple[PackageFile, ...]
    """Content files (pages, assets, runtime); the format adds manifest and XSDs."""
    scos: tuple[ScoSpec, ...]
    organization: str = ""
    """The publishing organization (manifest metadata)."""

    @property
    def identifier(self) -> str:
        """Manifest identifier: stable per module, version and language."""
        return f"MIRCO-{self.module.id}-{self.module.version}-{self.language}"

    @property
    def file_name_stem(self) -> str:
        """``<slug>-<version>-<lang>``: the format appends ``-scorm12.zip`` etc."""
        return f"{self.module.slug}-{self.module.version}-{self.language}"
