"""The preview's built site: a fresh build of the project, unpacked, swapped in atomically."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mirco_lms.build import BuildOptions, BuildRow, build
from mirco_lms.config import ProjectConfig
from mirco_lms.errors import Diagnostic, DiagnosticsError, MircoError
from mirco_lms.formats.builtin import scorm_api
from mirco_lms.i18n.readiness import LanguageStatus

log = logging.getLogger(__name__)

WATCHED = ("modules", "templates", "translations", "mirco.toml")
"""What a rebuild depends on, relative to the project folder."""
DESCRIPTORS = "_descriptors"
"""The folder of the site holding the course descriptors."""


@dataclass(frozen=True)
class Package:
    """One playable package of the preview."""

    name: str
    """The zip's stem: ``<slug>-<version>-<lang>-<format>``, also its URL folder."""
    module: str
    language: str
    format: str
    launches: tuple[str, ...]
    """Launch files of its SCOs, in manifest order."""
    title: str = ""
    """The module's title in the package's language (from its manifest)."""
    descriptor: str = ""
    """The file name of the module's course descriptor in that language ("" if none)."""

    @property
    def scorm(self) -> str:
        """The SCORM version whose API the preview offers the package (its format's)."""
        return scorm_api(self.format) or "2004"


@dataclass(frozen=True)
class BuildFailure:
    """Why the last build failed: one entry per problem, with file:line and hint."""

    problems: tuple[Diagnostic, ...]


@dataclass
class PreviewSite:
    """The project being previewed and its current build (rebuilt on demand)."""

    project: Path
    sco_per_lesson: bool | None = None
    languages: tuple[str, ...] | None = None
    """The languages to preview (``--lang``); None: those of mirco.toml."""
    allow_partial: bool = False
    """Preview languages under the coverage threshold too (``--allow-partial``)."""
    generation: int = 0
    """Counts successful and failed builds: pages reload when it changes."""
    packages: tuple[Package, ...] = ()
    statuses: tuple[LanguageStatus, ...] = ()
    """How far each module is translated into each language (from the last good build)."""
    withheld: tuple[LanguageStatus, ...] = ()
    """The languages of modules the last good build left out (under the threshold)."""
    failure: BuildFailure | None = None
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mirco-serve-")))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def site_dir(self) -> Path:
        """The unpacked packages of the last good build (``<package name>/…``)."""
        return self.root / f"site-{self._site}"

    _site: int = 0

    def rebuild(self) -> None:
        """Build everything again; on failure keep the last good site and record why."""
        with self._lock:
            try:
                config = ProjectConfig.load(self.project)
                report = build(config, BuildOptions(
                    out_dir=self.root / "dist", sco_per_lesson=self.sco_per_lesson, jobs=1,
                    languages=self.languages, allow_partial=self.allow_partial))
                self._publish(report.rows, report.descriptors)
                self.statuses, self.withheld = report.statuses, report.withheld
                self.failure = None
            except DiagnosticsError as err:
                self.failure = BuildFailure(tuple(err.diagnostics))
            except MircoError as err:
                where = err.location if err.location is not None else Diagnostic("").location
                self.failure = BuildFailure((Diagnostic(err.message, where, err.hint),))
            except OSError as err:  # the project folder vanished or is unreadable
                self.failure = BuildFailure((Diagnostic(f"cannot build: {err}"),))
            if self.failure:
                log.warning("preview build failed:\n%s",
                            "\n".join(p.format() for p in self.failure.problems))
            self.generation += 1

    def _publish(self, rows: tuple[BuildRow, ...], descriptors: tuple[Path, ...] = ()) -> None:
        target = self.root / f"site-{self._site + 1}"
        shutil.rmtree(target, ignore_errors=True)
        (target / DESCRIPTORS).mkdir(parents=True)
        for path in descriptors:
            shutil.copyfile(path, target / DESCRIPTORS / path.name)
        packages = []
        for row in rows:
            if scorm_api(row.format) is None:
                continue  # the preview is a SCORM player; cmi5 and course backups are not played
            name = row.path.stem
            with zipfile.ZipFile(row.path) as archive:
                archive.extractall(target / name)
            title, launches = _manifest(target / name)
            descriptor = f"{row.module}-{row.version}-{row.language}-descriptor.html"
            if not (target / DESCRIPTORS / descriptor).is_file():
                descriptor = ""
            packages.append(Package(name, row.module, row.language, row.format, launches,
                                    title or row.module, descriptor))
        old = self.site_dir
        self._site += 1
        self.packages = tuple(packages)
        shutil.rmtree(old, ignore_errors=True)

    def find(self, name: str) -> Package | None:
        return next((p for p in self.packages if p.name == name), None)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _manifest(folder: Path) -> tuple[str, tuple[str, ...]]:
    """The course title and the SCO launch files (in order) of the package's manifest."""
    from lxml import etree

    try:
        tree = etree.parse(str(folder / "imsmanifest.xml"))
    except (OSError, etree.XMLSyntaxError):
        return "", ("index.html",)
    title = next((str(node.text or "").strip() for org in tree.iter("{*}organization")
                  for node in org.iterchildren("{*}title")), "")
    hrefs = [str(node.get("href")) for node in tree.iter("{*}resource") if node.get("href")]
    return title, tuple(dict.fromkeys(hrefs)) or ("index.html",)
