"""The cover page on scorm-again, SCORM 1.2 and 2004: Start leads on to the first page with
the focus on its heading; after progress and a relaunch the cover offers Resume, names the
page where the learner stopped and goes back there (the stored location untouched while the
cover shows); all by keyboard; without the script Start is a plain link; its look at a
phone's and a desktop's width."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import Session, open_player, relaunch_cmi
from screenshots import WIDTHS, assert_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"
VERSIONS = ("1.2", "2004")
LESSON = "lesson-vulnerable-groups"


def _location(cmi: dict[str, Any], version: str) -> str:
    c = cmi["cmi"] if "cmi" in cmi else cmi
    return str(c["core"]["lesson_location"] if version == "1.2" else c["location"])


def _focus(session: Session) -> dict[str, str]:
    return dict(session.js("""() => { const el = document.activeElement;
        return {tag: el.tagName, page: el.closest('[data-page]')?.dataset.page || '',
                cover: el.getAttribute('data-cover') || ''}; }"""))


@pytest.mark.parametrize("version", VERSIONS)
def test_start_opens_the_first_page_with_the_focus_on_its_heading(
    lms: Any, site: Any, version: str
) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    sco = session.sco
    assert session.current() == "cover"
    cover = sco.locator("section[data-page=cover]")
    assert cover.locator("h1").inner_text() == "Migration and Human Rights"
    assert cover.locator("img").get_attribute("alt") == (
        "Two adults and a child sheltered under a protective arch.")
    assert cover.locator(".mirco-cover-duration").inner_text() == "Duration: 6 h"
    assert cover.locator(".mirco-cover-outcomes li").count() == 5
    assert sco.locator(".mirco-pager").is_hidden()  # the cover is no numbered page
    assert sco.locator("[data-cover=resume]").is_hidden()
    sco.locator("[data-cover=start]").click()
    assert session.current() == "overview"
    assert _focus(session) == {"tag": "H1", "page": "overview", "cover": ""}
    # the cover is not counted: the overview, pre-test, three lessons, final test, finish
    assert sco.locator(".mirco-progress").inner_text() == "Page 1 of 8"
    cmi = session.unload()
    assert _location(cmi, version) == "overview"


@pytest.mark.parametrize("version", VERSIONS)
def test_after_progress_the_cover_resumes_where_the_learner_stopped(
    lms: Any, site: Any, version: str
) -> None:
    package = site.package(MODULE, version)
    first = lms(version).launch(package)
    first.sco.locator("[data-cover=start]").click()
    first.sco.locator(".mirco-toc summary").click()
    first.sco.locator(f".mirco-toc [data-page-link={LESSON}]").click()
    assert first.current() == LESSON
    title = first.js(f"window.mirco.course.pages.find(p => p.id === '{LESSON}').title")
    stored = first.unload()
    assert _location(stored, version) == LESSON

    second = lms(version).launch(package, relaunch_cmi(stored, version))
    sco = second.sco
    assert second.current() == "cover"
    assert sco.locator("[data-cover=start]").is_hidden()
    assert sco.locator("[data-cover=resume]").inner_text() == "Resume"
    assert sco.locator("[data-cover=where]").inner_text() == f"You stopped at “{title}”."
    again = second.unload()  # left on the cover: the stored location is kept
    assert _location(again, version) == LESSON

    third = lms(version).launch(package, relaunch_cmi(again, version))
    third.sco.locator("[data-cover=resume]").click()
    assert third.current() == LESSON
    assert _focus(third) == {"tag": "H1", "page": LESSON, "cover": ""}
    assert third.js("window.mirco.state.visited")[third.js(
        f"window.mirco.player.indexOf('{LESSON}')")] is True
    third.unload()


def _tab_to_cover_button(session: Session, name: str) -> None:
    for _ in range(40):
        session.page.keyboard.press("Tab")
        if _focus(session)["cover"] == name:
            return
    raise AssertionError(f"the cover's {name} is not reachable with Tab")


@pytest.mark.parametrize("version", VERSIONS)
def test_start_and_resume_work_by_keyboard(lms: Any, site: Any, version: str) -> None:
    package = site.package(MODULE, version)
    session = lms(version).launch(package)
    _tab_to_cover_button(session, "start")
    session.page.keyboard.press("Enter")
    assert session.current() == "overview"
    assert _focus(session)["tag"] == "H1"
    session.page.keyboard.press("Alt+Shift+N")  # on to the pre-test, then leave
    assert session.current() == "pretest"
    stored = session.unload()

    back = lms(version).launch(package, relaunch_cmi(stored, version))
    _tab_to_cover_button(back, "resume")
    back.page.keyboard.press("Space")
    assert back.current() == "pretest"
    assert _focus(back) == {"tag": "H1", "page": "pretest", "cover": ""}
    back.unload()


def test_without_the_script_the_cover_shows_first_and_start_is_a_link(
    browser: Any, site: Any
) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1000, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        first = page.locator("section[data-page]").first
        assert first.get_attribute("data-page") == "cover" and first.is_visible()
        start = page.locator("[data-cover=start]")
        assert start.is_visible() and start.get_attribute("href") == "#page-overview"
        assert page.locator("[data-cover=resume]").is_hidden()
        start.click()
        assert page.evaluate("location.hash") == "#page-overview"
        assert page.locator("#page-overview h1").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_of_the_cover(browser: Any, site: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_player(page, f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        cover = page.locator("section[data-page=cover]")
        cover.locator("img").evaluate("img => img.decode()")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_screenshot(cover, "cover", width)
    finally:
        context.close()
