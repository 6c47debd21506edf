"""The interactive blocks of the sample course in a real browser, inside scorm-again.

Every block is operated by pointer and by keyboard in SCORM 1.2 and 2004 (ARIA states and
where the focus goes), is fully shown in print and with JavaScript off, fits 360 and
337 px, passes axe in its opened states, and is compared with reference screenshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scorm_player import open_player
from screenshots import WIDTHS, assert_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
VERSIONS = ("1.2", "2004")
PAGES = {
    "tabs": ("global-migration-governance", "lesson-global-architecture"),
    "cards": ("global-migration-governance", "lesson-global-architecture"),
    "hotspots": ("migration-human-rights", "lesson-foundations"),
    "accordion": ("smuggling-of-migrants", "lesson-legal-framework"),
    "steps": ("smuggling-of-migrants", "lesson-legal-framework"),
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def open_block(lms: Any, site: Any, kind: str, version: str) -> tuple[Any, Any]:
    """Launch the module holding a ``kind`` block in the LMS frame and show its page;
    (the session, a locator of the block)."""
    module, page = PAGES[kind]
    session = lms(version).launch(site.package(module, version))
    session.js(f"window.mirco.player.show(window.mirco.player.indexOf('{page}'), false)")
    _take_pretest_if_locked(session, page)
    assert session.current() == page
    block = session.sco.locator(f"section[data-page={page}] [data-block={kind}]").first
    # images load lazily, near the viewport: bring the block's own into view and wait
    block.scroll_into_view_if_needed()
    block.locator("img").evaluate_all("imgs => imgs.forEach(i => { i.loading = 'eager'; })")
    session.frame.wait_for_function(
        "b => [...b.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)",
        arg=block.element_handle(), timeout=10_000)
    return session, block


def _take_pretest_if_locked(session: Any, page: str) -> None:
    if session.current() == page:
        return
    session.sco.locator("form[data-assessment=pretest] .mirco-submit").click()
    session.js(f"window.mirco.player.show(window.mirco.player.indexOf('{page}'), false)")


def focused(session: Any) -> str:
    """The focused element: tag, text and ARIA state, from inside the package's frame."""
    return str(session.js(
        "(() => { const e = document.activeElement; return e.tagName + ':' + "
        "e.textContent.trim() + ':' + (e.getAttribute('aria-expanded') || "
        "e.getAttribute('aria-selected') || '') })()"))


@pytest.mark.parametrize("version", VERSIONS)
def test_accordion_by_pointer_and_keyboard(lms: Any, site: Any, version: str) -> None:
    session, block = open_block(lms, site, "accordion", version)
    buttons = block.locator(".mirco-item-title > button")
    bodies = block.locator(".mirco-item-body")
    assert buttons.count() == 5
    assert [buttons.nth(i).get_attribute("aria-expanded") for i in range(5)] == ["false"] * 5
    assert not bodies.first.is_visible()
    buttons.first.click()  # pointer
    assert buttons.first.get_attribute("aria-expanded") == "true"
    assert bodies.first.is_visible() and "Prevent and combat" in bodies.first.inner_text()
    assert buttons.first.get_attribute("aria-controls") == bodies.first.get_attribute("id")
    session.page.keyboard.press("Tab")  # keyboard: on to the next section's button
    assert focused(session) == "BUTTON:Article 3: definition:false"
    session.page.keyboard.press("Enter")
    assert focused(session) == "BUTTON:Article 3: definition:true"
    assert bodies.nth(1).is_visible()
    session.page.keyboard.press("Space")
    assert not bodies.nth(1).is_visible() and buttons.nth(1).get_attribute(
        "aria-expanded") == "false"
    buttons.first.click()
    assert not bodies.first.is_visible()


@pytest.mark.parametrize("version", VERSIONS)
def test_tabs_follow_the_aria_tabs_pattern(lms: Any, site: Any, version: str) -> None:
    session, block = open_block(lms, site, "tabs", version)
    saved = session.js("window.mirco.state.encode()")
    tabs = block.get_by_role("tab")
    panels = block.locator("[role=tabpanel]")
    assert [tabs.nth(i).inner_text() for i in range(tabs.count())] == [
        "Global", "Regional", "National"]
    assert [tabs.nth(i).get_attribute("aria-selected") for i in range(3)] == [
        "true", "false", "false"]
    assert [tabs.nth(i).get_attribute("tabindex") for i in range(3)] == ["0", "-1", "-1"]
    assert panels.nth(0).is_visible() and not panels.nth(1).is_visible()
    assert panels.nth(2).get_attribute("aria-labelledby") == tabs.nth(2).get_attribute("id")
    tabs.nth(2).click()  # pointer
    assert tabs.nth(2).get_attribute("aria-selected") == "true"
    assert panels.nth(2).is_visible() and not panels.nth(0).is_visible()
    assert "Each state decides" in panels.nth(2).inner_text()
    session.page.keyboard.press("ArrowRight")  # keyboard: wraps round to the first tab
    assert focused(session) == "BUTTON:Global:true" and panels.nth(0).is_visible()
    session.page.keyboard.press("ArrowLeft")
    assert focused(session) == "BUTTON:National:true"
    session.page.keyboard.press("Home")
    assert focused(session) == "BUTTON:Global:true"
    session.page.keyboard.press("ArrowRight")
    assert focused(session) == "BUTTON:Regional:true" and panels.nth(1).is_visible()
    session.page.keyboard.press("End")
    assert focused(session) == "BUTTON:National:true"
    session.page.keyboard.press("Tab")  # Tab leaves the tab list for the panel
    assert session.js("document.activeElement.getAttribute('role')") == "tabpanel"
    # the blocks keep nothing in suspend_data, and the course's own keys still page on
    assert session.js("window.mirco.state.encode()") == saved
    tabs.first.focus()
    session.page.keyboard.press("Alt+Shift+KeyN")
    assert session.current() != PAGES["tabs"][1]


