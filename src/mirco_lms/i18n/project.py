"""The translation workflow of a course project: extract, update, status.

``extract`` writes one template per module (``translations/templates/<slug>.pot``);
``update`` extracts, then merges each template into
``translations/<lang>/LC_MESSAGES/<slug>.po`` for every language that needs a catalog;
``status`` measures how much of each module is translated into each language.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_modules
from mirco_lms.course.model import Module
from mirco_lms.errors import ConfigError, Location, TranslationError
from mirco_lms.i18n import locales
from mirco_lms.i18n.catalog import (
    UI_DOMAIN,
    Coverage,
    Message,
    merge,
    po_path,
    pot_path,
    read_po,
    save_if_changed,
    template,
)
from mirco_lms.i18n.localize import localize_from
from mirco_lms.i18n.walker import Source, walk

log = logging.getLogger(__name__)


def messages(module: Module, root: Path | None = None) -> list[Message]:
    """Every translatable segment of ``module`` as a message (duplicates merged)."""
    found: dict[tuple[str | None, str], list[Source]] = {}

    def record(src: Source) -> str:
        found.setdefault((src.context, src.text), []).append(src)
        return src.text

    walk(module, record)
    out = []
    for (context, text), sources in found.items():
        occurrences = tuple(dict.fromkeys(_occurrence(s.location, root) for s in sources))
        comments = tuple(dict.fromkeys(s.comment for s in sources))
        out.append(Message(text, context, occurrences, comments))
    return out


def _occurrence(location: Location, root: Path | None) -> tuple[str, str]:
    path = Path(location.file) if location.file is not None else Path("?")
    if root is not None:
        try:
            path = path.resolve().relative_to(root.resolve())
        except ValueError:
            pass
    return path.as_posix(), str(location.line or "")


def _modules(config: ProjectConfig, slugs: Sequence[str]) -> list[Module]:
    out = []
    for result in load_modules(config.modules_dir, slugs or None, check=False):
        module = result.require()
        if module.slug == UI_DOMAIN:
            raise TranslationError(
                f"a module may not be named {UI_DOMAIN!r}: that catalog name holds UI strings",
                location=Location(module.root), hint="rename the module folder",
            )
        out.append(module)
    return out


def extract(config: ProjectConfig, slugs: Sequence[str] = ()) -> list[tuple[Path, bool, int]]:
    """Write the template of each module: (path, changed, number of messages)."""
    written = []
    for module in _modules(config, slugs):
        pot = template(messages(module, config.root), f"{module.id} {module.version}")
        path = pot_path(config.translations_dir, module.slug)
        written.append((path, save_if_changed(pot, path), len(pot)))
    return written


def catalog_languages(config: ProjectConfig, module: Module,
                      languages: Sequence[str] | None) -> list[str]:
    """Languages of ``module`` that translators keep a catalog for.

    The source language needs none; ``sr-Cyrl`` is made from ``sr-Latn`` unless asked
    for by name or its catalog already exists.
    """
    wanted = list(languages) if languages else list(config.i18n.languages)
    out = []
    for language in wanted:
        if language == module.language:
            continue
        base = locales.TRANSLITERATED_FROM.get(language)
        exists = po_path(config.translations_dir, language, module.slug).is_file()
        if base is not None and not languages and not exists:
            if base != module.language and base not in out:
                out.append(base)
            continue
        if language not in out:
            out.append(language)
    return out


@dataclass(frozen=True)
class Updated:
    path: Path
    language: str
    changed: bool
    coverage: Coverage


def update(
    config: ProjectConfig, slugs: Sequence[str] = (), languages: Sequence[str] | None = None
) -> list[Updated]:
    """Extract, then merge every template into its catalogs (created when missing)."""
    for language in languages or ():
        check_language(language)
    extract(config, slugs)
    out = []
    for module in _modules(config, slugs):
        pot = read_po(pot_path(config.translations_dir, module.slug))
        for language in catalog_languages(config, module, languages):
            path = po_path(config.translations_dir, language, module.slug)
            old = read_po(path) if path.is_file() else None
            merged = merge(pot, old, language)
            changed = save_if_changed(merged, path)
            coverage = localize_from(config.translations_dir, module, language).coverage
            out.append(Updated(path, language, changed, coverage))
    return out


@dataclass(frozen=True)
class StatusRow:
    module: str
    language: str
    coverage: Coverage
    threshold: int

    @property
    def ok(self) -> bool:
        return self.coverage.percent >= self.threshold

    def data(self) -> dict[str, object]:
        c = self.coverage
        return {"module": self.module, "language": self.language, "total": c.total,
                "translated": c.translated, "fuzzy": c.fuzzy, "missing": c.missing,
                "percent": round(c.percent, 1), "threshold": self.threshold, "ok": self.ok}


def status(
    config: ProjectConfig, slugs: Sequence[str] = (), languages: Sequence[str] | None = None
) -> list[StatusRow]:
    """Coverage of every module in every language (configured, or ``languages``)."""
    wanted = list(languages) if languages else list(config.i18n.languages)
    for language in wanted:
        check_language(language)
    rows = []
    for module in _modules(config, slugs):
        for language in wanted:
            result = localize_from(config.translations_dir, module, language)
            rows.append(StatusRow(module.slug, language, result.coverage,
                                  config.i18n.coverage_threshold))
    return rows


def check_language(code: str, where: Location | None = None) -> None:
    problem = locales.language_problem(code)
    if problem is not None:
        raise ConfigError(problem, location=where, hint=locales.supported_hint())
