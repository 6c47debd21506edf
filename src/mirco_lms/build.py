"""The build pipeline: module sources → localized, validated packages in the output folder.

Stages, for the selected modules:

1. **Fingerprint** every module (its source files, the theme, the runtime, the relevant
   mirco.toml settings, mirco itself). A module whose fingerprint matches the cache
   (``<out>/.mirco-build.json``) and whose outputs are all there is skipped.
2. **Load and check** every module left. Any error stops the build before anything
   is written; all problems of all modules are reported at once.
3. **Render and package** each module, per language and format, into a temporary folder
   inside the output folder, validating every package.
4. **Publish**: only when everything succeeded are the files moved into place and the
   cache updated. A failed build leaves the output folder exactly as it was.

Modules are loaded, rendered and packaged in parallel (one process per core) when
there are several. The output is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from mirco_lms import __version__
from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import discover_modules, load_module
from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError, Diagnostic, DiagnosticsError, Location, PackageInvalid
from mirco_lms.i18n import pipeline as i18n
from mirco_lms.i18n.ui import UiTranslations
from mirco_lms.package import FORMATS, validate_package
from mirco_lms.render import LocalizedModule, RenderOptions, Theme, render_package
from mirco_lms.render.assemble import RUNTIME_DIR, RUNTIME_FILES
from mirco_lms.render.descriptor import DescriptorInfo, render_descriptor
from mirco_lms.render.theme import digest_files

log = logging.getLogger(__name__)

CACHE_FILE = ".mirco-build.json"
CACHE_SCHEMA = 2
TEMP_PREFIX = ".mirco-tmp-"
DESCRIPTOR = "descriptor"
"""The format key of course descriptors in the cache."""
_CODE_DIRS = ("course", "render", "package", "i18n")
"""Parts of mirco whose code changes what a build produces (hashed into fingerprints)."""

T = TypeVar("T")
R = TypeVar("R")


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
    """Build languages under the coverage threshold, untranslated segments in the source
    language (listed as warnings)."""


@dataclass(frozen=True)
class BuildRow:
    """One package of the build."""

    module: str
    """The module's slug."""
    version: str
    language: str
    format: str
    path: Path
    size: int
    pages: int
    questions: int
    status: str
    """``built`` or ``skipped`` (up to date)."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did: one row per package, the descriptors, and any warnings."""

    out_dir: Path
    rows: tuple[BuildRow, ...]
    descriptors: tuple[Path, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0

    @property
    def built(self) -> tuple[BuildRow, ...]:
        return tuple(r for r in self.rows if r.status == "built")

    @property
    def skipped(self) -> tuple[BuildRow, ...]:
        return tuple(r for r in self.rows if r.status == "skipped")


@dataclass(frozen=True)
class BuildProgress:
    """A progress event: ``stage`` (``check`` or ``build``) of one module done."""

    stage: str
    module: str
    done: int
    total: int


ProgressCallback = Callable[[BuildProgress], None]


@dataclass(frozen=True)
class _Job:
    """Everything a worker process needs to render and package one module."""

    module: Module
    languages: tuple[str, ...]
    """The languages to (re)build, each with its translated module and UI strings."""
    localized: tuple[tuple[str, Module, UiTranslations], ...]
    formats: tuple[str, ...]
    temp_dir: Path
    templates_dir: Path | None
    render: RenderOptions
    info: DescriptorInfo


@dataclass
class _Plan:
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
    stale: list[str] = field(default_factory=list)
    stale_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per stale module, the languages whose packages must be (re)built."""
    partial: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per rebuilt module, the coverage (percent) of languages built with fallbacks."""


# --- the public entry point ---------------------------------------------------------------


def build(
    config: ProjectConfig,
    options: BuildOptions = BuildOptions(),
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build the packages of ``config``'s project; see the module docstring for stages."""
    started = time.perf_counter()
    plan = _plan(config, options)
    workers = _workers(options.jobs, len(plan.stale))
    with _pool(workers) as pool:
        modules, warnings = _load(plan, pool, progress)
        if plan.stale:
            localized, fallbacks = _localize(plan, modules)
            warnings.extend(fallbacks)
            plan.cache.update(_produce(plan, modules, localized, pool, progress))
        else:
            _refuse_cached_partial(plan)
    rows: list[BuildRow] = []
    descriptors: list[Path] = []
    for slug in plan.folders:
        entry = plan.cache[slug]
        rows.extend(_rows(plan, slug, entry, plan.stale_languages.get(slug, ())))
        descriptors.extend(
            plan.out_dir / entry["outputs"][f"{lang}/{DESCRIPTOR}"]["file"]
            for lang in plan.languages
        )
    seconds = time.perf_counter() - started
    log.info("build: %d built, %d up to date, %.2f s", len(plan.stale),
             len(plan.folders) - len(plan.stale), seconds)
    return BuildReport(plan.out_dir, tuple(rows), tuple(descriptors), tuple(warnings), seconds)


# --- stage 1: plan and fingerprints --------------------------------------------------------


def _plan(config: ProjectConfig, options: BuildOptions) -> _Plan:
    formats = _formats(config, options)
    out_dir = Path(options.out_dir) if options.out_dir is not None else config.out_dir
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    folders = _select(config, options.slugs)
    sco_per_lesson = (
        config.build.sco_per_lesson if options.sco_per_lesson is None else options.sco_per_lesson
    )
    render = RenderOptions.for_project(config, sco_per_lesson)
    languages = i18n.build_languages(config, options.languages)
    common = _common_fingerprint(config, render)
    keys = {slug: _digest(common, _folder_digest(folder)) for slug, folder in folders.items()}
    cache = _read_cache(out_dir)
    plan = _Plan(config, out_dir, formats, render, folders, keys, cache, languages,
                 allow_partial=options.allow_partial)
    plan.language_keys = {slug: _language_keys(config, slug, languages) for slug in folders}
    for slug in folders:
        todo = languages if options.force else _stale_languages(plan, slug)
        if todo:
            plan.stale.append(slug)
            plan.stale_languages[slug] = todo
    return plan


def _language_keys(config: ProjectConfig, slug: str, languages: Sequence[str]) -> dict[str, str]:
    """Per language, a hash of the content and UI catalogs that language is built from."""
    root = config.translations_dir
    return {
        lang: _digest(lang, digest_files(i18n.content_files(root, slug, lang)),
                      digest_files(i18n.ui_files(root, lang)))
        for lang in languages
    }


def _formats(config: ProjectConfig, options: BuildOptions) -> tuple[str, ...]:
    formats = options.formats if options.formats else config.build.formats
    for fmt in formats:
        if fmt not in FORMATS:
            raise BuildError(
                f"the package format {fmt!r} is not available",
                location=Location(file=config.root / "mirco.toml"),
                hint=f"available formats: {', '.join(sorted(FORMATS))}",
            )
    return tuple(dict.fromkeys(formats))


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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _folder_digest(folder: Path) -> str:
    """Hash of every file in a module folder (names and contents)."""
    files = sorted(
        (p.relative_to(folder).as_posix(), p) for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    return digest_files(files)


def _common_fingerprint(config: ProjectConfig, render: RenderOptions) -> str:
    """What every module's output depends on besides its own sources."""
    theme = Theme.for_project(config.templates_dir)
    runtime = [(name, RUNTIME_DIR / name) for name in RUNTIME_FILES]
    code_root = Path(__file__).resolve().parent
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


def _read_cache(out_dir: Path) -> dict[str, Any]:
    """The cache's module entries; an unreadable or foreign cache counts as empty."""
    path = out_dir / CACHE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring the build cache %s: %s", path, exc)
        return {}
    if not isinstance(data, dict) or data.get("schema") != CACHE_SCHEMA:
        return {}
    modules = data.get("modules")
    return modules if isinstance(modules, dict) else {}


def _wanted(plan: _Plan, languages: Sequence[str]) -> list[str]:
    """Cache output keys (``lang/format``) a module in ``languages`` must have."""
    return [f"{lang}/{fmt}" for lang in languages for fmt in (*plan.formats, DESCRIPTOR)]


def _stale_languages(plan: _Plan, slug: str) -> tuple[str, ...]:
    """The languages of ``slug`` whose packages are missing or out of date."""
    entry = plan.cache.get(slug)
    if not isinstance(entry, dict) or entry.get("key") != plan.keys[slug]:
        return plan.languages
    known = entry.get("language_keys", {})
    return tuple(
        lang for lang in plan.languages
        if not isinstance(known, dict) or known.get(lang) != plan.language_keys[slug][lang]
        or not _outputs_exist(plan, entry, lang)
    )


def _outputs_exist(plan: _Plan, entry: dict[str, Any], language: str) -> bool:
    outputs = entry.get("outputs", {})
    for key in _wanted(plan, [language]):
        out = outputs.get(key) if isinstance(outputs, dict) else None
        if not isinstance(out, dict):
            return False
        path = plan.out_dir / str(out.get("file", ""))
        try:
            if not path.is_file() or path.stat().st_size != out.get("size"):
                return False
        except OSError:
            return False
    return True


# --- stage 2: load and check ------------------------------------------------------------------


def _load(
    plan: _Plan, pool: Executor | None, progress: ProgressCallback | None
) -> tuple[dict[str, Module], list[Diagnostic]]:
    """Load and check the stale modules; every error of every module in one DiagnosticsError."""
    folders = [plan.folders[slug] for slug in plan.stale]
    results = _map(_load_one, folders, pool, "check", progress)
    modules: dict[str, Module] = {}
    problems: list[Diagnostic] = []
    for slug, (module, diagnostics) in zip(plan.stale, results, strict=True):
        problems.extend(diagnostics)
        if module is not None:
            modules[slug] = module
    errors = [d for d in problems if d.severity == "error"]
    if errors or len(modules) != len(folders):
        raise DiagnosticsError(problems or [Diagnostic("a module could not be loaded")])
    return modules, [d for d in problems if d.severity != "error"]


def _load_one(folder: Path) -> tuple[Module | None, list[Diagnostic]]:
    result = load_module(folder)  # also checks the folder name is a valid slug
    return result.module, result.diagnostics


# --- stage 2b: translate ------------------------------------------------------------------------


_Localized = dict[str, tuple[tuple[str, Module, UiTranslations], ...]]


def _localize(plan: _Plan, modules: dict[str, Module]) -> tuple[_Localized, list[Diagnostic]]:
    """Every stale module in each of its stale languages; translation errors stop here."""
    ui = i18n.ui_catalogs(plan.config, plan.languages)
    out: _Localized = {}
    warnings: list[Diagnostic] = []
    for slug in plan.stale:
        results, fallbacks = i18n.localize_for_build(
            plan.config, modules[slug], plan.stale_languages[slug], plan.allow_partial)
        warnings.extend(fallbacks)
        out[slug] = tuple((r.language, r.module, ui[r.language]) for r in results)
        plan.partial[slug] = {r.language: r.coverage.percent for r in results if r.fallbacks}
    _refuse_cached_partial(plan)
    return out, warnings


def _refuse_cached_partial(plan: _Plan) -> None:
    """Up-to-date packages built from a partial translation need --allow-partial too."""
    if plan.allow_partial:
        return
    for slug in plan.folders:
        entry = plan.cache.get(slug)
        partial = entry.get("partial", {}) if isinstance(entry, dict) else {}
        for lang in plan.languages:
            if lang in plan.stale_languages.get(slug, ()) or not isinstance(partial, dict):
                continue
            error = i18n.below_threshold(plan.config, slug, lang, partial.get(lang))
            if error is not None:
                raise error


# --- stage 3 and 4: produce, then publish -----------------------------------------------------


def _produce(
    plan: _Plan, modules: dict[str, Module], localized: _Localized, pool: Executor | None,
    progress: ProgressCallback | None,
) -> dict[str, Any]:
    """Render and package every stale module into a temporary folder, then publish it all."""
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
        jobs = [_job(plan, modules[slug], localized[slug], temp_dir) for slug in plan.stale]
        entries = dict(zip(plan.stale, _map(_build_one, jobs, pool, "build", progress),
                           strict=True))
        for slug, entry in entries.items():
            _complete_entry(plan, slug, entry)
        _publish(plan, temp_dir, entries)
        return entries
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)
        if not existed and not any(plan.out_dir.iterdir()):
            plan.out_dir.rmdir()


def _complete_entry(plan: _Plan, slug: str, entry: dict[str, Any]) -> None:
    """Add the outputs of the languages that were up to date, keys and coverage."""
    old = plan.cache.get(slug)
    same_sources = isinstance(old, dict) and old.get("key") == plan.keys[slug]
    rebuilt = set(entry["languages"])
    partial = dict(old.get("partial", {})) if same_sources and isinstance(old, dict) else {}
    partial = {k: v for k, v in partial.items() if k not in rebuilt}
    partial.update(plan.partial.get(slug, {}))
    if same_sources and isinstance(old, dict):
        for key, out in old.get("outputs", {}).items():
            if key.split("/", 1)[0] in plan.languages and key.split("/", 1)[0] not in rebuilt:
                entry["outputs"][key] = out
    entry["key"] = plan.keys[slug]
    entry["languages"] = list(plan.languages)
    entry["language_keys"] = plan.language_keys[slug]
    entry["partial"] = partial


def _sweep(out_dir: Path) -> None:
    """Remove temporary folders left by builds that were killed (their process is gone)."""
    for folder in out_dir.glob(f"{TEMP_PREFIX}*"):
        pid = folder.name[len(TEMP_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            log.info("removing %s, left by an interrupted build", folder)
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # the process exists but belongs to someone else


def _job(
    plan: _Plan, module: Module, localized: tuple[tuple[str, Module, UiTranslations], ...],
    temp_dir: Path,
) -> _Job:
    config = plan.config
    return _Job(
        module=module,
        languages=plan.stale_languages[module.slug],
        localized=localized,
        formats=plan.formats,
        temp_dir=temp_dir,
        templates_dir=config.templates_dir if config.templates_dir.is_dir() else None,
        render=plan.render,
        info=DescriptorInfo(config.organization, config.institution, config.country, config.name),
    )


_THEMES: dict[Path | None, Theme] = {}


def _build_one(job: _Job) -> dict[str, Any]:
    """Render ``job.module`` once per language and package it in every format (a worker)."""
    theme = _THEMES.get(job.templates_dir)
    if theme is None:
        theme = _THEMES[job.templates_dir] = Theme.for_project(job.templates_dir)
    outputs: dict[str, Any] = {}
    for language, module, translations in job.localized:
        localized = LocalizedModule(module, language, translations)
        for fmt in job.formats:
            # the pages name their package's SCORM version: rendered once per format
            rendered = render_package(localized, theme, replace(job.render, package_format=fmt))
            counts = {"pages": rendered.pages, "questions": rendered.questions}
            result = FORMATS[fmt](rendered.spec, job.temp_dir)
            _check_package(result.path)
            outputs[f"{language}/{fmt}"] = {"file": result.path.name, "size": result.size,
                                            **counts}
        name = f"{module.slug}-{module.version}-{language}-descriptor.html"
        data = render_descriptor(localized, theme, job.info).encode("utf-8")
        _write(job.temp_dir / name, data)
        outputs[f"{language}/{DESCRIPTOR}"] = {"file": name, "size": len(data), **counts}
    return {"version": job.module.version, "languages": list(job.languages),
            "outputs": outputs}


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise BuildError(
            f"cannot write {path.name}: {exc.strerror or exc}", location=Location(file=path),
            hint="check free disk space and that the output folder is writable",
        ) from exc


def _check_package(path: Path) -> None:
    errors = [d for d in validate_package(path) if d.severity == "error"]
    if errors:
        raise PackageInvalid(
            f"the built package {path.name} is invalid: {errors[0].message}",
            location=errors[0].location,
            hint="this is a bug in mirco or in a theme override; please report it",
        )


def _publish(plan: _Plan, temp_dir: Path, entries: dict[str, Any]) -> None:
    """Move every new file into the output folder, then write the cache (atomically)."""
    cache = {"schema": CACHE_SCHEMA, "mirco": __version__,
             "modules": {**plan.cache, **entries}}
    _write(temp_dir / CACHE_FILE, (json.dumps(cache, indent=1, sort_keys=True) + "\n").encode())
    names = [
        out["file"] for entry in entries.values()
        for key, out in entry["outputs"].items() if (temp_dir / out["file"]).is_file()
    ]
    try:
        for name in (*names, CACHE_FILE):
            os.replace(temp_dir / name, plan.out_dir / name)
    except OSError as exc:
        raise BuildError(
            f"cannot move the new packages into place: {exc.strerror or exc}",
            location=Location(file=plan.out_dir),
            hint="check that the output folder is writable, then build again",
        ) from exc


def _rows(
    plan: _Plan, slug: str, entry: dict[str, Any], rebuilt: Sequence[str]
) -> list[BuildRow]:
    rows = []
    for language in plan.languages:
        status = "built" if language in rebuilt else "skipped"
        for fmt in plan.formats:
            out = entry["outputs"][f"{language}/{fmt}"]
            rows.append(BuildRow(slug, entry["version"], language, fmt,
                                 plan.out_dir / out["file"], out["size"], out["pages"],
                                 out["questions"], status))
    return rows


# --- parallelism --------------------------------------------------------------------------------


@contextmanager
def _pool(workers: int) -> Iterator[Executor | None]:
    """A process pool of ``workers`` processes, or None when one process is enough."""
    if workers < 2:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def _workers(requested: int | None, tasks: int) -> int:
    """Worker processes for ``tasks`` modules: ``jobs``, else ``MIRCO_JOBS``, else the cores."""
    if requested is None:
        env = os.environ.get("MIRCO_JOBS", "").strip()
        requested = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(requested, tasks))


def _name(item: object) -> str:
    if isinstance(item, Path):
        return item.name
    module = getattr(item, "module", None)
    return str(getattr(module, "slug", ""))


def _map(
    func: Callable[[T], R], items: Sequence[T], pool: Executor | None, stage: str,
    progress: ProgressCallback | None,
) -> list[R]:
    """``[func(i) for i in items]``, in ``pool`` when given, reporting progress as each ends."""
    if pool is None or len(items) < 2:
        results: list[R] = []
        for done, item in enumerate(items, start=1):
            results.append(func(item))
            if progress:
                progress(BuildProgress(stage, _name(item), done, len(items)))
        return results
    futures = {pool.submit(func, item): index for index, item in enumerate(items)}
    slots: list[Any] = [None] * len(items)
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            slots[index] = future.result()
            if progress:
                progress(BuildProgress(stage, _name(items[index]), done, len(items)))
    except BaseException:
        for future in futures:
            future.cancel()
        wait(futures)  # let running workers finish before their temporary files are removed
        raise
    return slots