@pytest.mark.parametrize("version", VERSIONS)
def test_reveal_cards_turn_by_pointer_and_keyboard(lms: Any, site: Any, version: str) -> None:
    session, block = open_block(lms, site, "cards", version)
    fronts = block.locator(".mirco-item-title > button")
    backs = block.locator(".mirco-item-body")
    assert fronts.count() == 4 and not backs.first.is_visible()
    fronts.first.click()  # pointer
    assert fronts.first.get_attribute("aria-expanded") == "true"
    backs.first.wait_for(state="visible")  # once turned (edge-on at the start of the turn)
    assert "Norms, policies" in backs.first.inner_text()
    assert "mirco-open" in (block.locator(".mirco-item").first.get_attribute("class") or "")
    session.page.keyboard.press("Tab")
    assert focused(session) == "BUTTON:Global Compact:false"
    session.page.keyboard.press("Space")  # keyboard
    assert focused(session) == "BUTTON:Global Compact:true"
    backs.nth(1).wait_for(state="visible")
    animation = "el => getComputedStyle(el).animationName"
    assert block.locator(".mirco-open").first.evaluate(animation) == "mirco-flip"
    session.page.emulate_media(reduced_motion="reduce")
    assert block.locator(".mirco-open").first.evaluate(animation) == "none"


@pytest.mark.parametrize("version", VERSIONS)
def test_steps_go_forward_and_back_with_the_focus(lms: Any, site: Any, version: str) -> None:
    session, block = open_block(lms, site, "steps", version)
    steps = block.locator(".mirco-item")
    back = block.locator(".mirco-steps-nav button").first
    forward = block.locator(".mirco-steps-nav button").last
    where = block.locator(".mirco-steps-nav p")
    assert steps.count() == 5
    assert [steps.nth(i).is_visible() for i in range(5)] == [True] + [False] * 4
    assert where.inner_text() == "Step 1 of 5" and where.get_attribute("aria-live") == "polite"
    assert back.is_disabled() and not forward.is_disabled()
    forward.click()  # pointer
    assert where.inner_text() == "Step 2 of 5" and steps.nth(1).is_visible()
    assert focused(session).startswith("H3:Identify and register")
    assert steps.nth(1).evaluate("li => li.value") == 2
    forward.focus()  # keyboard
    for _ in range(3):
        forward.focus()
        session.page.keyboard.press("Enter")
    assert where.inner_text() == "Step 5 of 5" and forward.is_disabled()
    assert focused(session).startswith("H3:Record the smuggler")
    back.focus()
    session.page.keyboard.press("Space")
    assert where.inner_text() == "Step 4 of 5" and steps.nth(3).is_visible()
    assert not steps.nth(4).is_visible()


SPOT_PLACES = """block => [...block.querySelectorAll('.mirco-spot')].map(spot => {
  const img = block.querySelector('img').getBoundingClientRect();
  const box = spot.getBoundingClientRect();
  return [(box.x + box.width / 2 - img.x) / img.width * 100,
          (box.y + box.height / 2 - img.y) / img.height * 100];
})"""


@pytest.mark.parametrize("version", VERSIONS)
def test_hotspots_open_their_labels(lms: Any, site: Any, version: str) -> None:
    session, block = open_block(lms, site, "hotspots", version)
    spots = block.locator(".mirco-spot")
    label = block.locator(".mirco-label")
    # named by their number (what is seen) and their label (what is heard)
    assert [spots.nth(i).text_content() for i in range(3)] == [
        "1 Human rights law", "2 Refugee law", "3 Special protection"]
    assert [spots.nth(i).evaluate("b => b.firstChild.textContent") for i in range(3)] == [
        "1", "2", "3"]
    assert session.sco.get_by_role("button", name="2 Refugee law").count() == 1
    places = block.evaluate(SPOT_PLACES)
    for (x, y), (want_x, want_y) in zip(places, [(50, 24), (15, 55), (82, 64)], strict=True):
        assert abs(x - want_x) < 1 and abs(y - want_y) < 1
    # the labels, listed for screen readers: in the accessibility tree, not on screen
    listing = block.locator(".mirco-items")
    assert listing.get_attribute("class") == "mirco-items mirco-sr"
    assert listing.evaluate("el => el.getBoundingClientRect().width") <= 1
    assert block.get_by_role("listitem").count() == 3
    assert not label.is_visible()
    spots.nth(1).click()  # pointer
    assert spots.nth(1).get_attribute("aria-expanded") == "true" and label.is_visible()
    assert label.inner_text().startswith("Refugee law") and "1951 Convention" in (
        label.inner_text())
    spots.nth(1).click()
    assert spots.nth(1).get_attribute("aria-expanded") == "false" and not label.is_visible()
    spots.first.focus()  # keyboard
    session.page.keyboard.press("Enter")
    assert label.inner_text().startswith("Human rights law")
    session.page.keyboard.press("Tab")
    session.page.keyboard.press("Space")  # another spot: the label follows
    assert spots.first.get_attribute("aria-expanded") == "false"
    assert label.inner_text().startswith("Refugee law")
    session.page.keyboard.press("Escape")
    assert not label.is_visible() and focused(session) == "BUTTON:2 Refugee law:false"


