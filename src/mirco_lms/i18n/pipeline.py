"""What the build asks of i18n: languages, catalog fingerprints, localized modules.

:func:`localize_for_build` turns a loaded module into one :class:`Localization` per
language, refusing a language whose coverage is under the project's threshold unless
partial builds are allowed (then untranslated segments fall back to the source
language and are reported as warnings: how many, and where); :func:`localize_ready`
leaves such a language out instead and says how far each language is translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mirco_lms.config import ProjectConfig
from mirco_lms.course.model import Module
from mirco_lms.errors import BuildError, ConfigError, Diagnostic, Location, TranslationError
from mirco_lms.i18n import locales
from mirco_lms.i18n.catalog import po_path
from mirco_lms.i18n.localize import Localization, localize_from
from mirco_lms.i18n.readiness import LanguageStatus, status_of
from mirco_lms.i18n.ui import UiTranslations, catalog_files, ui_translations

SHOWN_FALLBACKS = 5
"""Untranslated segments listed by name in a warning (the rest are counted)."""


def build_languages(config: ProjectConfig, requested: Sequence[str] | None) -> tuple[str, ...]:
    """The languages to build: ``--lang`` values (checked), else ``[i18n].languages``."""
    if not requested:
        return tuple(config.i18n.languages)
    for code in requested:
        problem = locales.language_problem(code)
        if problem is not None:
            raise ConfigError(f"--lang: {problem}", hint=locales.supported_hint())
    return tuple(dict.fromkeys(requested))


def content_files(translations_dir: Path, slug: str, language: str) -> list[tuple[str, Path]]:
    """The catalogs a module in ``language`` is translated from (for fingerprints)."""
    names = [language]
    base = locales.TRANSLITERATED_FROM.get(language)
    if base is not None:
        names.append(base)
    out = []
    for name in names:
        path = po_path(translations_dir, name, slug)
        if path.is_file():
            out.append((f"{name}/{slug}.po", path))
    return out


def ui_files(translations_dir: Path, language: str) -> list[tuple[str, Path]]:
    """The UI catalogs of ``language`` (shipped and the project's overrides)."""
    return [(f"{index}:{path.parent.parent.name}/{path.name}", path)
            for index, path in enumerate(catalog_files(language, translations_dir))]


def ui_catalogs(config: ProjectConfig, languages: Sequence[str]) -> dict[str, UiTranslations]:
    """The checked UI translations of every language (errors before anything is built)."""
    return {lang: ui_translations(lang, config.translations_dir) for lang in languages}


def localize_for_build(
    config: ProjectConfig, module: Module, languages: Sequence[str], allow_partial: bool
) -> tuple[list[Localization], list[Diagnostic]]:
    """``module`` in each language, and a warning per language that falls back."""
    out: list[Localization] = []
    warnings: list[Diagnostic] = []
    threshold = config.i18n.coverage_threshold
    for language in languages:
        result = localize_from(config.translations_dir, module, language)
        coverage = result.coverage
        if result.fallbacks and coverage.percent < threshold and not allow_partial:
            raise BuildError(
                f"{module.slug} is {coverage.percent_text} translated into {language} "
                f"({coverage.missing} missing, {coverage.fuzzy} fuzzy of {coverage.total} "
                f"segments); the coverage threshold is {threshold} %",
                location=Location(po_path(config.translations_dir, language, module.slug)),
                hint=f"translate the rest (mirco i18n status shows what is left), build "
                f"with --allow-partial to fall back to {module.language} for untranslated "
                "segments, or leave the language out (--lang)",
            )
        if result.fallbacks:
            warnings.append(_fallback_warning(module, result))
        out.append(result)
    return out, warnings


def translation_diagnostics(config: ProjectConfig, modules: Sequence[Module]) -> list[Diagnostic]:
    """What keeps the modules' translations from building, for ``mirco validate``: a broken
    catalog or a translation breaking a rule (placeholders, options, links and images), at
    its PO line. Coverage is not judged here (``mirco i18n status`` shows it)."""
    out: list[Diagnostic] = []
    for module in modules:
        for language in config.i18n.languages:
            try:
                localize_from(config.translations_dir, module, language)
            except TranslationError as exc:
                out += exc.as_diagnostics()
    return out


def localize_ready(
    config: ProjectConfig, module: Module, languages: Sequence[str], allow_partial: bool
) -> tuple[list[Localization], list[Diagnostic], list[LanguageStatus]]:
    """``module`` in each of ``languages`` that may be built (see :mod:`.readiness`), a
    warning per built language that falls back, and the state of every language."""
    out: list[Localization] = []
    warnings: list[Diagnostic] = []
    states: list[LanguageStatus] = []
    for language in languages:
        result = localize_from(config.translations_dir, module, language)
        state = status_of(config, module, result)
        states.append(state)
        if not state.builds(allow_partial):
            continue
        if result.fallbacks:
            warnings.append(_fallback_warning(module, result))
        out.append(result)
    return out, warnings, states


def _fallback_warning(module: Module, result: Localization) -> Diagnostic:
    count = len(result.fallbacks)
    shown = [f"{f.location} ({f.kind}{', fuzzy' if f.fuzzy else ''})"
             for f in result.fallbacks[:SHOWN_FALLBACKS]]
    more = f" and {count - SHOWN_FALLBACKS} more" if count > SHOWN_FALLBACKS else ""
    return Diagnostic(
        f"{module.slug} [{result.language}]: {count} untranslated "
        f"segment{'s' if count != 1 else ''} shown in {module.language}: "
        + "; ".join(shown) + more,
        Location(module.root),
        "mirco i18n status lists the coverage; mirco i18n update refreshes the catalogs",
        "warning",
    )
