"""The runtime against an LMS that stores and posts like Moodle 4.3 (moodle_like.html/.py).

Reproduces what was seen in a real Moodle: SCORM 1.2 activities never completing (the
score arrived before the status), SCORM 2004 losing the end of the session (a second
full-tree beacon at unload, over the browser's keepalive budget), numbers Moodle's
CMIDecimal refuses, and a failed learner with attempts left counted as complete.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moodle_like import MoodleLike, MoodleLikeServer, Post
from scorm_player import Session, answer, go_to, take_test
from test_runtime_scorm import read_lessons

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
HERE = Path(__file__).resolve().parent
KEEPALIVE_BUDGET = 64 * 1024
"""Chromium's budget for the bodies of keepalive requests (beacons) in flight."""


@pytest.fixture(scope="module")
def moodle(site: Any) -> Iterator[MoodleLikeServer]:
    shutil.copy(HERE / "moodle_like.html", site.root / "moodle_like.html")
    server = MoodleLikeServer(site.root)
    try:
        yield server
    finally:
        server.close()


def launch(tab: Any, server: MoodleLikeServer, version: str, package: str) -> Session:
    session = Session(tab, server, version)
    page = tab.page
    page.goto(f"{server.base}/moodle_like.html")
    page.evaluate("([v, url, post]) => startMoodleLike(v, url, null, post)",
                  [version, f"{package}/index.html", f"{server.base}/datamodel.php"])
    session.sco = page.frame_locator("#sco")
    session.sco.locator("html.mirco-js").wait_for(state="attached")
    session.frame = page.locator("#sco").element_handle().content_frame()
    return session


def leave(session: Session) -> None:
    """The learner leaves the course page (Moodle's player unloads with the SCO)."""
    session.page.goto("about:blank")


def package(module: str, version: str, lang: str = "en") -> str:
    return f"{module}-1.0.0-{lang}-{'scorm12' if version == '1.2' else 'scorm2004'}"


def test_scorm12_completion_rule_is_met_when_the_score_arrives(
        tab: Any, moodle: MoodleLikeServer) -> None:
    state = moodle.reset(rule=frozenset({"passed"}))
    session = launch(tab, moodle, "1.2", package("migration-human-rights", "1.2"))
    go_to(session, "pretest")
    take_test(session, "pretest", correct=False)
    session.sco.locator("[data-action=next]").click()
    read_lessons(session)
    take_test(session, "final", correct=True)
    leave(session)
    assert state.wait_for("cmi.core.total_time")
    assert state.tracks["cmi.core.lesson_status"] == "passed"
    assert state.tracks["cmi.core.score.raw"] == "100"
    assert state.complete, "the status was not stored before the score"
    assert state.refused == []


def test_scorm12_status_rule_with_a_score_in_the_same_post_would_fail() -> None:
    """The server model itself: Moodle's order (score first) in one post completes nothing."""
    state = MoodleLike(rule=frozenset({"passed"}))
    state.take(Post(False, 0, [("cmi.core.score.raw", "100"),
                               ("cmi.core.lesson_status", "passed")]), "1.2")
    assert not state.complete
    state.take(Post(False, 0, [("cmi.core.score.raw", "100")]), "1.2")
    assert state.complete


def test_scorm2004_session_end_survives_unload_after_a_retake(
        tab: Any, moodle: MoodleLikeServer) -> None:
    """The largest sample module, in Cyrillic, with every interaction of a retake."""
    state = moodle.reset(rule=frozenset({"completed"}))
    session = launch(tab, moodle, "2004", package("global-migration-governance", "2004", "mk"))
    go_to(session, "pretest")
    take_test(session, "pretest", correct=False)
    session.sco.locator("[data-action=next]").click()
    read_lessons_any(session)
    take_test(session, "final", correct=False)
    session.sco.locator("section[data-page=final] [data-action=retry]").click()
    retake = take_test(session, "final", correct=True)
    count = int(session.page.evaluate("window.lms.GetValue('cmi.interactions._count')"))
    leave(session)
    assert state.wait_for("cmi.total_time").startswith("PT")
    assert state.tracks["cmi.exit"] == "normal"
    assert (state.tracks["cmi.completion_status"], state.tracks["cmi.success_status"]) == (
        "completed", "passed")
    beacons = [p for p in state.posts if p.beacon]
    assert len(beacons) == 1, "Terminate alone at unload: one beacon"
    assert count >= 30  # checks, pre-test, final (the retake updated the final's in place)
    ids = {v: k[:-3] for k, v in state.tracks.items()
           if re.match(r"^cmi\.interactions\.\d+\.id$", k)}
    assert all(state.tracks[ids[f"final.{q}"] + ".result"] == "correct" for q in retake)
    assert beacons[0].size < KEEPALIVE_BUDGET * 3 // 4, beacons[0].size
    assert state.refused == []


