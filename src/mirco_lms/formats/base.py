"""What an output format is: :class:`Format` and its two kinds, and the typed outputs.

A :class:`ModuleFormat` builds one output per localized module (a SCORM zip, a course
descriptor, a folder of pages); a :class:`CourseFormat` builds one output per language
from the module outputs already published (the Moodle course backup). Either names its
outputs as an :class:`Output`: a file or a folder inside the output folder, which the
build publishes atomically and its cache keys and verifies.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mirco_lms.config import ProjectConfig
    from mirco_lms.errors import Diagnostic
    from mirco_lms.render import LocalizedModule, RenderOptions, Theme
    from mirco_lms.render.descriptor import DescriptorInfo
    from mirco_lms.render.pages import Page

Scope = Literal["module", "course"]
Kind = Literal["file", "folder"]


@dataclass(frozen=True)
class Output:
    """An output of a format: ``name`` is its path inside the output folder."""

    name: str
    kind: Kind = "file"

    def cache_entry(self, folder: Path) -> dict[str, Any]:
        """What the build cache records of this output, as written in ``folder``.

        A file: its name and size. A folder: its name, total size, file count and a
        digest of its listing (paths and sizes), all that :meth:`intact` checks.
        """
        path = folder / self.name
        if self.kind == "file":
            return {"file": self.name, "size": path.stat().st_size}
        listing = folder_listing(path)
        return {"folder": self.name, "size": sum(size for _, size in listing),
                "files": len(listing), "listing": listing_digest(listing)}

    @staticmethod
    def from_cache(entry: Mapping[str, Any]) -> Output:
        """The output a cache entry (from :meth:`cache_entry`) describes."""
        if "folder" in entry:
            return Output(str(entry["folder"]), "folder")
        return Output(str(entry.get("file", "")))

    @staticmethod
    def intact(entry: Mapping[str, Any], out_dir: Path) -> bool:
        """Whether the output a cache entry describes is in ``out_dir`` as it was written."""
        output = Output.from_cache(entry)
        path = out_dir / output.name
        try:
            if output.kind == "file":
                return path.is_file() and path.stat().st_size == entry.get("size")
            if not path.is_dir():
                return False
            listing = folder_listing(path)
        except OSError:
            return False
        return (len(listing) == entry.get("files")
                and listing_digest(listing) == entry.get("listing"))


def write_output(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; a BuildError saying why when it cannot."""
    from mirco_lms.errors import BuildError, Location

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise BuildError(
            f"cannot write {path.name}: {exc.strerror or exc}", location=Location(file=path),
            hint="check free disk space and that the output folder is writable",
        ) from exc


def folder_listing(folder: Path) -> list[tuple[str, int]]:
    """Every file under ``folder``: (relative POSIX path, size), sorted."""
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_size)
                  for p in folder.rglob("*") if p.is_file())


def listing_digest(listing: Sequence[tuple[str, int]]) -> str:
    return hashlib.sha256("\0".join(f"{name}\0{size}" for name, size in listing)
                          .encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ModuleSource:
    """What a module format builds from: one localized module, rendered once."""

    localized: LocalizedModule
    theme: Theme
    render: RenderOptions
    """The project's render options (a format sets its own ``package_format``)."""
    pages: list[Page]
    """The module's pages, the same in every format of this language."""
    info: DescriptorInfo
    out_dir: Path
    """Where to write the output: the build's temporary folder (published later)."""


@dataclass(frozen=True)
class CourseSource:
    """What a course format builds from: the module outputs published in ``out_dir``."""

    config: ProjectConfig
    out_dir: Path
    languages: Sequence[str]
    entries: Mapping[str, Mapping[str, Any]]
    """The build cache's module entries (their ``outputs`` name the published files)."""
    folders: Mapping[str, Path]
    """The built modules' source folders, by slug."""
    allow_partial: bool


@dataclass(frozen=True)
class CourseOutput:
    """One output of a course format: a build report row's fields."""

    name: str
    """The course's name (the report's module column)."""
    language: str
    path: Path
    size: int
    pages: int
    questions: int


class Format(ABC):
    """An output format, as registered in :mod:`mirco_lms.formats.registry`."""

    name: str
    """The key of ``[build].formats``, ``--format`` and the cache (``<lang>/<name>``)."""
    label: str
    """How people call it (``mirco serve`` shows it)."""
    scope: Scope
    selectable: bool = True
    """Chosen in ``[build].formats``/``--format``; False: built with every module."""
    default: bool = False
    """Built when mirco.toml names no formats."""

    @abstractmethod
    def recognises(self, path: Path) -> bool:
        """Whether ``path`` (a file or a folder) is an output of this format."""

    @abstractmethod
    def validate(self, path: Path) -> list[Diagnostic]:
        """Every problem of the output at ``path``; never raises on bad input."""


class ModuleFormat(Format):
    """A format with one output per localized module."""

    scope: Scope = "module"

    @abstractmethod
    def build(self, source: ModuleSource) -> Output:
        """Write the output of ``source`` into ``source.out_dir``; deterministic."""


class CourseFormat(Format):
    """A format with one output per language, made from module outputs."""

    scope: Scope = "course"
    requires: tuple[str, ...] = ()
    """The module formats it is made from (built whenever this format is selected)."""

    @abstractmethod
    def build_course(self, source: CourseSource) -> list[CourseOutput]:
        """Write the course of every language of ``source`` into ``source.out_dir``."""
