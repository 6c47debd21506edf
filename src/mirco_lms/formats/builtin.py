"""The formats mirco ships: SCORM 1.2, SCORM 2004 and cmi5 packages, the course
descriptor (HTML, and as the programme document's PDF), the Moodle course backup and the
printed documents (:mod:`mirco_lms.printed`).

What they build and check lives in :mod:`mirco_lms.package`, :mod:`mirco_lms.render` and
:mod:`mirco_lms.moodle`; it is imported when a format is used, so that reading the
registry (mirco.toml's checks, ``--help``) stays cheap.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from mirco_lms.errors import Diagnostic, Location
from mirco_lms.formats.base import (
    CourseFormat,
    CourseOutput,
    CourseSource,
    Format,
    ModuleFormat,
    ModuleSource,
    Output,
    write_output,
)
from mirco_lms.printed.format import PrintedDocuments

MANIFEST = "imsmanifest.xml"
COURSE_STRUCTURE = "cmi5.xml"
MOODLE_BACKUP = "moodle_backup.xml"


def _zip_names(path: Path) -> set[str] | None:
    """The member names of a zip file, or None when ``path`` is not a readable zip."""
    if not path.is_file():
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            return set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return None


def scorm_version(path: Path) -> str | None:
    """``scorm12`` or ``scorm2004`` from the namespace of a zip's imsmanifest.xml, or None."""
    if not path.is_file():
        return None
    from mirco_lms.package.validate import detect_version, parse_manifest

    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(MANIFEST)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return None  # not a zip, or no manifest in it
    root, _ = parse_manifest(xml)
    return None if root is None else detect_version(root)


class PackageZip(ModuleFormat):
    """A SCORM package zip: the module rendered for it, packaged and checked."""

    def __init__(self, name: str, label: str, api: str | None = None,
                 default: bool = False) -> None:
        self.name, self.label, self.default = name, label, default
        self.api = api
        """The SCORM version (``1.2``, ``2004``) whose LMS API the runtime looks for first
        when a frame offers both; None: no SCORM API (cmi5)."""

    def build(self, source: ModuleSource) -> Output:
        from mirco_lms.package import FORMATS as PACKAGERS
        from mirco_lms.render import render_package

        # the page data names its package's format: assembled once per format
        options = replace(source.render, package_format=self.name)
        rendered = render_package(source.localized, source.theme, options, source.pages)
        return Output(PACKAGERS[self.name](rendered.spec, source.out_dir).path.name)

    def recognises(self, path: Path) -> bool:
        return scorm_version(path) == self.name

    def validate(self, path: Path) -> list[Diagnostic]:
        """The package's manifest, files and what its pages load and link."""
        from mirco_lms.package import html_targets
        from mirco_lms.package import validate as scorm

        return scorm.validate_package(path) + html_targets.check_zip(path)


class Cmi5Zip(PackageZip):
    """A cmi5 package zip: built as the SCORM ones are, described by ``cmi5.xml``."""

    def recognises(self, path: Path) -> bool:
        names = _zip_names(path)
        return names is not None and COURSE_STRUCTURE in names and MANIFEST not in names

    def validate(self, path: Path) -> list[Diagnostic]:
        """The package's cmi5.xml, files and what its pages load and link."""
        from mirco_lms.package import cmi5, html_targets

        return cmi5.validate_cmi5_package(path) + html_targets.check_zip(path)


class SuffixFile(ModuleFormat):
    """A format that writes one file per module and language,
    ``<slug>-<version>-<lang><SUFFIX>``, and recognises it by that suffix."""

    SUFFIX = ""

    def render(self, source: ModuleSource) -> bytes:
        """The file's bytes."""
        raise NotImplementedError

    def build(self, source: ModuleSource) -> Output:
        module = source.localized.module
        name = f"{module.slug}-{module.version}-{source.localized.language}{self.SUFFIX}"
        write_output(source.out_dir / name, self.render(source))
        return Output(name)

    def recognises(self, path: Path) -> bool:
        return path.is_file() and path.name.endswith(self.SUFFIX)


