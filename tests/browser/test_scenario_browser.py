"""Branching scenarios in a real Chromium against scorm-again, SCORM 1.2 and 2004.

The sample case of migration-human-rights (lesson 03): nodes start, interview,
referred, together, detained, onward (indexes 0–5); played by keyboard and by pointer,
the path written as a ``choice`` interaction, resumed mid-way from suspend_data.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from scorm_player import MODULES, Session, answer, go_to, open_player, start, take_test
from screenshots import WIDTHS, assert_screenshot
from test_runtime_learner import _axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"
PAGE = "lesson-vulnerable-groups"
CASE = "child-at-the-border"
BOX = f"[data-scenario='{CASE}']"
VERSIONS = ("1.2", "2004")


def visible_nodes(session: Session) -> list[str]:
    return list(session.js(f"""() => [...document.querySelectorAll("{BOX} [data-node]")]
        .filter(n => !n.hidden).map(n => n.dataset.node)"""))


def focused(session: Session) -> str:
    return str(session.js("() => document.activeElement.id"))


def cmi_of(session: Session) -> dict[str, Any]:
    cmi = session.unload()
    return dict(cmi.get("cmi", cmi))


def scenario_interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    rows = cmi.get("interactions", {})
    return [rows[k] for k in sorted(rows, key=int) if rows[k]["id"] == f"scenario.{CASE}"]


@pytest.mark.parametrize("version", VERSIONS)
def test_played_by_keyboard_and_pointer(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    go_to(session, PAGE)
    assert visible_nodes(session) == ["start"]
    box = session.sco.locator(BOX)
    # keyboard: Tab to the first choice, Enter
    box.locator("[data-go=interview]").focus()
    session.page.keyboard.press("Enter")
    assert visible_nodes(session) == ["interview"]
    assert focused(session) == f"scn-{CASE}-interview"
    # pointer
    box.locator("[data-go=referred]").click()
    assert visible_nodes(session) == ["referred"]
    assert focused(session) == f"scn-{CASE}-referred"
    debrief = box.locator("[data-node=referred] .mirco-debrief")
    assert debrief.is_visible()
    assert debrief.locator("li").all_inner_texts() == [
        "Take the boy aside and talk with him, with an interpreter",
        "Call the centre for social work for a temporary guardian and register his "
        "intention to seek asylum"]
    assert session.js("() => window.mirco.state.scenarios")[CASE] == "0.1.2"
    # start again, by keyboard
    debrief.locator("[data-action=replay]").focus()
    session.page.keyboard.press("Space")
    assert visible_nodes(session) == ["start"]
    assert focused(session) == f"scn-{CASE}-start"
    box.locator("[data-go=detained]").click()
    assert visible_nodes(session) == ["detained"]
    cmi = cmi_of(session)
    played = scenario_interactions(cmi)
    if version == "1.2":  # appended, node indexes as 1.2 single-character identifiers
        assert [(i["type"], i["student_response"], i["result"]) for i in played] == [
            ("choice", "1,2", "neutral"), ("choice", "4", "neutral")]
    else:  # one entry per scenario, the latest path; node ids
        assert [(i["type"], i["learner_response"], i["result"], i["description"])
                for i in played] == [("choice", "detained", "neutral",
                                      "Case: a boy alone at the border")]
        assert played[0]["objectives"]["0"]["id"] == "LO4"
    suspend = json.loads(cmi["suspend_data"])
    assert suspend["s"] == {CASE: "0.4"}


@pytest.mark.parametrize("version", VERSIONS)
def test_resumed_mid_scenario(lms: Any, site: Any, version: str) -> None:
    package = site.package(MODULE, version)
    first = lms(version).launch(package)
    go_to(first, PAGE)
    first.sco.locator(f"{BOX} [data-go=interview]").click()
    cmi = cmi_of(first)
    assert json.loads(cmi["suspend_data"])["s"] == {CASE: "0.1"}
    assert scenario_interactions(cmi) == []  # reported at an ending only
    relaunch = json.loads(json.dumps(cmi))
    core = relaunch["core"] if version == "1.2" else relaunch
    core["entry"] = "resume"
    core.pop("exit")
    core.pop("session_time")
    second = lms(version).launch(package, relaunch)
    second.sco.locator("[data-cover=resume]").click()  # the cover offers to resume
    assert second.current() == PAGE
    assert visible_nodes(second) == ["interview"]
    second.sco.locator(f"{BOX} [data-go=onward]").click()
    assert second.sco.locator(f"{BOX} [data-node=onward] .mirco-path li").count() == 2
    assert json.loads(cmi_of(second)["suspend_data"])["s"] == {CASE: "0.1.5"}


def test_without_javascript_every_node_reads_in_order(browser: Any, site: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        nodes = page.locator(f"{BOX} [data-node]")
        assert nodes.count() == 6
        nodes.last.wait_for(state="visible", timeout=6_000)  # later pages: after 3 s
        assert all(n.is_visible() for n in nodes.all())
        assert not page.locator(f"{BOX} .mirco-debrief").first.is_visible()
        href = page.locator(f"{BOX} [data-go=interview]").get_attribute("href")
        assert href == f"#scn-{CASE}-interview"
        assert page.locator(href).text_content() == "A quiet conversation"
    finally:
        context.close()


def test_debrief_passes_axe(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package(MODULE, "2004"))
    go_to(session, PAGE)
    session.sco.locator(f"{BOX} [data-go=together]").click()
    frame = session.frame
    assert _axe(frame, frame, str(site.root / "axe.min.js")) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot(browser: Any, site: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_player(page, f"{site.base}/{site.package(MODULE, '2004')}/index.html")
        page.evaluate(f"window.mirco.player.show(window.mirco.player.indexOf('{PAGE}'))")
        box = page.locator(BOX)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_screenshot(box, "scenario-start", width)
        box.locator("[data-go=interview]").click()
        box.locator("[data-go=referred]").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_screenshot(box, "scenario-debrief", width)
    finally:
        context.close()


def play_to_an_ending(session: Session, box: Any) -> int:
    """Take the last choice of each node until an ending; the number of choices made."""
    made = 0
    while box.locator(".mirco-debrief:visible").count() == 0:
        box.locator("[data-node]:visible [data-go]").last.click()
        made += 1
    return made


@pytest.mark.parametrize("module", MODULES)
def test_suspend_data_stays_small_after_completing_a_module(
        lms: Any, site: Any, module: str) -> None:
    """SCORM 1.2's 4,096 characters hold everything, every scenario played included."""
    session = lms("1.2").launch(site.package(module, "1.2"))
    start(session)  # past the cover
    played = 0
    for _ in range(12):
        page = session.current()
        if page == "final":
            break
        section = session.sco.locator(f"section[data-page='{page}']")
        for box in section.locator("[data-scenario]").all():
            assert play_to_an_ending(session, box) >= 1
            played += 1
        for node in section.locator("[data-check]").all():
            answer(session, str(node.get_attribute("data-check")), correct=True)
            node.locator("[data-action=check]").click()
        session.sco.locator("[data-action=next]").click()
    assert played == 1
    take_test(session, "final", correct=True)
    cmi = cmi_of(session)
    assert cmi["core"]["lesson_status"] == "passed"
    suspend = json.loads(cmi["suspend_data"])
    assert len(suspend["s"]) == 1
    assert len(cmi["suspend_data"]) < 4096, len(cmi["suspend_data"])
