"""The finish page (result, what is next, Exit course ending the LMS session), the
#fragment navigation after load, and the compact ordering and matching layout."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import Session, go_to, open_player, take_test

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "global-migration-governance"


def _watch_nav_request(session: Session) -> None:
    """Record what the SCO asks the LMS (scorm-again resets the value at Terminate)."""
    session.page.evaluate("window.lms.on && window.lms.version !== '1.2' && "
                          "window.lms.on('SetValue.adl.nav.request', "
                          "(name, value) => { window.navRequest = value; })")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_finish_page_shows_the_result_and_exit_ends_the_session(lms: Any, site: Any,
                                                                  version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    pages = session.js("window.mirco.course.pages.map(p => p.id)")
    assert pages[-1] == "finish"
    for page in pages[1 : pages.index("final") + 1]:
        go_to(session, page)
    take_test(session, "final", correct=True)
    session.sco.locator("[data-action=next]").click()  # the evaluation, never required
    assert session.current() == "evaluation"
    session.sco.locator("[data-action=next]").click()  # pointer: Next leads to the finish page
    assert session.current() == "finish"
    assert session.sco.locator("[data-action=next]").is_disabled()
    result = session.sco.locator("[data-finish-result]").inner_text()
    assert "You have completed this module." in result
    assert "Your score: 100 %" in result and "Passed" in result
    assert session.js("document.activeElement.tagName") == "H1"
    _watch_nav_request(session)
    session.sco.locator("[data-action=exit-course]").click()
    finish = "LMSFinish" if version == "1.2" else "Terminate"
    session.page.wait_for_function(f"window.lmsLog.includes('{finish}')")
    assert session.sco.locator(".mirco-status").inner_text() == (
        "Your results are saved: you can close this window.")
    assert session.sco.locator("[data-action=exit-course]").is_disabled()
    if version == "2004":
        assert session.page.evaluate("window.navRequest") == "exitAll"
    cmi = session.unload()  # the LMS unloads the frame: no second Terminate
    cmi = cmi.get("cmi", cmi)
    if version == "2004":
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert cmi["exit"] == "normal"
    else:
        assert cmi["core"]["lesson_status"] == "passed"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_leaving_early_from_the_finish_page_suspends(lms: Any, site: Any,
                                                     version: str) -> None:
    """Keyboard only: the fragment leads to the finish page, Exit course is pressed with
    Enter; the course is not done, so the session is suspended, not ended."""
    session = lms(version).launch(site.package(MODULE, version))
    session.js("location.hash = '#page-finish'")
    session.page.wait_for_function(
        "() => document.querySelector('#sco').contentWindow.mirco.player.current"
        " === document.querySelector('#sco').contentWindow.mirco.player.pages.length - 1")
    result = session.sco.locator("[data-finish-result]").inner_text()
    assert "Not completed yet:" in result and "You have not taken the final test yet." in result
    for _ in range(200):
        session.page.keyboard.press("Tab")
        if session.js("document.activeElement.dataset.action") == "exit-course":
            break
    else:
        raise AssertionError("Exit course not reached with Tab")
    _watch_nav_request(session)
    session.page.keyboard.press("Enter")
    finish = "LMSFinish" if version == "1.2" else "Terminate"
    session.page.wait_for_function(f"window.lmsLog.includes('{finish}')")
    cmi = session.unload()
    cmi = cmi.get("cmi", cmi)
    if version == "2004":
        assert session.page.evaluate("window.navRequest") == "suspendAll"
        assert cmi["exit"] == "suspend" and cmi["suspend_data"]
    else:
        assert cmi["core"]["exit"] == "suspend" and cmi["suspend_data"]


def test_fragment_changes_after_load_navigate(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package(MODULE, "2004"))
    assert session.current() == "cover"
    lesson = session.js("window.mirco.course.pages[3].id")  # cover, overview, pre-test
    session.js(f"location.hash = '#page-{lesson}'")
    session.page.wait_for_function(
        f"() => document.querySelector('#sco').contentWindow.mirco.player.pages"
        f"[document.querySelector('#sco').contentWindow.mirco.player.current]"
        f".dataset.page === '{lesson}'")
    assert session.js("document.activeElement.tagName") == "H1"
    # a heading inside another page: that page opens and the heading takes the focus
    target = session.js("[...document.querySelectorAll('section[data-kind=lesson] "
                        "fieldset[id]')].pop().id")
    page = session.js(f"document.getElementById('{target}').closest('[data-page]').dataset.page")
    session.js(f"location.hash = '#{target}'")
    session.page.wait_for_function(
        f"() => document.querySelector('#sco').contentDocument.activeElement.id === '{target}'")
    assert session.current() == page
    session.js("history.back()")  # back to the earlier fragment: its page again
    session.page.wait_for_function(
        f"() => document.querySelector('#sco').contentWindow.mirco.player.pages"
        f"[document.querySelector('#sco').contentWindow.mirco.player.current]"
        f".dataset.page === '{lesson}'")
    session.js("location.hash = '#nothing-here'")  # unknown fragments change nothing
    assert session.current() == lesson


LAYOUT = """() => {
  const shown = s => [...document.querySelectorAll(s)].find(e => e.getClientRects().length);
  const q = shown('fieldset.mirco-question-matching');
  const seq = shown('fieldset.mirco-question-sequencing');
  const item = seq.querySelector('.mirco-order-item');
  const buttons = [...seq.querySelectorAll('button[data-move]')];
  return {
    matchingPadding: parseFloat(getComputedStyle(q).paddingLeft),
    names: buttons.slice(0, 2).map(b => b.getAttribute('aria-label')),
    widest: Math.max(...buttons.map(b => b.getBoundingClientRect().width)),
    itemHeight: item.getBoundingClientRect().height,
    textHeight: item.querySelector('.mirco-item-text').getBoundingClientRect().height,
  };
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_matching_keeps_its_padding_and_ordering_is_compact(browser: Any, site: Any,
                                                            width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    try:
        open_player(page, f"{site.base}/{site.package(MODULE, '2004')}/index.html#page-final")
        layout = page.evaluate(LAYOUT)
        assert layout["matchingPadding"] >= 8
        assert layout["names"] == ["Move up", "Move down"]
        assert layout["widest"] <= 48  # icon buttons, not words
        # the buttons sit beside the text: a row is no taller than its text plus margins
        assert layout["itemHeight"] <= max(layout["textHeight"], 44) + 12  # 44 px targets
        items = page.locator("fieldset.mirco-question-sequencing:visible [data-item]")
        second = items.nth(1).get_attribute("data-item")
        items.nth(1).locator("[data-move=up]").click()  # pointer
        assert items.first.get_attribute("data-item") == second
        assert page.evaluate("document.activeElement.dataset.move") == "up"
    finally:
        context.close()
