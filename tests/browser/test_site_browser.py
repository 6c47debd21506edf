"""The e-library (``mirco build --format site``) in a real Chromium, opened from disk
(``file://``, the browser offline): search with Latin and Cyrillic queries, the language
switcher, and axe-core on every kind of page (0 violations)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_paths import LIBS, REPO
from scorm_player import Tab, open_tab
from xapi_live import SiteServer

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

pytestmark = pytest.mark.browser
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e-library")
    build(ProjectConfig.load(REPO), BuildOptions(formats=("site",), out_dir=out, jobs=1))
    return out / "site"


@pytest.fixture
def offline(browser: Any) -> Iterator[Tab]:
    """A tab whose browser context has no network at all."""
    with open_tab(browser, timeout_ms=10_000) as tab:
        tab.page.context.set_offline(True)
        yield tab
    assert tab.errors == []


def _url(library: Path, relative: str) -> str:
    return (library / relative).as_uri()


def _results(page: Any) -> list[str]:
    page.locator("#search-status").wait_for()
    return [link.inner_text() for link in page.locator("#search-results li > a").all()]


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("en", "non-refoulement", "Refugees and non-refoulement"),
    ("sr-Latn", "izbeglica", "Izbeglice i načelo non-refoulement"),
    ("sr-Cyrl", "избеглица", "Избеглице и начело non-refoulement"),
    ("sr-Cyrl", "izbeglica", "Избеглице и начело non-refoulement"),  # Latin letters, Cyrillic pages
    ("mk", "бегалци", "Бегалци и начелото на невраќање (non-refoulement)"),
])
def test_search_from_disk_finds_pages(offline: Tab, library: Path, lang: str, query: str,
                                      expected: str) -> None:
    page = offline.page
    page.goto(_url(library, f"{lang}/index.html"))
    page.locator("#site-search-q").fill(query)
    page.locator(".site-search button[type=submit]").click()
    page.wait_for_url("**/search.html?q=*")
    titles = _results(page)
    assert expected in titles, titles
    assert str(len(titles)) in page.locator("#search-status").inner_text()
    page.locator("#search-results li > a", has_text=expected).first.click()
    assert page.locator("main h1").first.inner_text().strip() != ""
    assert page.url.endswith(".html") and f"/{lang}/" in page.url


def test_search_with_no_match_says_so(offline: Tab, library: Path) -> None:
    page = offline.page
    page.goto(_url(library, "sr-Cyrl/search.html") + "?q=qqqzzz")
    assert _results(page) == []
    assert "qqqzzz" in page.locator("#search-status").inner_text()


def test_language_switcher_keeps_the_page(offline: Tab, library: Path) -> None:
    page = offline.page
    page.goto(_url(library, "en/migration-human-rights/lesson-foundations.html"))
    english = page.locator("main h1").first.inner_text()
    switcher = page.locator(".site-languages")
    assert switcher.locator("[aria-current=page]").inner_text() == "English"
    switcher.locator("a[hreflang=sr-Cyrl]").click()
    assert page.url.endswith("/sr-Cyrl/migration-human-rights/lesson-foundations.html")
    assert page.locator("html").get_attribute("lang") == "sr-Cyrl"
    cyrillic = page.locator("main h1").first.inner_text()
    assert cyrillic != english and any("а" <= ch <= "я" for ch in cyrillic.lower())
    page.locator(".site-languages a[hreflang=mk]").click()
    assert page.url.endswith("/mk/migration-human-rights/lesson-foundations.html")
    page.locator(".site-pager a[rel=next]").click()
    assert "/mk/migration-human-rights/lesson-" in page.url


PAGES = ("index.html", "en/index.html", "sr-Cyrl/index.html",
         "en/migration-human-rights/index.html",
         "sr-Latn/migration-human-rights/lesson-refugees-non-refoulement.html",
         "mk/smuggling-of-migrants/lesson-legal-framework.html",
         "sr-Cyrl/global-migration-governance/descriptor.html",
         "sr-Cyrl/search.html?q=миграције", "en/search.html")


def test_every_kind_of_page_passes_axe(tab: Tab, library: Path) -> None:
    """Served by a plain web server (axe reads the stylesheets, which file:// forbids)."""
    axe = LIBS["axe.min.js"]
    if not axe.is_file():
        pytest.skip("axe-core missing: run `npm ci` (make browser-deps)")
    page = tab.page
    server = SiteServer(library)
    found: dict[str, Any] = {}
    try:
        for relative in PAGES:
            found.update(_axe(page, f"{server.base}/{relative}", relative, axe))
    finally:
        server.close()
    assert found == {}


def _axe(page: Any, url: str, relative: str, axe: Path) -> dict[str, Any]:
    page.goto(url)
    if "search.html?q=" in relative:
        assert _results(page)
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    violations = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
                  for v in result["violations"]]
    return {relative: violations} if violations else {}


def test_pages_print_without_navigation(offline: Tab, library: Path) -> None:
    page = offline.page
    page.goto(_url(library, "en/smuggling-of-migrants/lesson-legal-framework.html"))
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("main h1").first.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
