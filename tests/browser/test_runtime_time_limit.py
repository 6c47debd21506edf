"""Assessment time limits in the learner runtime: countdown from the first answer,
automatic submission, resume.

The sample final tests have a 30-minute limit (``time_limit: 30m``); Playwright's fake
clock moves time on instead of the test waiting.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from scorm_player import Session, answer, drawn, go_to
from test_runtime_scorm import core

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"
LIMIT_MINUTES = 30
TIME_LEFT = re.compile(r"^Time left: (\d+):(\d\d)$")


def time_left(session: Session) -> int:
    """Seconds the visible timer of the final test shows."""
    timer = session.sco.locator("section[data-page=final] .mirco-timer")
    timer.wait_for(state="visible")
    match = TIME_LEFT.match(timer.inner_text().strip())
    assert match, timer.inner_text()
    return int(match.group(1)) * 60 + int(match.group(2))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_time_up_submits_the_answers_given(lms: Any, site: Any, version: str) -> None:
    session = lms(version)
    session.page.clock.install()
    session.launch(site.package(MODULE, version))
    go_to(session, "final")
    timer = session.sco.locator("section[data-page=final] .mirco-timer")
    session.page.clock.fast_forward("05:00")
    assert timer.is_hidden()  # the clock starts with the first answer, not on sight
    ids = drawn(session, "final")
    for qid in ids[:3]:
        answer(session, qid, correct=True)
    assert LIMIT_MINUTES * 60 - 5 <= time_left(session) <= LIMIT_MINUTES * 60
    session.page.clock.fast_forward("25:00")
    assert 4 * 60 - 5 <= time_left(session) <= 5 * 60
    assert "mirco-timer-low" not in (timer.get_attribute("class") or "")
    session.page.clock.fast_forward("04:30")
    assert time_left(session) <= 60
    assert "mirco-timer-low" in (timer.get_attribute("class") or "")

    session.page.clock.fast_forward("01:00")
    result = session.sco.locator("section[data-page=final] .mirco-result")
    result.wait_for(state="visible")
    assert result.locator(".mirco-time-up").inner_text() == (
        "Time is up: your answers were submitted.")
    assert timer.is_hidden()
    assert session.sco.locator("form[data-assessment=final] .mirco-submit").is_hidden()
    answered = session.js("() => window.mirco.state.attempt('final')")
    assert answered["submitted"] and answered["used"] == 1
    assert all(answered["answers"][:3])  # the answers given before time ran out count
    expected = session.js("""() => {
      const test = window.mirco.player.tests.final;
      const a = window.mirco.state.attempt('final');
      let points = 0, max = 0;
      test.drawn.forEach((q, i) => { max += q.data.points;
        points += q.score(a.answers[i] || '').correct ? q.data.points : 0; });
      return Math.round(points / max * 10000) / 100;
    }""")
    assert 0 < expected < 100
    c = core(session.unload(), version)
    assert float(c["raw"]) == expected
    if version == "1.2":
        assert c["status"] == "failed"
    else:
        assert c["success"] == "failed"


def _relaunch_data(cmi: dict[str, Any], version: str, started: float) -> dict[str, Any]:
    """The CMI an LMS gives back on resume, with the final test's clock started at
    ``started`` (epoch seconds) in the suspend data."""
    stored = json.loads(json.dumps(cmi["cmi"] if "cmi" in cmi else cmi))
    holder = stored["core"] if version == "1.2" else stored
    holder["entry"] = "resume"
    holder.pop("exit")
    holder.pop("session_time")
    stored.pop("interactions", None)
    suspend = json.loads(stored["suspend_data"])
    assert set(suspend["t"]) == {"final"}  # only the attempt in progress has a clock
    suspend["t"]["final"] = _base36(int(started))
    stored["suspend_data"] = json.dumps(suspend, separators=(",", ":"))
    return stored


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_clock_keeps_running_between_sessions(lms: Any, site: Any, version: str) -> None:
    package = site.package(MODULE, version)
    first = lms(version).launch(package)
    go_to(first, "final")  # paging past the pre-test starts no clock
    ids = drawn(first, "final")
    answer(first, ids[0], correct=True)
    time_left(first)
    cmi = first.unload()

    ten_minutes_ago = time.time() - 10 * 60
    second = lms(version).launch(package, _relaunch_data(cmi, version, ten_minutes_ago))
    second.sco.locator("[data-cover=resume]").click()  # the cover offers to resume
    assert second.current() == "final"
    left = time_left(second)
    assert (LIMIT_MINUTES - 10) * 60 - 30 <= left <= (LIMIT_MINUTES - 10) * 60
    assert second.js("() => window.mirco.state.attempt('final').submitted") is False
    cmi = second.unload()

    long_ago = time.time() - (LIMIT_MINUTES + 5) * 60
    third = lms(version).launch(package, _relaunch_data(cmi, version, long_ago))
    third.sco.locator("[data-cover=resume]").click()
    result = third.sco.locator("section[data-page=final] .mirco-result")
    result.wait_for(state="visible")  # submitted as soon as the test is shown again
    assert result.locator(".mirco-time-up").is_visible()
    attempt = third.js("() => window.mirco.state.attempt('final')")
    assert attempt["submitted"] and attempt["used"] == 1
    assert attempt["answers"][0]
    c = core(third.unload(), version)
    assert float(c["raw"]) > 0
    suspend = json.loads(c["suspend"])
    assert "t" not in suspend  # a submitted attempt keeps no clock
