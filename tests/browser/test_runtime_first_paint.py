"""The first page paints before the rest of the module; no page ever stays hidden when the
runtime's script is blocked, broken or switched off (the figures: benchmarks/runtime_bench.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "smuggling-of-migrants"
SCRIPT = "**/_mirco/mirco.js"


def _block(route: Any) -> None:
    route.abort()


def _break(route: Any) -> None:
    route.fulfill(status=200, content_type="text/javascript",
                  body="throw new Error('a broken runtime');")


def _all_pages_readable(page: Any) -> None:
    sections = page.locator("section[data-page]")
    assert sections.count() >= 5
    for section in sections.all():
        section.wait_for(state="visible", timeout=8_000)
        assert section.locator("h1, h2").first.is_visible()
    assert page.evaluate("document.documentElement.classList.contains('mirco-js')") is False


@pytest.mark.parametrize("failure", [_block, _break], ids=["blocked", "broken"])
def test_every_page_readable_when_the_script_fails(browser: Any, site: Any,
                                                   failure: Callable[[Any], None]) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.route(SCRIPT, failure)
        page.goto(f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        _all_pages_readable(page)
    finally:
        context.close()


def test_every_page_readable_without_javascript(browser: Any, site: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((site.root / site.package(MODULE, "1.2") / "index.html").as_uri())
        _all_pages_readable(page)
    finally:
        context.close()


def test_first_page_alone_until_the_script_starts(browser: Any, site: Any) -> None:
    """While the script loads (held back here) only the first page is shown; once started,
    the runtime shows one page at a time as always."""
    context = browser.new_context()
    page = context.new_page()

    def slow(route: Any) -> None:
        time.sleep(1.0)
        route.continue_()

    try:
        page.route(SCRIPT, slow)
        page.goto(f"{site.base}/{site.package(MODULE, '2004')}/index.html",
                  wait_until="domcontentloaded")
        sections = page.locator("section[data-page]")
        assert sections.first.is_visible()
        assert page.evaluate("[...document.querySelectorAll('section[data-page]')].slice(1)"
                             ".every(s => getComputedStyle(s).display === 'none')")
        page.wait_for_selector("html.mirco-js")
        assert [s.is_visible() for s in sections.all()].count(True) == 1
        assert sections.first.is_visible()
    finally:
        context.close()