@pytest.fixture
def wide(browser: Any, site: Any) -> Iterator[Any]:
    """``wide(width)``: a page of the given width (and its context closed afterwards)."""
    contexts: list[Any] = []

    def make(width: int, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 800}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _standalone(page: Any, site: Any, kind: str) -> Any:
    module, lesson = PAGES[kind]
    open_player(page, f"{site.base}/{site.package(module, '2004')}/index.html#page-{lesson}")
    page.evaluate(f"window.mirco.player.show(window.mirco.player.indexOf('{lesson}'))")
    if page.locator("section[data-page]:visible").get_attribute("data-page") != lesson:
        page.locator("form[data-assessment=pretest] .mirco-submit").click()
        page.evaluate(f"window.mirco.player.show(window.mirco.player.indexOf('{lesson}'))")
    return page.locator(f"section[data-page={lesson}] [data-block={kind}]").first


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_screenshots(wide: Any, site: Any, kind: str, width: int) -> None:
    page = wide(width, reduced_motion="reduce")
    block = _standalone(page, site, kind)
    first = block.locator(".mirco-item-title > button, .mirco-spot").first
    if kind in ("accordion", "cards", "hotspots"):
        first.click()  # one section open, the others closed
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    page.add_style_tag(content=".mirco-pager { position: static }")  # not over the block
    assert_screenshot(block, f"block-{kind}", width)


OVERFLOW = """() => [...document.querySelectorAll('[data-block], [data-block] *')]
  .filter(el => el.getClientRects().length && !el.closest('.mirco-sr')
          && (el.scrollWidth > el.clientWidth + 1
              || el.getBoundingClientRect().right > innerWidth + 1))
  .map(el => el.tagName + '.' + el.className)"""


@pytest.mark.parametrize("width", [360, 337])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_blocks_fit_a_phone(wide: Any, site: Any, kind: str, width: int) -> None:
    page = wide(width)
    block = _standalone(page, site, kind)
    for button in block.locator(".mirco-item-title > button, .mirco-spot").all()[:2]:
        button.click()
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_print_shows_every_section_and_no_controls(wide: Any, site: Any) -> None:
    page = wide(1000)
    for kind in sorted(PAGES):
        block = _standalone(page, site, kind)
        page.emulate_media(media="print")
        hidden = block.evaluate("""b => [...b.querySelectorAll(
            '.mirco-item, .mirco-item-title, .mirco-item-body')]
            .filter(e => e.getBoundingClientRect().width < 100).length""")
        assert hidden == 0, kind  # every section shown in full (none hidden nor clipped)
        if kind == "hotspots":  # the numbered image stays, to go with the numbered list
            assert block.locator(".mirco-spot").first.is_visible()
        assert block.evaluate("""b => [...b.querySelectorAll('.mirco-ui')]
            .filter(e => e.getClientRects().length).length""") == 0, kind
        page.emulate_media(media="screen")


def test_blocks_read_in_full_without_javascript(wide: Any, site: Any) -> None:
    page = wide(1000, java_script_enabled=False)
    for kind, (module, lesson) in sorted(PAGES.items()):
        page.goto(f"{site.base}/{site.package(module, '2004')}/index.html")
        block = page.locator(f"section[data-page={lesson}] [data-block={kind}]").first
        titles = block.locator(".mirco-item-title")
        assert titles.count() >= 3
        for i in range(titles.count()):  # later pages show after 3 s without the script
            titles.nth(i).wait_for(state="visible", timeout=6_000)
            assert titles.nth(i).is_visible(), kind
            assert block.locator(".mirco-item-body").nth(i).is_visible(), kind


def test_opened_blocks_pass_axe(wide: Any, site: Any) -> None:
    page = wide(1000)
    axe_path = str(site.root / "axe.min.js")
    found = {}
    for kind in sorted(PAGES):
        block = _standalone(page, site, kind)
        for button in block.locator(".mirco-item-title > button, .mirco-spot").all()[:2]:
            button.click()
        if kind == "steps":
            block.locator(".mirco-steps-nav button").last.click()
        page.add_script_tag(path=axe_path)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        if result["violations"]:
            found[kind] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                           for v in result["violations"]]
    assert found == {}
