"""The build pipeline: module sources → localized, validated packages in the output folder.

Stages, for the selected modules:

1. **Fingerprint** every module (its source files, the theme, the runtime, the relevant
   mirco.toml settings, mirco itself). A module whose fingerprint matches the cache
   (``<out>/.mirco-build.json``) and whose outputs are all there is skipped.
2. **Load and check** every module left; all problems of all modules are reported at
   once, and any error stops the build before anything is published.
3. **Render and package** each module without errors, per language and format (see
   :mod:`mirco_lms.formats`), into a temporary folder inside the output folder,
   validating every output. A language under
   the coverage threshold is withheld (measured, reported, not built) unless partial.
4. **Publish**: only when everything succeeded are the outputs (files and folders)
   moved into place and the cache updated; course formats (Moodle) are then made from
   them. A failed build leaves the output folder exactly as it was.

Each module is loaded, rendered and packaged by one worker (one process per core when
there are several modules), so that its Markdown is parsed once and the module is
never sent between processes. The output is deterministic: the same sources give the
same bytes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirco_lms import __version__
from mirco_lms.build.cache import CACHE_FILE, CACHE_SCHEMA, DESCRIPTOR
from mirco_lms.build.output import TEMP_PREFIX
from mirco_lms.build.output import check as _check
from mirco_lms.build.output import publish as _publish_output
from mirco_lms.build.output import sweep as _sweep
from mirco_lms.build.output import write as _write
from mirco_lms.build.parallel import BuildProgress, ProgressCallback
from mirco_lms.build.parallel import map_modules as _map
from mirco_lms.build.parallel import pool as _pool
from mirco_lms.build.parallel import workers as _workers
from mirco_lms.build.plan import BuildOptions, Plan, make_plan
from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import keeping_parses
from mirco_lms.course.model import Module
from mirco_lms.errors import (
    BuildError,
    Diagnostic,
    DiagnosticsError,
    Location,
    MircoError,
)
from mirco_lms.formats import CourseSource, ModuleSource, Output, registry
from mirco_lms.i18n import pipeline as i18n
from mirco_lms.i18n.localize import Localization
from mirco_lms.i18n.readiness import LanguageStatus
from mirco_lms.i18n.ui import UiTranslations
from mirco_lms.media.budget import build_warnings
from mirco_lms.render import LocalizedModule, RenderOptions, Theme
from mirco_lms.render.descriptor import DescriptorInfo
from mirco_lms.render.pages import render_pages

__all__ = ["CACHE_FILE", "TEMP_PREFIX", "BuildOptions", "BuildProgress", "BuildReport",
           "BuildRow", "ProgressCallback", "build"]

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class BuildRow:
    """One package of the build."""

    module: str  # the module's slug
    version: str
    language: str
    format: str
    path: Path
    size: int
    pages: int
    questions: int
    status: str  # built, or skipped (up to date)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: one row per package, the descriptors, and any warnings."""

    out_dir: Path
    rows: tuple[BuildRow, ...]
    descriptors: tuple[Path, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0
    withheld: tuple[LanguageStatus, ...] = ()
    """Languages of modules not built: under the coverage threshold, no --allow-partial."""
    statuses: tuple[LanguageStatus, ...] = ()
    """How far each module is translated into each language, built or not."""

    @property
    def built(self) -> tuple[BuildRow, ...]:
        return tuple(r for r in self.rows if r.status == "built")

    @property
    def skipped(self) -> tuple[BuildRow, ...]:
        return tuple(r for r in self.rows if r.status == "skipped")


@dataclass(frozen=True)
class _Job:
    """Everything a worker process needs to load, render and package one module."""

    folder: Path
    config: ProjectConfig
    languages: tuple[str, ...]
    """The languages to (re)build."""
    ui: dict[str, UiTranslations]
    """The checked UI translations of those languages."""
    allow_partial: bool
    formats: tuple[str, ...]
    temp_dir: Path
    templates_dir: Path | None
    render: RenderOptions
    info: DescriptorInfo


# --- the public entry point ---------------------------------------------------------------


_DEFAULT_OPTIONS = BuildOptions()


def build(
    config: ProjectConfig,
    options: BuildOptions = _DEFAULT_OPTIONS,
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build the packages of ``config``'s project; see the module docstring for stages."""
    started = time.perf_counter()
    plan = make_plan(config, options)
    workers = _workers(options.jobs, len(plan.stale))
    warnings: list[Diagnostic] = []
    if plan.stale:
        with _pool(workers) as pool:
            entries, warnings = _produce(plan, pool, progress)
        plan.cache.update(entries)
    rows: list[BuildRow] = []
    descriptors: list[Path] = []
    for slug in plan.folders:
        entry = plan.cache[slug]
        rows.extend(_rows(plan, slug, entry, plan.stale_languages.get(slug, ())))
        descriptors.extend(
            plan.out_dir / Output.from_cache(entry["outputs"][f"{lang}/{DESCRIPTOR}"]).name
            for lang in plan.languages_of(slug)
        )
    statuses = tuple(s for slug in plan.folders for s in plan.statuses.get(slug, {}).values())
    withheld = tuple(s for s in statuses if not s.builds(plan.allow_partial))
    if plan.courses:  # e.g. a Moodle course per language, from the packages now in place
        whole = [lang for lang in plan.languages if lang not in {s.language for s in withheld}]
        source = CourseSource(config, plan.out_dir, whole, plan.cache, plan.folders,
                              plan.allow_partial)
        for name in plan.courses:
            course = registry.course_format(name)
            assert course is not None  # the plan keeps only registered course formats
            rows.extend(BuildRow(out.name, "", out.language, name, out.path, out.size,
                                 out.pages, out.questions, "built")
                        for out in course.build_course(source))
    seconds = time.perf_counter() - started
    log.info("build: %d built, %d up to date, %.2f s", len(plan.stale),
             len(plan.folders) - len(plan.stale), seconds)
    return BuildReport(plan.out_dir, tuple(rows), tuple(descriptors), tuple(warnings), seconds,
                       withheld, statuses)


# --- stages 2 to 4: load and check, render and package, publish ----------------------------


@dataclass(frozen=True)
class _Outcome:
    """What a worker did with one module."""

    diagnostics: list[Diagnostic]
    entry: dict[str, Any] | None = None
    """The module's cache entry, when it was built."""
    error: MircoError | None = None
    """Why rendering or packaging failed (reported only when the sources have no errors)."""


def _produce(
    plan: Plan, pool: Executor | None, progress: ProgressCallback | None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Load, check, render and package every stale module, then publish it all.

    Returns the new cache entries and the warnings; raises one DiagnosticsError with
    every problem of every module when any has an error.
    """
    existed = plan.out_dir.is_dir()
    if existed:
        _sweep(plan.out_dir)
    try:
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        temp_dir = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=plan.out_dir))
    except OSError as exc:
        raise BuildError(
            f"cannot create the output folder: {exc.strerror or exc}",
            location=Location(file=plan.out_dir),
            hint="choose an output folder you can write to (--out DIR)",
        ) from exc
    try:
        ui = i18n.ui_catalogs(plan.config, plan.languages)  # UI catalog errors stop here
        jobs = [_job(plan, slug, ui, temp_dir) for slug in plan.stale]
        outcomes = _map(_make_one, jobs, pool, ("check", "build"), progress)
        entries, warnings = _entries(plan, outcomes)
        _publish(plan, temp_dir, entries)
        return entries, warnings
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
        if not existed and not any(plan.out_dir.iterdir()):
            plan.out_dir.rmdir()


def _entries(
    plan: Plan, outcomes: Sequence[_Outcome]
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The cache entries of the built modules; raises when a module has problems."""
    problems = [d for outcome in outcomes for d in outcome.diagnostics]
    errors = [d for d in problems if d.severity == "error"]
    if errors:
        raise DiagnosticsError(problems)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    entries: dict[str, Any] = {}
    for slug, outcome in zip(plan.stale, outcomes, strict=True):
        if outcome.entry is None:
            raise DiagnosticsError(problems or [Diagnostic("a module could not be loaded")])
        entries[slug] = _complete_entry(plan, slug, outcome.entry)
    return entries, problems


def _complete_entry(plan: Plan, slug: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Add the outputs of the languages that were up to date, the keys and coverage."""
    old = plan.cache.get(slug)
    same_sources = isinstance(old, dict) and old.get("key") == plan.keys[slug]
    rebuilt = set(entry["languages"])
    partial: dict[str, float] = {}
    if same_sources and isinstance(old, dict):
        partial = {k: v for k, v in old.get("partial", {}).items() if k not in rebuilt}
        for key, out in old.get("outputs", {}).items():
            lang = key.split("/", 1)[0]
            if lang in plan.languages and lang not in rebuilt:
                entry["outputs"][key] = out
    partial.update(entry.pop("partial_now", {}))
    coverage = {lang: s.data() for lang, s in plan.statuses.get(slug, {}).items()}
    coverage.update(entry.pop("coverage_now", {}))  # measured by the worker just now
    plan.statuses[slug] = {k: LanguageStatus.from_data(v) for k, v in coverage.items()}
    return {**entry, "key": plan.keys[slug], "languages": list(plan.languages_of(slug)),
            "language_keys": plan.language_keys[slug], "partial": partial, "coverage": coverage}


def _make_one(job: _Job) -> _Outcome:
    """Load and check one module and, when it has no errors, build it (a worker)."""
    with keeping_parses():  # the lessons parsed to load them are not parsed again to render
        # also checks the folder name is a valid slug
        result = load_module(job.folder, rules=job.config.accreditation)
        if result.module is None or result.errors:
            return _Outcome(result.diagnostics)
        try:
            localized, fallbacks, states = i18n.localize_ready(
                job.config, result.module, job.languages, job.allow_partial)
            entry = _build_one(job, result.module, localized)
            entry["coverage_now"] = {state.language: state.data() for state in states}
            media = build_warnings(result.module, [loc.language for loc in localized],
                                   job.config.build)
            return _Outcome([*result.diagnostics, *fallbacks, *media], entry)
        except MircoError as err:
            return _Outcome(result.diagnostics, error=err)


def _job(plan: Plan, slug: str, ui: dict[str, UiTranslations], temp_dir: Path) -> _Job:
    config = plan.config
    languages = plan.stale_languages[slug]
    return _Job(
        folder=plan.folders[slug],
        config=config,
        languages=languages,
        ui={lang: ui[lang] for lang in languages},
        allow_partial=plan.allow_partial,
        formats=plan.formats,
        temp_dir=temp_dir,
        templates_dir=config.templates_dir if config.templates_dir.is_dir() else None,
        render=plan.render,
        info=DescriptorInfo.from_config(config),
    )


_THEMES: dict[Path | None, Theme] = {}


def _build_one(job: _Job, source: Module, translated: Sequence[Localization]) -> dict[str, Any]:
    """Render each translation of ``source`` and package it in every format."""
    theme = _THEMES.get(job.templates_dir)
    if theme is None:
        theme = _THEMES[job.templates_dir] = Theme.for_project(job.templates_dir)
    outputs: dict[str, Any] = {}
    for translation in translated:
        language = translation.language
        localized = LocalizedModule(translation.module, language, job.ui[language])
        pages = render_pages(localized, theme)  # the same pages in every format
        counts = {"pages": len(pages), "questions": sum(len(p.questions) for p in pages)}
        built = ModuleSource(localized, theme, job.render, pages, job.info, job.temp_dir)
        for name in dict.fromkeys((*job.formats, *registry.implicit())):
            fmt = registry.module_format(name)
            output = fmt.build(built)
            _check(fmt, job.temp_dir / output.name)
            outputs[f"{language}/{name}"] = {**output.cache_entry(job.temp_dir), **counts}
    partial = {r.language: r.coverage.percent for r in translated if r.fallbacks}
    return {"version": source.version, "languages": list(job.languages), "outputs": outputs,
            "partial_now": partial}


def _publish(plan: Plan, temp_dir: Path, entries: dict[str, Any]) -> None:
    """Move every new output into the output folder, then write the cache (atomically)."""
    cache = {"schema": CACHE_SCHEMA, "mirco": __version__,
             "modules": {**plan.cache, **entries}}
    _write(temp_dir / CACHE_FILE, (json.dumps(cache, indent=1, sort_keys=True) + "\n").encode())
    new = [  # outputs of the languages rebuilt now (the others are already in place)
        output for entry in entries.values() for out in entry["outputs"].values()
        if (temp_dir / (output := Output.from_cache(out)).name).exists()
    ]
    try:
        for output in (*new, Output(CACHE_FILE)):
            _publish_output(output, temp_dir, plan.out_dir)
    except OSError as exc:
        raise BuildError(
            f"cannot move the new packages into place: {exc.strerror or exc}",
            location=Location(file=plan.out_dir),
            hint="check that the output folder is writable, then build again",
        ) from exc


def _rows(
    plan: Plan, slug: str, entry: dict[str, Any], rebuilt: Sequence[str]
) -> list[BuildRow]:
    rows = []
    for language in plan.languages_of(slug):
        status = "built" if language in rebuilt else "skipped"
        for fmt in plan.formats:
            out = entry["outputs"][f"{language}/{fmt}"]
            rows.append(BuildRow(slug, entry["version"], language, fmt,
                                 plan.out_dir / Output.from_cache(out).name, out["size"],
                                 out["pages"],
                                 out["questions"], status))
    return rows