def read_lessons_any(session: Session) -> None:
    """Every lesson visited, every knowledge check answered (any language)."""
    for _ in range(15):
        page = session.current()
        if page == "final":
            return
        for node in session.sco.locator(f"section[data-page='{page}'] [data-check]").all():
            answer(session, str(node.get_attribute("data-check")), correct=True)
            node.locator("[data-action=check]").click()
        session.sco.locator("[data-action=next]").click()
    raise AssertionError("never reached the tests")


def test_numbers_stay_within_moodle_formats(tab: Any, moodle: MoodleLikeServer) -> None:
    state = moodle.reset()
    session = launch(tab, moodle, "2004", package("migration-human-rights", "2004"))
    session.js("""() => {
      const q = { data: { points: 1, outcomes: ["LO1"] }, stemText: () => "How many?",
        interaction: () => ({ type: "numeric", response: "987654",
                              pattern: "1000000[:]2000000" }) };
      const tracker = window.mirco.player.tracker;
      tracker.interaction({ id: "final.big", question: q, answer: "987654", correct: false,
        latency: 1000, time: Date.now(), attempt: 1 });
      const r = { data: { points: 1, outcomes: ["LO1"] }, stemText: () => "How many?",
        interaction: () => ({ type: "numeric", response: "0.000000001",
                              pattern: "-12.5[:]99999.25" }) };
      tracker.interaction({ id: "final.small", question: r, answer: "x", correct: false,
        latency: 1000, time: Date.now(), attempt: 1 });
      const again = { data: { points: 2, outcomes: ["LO1"] }, stemText: () => "How many?",
        interaction: () => ({ type: "numeric", response: "1500000.5", pattern: "" }) };
      tracker.interaction({ id: "final.big", question: again, answer: "1500000.5",
        correct: true, latency: 1000, time: Date.now(), attempt: 2 });
      tracker.lms.commit();
    }""")
    assert state.refused == []
    assert "cmi.interactions.0.learner_response" not in state.tracks
    assert "cmi.interactions.0.correct_responses.0.pattern" not in state.tracks
    assert state.tracks["cmi.interactions.1.learner_response"] == "0"
    assert state.tracks["cmi.interactions.1.correct_responses.0.pattern"] == "-12.5[:]99999.25"
    assert state.tracks["cmi.interactions.0.result"] == "correct"  # the retake, in place
    assert state.tracks["cmi.interactions.0.weighting"] == "2"
    assert "cmi.interactions.2.id" not in state.tracks


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_failed_with_attempts_left_is_not_complete(
        tab: Any, moodle: MoodleLikeServer, version: str) -> None:
    state = moodle.reset(rule=frozenset({"completed"}))
    session = launch(tab, moodle, version, package("migration-human-rights", version))
    go_to(session, "pretest")
    take_test(session, "pretest", correct=False)
    session.sco.locator("[data-action=next]").click()
    read_lessons(session)
    take_test(session, "final", correct=False)
    leave(session)
    if version == "1.2":
        assert state.wait_for("cmi.core.total_time")
        assert state.tracks["cmi.core.lesson_status"] == "failed"
        assert state.tracks["cmi.core.exit"] == "suspend"
    else:
        assert state.wait_for("cmi.total_time")
        assert (state.tracks["cmi.completion_status"], state.tracks["cmi.success_status"]) == (
            "incomplete", "failed")
        assert state.tracks["cmi.exit"] == "suspend"
    assert not state.complete
