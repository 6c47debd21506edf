"""Which languages of a module are ready to build: one rule for validate, build and serve.

A module always builds in its source language (and in a language made from it by
transliteration). Any other language builds when its coverage reaches the project's
``coverage_threshold``; below it, the language is *withheld* — reported as partial (some
segments translated) or untranslated (none) — unless partial builds are allowed
(``--allow-partial``), when untranslated segments fall back to the source language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirco_lms.config import ProjectConfig
from mirco_lms.course.model import Module
from mirco_lms.errors import Diagnostic, Location, MircoError
from mirco_lms.i18n import locales
from mirco_lms.i18n.catalog import format_percent, po_path
from mirco_lms.i18n.localize import Localization, localize_from


@dataclass(frozen=True)
class LanguageStatus:
    """How far one module is translated into one language, against the threshold."""

    module: str
    """The module's slug."""
    language: str
    source: str
    """The module's source language (what untranslated segments fall back to)."""
    percent: float
    """Segments translated, in % (100 for the source language)."""
    threshold: int
    missing: int = 0
    fuzzy: int = 0
    total: int = 0

    @property
    def state(self) -> str:
        """``complete``, ``partial`` (under the threshold) or ``untranslated`` (nothing)."""
        if self.percent >= self.threshold:
            return "complete"
        return "untranslated" if self.percent == 0 else "partial"

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    def builds(self, allow_partial: bool) -> bool:
        """The rule: complete languages build; the others only with ``allow_partial``."""
        return allow_partial or self.state == "complete"

    def data(self) -> dict[str, Any]:
        return {"module": self.module, "language": self.language, "source": self.source,
                "state": self.state,
                "percent": self.percent, "threshold": self.threshold,
                "missing": self.missing, "fuzzy": self.fuzzy, "total": self.total}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> LanguageStatus:
        return cls(str(data["module"]), str(data["language"]), str(data["source"]),
                   float(data["percent"]),
                   int(data["threshold"]), int(data.get("missing", 0)),
                   int(data.get("fuzzy", 0)), int(data.get("total", 0)))


def language_status(config: ProjectConfig, module: Module, language: str) -> LanguageStatus:
    """The translation state of ``module`` in ``language`` (read from its catalogs)."""
    return status_of(config, module, localize_from(config.translations_dir, module, language))


def withheld_warning(config: ProjectConfig, status: LanguageStatus) -> Diagnostic:
    """The warning for a language that is not built (same words in validate and build)."""
    path = po_path(config.translations_dir, status.language, status.module)
    where = path if path.is_file() else config.translations_dir
    detail = (f"{status.missing} missing, {status.fuzzy} fuzzy of {status.total} segments"
              if status.total else "no catalog yet")
    base = locales.TRANSLITERATED_FROM.get(status.language, status.language)
    made = f" ({status.language} is made from {base})" if base != status.language else ""
    return Diagnostic(
        f"{status.module} [{status.language}] is {status.state} ({status.percent_text} "
        f"translated, {detail}; the coverage threshold is {status.threshold} %): "
        f"it is not built in {status.language}",
        Location(where),
        f"mirco i18n update --lang {base} {status.module} "
        f"{'refreshes' if path.is_file() else 'makes'} its catalog{made}; "
        f"translate it, or build with --allow-partial to show untranslated segments in "
        f"{status.source}",
        "warning",
    )


def module_statuses(
    config: ProjectConfig, module: Module, languages: Sequence[str]
) -> list[LanguageStatus]:
    """The state of ``module`` in each of ``languages``."""
    return [language_status(config, module, language) for language in languages]


def status_of(config: ProjectConfig, module: Module, localized: Localization) -> LanguageStatus:
    """The state of ``module`` in the language of ``localized`` (already translated)."""
    c = localized.coverage
    return LanguageStatus(module.slug, localized.language, module.language, c.percent,
                          config.i18n.coverage_threshold, c.missing, c.fuzzy, c.total)


def project_warnings(config: ProjectConfig, modules_dir: Path | None = None) -> list[Diagnostic]:
    """What ``mirco validate`` says of a project's translations: one warning per
    module and configured language that ``mirco build`` would withhold."""
    from mirco_lms.course.loader import load_modules

    out: list[Diagnostic] = []
    for result in load_modules(modules_dir or config.modules_dir, check=False):
        module = result.module
        if module is None or result.errors:
            continue  # its source problems are reported by the source checks
        try:
            statuses = module_statuses(config, module, config.i18n.languages)
        except MircoError as err:  # a broken catalog: the same error the build reports
            out.extend(err.as_diagnostics())
            continue
        out.extend(withheld_warning(config, s) for s in statuses if not s.builds(False))
    return out


def cached_statuses(
    config: ProjectConfig, folders: Mapping[str, Path], languages: Sequence[str],
    cache: Mapping[str, Any], keys: Mapping[str, str],
    language_keys: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, LanguageStatus]]:
    """Per module folder, the states of ``languages`` the build cache recorded for the
    same sources, catalogs and threshold (the others are measured as modules are built)."""
    out: dict[str, dict[str, LanguageStatus]] = {}
    for slug in folders:
        entry = cache.get(slug)
        states: dict[str, LanguageStatus] = {}
        if isinstance(entry, dict) and entry.get("key") == keys[slug]:
            old_keys, coverage = entry.get("language_keys"), entry.get("coverage")
            if isinstance(old_keys, dict) and isinstance(coverage, dict):
                for lang in languages:
                    data = coverage.get(lang)
                    if old_keys.get(lang) != language_keys[slug][lang] or not data:
                        continue
                    try:
                        state = LanguageStatus.from_data(data)
                    except (KeyError, TypeError, ValueError, AttributeError):
                        continue
                    if state.threshold == config.i18n.coverage_threshold:
                        states[lang] = state
        out[slug] = states
    return out