class Descriptor(SuffixFile):
    """The course descriptor: one HTML page per module and language, built with every
    module (Moodle courses and catalogues link it)."""

    name = "descriptor"
    label = "Course descriptor"
    selectable = False
    SUFFIX = "-descriptor.html"

    def render(self, source: ModuleSource) -> bytes:
        from mirco_lms.render.descriptor import render_descriptor

        return render_descriptor(source.localized, source.theme, source.info).encode("utf-8")

    def validate(self, path: Path) -> list[Diagnostic]:
        """A descriptor is a UTF-8 HTML page."""
        where = Location(file=str(path))
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as err:
            return [Diagnostic(f"the descriptor cannot be read: {err}", where)]
        except UnicodeDecodeError:
            return [Diagnostic("the descriptor is not UTF-8 text", where,
                               hint="rebuild it with mirco build --force")]
        if "<html" not in text[:1000].lower():
            return [Diagnostic("the descriptor is not an HTML page", where,
                               hint="rebuild it with mirco build --force")]
        return []


class ProgrammePdf(SuffixFile):
    """The programme document as an A4 PDF (the descriptor laid out for print: page
    numbers, table of contents), for the accreditation dossier."""

    name = "programme-pdf"
    label = "Programme document (PDF)"
    SUFFIX = "-programme.pdf"

    def render(self, source: ModuleSource) -> bytes:
        from mirco_lms.render.descriptor import render_programme_pdf

        return render_programme_pdf(source.localized, source.theme, source.info)

    def validate(self, path: Path) -> list[Diagnostic]:
        """A programme document is a whole PDF file (header and end marker)."""
        where = Location(file=str(path))
        try:
            data = path.read_bytes()
        except OSError as err:
            return [Diagnostic(f"the programme document cannot be read: {err}", where)]
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            return [Diagnostic("the programme document is not a whole PDF file", where,
                               hint="rebuild it with mirco build --format programme-pdf "
                                    "--force")]
        return []


class MoodleCourse(CourseFormat):
    """A Moodle course backup per language (``<project>-<lang>.mbz``), made of the SCORM
    1.2 packages and descriptors of the modules."""

    name = "moodle"
    label = "Moodle course"
    requires = ("scorm12",)

    def build_course(self, source: CourseSource) -> list[CourseOutput]:
        from mirco_lms.moodle.collect import write_courses

        rows = write_courses(source.config, source.out_dir, source.languages, source.entries,
                             source.folders, source.allow_partial)
        return [CourseOutput(name, lang, path, size, pages, questions)
                for name, _, lang, _, path, size, pages, questions in rows]

    def recognises(self, path: Path) -> bool:
        names = _zip_names(path) if path.suffix.lower() == ".mbz" else None
        return names is not None and MOODLE_BACKUP in names

    def validate(self, path: Path) -> list[Diagnostic]:
        """Safe member paths, and the backup's ``moodle_backup.xml`` at the root."""
        from mirco_lms.package import contents

        label = str(path)
        try:
            with zipfile.ZipFile(path) as archive:
                names = [info.filename for info in archive.infolist()]
        except (OSError, zipfile.BadZipFile) as err:
            return [Diagnostic(f"the course backup cannot be read: {err}", Location(file=label),
                               hint="build it again with mirco build --format moodle")]
        found = list(contents.check_members(names, label))
        if MOODLE_BACKUP not in names:
            found.append(Diagnostic(f"the course backup has no {MOODLE_BACKUP}",
                                    Location(file=label), hint="build it again"))
        return found


class Site(CourseFormat):
    """The catalogue as a static, multilingual e-library (``site/``): every module's
    lessons and descriptor in every language, with offline search; no LMS, no tracking.
    Built from the sources by :mod:`mirco_lms.site`."""

    name = "site"
    label = "E-library website"

    def build_course(self, source: CourseSource) -> list[CourseOutput]:
        from mirco_lms.site import build_site

        return build_site(source, "e-library")

    def recognises(self, path: Path) -> bool:
        from mirco_lms.site import MARKER

        return path.is_dir() and (path / MARKER).is_file()

    def validate(self, path: Path) -> list[Diagnostic]:
        """The site's pages in every language, and every link of every page."""
        from mirco_lms.site import MARKER
        from mirco_lms.site.check import check_site

        return check_site(path, MARKER)


FORMATS: tuple[Format, ...] = (
    PackageZip("scorm12", "SCORM 1.2", "1.2", default=True),
    PackageZip("scorm2004", "SCORM 2004", "2004", default=True),
    Cmi5Zip("cmi5", "cmi5"),
    MoodleCourse(),
    Site(),
    Descriptor(),
    ProgrammePdf(),
    PrintedDocuments(),
)
"""The built-in formats, in the order ``[build].formats`` lists them in messages."""


def scorm_api(name: str) -> str | None:
    """The SCORM version the runtime of a package in format ``name`` looks for first."""
    from mirco_lms.formats import registry

    fmt = registry.get(name)
    return fmt.api if isinstance(fmt, PackageZip) else None
