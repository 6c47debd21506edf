"""Ordering by drag and drop on scorm-again (SCORM 1.2 and 2004): a mouse, a touch pointer
and the keyboard (Space grabs, the arrow keys move, Space drops, Escape cancels), what the
live region says, and the learner's order recorded as the question's interaction."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import Session, answer, drawn, go_to, open_player, question_data, take_test
from screenshots import WIDTHS, assert_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "global-migration-governance"
QID = "gmg-f-10"
"""The final test's ordering question (always drawn)."""
VERSIONS = ("1.2", "2004")


def _open_final(session: Session) -> None:
    """The final test, the required pre-test taken first."""
    go_to(session, "pretest")
    take_test(session, "pretest", correct=False)
    go_to(session, "final")
    assert QID in drawn(session, "final")


def _order(session: Session) -> list[str]:
    return list(session.js(f"[...document.querySelectorAll('#mq-{QID} [data-item]')]"
                           ".map(li => li.dataset.item)"))


def _live(session: Session) -> str:
    return str(session.sco.locator(f"#mq-{QID} [data-order-live]").inner_text())


def _centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _still(session: Session, item: str) -> Any:
    """``item``'s handle, scrolled into view and no longer moving (Playwright's hover waits
    until its box is the same on two animation frames): positions read after it hold."""
    session.sco.locator(f"#mq-{QID} [data-order]").scroll_into_view_if_needed()
    handle = session.sco.locator(f"#mq-{QID} [data-item='{item}'] [data-grab]")
    handle.hover()
    return handle


def _drag_by_mouse(session: Session, item: str, position: int) -> None:
    """Press the mouse on ``item``'s handle, move it over the item now at ``position``, release."""
    handle = _still(session, item)
    x, y = _centre(handle)
    _, target_y = _centre(session.sco.locator(f"#mq-{QID} [data-item]").nth(position))
    mouse = session.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + 3, target_y, steps=12)
    mouse.up()


