"""From a built project to its Moodle courses: one ``<project>-<lang>.mbz`` per language,
made of the SCORM 1.2 packages and descriptors the build has just put in place."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError, DiagnosticsError, Location
from mirco_lms.formats.builtin import Descriptor, MoodleCourse
from mirco_lms.i18n import pipeline as i18n
from mirco_lms.i18n.locales import language_name
from mirco_lms.moodle.archive import write_backup
from mirco_lms.moodle.model import Course, CourseModule
from mirco_lms.moodle.scorm import package_scoes

MOODLE_FORMAT = MoodleCourse.name
"""The format key of ``[build].formats`` and ``--format``."""
PACKAGE_FORMAT = MoodleCourse.requires[0]
"""The package format a Moodle course holds (Moodle plays SCORM 1.2 fully)."""
DESCRIPTOR = Descriptor.name


def project_slug(config: ProjectConfig) -> str:
    """``<project>`` in ``<project>-<lang>.mbz``: the project's name, ASCII, hyphenated."""
    ascii_name = unicodedata.normalize("NFKD", config.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")
    return slug or config.root.resolve().name or "course"


def timestamp() -> int:
    """Every time in the backup: ``SOURCE_DATE_EPOCH``, else 2000-01-01 (deterministic)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else 946684800


def write_courses(config: ProjectConfig, out_dir: Path, languages: Sequence[str],
                  entries: Mapping[str, Mapping[str, Any]], folders: Mapping[str, Path],
                  allow_partial: bool) -> list[tuple[str, str, str, str, Path, int, int, int]]:
    """Write the course of every language, from the packages and descriptors the build
    cache ``entries`` list; a build report row of each: (project, version, language,
    format, path, size, pages, questions)."""
    modules: dict[str, list[CourseModule]] = {lang: [] for lang in languages}
    for slug, folder in folders.items():
        result = load_module(folder, rules=config.accreditation)
        if result.module is None or result.errors:
            raise DiagnosticsError(result.diagnostics)
        localized, _ = i18n.localize_for_build(config, result.module, languages, allow_partial)
        for translation in localized:
            modules[translation.language].append(
                _course_module(translation.module, out_dir, entries[slug], translation.language))
    ui = i18n.ui_catalogs(config, languages)
    written = []
    for lang in languages:
        labels = {"outcomes": ui[lang].gettext("Learning outcomes"),
                  "descriptor": ui[lang].gettext("Course descriptor")}
        organization = config.project_text("organization", lang)  # in this language
        course = Course(
            shortname=f"{project_slug(config)}-{lang}",
            fullname=f"{config.project_text('name', lang)} ({language_name(lang, lang)})",
            summary=f"<p>{escape(organization)}</p>" if organization else "",
            language="", modules=tuple(modules[lang]), timestamp=timestamp(), labels=labels)
        path, size = write_backup(course, out_dir)
        counts = [entries[slug]["outputs"][f"{lang}/{PACKAGE_FORMAT}"] for slug in folders]
        written.append((project_slug(config), "", lang, MOODLE_FORMAT, path, size,
                        sum(c["pages"] for c in counts), sum(c["questions"] for c in counts)))
    return written


def _course_module(module: Module, out_dir: Path, entry: Mapping[str, Any],
                   lang: str) -> CourseModule:
    package = _output(out_dir, entry, f"{lang}/{PACKAGE_FORMAT}")
    descriptor = _output(out_dir, entry, f"{lang}/{DESCRIPTOR}")
    data = package.read_bytes()
    return CourseModule(
        slug=module.slug, title=module.title, description=module.description,
        outcomes=tuple(o.text for o in module.outcomes),
        passing_score=module.passing_score if module.final_test else None,
        attempts=module.attempts if module.final_test else 0,
        package_name=package.name, package=data, scoes=package_scoes(package.name, data),
        descriptor_name=descriptor.name, descriptor=descriptor.read_bytes())


def _output(out_dir: Path, entry: Mapping[str, Any], key: str) -> Path:
    try:
        path: Path = out_dir / entry["outputs"][key]["file"]
        path.stat()
    except (KeyError, OSError) as exc:
        raise BuildError(
            f"the Moodle course needs {key}, which is not in {out_dir}",
            location=Location(file=out_dir), hint="build again with --force") from exc
    return path
