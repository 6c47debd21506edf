"""Standalone mode, keyboard-only completion, accessibility (axe-core) and layout."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import MODULES, Session, drawn, open_player, question_data

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_standalone_from_disk_keeps_progress(tab: Any, site: Any) -> None:
    page = tab.page
    url = (site.root / site.package(MODULE, "2004") / "index.html").as_uri()
    open_player(page, url)
    status = page.locator(".mirco-status")
    assert "kept in this browser" in status.inner_text()
    page.locator(".mirco-toc summary").click()
    page.locator(".mirco-toc [data-page-link=lesson-vulnerable-groups]").click()
    assert page.locator("section[data-page]:visible").get_attribute("data-page") == (
        "lesson-vulnerable-groups")
    page.reload()
    page.locator("html.mirco-js").wait_for(state="attached")
    page.locator("[data-cover=resume]").click()  # the cover offers to resume
    assert page.locator("section[data-page]:visible").get_attribute("data-page") == (
        "lesson-vulnerable-groups")
    assert page.evaluate("window.mirco.lms") == "standalone"
    # cover, overview, pre-test, three lessons, final test, evaluation, finish
    assert page.evaluate("window.mirco.state.visited") == [
        True, False, False, False, False, True, False, False, False]


def test_standalone_served_without_lms(tab: Any, site: Any) -> None:
    page = tab.page
    open_player(page, f"{site.base}/{site.package('smuggling-of-migrants', '1.2')}/index.html")
    assert "kept in this browser" in page.locator(".mirco-status").inner_text()
    page.locator(".mirco-toc summary").click()
    page.locator(".mirco-toc [data-page-link=final]").click()
    ids = page.evaluate("window.mirco.player.tests.final.drawn.map(q => q.data.id)")
    page.locator("form[data-assessment=final] .mirco-submit").click()
    assert "Your score: 0 %" in page.locator("section[data-page=final] .mirco-result").inner_text()
    page.reload()
    page.locator("html.mirco-js").wait_for(state="attached")
    assert page.evaluate("window.mirco.player.tests.final.drawn.map(q => q.data.id)") == ids
    page.locator("[data-cover=resume]").click()
    assert page.locator("section[data-page=final] .mirco-result").is_visible()


def _focused(session: Session) -> dict[str, Any]:
    return dict(session.js("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, id: el.id, name: el.name || '', type: el.type || '',
                action: el.getAttribute('data-action') || '',
                move: el.getAttribute('data-move') || '',
                item: el.closest('[data-item]')?.getAttribute('data-item') || '',
                question: el.closest('[data-question]')?.getAttribute('data-question') || ''};
    }"""))


def _tab_to(session: Session, test: Any, limit: int = 400) -> dict[str, Any]:
    keyboard = session.page.keyboard
    for _ in range(limit):
        keyboard.press("Tab")
        now = _focused(session)
        if test(now):
            return now
    raise AssertionError("not reachable with Tab")


def _answer_by_keyboard(session: Session, qid: str) -> None:
    q = question_data(session, qid)
    keyboard = session.page.keyboard
    kind = q["type"]
    if kind in ("choice", "true-false"):
        _tab_to(session, lambda f: f["name"] == f"mq-{qid}")
        target = f"mq-{qid}-{q['correct'][0]}"
        for _ in range(len(q["choices"]) + 1):
            if session.js(f"document.getElementById('{target}').checked"):
                break
            keyboard.press("ArrowDown")
        assert session.js(f"document.getElementById('{target}').checked")
    elif kind == "multiple-choice":
        for pick in q["correct"]:
            _tab_to(session, lambda f, p=pick: f["id"] == f"mq-{qid}-{p}")
            keyboard.press("Space")
    elif kind in ("fill-in", "numeric"):
        _tab_to(session, lambda f: f["id"] == f"mq-{qid}-input")
        text = q["answers"][0]["text"] if kind == "fill-in" else f"{q['answers'][0]['low']:g}"
        keyboard.type(text)
    elif kind == "matching":
        for source, target in q["correct"]:
            select = f"mq-{qid}-{source}"
            _tab_to(session, lambda f, s=select: f["id"] == s)
            for _ in range(len(q["sources"]) + 2):
                if session.js(f"document.getElementById('{select}').value") == target:
                    break
                keyboard.press("ArrowDown")
            assert session.js(f"document.getElementById('{select}').value") == target
    elif kind == "sequencing":
        for position, item in enumerate(q["correct"]):
            order = session.js(f"[...document.querySelectorAll('#mq-{qid} [data-item]')]"
                               ".map(li => li.dataset.item)")
            moves = order.index(item) - position
            if moves > 0:
                _tab_to(session, lambda f, i=item: f["question"] == qid and f["item"] == i
                        and f["move"] == "up")
                for _ in range(moves):
                    keyboard.press("Enter")
    session.page.keyboard.press("Tab")  # leave the field: its change is recorded


