"""Stage 1 of the build: what to build, and the fingerprints that say what is up to date.

:func:`make_plan` resolves the options against mirco.toml (modules, formats, languages,
output folder), fingerprints every module and asks the cache which of its languages are
stale.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mirco_lms import __version__, blocks
from mirco_lms.build.cache import digest as _digest
from mirco_lms.build.cache import folder_digest as _folder_digest
from mirco_lms.build.cache import language_keys, stale_languages
from mirco_lms.build.cache import read_cache as _read_cache
from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import discover_modules
from mirco_lms.errors import BuildError, Location
from mirco_lms.formats import registry
from mirco_lms.i18n import pipeline as i18n
from mirco_lms.i18n.readiness import LanguageStatus, cached_statuses
from mirco_lms.render import RenderOptions, Theme
from mirco_lms.render.assemble import RUNTIME_DIR, RUNTIME_FILES
from mirco_lms.render.theme import digest_files

_CODE_DIRS = ("course", "render", "package", "i18n", "formats", "blocks")
"""Parts of mirco whose code changes what a build produces (hashed into fingerprints)."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build; ``None`` means "as mirco.toml says"."""

    slugs: tuple[str, ...] = ()
    """Modules to build (folder names); empty: every module."""
    formats: tuple[str, ...] | None = None
    out_dir: Path | None = None
    force: bool = False
    """Rebuild every selected module, whatever the cache says."""
    sco_per_lesson: bool | None = None
    jobs: int | None = None
    """Worker processes; None: one per core when there are several modules to build."""
    languages: tuple[str, ...] | None = None
    """Languages to build (``--lang``); None: ``[i18n].languages`` of mirco.toml."""
    allow_partial: bool = False
    """Build languages under the coverage threshold too (source text where untranslated)."""



@dataclass
class Plan:
    """The resolved build: settings, fingerprints and what the cache knows."""

    config: ProjectConfig
    out_dir: Path
    formats: tuple[str, ...]
    render: RenderOptions
    folders: dict[str, Path]
    keys: dict[str, str]
    cache: dict[str, Any]
    languages: tuple[str, ...] = ()
    language_keys: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per module, per language: a hash of the catalogs that language is built from."""
    allow_partial: bool = False
    courses: tuple[str, ...] = ()
    """Course formats to make from the module outputs (``moodle``), after publishing."""
    stale: list[str] = field(default_factory=list)
    stale_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per stale module, the languages whose packages must be (re)built."""
    statuses: dict[str, dict[str, LanguageStatus]] = field(default_factory=dict)
    """Per module, per language: how far it is translated (known from the cache, or
    measured by the worker that builds the module; see i18n.readiness)."""

    def languages_of(self, slug: str) -> tuple[str, ...]:
        """The languages ``slug`` is built in: those not withheld (or not yet measured)."""
        states = self.statuses.get(slug, {})
        return tuple(lang for lang in self.languages if lang not in states
                     or states[lang].builds(self.allow_partial))


# --- stage 1: plan and fingerprints --------------------------------------------------------


def make_plan(config: ProjectConfig, options: BuildOptions) -> Plan:
    formats, courses = split_formats(_formats(config, options))
    out_dir = Path(options.out_dir) if options.out_dir is not None else config.out_dir
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    folders = _select(config, options.slugs)
    sco_per_lesson = (
        config.build.sco_per_lesson if options.sco_per_lesson is None else options.sco_per_lesson
    )
    render = RenderOptions.for_project(config, sco_per_lesson)
    languages = i18n.build_languages(config, options.languages)
    common = common_fingerprint(config, render)
    keys = {slug: _digest(common, _folder_digest(folder)) for slug, folder in folders.items()}
    cache = _read_cache(out_dir)
    plan = Plan(config, out_dir, formats, render, folders, keys, cache, languages,
                 allow_partial=options.allow_partial, courses=courses)
    plan.language_keys = {slug: language_keys(config, slug, languages) for slug in folders}
    plan.statuses = cached_statuses(config, folders, languages, cache, keys, plan.language_keys)
    for slug in folders:
        built = plan.languages_of(slug)
        todo = built if options.force else stale_languages(
            cache.get(slug), keys[slug], plan.language_keys[slug], built, out_dir, formats)
        if todo:
            plan.stale.append(slug)
            plan.stale_languages[slug] = todo
    return plan


def _formats(config: ProjectConfig, options: BuildOptions) -> tuple[str, ...]:
    formats = options.formats if options.formats else config.build.formats
    for fmt in formats:
        if fmt not in registry.names():
            raise BuildError(
                f"the package format {fmt!r} is not available",
                location=Location(file=config.root / "mirco.toml"),
                hint=f"available formats: {', '.join(sorted(registry.names()))}",
            )
    return tuple(dict.fromkeys(formats))


def split_formats(formats: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The module formats to build and the course formats to make from them: a course
    format stands, among the first, for the module formats it requires."""
    modules: list[str] = []
    courses: list[str] = []
    for name in formats:
        course = registry.course_format(name)
        if course is None:
            modules.append(name)
        else:
            courses.append(name)
            modules.extend(course.requires)
    return tuple(dict.fromkeys(modules)), tuple(courses)


def _select(config: ProjectConfig, slugs: Sequence[str]) -> dict[str, Path]:
    """Module folders to build, by slug, in order (all of them when ``slugs`` is empty)."""
    available = {folder.name: folder for folder in discover_modules(config.modules_dir)}
    if not slugs:
        if not available:
            raise BuildError(
                f"no modules in {config.modules_dir}",
                location=Location(file=config.modules_dir),
                hint="create one with: mirco new <slug>",
            )
        return available
    selected: dict[str, Path] = {}
    for slug in slugs:
        if slug not in available:
            names = ", ".join(sorted(available)) or "(none)"
            raise BuildError(
                f"unknown module {slug!r}",
                location=Location(file=config.modules_dir / slug),
                hint=f"available modules: {names}",
            )
        selected[slug] = available[slug]
    return selected


def common_fingerprint(config: ProjectConfig, render: RenderOptions) -> str:
    """What every module's output depends on besides its own sources."""
    theme = Theme.for_project(config.templates_dir)
    runtime = [(name, RUNTIME_DIR / name) for name in RUNTIME_FILES]
    runtime += [*blocks.runtime_scripts(), *blocks.runtime_styles()]
    code_root = Path(__file__).resolve().parent.parent
    code = sorted(
        (p.relative_to(code_root).as_posix(), p)
        for part in _CODE_DIRS for p in (code_root / part).rglob("*.py")
    )
    settings = {
        "project": config.raw.get("project", {}),
        "tracking": config.raw.get("tracking", {}),
        "render": [render.sco_per_lesson, render.organization, render.activity_base],
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return _digest(
        __version__, theme.digest(), digest_files(runtime), digest_files(code),
        json.dumps(settings, sort_keys=True, default=str),
    )