def _drag_by_touch(session: Session, item: str, position: int) -> None:
    """The same with a finger: touch events through the DevTools protocol, which Chromium
    turns into pointer events of type "touch"."""
    handle = _still(session, item)
    x, y = _centre(handle)
    _, target_y = _centre(session.sco.locator(f"#mq-{QID} [data-item]").nth(position))
    cdp = session.page.context.new_cdp_session(session.page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x, "y": y + (target_y - y) * step / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _submit_and_check(session: Session, version: str) -> dict[str, Any]:
    """Answer the rest rightly, submit, leave: the ordering's interaction, correct."""
    for qid in drawn(session, "final"):
        if qid != QID:
            answer(session, qid, correct=True)
    session.sco.locator("form[data-assessment=final] .mirco-submit").click()
    session.sco.locator("section[data-page=final] .mirco-result").wait_for(state="visible")
    cmi = session.unload()
    cmi = cmi.get("cmi", cmi)
    rows = [row for row in cmi["interactions"].values() if QID in row["id"]]
    assert len(rows) == 1, cmi["interactions"]
    row = rows[0]
    assert row["type"] == "sequencing"
    response = row["student_response" if version == "1.2" else "learner_response"]
    assert response == row["correct_responses"]["0"]["pattern"]
    assert row["result"] == "correct"
    return dict(row)


@pytest.mark.parametrize("version", VERSIONS)
def test_ordering_by_mouse_drag(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    _open_final(session)
    correct = question_data(session, QID)["correct"]
    for position, item in enumerate(correct):
        if _order(session).index(item) != position:
            _drag_by_mouse(session, item, position)
            text = session.sco.locator(f"#mq-{QID} [data-item='{item}'] .mirco-item-text")
            assert _live(session) == (f"{text.inner_text()}: dropped at position "
                                      f"{position + 1} of {len(correct)}.")
        assert _order(session)[position] == item
    assert _order(session) == correct
    assert session.js(f"window.mirco.player.question('{QID}').read()") == "".join(
        str(i) for i in range(len(correct)))
    _submit_and_check(session, version)


@pytest.mark.parametrize("version", VERSIONS)
def test_ordering_by_touch_drag(browser: Any, site: Any, version: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        from scorm_player import Tab

        tab = Tab(page)
        session = Session(tab, site, version).launch(site.package(MODULE, version))
        _open_final(session)
        session.sco.locator(f"#mq-{QID}").scroll_into_view_if_needed()
        correct = question_data(session, QID)["correct"]
        for position, item in enumerate(correct):
            if _order(session).index(item) != position:
                _drag_by_touch(session, item, position)
            assert _order(session)[position] == item
        _submit_and_check(session, version)
        assert tab.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_ordering_by_keyboard_with_announcements(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    _open_final(session)
    keyboard = session.page.keyboard
    correct = question_data(session, QID)["correct"]
    total = len(correct)
    live = session.sco.locator(f"#mq-{QID} [data-order-live]")
    assert live.get_attribute("aria-live") == "assertive"

    # Escape cancels: the item goes back where it was
    before = _order(session)
    first = session.sco.locator(f"#mq-{QID} [data-item='{before[0]}'] [data-grab]")
    first.focus()
    keyboard.press("Space")
    assert first.get_attribute("aria-pressed") == "true"
    assert f"grabbed, position 1 of {total}" in _live(session)
    keyboard.press("ArrowDown")
    assert _order(session)[1] == before[0]
    assert _live(session).endswith(f": position 2 of {total}.")
    assert session.js("document.activeElement.closest('[data-item]').dataset.item") == before[0]
    keyboard.press("Escape")
    assert _order(session) == before
    assert first.get_attribute("aria-pressed") == "false"
    assert f"move cancelled, back at position 1 of {total}" in _live(session)

    # Space grabs, the arrows move, Space drops
    for position, item in enumerate(correct):
        steps = _order(session).index(item) - position
        if not steps:
            continue
        handle = session.sco.locator(f"#mq-{QID} [data-item='{item}'] [data-grab]")
        handle.focus()
        keyboard.press("Space")
        for _ in range(steps):
            keyboard.press("ArrowUp")
        keyboard.press("Space")
        assert _live(session).endswith(f"dropped at position {position + 1} of {total}.")
        assert handle.get_attribute("aria-pressed") == "false"
    assert _order(session) == correct
    _submit_and_check(session, version)


def test_move_buttons_say_where_the_item_is(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package(MODULE, "2004"))
    _open_final(session)
    total = len(_order(session))
    second = _order(session)[1]
    session.sco.locator(f"#mq-{QID} [data-item='{second}'] [data-move=up]").click()
    assert _order(session)[0] == second
    assert _live(session).endswith(f": position 1 of {total}.")


def test_drag_handles_need_the_script(browser: Any, site: Any) -> None:
    """Without the runtime the handles (which only the script can work) are not shown."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        assert page.locator("[data-grab]").count() > 0
        assert all(not h.is_visible() for h in page.locator("[data-grab]").all())
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_ordering_screenshot(browser: Any, site: Any, width: int) -> None:
    """The list at a phone's and a desktop's width, its first item grabbed by the keyboard
    (items put in a fixed order first: the test shuffles them for every attempt)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_player(page, f"{site.base}/{site.package(MODULE, '2004')}/index.html#page-pretest")
        page.locator("form[data-assessment=pretest] .mirco-submit").click()
        page.evaluate("window.mirco.player.show(window.mirco.player.indexOf('final'))")
        n = len(page.evaluate(f"window.mirco.course.questions['{QID}'].correct"))
        page.evaluate(f"window.mirco.player.question('{QID}').write('{'3102'[:n]}')")
        # right under the page's heading: the same place whatever the draw put above it
        page.evaluate(f"(q => q.closest('section').querySelector('h1').after(q))"
                      f"(document.getElementById('mq-{QID}'))")
        for narrow in (width, 337) if width == 360 else (width,):
            page.set_viewport_size({"width": narrow, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= narrow
        page.set_viewport_size({"width": width, "height": 900})
        page.locator(f"#mq-{QID} [data-grab]").first.focus()
        page.keyboard.press("Space")  # grabbed: the handle's focus and the lifted item show
        page.wait_for_selector(f"#mq-{QID} .mirco-grabbed [data-grab][aria-pressed=true]")
        assert_screenshot(page.locator(f"#mq-{QID} [data-order]"), "ordering", width)
    finally:
        context.close()
