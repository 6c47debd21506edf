"""The cover page: the first page of every package, rendered from the theme's cover.html
in the package's language — artwork with its translated alt text, title, a duration
formatted for the locale, the outcomes, and Start as a plain link; a project's templates/
override it (and add the training centre's look) file by file."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

from mirco_lms.config import ProjectConfig
from mirco_lms.course.loader import load_module
from mirco_lms.i18n.pipeline import localize_for_build
from mirco_lms.i18n.ui import ui_translations
from mirco_lms.render import LocalizedModule, Theme
from mirco_lms.render.assemble import RenderOptions, render_package
from mirco_lms.render.pages import render_pages

REPO = Path(__file__).resolve().parents[2]
SLUG = "migration-human-rights"


def _localized(language: str, minutes: int | None = None) -> LocalizedModule:
    config = ProjectConfig.load(REPO)
    source = load_module(REPO / "modules" / SLUG).require()
    [translation], _ = localize_for_build(config, source, [language], False)
    module = translation.module
    if minutes is not None:
        module = replace(module, duration_minutes=minutes)
    return LocalizedModule(module, language, ui_translations(language, config.translations_dir))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.mark.parametrize(
    ("language", "title", "duration", "heading", "alt"),
    [
        ("en", "Migration and Human Rights", "Duration: 6 h", "What you will learn",
         "Two adults and a child sheltered under a protective arch."),
        ("sr-Latn", "Migracije i ljudska prava", "Trajanje: 6 h", "Šta ćete naučiti",
         "Dve odrasle osobe i dete zaštićeni ispod zaštitnog luka."),
        ("sr-Cyrl", "Миграције и људска права", "Трајање: 6 ч", "Шта ћете научити",
         "Две одрасле особе и дете заштићени испод заштитног лука."),
        ("mk", "Миграција и човекови права", "Времетраење: 6 ч", "Што ќе научите",
         "Двајца возрасни и едно дете заштитени под заштитен свод."),
    ],
)
def test_the_cover_shows_artwork_title_duration_and_outcomes_in_the_language(
    language: str, title: str, duration: str, heading: str, alt: str
) -> None:
    localized = _localized(language)
    cover, overview = render_pages(localized, Theme.for_project(None))[:2]
    assert (cover.id, cover.kind, cover.file_name) == ("cover", "cover", "index.html")
    html = str(cover.html)
    assert html.startswith('<section class="mirco-page mirco-cover" id="page-cover"')
    assert f'<img class="mirco-cover-image" src="images/cover.svg" alt="{alt}">' in html
    assert cover.assets == ("images/cover.svg",)
    text = _text(html)
    assert f"{title} " in text and localized.module.title == title
    assert duration in text and heading in text
    for outcome in localized.module.outcomes:  # the module's own outcomes, translated
        assert f"<li>{outcome.text}</li>" in html.replace("&#39;", "'").replace("&quot;", '"')
    # Start: a plain link to the next page (it works before and without the script)
    start = re.search(r'<a class="mirco-button mirco-primary" href="#page-(\w+)" '
                      r'data-cover="start">([^<]+)</a>', html)
    assert start is not None and start.group(1) == overview.id == "overview"
    assert 'data-cover="resume" hidden>' in html and 'data-cover="where" hidden>' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,200 h 30 min"), ("sr-Latn", "1.200 h 30 min"), ("mk", "1.200 ч 30 мин")],
)
def test_the_duration_is_formatted_by_the_locale(language: str, expected: str) -> None:
    localized = _localized(language, minutes=1200 * 60 + 30)
    html = str(render_pages(localized, Theme.for_project(None))[0].html)
    assert expected in _text(html)


def test_the_cover_is_left_out_of_the_contents_and_opens_the_first_sco() -> None:
    localized = _localized("en")
    rendered = render_package(localized, Theme.for_project(None))
    index = next(f.data for f in rendered.spec.files if f.path == "index.html").decode()
    toc = index.split('<nav class="mirco-toc"', 1)[1].split("</nav>", 1)[0]
    assert 'data-page-link="overview"' in toc and "page-cover" not in toc
    assert index.index('id="page-cover"') < index.index('id="page-overview"')
    multi = render_package(localized, Theme.for_project(None), RenderOptions(sco_per_lesson=True))
    first = multi.spec.scos[0]
    assert first.identifier == f"ITEM-{SLUG}-overview" and first.href == "index.html"
    assert "images/cover.svg" in first.files
    launch = next(f.data for f in multi.spec.files if f.path == "index.html").decode()
    assert 'id="page-cover"' in launch and 'id="page-overview"' in launch
    others = [f.data.decode() for f in multi.spec.files
              if f.path.endswith(".html") and f.path != "index.html"]
    assert others and all('id="page-cover"' not in html for html in others)


def test_a_project_template_overrides_the_cover_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "cover.html").write_text(
        '<section class="mirco-page" id="page-{{ page_id }}" data-page="{{ page_id }}" '
        'data-kind="cover"><h1>Welcome to {{ module.title }}</h1></section>\n')
    html = str(render_pages(_localized("en"), Theme.for_project(tmp_path))[0].html)
    assert "<h1>Welcome to Migration and Human Rights</h1>" in html


def test_the_catalogues_templates_add_the_centres_look_to_every_package() -> None:
    theme = Theme.for_project(REPO / "templates")
    static = dict(theme.static_files())
    assert static["centre.css"] == (REPO / "templates/static/centre.css").resolve()
    assert static["theme.css"].parent.parent.name == "templates"  # mirco's own, kept
    assert theme.find("certificates/certificate.css") == (
        REPO / "templates/certificates/certificate.css").resolve()
    assert theme.find("cover.html") == theme.dirs[-1] / "cover.html"  # not overridden
    rendered = render_package(_localized("en"), theme)
    files = {f.path for f in rendered.spec.files}
    assert {"_mirco/centre.css", "_mirco/logo.svg", "_mirco/cover-band.svg"} <= files
    index = next(f.data for f in rendered.spec.files if f.path == "index.html").decode()
    assert '<link rel="stylesheet" href="_mirco/centre.css">' in index
    css = (REPO / "templates/static/centre.css").read_text(encoding="utf-8")
    assert "url(logo.svg)" in css and "url(cover-band.svg)" in css
    assert re.search(r"body\.mirco \{[^}]*--mirco-accent: #0d5c63", css)
