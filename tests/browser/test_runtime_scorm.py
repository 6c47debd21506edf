"""The learner runtime against scorm-again, SCORM 1.2 and 2004, in a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from scorm_player import (
    DURATION_2004,
    TIMESPAN_12,
    Session,
    answer,
    drawn,
    go_to,
    open_player,
    question_data,
    relaunch_cmi,
    start,
    take_test,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
MODULE = "migration-human-rights"
VERSIONS = ("1.2", "2004")


def core(cmi: dict[str, Any], version: str) -> dict[str, Any]:
    """The status fields in one shape for both versions."""
    c = cmi["cmi"] if "cmi" in cmi else cmi
    if version == "1.2":
        return {"status": c["core"]["lesson_status"], "exit": c["core"]["exit"],
                "location": c["core"]["lesson_location"], "raw": c["core"]["score"]["raw"],
                "min": c["core"]["score"]["min"], "max": c["core"]["score"]["max"],
                "session_time": c["core"]["session_time"], "suspend": c["suspend_data"],
                "interactions": c.get("interactions", {})}
    return {"completion": c["completion_status"], "success": c["success_status"],
            "exit": c["exit"], "location": c["location"], "raw": c["score"]["raw"],
            "min": c["score"]["min"], "max": c["score"]["max"], "scaled": c["score"]["scaled"],
            "session_time": c["session_time"], "suspend": c["suspend_data"],
            "progress": c["progress_measure"], "interactions": c.get("interactions", {})}


def read_lessons(session: Session) -> int:
    """Visit every lesson page up to the final test (passing the pre-test's page by),
    answering each knowledge check rightly; checks answered."""
    checks = 0
    for _ in range(10):
        page = session.current()
        if page == "final":
            return checks
        if page == "cover":
            start(session)
            continue
        for node in session.sco.locator(f"section[data-page='{page}'] [data-check]").all():
            qid = str(node.get_attribute("data-check"))
            answer(session, qid, correct=True)
            node.locator("[data-action=check]").click()
            if question_data(session, qid).get("graded", True):
                assert node.locator(".mirco-verdict").inner_text() == "Correct"
            else:  # a reflection: no verdict, the model answer to rate oneself against
                assert node.locator(".mirco-self").is_visible()
            checks += 1
        session.sco.locator("[data-action=next]").click()
    raise AssertionError("never reached the tests")


def interactions_ok(c: dict[str, Any], version: str, expected: int) -> list[dict[str, Any]]:
    rows = [c["interactions"][k] for k in sorted(c["interactions"], key=int)]
    assert len(rows) == expected
    for row in rows:
        assert " " not in row["id"] and len(row["id"]) <= 255
        assert row["type"] in {"true-false", "choice", "fill-in", "matching", "sequencing",
                               "numeric", "long-fill-in"}
        neutral = row["result"] == "neutral"  # a reflection: recorded, never right or wrong
        assert neutral or row["correct_responses"]["0"]["pattern"] or row["type"] == "numeric"
        assert row["objectives"]["0"]["id"].startswith("LO")
        if neutral:
            assert row["id"].startswith("check.") and row["type"] in {"fill-in", "long-fill-in"}
        if version == "1.2":
            assert neutral or row["result"] in {"correct", "wrong"}
            assert TIMESPAN_12.match(row["latency"]) and len(row["time"]) == 8
            assert len(row["student_response"]) <= 255
        else:
            assert neutral or row["result"] in {"correct", "incorrect"}
            assert DURATION_2004.match(row["latency"]) and "T" in row["timestamp"]
            assert row["description"]
    return rows


@pytest.mark.parametrize("version", VERSIONS)
def test_learner_reads_everything_and_passes(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    assert session.current() == "cover"
    assert session.js("window.mirco.lms") == version
    start(session)
    assert session.current() == "overview"
    session.sco.locator("[data-action=next]").click()
    assert session.current() == "pretest"  # the pre-test comes before the lessons
    pre = take_test(session, "pretest", correct=False)
    assert "does not count" in session.sco.locator("section[data-page=pretest] .mirco-result"
                                                    ).inner_text()
    session.sco.locator("[data-action=next]").click()
    checks = read_lessons(session)
    assert session.current() == "final"
    final = take_test(session, "final", correct=True)
    result = session.sco.locator("section[data-page=final] .mirco-result")
    assert "100 %" in result.inner_text() and "Passed" in result.inner_text()
    assert result.evaluate("el => el === document.activeElement")
    c = core(session.unload(), version)
    if version == "1.2":
        assert c["status"] == "passed" and c["exit"] == ""
        assert TIMESPAN_12.match(c["session_time"])
    else:
        assert (c["completion"], c["success"], c["exit"]) == ("completed", "passed", "normal")
        assert c["scaled"] == "1" and c["progress"] == "1"
        assert DURATION_2004.match(c["session_time"])
    assert (c["raw"], c["min"], c["max"]) == ("100", "0", "100")
    assert c["location"] == "final"
    rows = interactions_ok(c, version, checks + len(pre) + len(final))
    assert [r["id"] for r in rows[-len(final):]] == [f"final.{q}" for q in final]
    assert all(r["result"] == "correct" for r in rows[-len(final):])
    assert all(r["result"] != "correct" for r in rows[:len(pre)])
    assert len(c["suspend"]) < 4096


@pytest.mark.parametrize("version", VERSIONS)
def test_learner_fails_and_runs_out_of_attempts(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package("smuggling-of-migrants", version))
    attempts = session.js("window.mirco.course.assessments.final.attempts")
    assert attempts >= 2
    per_attempt = session.js("window.mirco.course.assessments.final.questionsPerAttempt")
    session.sco.locator(".mirco-toc summary").click()
    session.sco.locator(".mirco-toc [data-page-link=final]").click()
    for attempt in range(1, attempts + 1):
        take_test(session, "final", correct=False)
        result = session.sco.locator("section[data-page=final] .mirco-result")
        assert "Not passed" in result.inner_text()
        assert f"Attempt {attempt} of {attempts}" in result.inner_text()
        retry = result.locator("[data-action=retry]")
        if attempt < attempts:
            retry.click()
            assert session.sco.locator("form[data-assessment=final] .mirco-submit").is_visible()
        else:
            assert retry.count() == 0 and "used every attempt" in result.inner_text()
    c = core(session.unload(), version)
    # the lessons were skipped: failed, and suspended (the lessons are still to be read)
    assert c["exit"] == "suspend"
    if version == "1.2":
        assert c["status"] == "failed"
    else:
        assert (c["completion"], c["success"]) == ("incomplete", "failed")
    assert float(c["raw"]) < 70
    finals = [r for r in c["interactions"].values() if r["id"].startswith("final.")]
    if version == "1.2":  # 1.2 journals every answer; 2004 keeps a question's latest
        assert len(finals) == attempts * per_attempt
    else:
        assert len(finals) == len({r["id"] for r in finals}) >= per_attempt
    assert all(r["result"] != "correct" for r in finals)


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_halfway_and_resuming(lms: Any, site: Any, version: str) -> None:
    package = site.package(MODULE, version)
    first = lms(version).launch(package)
    read_lessons(first)
    go_to(first, "final")
    ids = drawn(first, "final")
    for qid in ids[: len(ids) // 2]:
        answer(first, qid, correct=True)
    answers = first.js("() => window.mirco.player.tests.final.drawn.map(q => q.read())")
    cmi = first.unload()
    c = core(cmi, version)
    assert c["exit"] == "suspend" and c["location"] == "final"
    assert c["status" if version == "1.2" else "completion"] == "incomplete"
    assert len(c["suspend"]) < 4096
    second = lms(version).launch(package, relaunch_cmi(cmi, version))
    assert second.current() == "cover"  # the cover offers to resume where they stopped
    assert second.sco.locator("[data-cover=start]").is_hidden()
    where = second.sco.locator("[data-cover=where]").inner_text()
    final = second.js("window.mirco.course.pages.find(p => p.id === 'final').title")
    assert where == f"You stopped at “{final}”."
    second.sco.locator("[data-cover=resume]").click()
    assert second.current() == "final"
    assert drawn(second, "final") == ids
    assert second.js("() => window.mirco.player.tests.final.drawn.map(q => q.read())") == answers
    assert "Welcome back" in second.sco.locator(".mirco-status").inner_text()
    for qid in ids[len(ids) // 2:]:
        answer(second, qid, correct=True)
    second.sco.locator("form[data-assessment=final] .mirco-submit").click()
    c = core(second.unload(), version)
    if version == "1.2":
        assert c["status"] == "passed"
    else:
        assert (c["completion"], c["success"]) == ("completed", "passed")
    assert c["raw"] == "100"


@pytest.mark.parametrize("version", VERSIONS)
def test_sco_per_lesson(lms: Any, site: Any, version: str) -> None:
    package = site.package(MODULE, version, multi=True)
    launches = ["index.html", "pretest.html", "lesson-foundations.html", "final-test.html",
                "evaluation.html"]
    for launch in launches:
        session = lms(version).launch(package, launch=launch)
        if launch == "index.html":  # the cover opens the first SCO
            start(session)
        # one page per SCO; the last SCO (the evaluation) also holds the finish page
        assert session.sco.locator(".mirco-pager").is_hidden() == (launch != "evaluation.html")
        if launch == "final-test.html":
            take_test(session, "final", correct=True)
        c = core(session.unload(), version)
        if version == "1.2":
            expected = "passed" if launch == "final-test.html" else "completed"
            assert c["status"] == expected
        else:
            assert c["completion"] == "completed"
            assert c["success"] == ("passed" if launch == "final-test.html" else "unknown")
        if launch == "final-test.html":
            assert c["raw"] == "100"
        else:
            assert c["raw"] == ""


MENU_NOTE = ("“{title}” is a separate part of this course: open it from your learning "
             "platform's course menu.")


@pytest.mark.parametrize("lms_says", ["1.2", "2004 choice invalid", "2004 choice valid"])
def test_sco_per_lesson_links_lead_to_the_other_scos(lms: Any, site: Any, lms_says: str) -> None:
    version = lms_says.split()[0]
    package = site.package(MODULE, version, multi=True)
    session = lms(version).launch(package)  # the cover and the overview, a SCO of their own
    start(session)
    target = session.js("() => window.mirco.course.elsewhere['lesson-foundations']")
    assert target["href"] == "lesson-foundations.html"
    assert target["sco"].startswith("ITEM-") and target["sco"].endswith("lesson-foundations")
    if lms_says == "2004 choice valid":
        # scorm-again knows no activity tree here and calls every choice invalid; an LMS
        # that has the manifest's tree answers "true" (or "unknown")
        session.page.evaluate("""() => { const get = window.lms.GetValue.bind(window.lms);
          const set = window.lms.SetValue.bind(window.lms);
          window.navRequests = [];
          window.lms.GetValue = (key) => key.startsWith('adl.nav.request_valid.choice.')
            ? 'true' : get(key);
          window.lms.SetValue = (key, value) => { const ok = set(key, value);
            if (key === 'adl.nav.request') { window.navRequests.push([value, ok]); }
            return ok; }; }""")
    session.sco.locator("a[data-page-link='lesson-foundations']").first.click()
    if lms_says == "2004 choice valid":  # the LMS is asked to launch that SCO; this one ends
        session.page.wait_for_function("window.lmsLog.includes('Terminate')")
        requests = session.page.evaluate("window.navRequests")
        assert requests == [["{target=" + target["sco"] + "}choice", "true"]]
        log = session.page.evaluate("window.lmsLog")
        assert log.index("Commit") < log.index("Terminate")  # the session ended properly
    else:  # SCORM 1.2 cannot ask, and a refused choice is not made: the learner is told
        status = session.sco.locator(".mirco-status")
        status.wait_for(state="visible")
        assert status.inner_text() == MENU_NOTE.format(title=target["title"])
        assert session.current() == "overview"
        session.unload()


def test_sco_per_lesson_links_without_lms_open_the_file(tab: Any, site: Any) -> None:
    package = site.package(MODULE, "2004", multi=True)
    open_player(tab.page, f"{site.base}/{package}/index.html")
    tab.page.locator("[data-cover=start]").click()
    tab.page.locator("a[data-page-link='lesson-foundations']").first.click()
    tab.page.wait_for_url("**/lesson-foundations.html")
    tab.page.locator("section[data-page='lesson-foundations']").wait_for(state="visible")


def test_debug_mode_logs_every_call(lms: Any, site: Any) -> None:
    session = lms("2004")
    logs: list[str] = []
    session.page.on("console", lambda m: logs.append(m.text))
    session.launch(site.package(MODULE, "2004"), query="?mirco-debug=1")
    session.unload()
    assert any('Initialize("")' in line for line in logs)
    assert any("SetValue(\"cmi.location\"" in line for line in logs)
    assert any('Terminate("")' in line for line in logs)


def test_lms_errors_do_not_break_the_page(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package(MODULE, "2004"))
    # an LMS that refuses every write and fails on commit: the course goes on
    session.page.evaluate("""() => {
        lms.SetValue = () => 'false';
        lms.Commit = () => { throw new Error('LMS down'); };
    }""")
    start(session)
    session.sco.locator("[data-action=next]").click()
    assert session.current() == "pretest"
    session.sco.locator("[data-action=next]").click()
    assert session.current() == "lesson-foundations"
    session.page.evaluate("unloadSco()")
    session.page.wait_for_function("window.lmsLog.includes('Terminate')")