def test_completion_with_the_keyboard_alone(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package("global-migration-governance", "2004"))
    keyboard = session.page.keyboard
    keyboard.press("Tab")  # from the LMS page into the course: its skip link
    assert session.js("document.activeElement.className") == "mirco-skip"
    pages = session.js("window.mirco.course.pages.map(p => p.id)")
    for expected in pages[1:]:
        keyboard.press("Alt+Shift+N")
        assert session.current() == expected
        # focus moves to the new page's heading
        assert session.js("document.activeElement.tagName") == "H1"
    assert pages[-3:] == ["final", "evaluation", "finish"]
    for _ in range(3):
        keyboard.press("Alt+Shift+P")
    assert session.current() == pages[-4]
    _tab_to(session, lambda f: f["action"] == "next")
    keyboard.press("Enter")
    assert session.current() == "final"
    for qid in drawn(session, "final"):
        _answer_by_keyboard(session, qid)
    _tab_to(session, lambda f: f["type"] == "submit")
    keyboard.press("Enter")
    result = session.sco.locator("section[data-page=final] .mirco-result")
    assert "Passed" in result.inner_text() and "100 %" in result.inner_text()
    cmi = session.unload()
    cmi = cmi.get("cmi", cmi)
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")


def _axe(page: Any, frame: Any, axe_path: str) -> list[dict[str, Any]]:
    frame.add_script_tag(path=axe_path)
    result = frame.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                            WCAG)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


@pytest.mark.parametrize("module", MODULES)
def test_every_page_passes_axe(tab: Any, site: Any, module: str) -> None:
    page = tab.page
    open_player(page, f"{site.base}/{site.package(module, '2004')}/index.html")
    axe_path = str(site.root / "axe.min.js")
    count = page.evaluate("window.mirco.player.pages.length")
    found: dict[str, Any] = {}
    for index in range(count):
        page.evaluate("i => window.mirco.player.show(i, true)", index)
        violations = _axe(page, page, axe_path)
        if violations:
            found[page.evaluate("window.mirco.player.pages[" + str(index) + "].dataset.page")] = (
                violations)
    # after submission: feedback, review and the result box
    page.evaluate("window.mirco.player.show(window.mirco.player.indexOf('final'))")
    page.locator("form[data-assessment=final] .mirco-submit").click()
    for node in page.locator("[data-check] [data-action=check]").all()[:2]:
        page.evaluate("el => window.mirco.player.show(window.mirco.player.pages.indexOf("
                      "el.closest('[data-page]')))", node.element_handle())
        node.click()
    page.evaluate("window.mirco.player.show(window.mirco.player.indexOf('final'))")
    violations = _axe(page, page, axe_path)
    if violations:
        found["final (reviewed)"] = violations
    assert found == {}


OVERFLOWING = """() => [...document.querySelectorAll(
  'dl.mirco-facts, dl.mirco-facts > *, .mirco-toc, .mirco-toc a, .mirco-header, .mirco-main,'
  + '.mirco-page h1, .mirco-page h2')]
  .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)"""


@pytest.mark.parametrize(("lang", "width"), [("en", 360), ("mk", 337), ("sr-Cyrl", 337)])
def test_phone_layout_has_no_horizontal_scroll(browser: Any, site: Any, lang: str,
                                               width: int) -> None:
    """A 360 px phone, and Moodle's 337 px frame on it, in the longest-worded languages."""
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        for module in MODULES:
            open_player(page, f"{site.base}/{module}-1.0.0-{lang}-scorm12/index.html")
            page.locator(".mirco-toc summary").click()
            for index in range(page.evaluate("window.mirco.player.pages.length")):
                page.evaluate("i => window.mirco.player.show(i)", index)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, (module, index, scroll)
                assert page.evaluate(OVERFLOWING) == [], (module, index)
    finally:
        context.close()


def test_print_shows_every_page(tab: Any, site: Any) -> None:
    page = tab.page
    open_player(page, f"{site.base}/{site.package(MODULE, '1.2')}/index.html")
    page.emulate_media(media="print")
    shown = page.evaluate("[...document.querySelectorAll('[data-page]')]"
                          ".filter(s => getComputedStyle(s).display !== 'none').length")
    assert shown == page.evaluate("window.mirco.player.pages.length")
    assert page.locator(".mirco-pager").is_hidden()
