"""The catalogue, read for the e-library: every module in every language it is built in,
rendered with the theme into the same pages the packages show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.course.markdown import keeping_parses
from mirco_lms.errors import DiagnosticsError
from mirco_lms.i18n import pipeline as i18n
from mirco_lms.i18n.ui import UiTranslations
from mirco_lms.render import LocalizedModule, Theme
from mirco_lms.render.descriptor import DescriptorInfo, render_descriptor
from mirco_lms.render.pages import Page, render_pages


@dataclass(frozen=True)
class SiteModule:
    """One module in one language, rendered."""

    slug: str
    folder: Path
    localized: LocalizedModule
    pages: tuple[Page, ...]
    """The overview and the lessons, in reading order (tests are left to the packages)."""
    descriptor: str
    """The course descriptor page (HTML)."""
    lesson_files: Mapping[str, str]
    """A lesson's source file name (``02-x.md``) → its page in the site (``lesson-x.html``)."""


def page_file(page: Page) -> str:
    """The page's file in the module's folder of the site."""
    return "index.html" if page.kind == "overview" else f"{page.id}.html"


def collect(config: ProjectConfig, languages: Sequence[str], folders: Mapping[str, Path],
            allow_partial: bool, theme: Theme) -> dict[str, list[SiteModule]]:
    """Every module of ``folders`` rendered in each of ``languages`` it is built in."""
    ui = i18n.ui_catalogs(config, languages)
    info = DescriptorInfo(config.organization, config.institution, config.country, config.name)
    by_language: dict[str, list[SiteModule]] = {lang: [] for lang in languages}
    for slug, folder in sorted(folders.items()):
        with keeping_parses():  # a lesson parsed to load it is not parsed again to render
            rendered = _module(config, slug, folder, languages, allow_partial,
                                         theme, ui, info)
        for language, module in rendered:
            by_language[language].append(module)
    return by_language


def _module(config: ProjectConfig, slug: str, folder: Path, languages: Sequence[str],
            allow_partial: bool, theme: Theme, ui: Mapping[str, UiTranslations],
            info: DescriptorInfo) -> list[tuple[str, SiteModule]]:
    """``slug`` rendered in each language it is built in."""
    out: list[tuple[str, SiteModule]] = []
    result = load_module(folder)
    if result.module is None or result.errors:
        raise DiagnosticsError(result.diagnostics)
    translations, _, _ = i18n.localize_ready(config, result.module, languages, allow_partial)
    for translation in translations:
        localized = LocalizedModule(translation.module, translation.language,
                                    ui[translation.language])
        pages = tuple(p for p in render_pages(localized, theme)
                      if p.kind in {"overview", "lesson"})
        lessons = {lesson.source.name: f"lesson-{lesson.id}.html"
                   for lesson in translation.module.lessons if lesson.source is not None}
        out.append((translation.language, SiteModule(
            slug, folder, localized, pages, render_descriptor(localized, theme, info),
            lessons)))
    return out
