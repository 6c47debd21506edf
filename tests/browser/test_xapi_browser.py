"""xAPI from packages, end to end: Chromium, scorm-again, a live `mirco lrs serve`, reports.

The packages are served from one origin and the LRS from another (CORS). The project's
mirco.toml names the LRS and a statements/write key in [tracking], as an author would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from scorm_player import Session, Tab, answer, drawn, go_to, open_player, open_tab, start, take_test
from xapi_live import (
    CMI5_SESSION,
    LiveLrs,
    SiteServer,
    cmi5_launch,
    live_site,
    serve_packages,
    tracked_project,
)

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]
MODULE = "migration-human-rights"
BASE = "https://training.example.org/mirco"
MODULE_IRI = f"{BASE}/{MODULE}"
HOMEPAGE = "https://lms.example.org"
VERB = "http://adlnet.gov/expapi/verbs/"
CMI5_CAT = "https://w3id.org/xapi/cmi5/context/categories/"
EXT = "https://w3id.org/xapi/mirco/extensions/"


@dataclass
class Tracked:
    lrs: LiveLrs
    site: SiteServer
    base: str

    def package(self, fmt: str) -> str:
        return f"{MODULE}-1.0.0-en-{fmt}"


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracked]:
    with live_site(tmp_path_factory, "xapi") as live:
        project = tracked_project(
            live.work, live.lrs, BASE, HOMEPAGE,
            project_lines='institution = "Ministry of Interior"\n')
        build(ProjectConfig.load(project), BuildOptions(
            slugs=(MODULE,), formats=("scorm12", "scorm2004", "cmi5"),
            out_dir=live.work / "dist", jobs=1, languages=("en",)))
        serve_packages(live.work / "dist", live.root)
        live.lrs.start()
        yield Tracked(live.lrs, live.site, live.site.base)


@pytest.fixture
def page_tab(browser: Any) -> Iterator[Tab]:
    with open_tab(browser, timeout_ms=15_000) as recorder:
        yield recorder
    # requests the test itself aborts (offline) are logged by Chromium; nothing else may be
    assert [e for e in recorder.errors if "net::ERR_FAILED" not in e] == []


def learner_cmi(version: str) -> dict[str, Any]:
    if version == "1.2":
        return {"core": {"student_id": "u1042", "student_name": "Anić, Ana"}}
    return {"learner_id": "u1042", "learner_name": "Anić, Ana"}


def read_lessons(session: Session) -> None:
    for _ in range(10):
        page = session.current()
        if page == "final":
            return
        if page == "cover":
            start(session)
            continue
        for node in session.sco.locator(f"section[data-page='{page}'] [data-check]").all():
            answer(session, str(node.get_attribute("data-check")), correct=True)
            node.locator("[data-action=check]").click()
        session.sco.locator("[data-action=next]").click()
    raise AssertionError("never reached the tests")


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def about(statements: list[dict[str, Any]], verb: str, object_id: str) -> list[dict[str, Any]]:
    return [s for s in statements if s["verb"]["id"] == VERB + verb
            and s["object"]["id"] == object_id]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_scorm_and_xapi_agree(page_tab: Tab, tracked: Tracked, version: str) -> None:
    """A learner in the LMS frame: statements arrive cross-origin and say what SCORM says."""
    fmt = "scorm12" if version == "1.2" else "scorm2004"
    session = Session(page_tab, tracked, version).launch(tracked.package(fmt), learner_cmi(version))
    registration = session.js("() => window.mirco.state.registration")
    go_to(session, "pretest")
    take_test(session, "pretest", correct=False)
    session.sco.locator("[data-action=next]").click()
    read_lessons(session)
    final_ids = take_test(session, "final", correct=True)
    cmi = session.unload()
    got = tracked.lrs.wait_for("terminated", registration=registration)
    assert verbs(got)[0] == "initialized" and verbs(got)[-1] == "terminated"
    account = {"homePage": HOMEPAGE, "name": "u1042"}
    assert all(s["actor"]["account"] == account for s in got)
    assert {s["context"]["registration"] for s in got} == {registration}
    assert {s["context"]["language"] for s in got} == {"en"}
    for s in got:
        ctx = s["context"]
        assert ctx["contextActivities"]["grouping"][0] == {"id": MODULE_IRI}
        assert ctx["extensions"][EXT + "module-version"] == "1.0.0"
        # [project] is the provider; the learner's own come from the LMS or the registry
        assert ctx["extensions"][EXT + "provider-institution"] == "Ministry of Interior"
        assert ctx["extensions"][EXT + "provider-country"] == "RS"
        assert EXT + "institution" not in ctx["extensions"]
        assert EXT + "country" not in ctx["extensions"]
        assert {"id": "https://w3id.org/xapi/mirco/v2"} in ctx["contextActivities"]["category"]
        assert not any(c["id"].startswith(CMI5_CAT) for c in ctx["contextActivities"]["category"])
    lessons = [s for s in got if s["verb"]["id"] == VERB + "experienced"]
    assert lessons and all(s["object"]["id"].startswith(MODULE_IRI + "/") for s in lessons)
    assert {s["object"]["definition"]["type"] for s in lessons} == {
        "http://adlnet.gov/expapi/activities/lesson"}
    finals = [s for s in got if s["verb"]["id"] == VERB + "answered"
              and s["context"]["extensions"].get(EXT + "assessment") == "final"]
    assert len(finals) == len(final_ids)
    for s in finals:
        assert s["object"]["id"].startswith(f"{MODULE_IRI}/final-test/")
        assert s["context"]["contextActivities"]["parent"] == [{"id": f"{MODULE_IRI}/final-test"}]
        assert s["context"]["extensions"][EXT + "attempt"] == 1
        assert s["context"]["extensions"][EXT + "outcomes"], s["object"]["id"]
        definition = s["object"]["definition"]
        assert definition["interactionType"] and definition["correctResponsesPattern"]
        assert s["result"]["success"] is True
    pre = about(got, "completed", f"{MODULE_IRI}/pretest")
    assert len(pre) == 1 and "success" not in pre[0]["result"]
    (module_passed,) = about(got, "passed", MODULE_IRI)
    (test_passed,) = about(got, "passed", f"{MODULE_IRI}/final-test")
    assert len(about(got, "completed", MODULE_IRI)) == 1
    assert about(got, "terminated", MODULE_IRI)[0]["result"]["duration"].startswith("PT")
    c = cmi["cmi"] if "cmi" in cmi else cmi
    if version == "1.2":
        raw, status = c["core"]["score"]["raw"], c["core"]["lesson_status"]
        assert status == "passed"
    else:
        raw = c["score"]["raw"]
        assert (c["completion_status"], c["success_status"]) == ("completed", "passed")
        assert float(c["score"]["scaled"]) == test_passed["result"]["score"]["scaled"]
    for s in (module_passed, test_passed):
        assert s["result"]["score"]["raw"] == float(raw)
        assert s["result"]["score"]["scaled"] == pytest.approx(float(raw) / 100)
        assert s["result"]["success"] is True
    assert all(s["object"]["id"].startswith(MODULE_IRI) for s in got)
    report = CliRunner().invoke(main, ["report", "completions", "--db", tracked.lrs.db,
                                       "--course", MODULE_IRI, "--format", "json"])
    assert report.exit_code == 0, report.output
    (row,) = json.loads(report.output)["tables"][0]["rows"]
    assert (row["launched"], row["completed"], row["passed"], row["failed"]) == (1, 1, 1, 0)
    assert row["mean_score"] == float(raw)


def test_offline_learner_records_arrive_once(page_tab: Tab, tracked: Tracked) -> None:
    """LRS unreachable during the course, reachable later: every statement arrives once."""
    page = page_tab.page
    page.route(f"{tracked.lrs.endpoint}**", lambda route: route.abort())
    session = Session(page_tab, tracked, "2004").launch(tracked.package("scorm2004"),
                                                        learner_cmi("2004"))
    registration = session.js("() => window.mirco.state.registration")
    read_lessons(session)
    go_to(session, "final")
    ids = drawn(session, "final")
    answer(session, ids[0], correct=True)
    assert tracked.lrs.statements(registration=registration) == []
    assert len(session.js("() => JSON.parse(localStorage.getItem('mirco:xapi:log'))")) > 5
    session.unload()
    # back online: the next launch sends the old session's statements and its own
    page.unroute(f"{tracked.lrs.endpoint}**")
    second = Session(page_tab, tracked, "2004").launch(
        tracked.package("scorm2004"), {**learner_cmi("2004"), "entry": "resume",
                                       "suspend_data": session_suspend(page)})
    assert second.js("() => window.mirco.state.registration") == registration
    go_to(second, "final")
    take_test(second, "final", correct=True)
    tracked.lrs.wait_for("passed", count=2, registration=registration)
    # offline again for a moment: a lesson visit waits in the queue until `online`
    page.route(f"{tracked.lrs.endpoint}**", lambda route: route.abort())
    second.sco.locator("[data-action=previous]").click()  # to the last lesson
    second.sco.locator("[data-action=next]").click()
    queued = second.js("() => window.mirco.xapi.sender.queue.list().map(e => e.s)")
    assert [s["verb"]["id"] for s in queued] == [VERB + "experienced"]
    before = len(experienced(tracked, registration))
    page.unroute(f"{tracked.lrs.endpoint}**")
    second.js("() => window.dispatchEvent(new Event('online'))")
    tracked.lrs.wait_for("experienced", count=before + 1, registration=registration)
    second.unload()
    got = tracked.lrs.wait_for("terminated", count=2, registration=registration)
    log = stored_log(page, tracked)
    stored = [s["id"] for s in got]
    assert len(stored) == len(set(stored))
    assert sorted(stored) == sorted(log)
    assert verbs(got).count("initialized") == 2 and "resumed" in verbs(got)
    assert verbs(got).count("suspended") == 1


def experienced(tracked: Tracked, registration: str) -> list[dict[str, Any]]:
    return [s for s in tracked.lrs.statements(registration=registration)
            if s["verb"]["id"] == VERB + "experienced"]


def session_suspend(page: Any) -> str:
    return str(page.evaluate("() => window.lms.renderCMIToJSONObject().cmi.suspend_data"))


def stored_log(page: Any, tracked: Tracked) -> list[str]:
    """The ids the runtime generated (its log in the packages' origin localStorage)."""
    page.goto(f"{tracked.base}/returned.html")
    return list(page.evaluate("() => JSON.parse(localStorage.getItem('mirco:xapi:log') || '[]')"))


def test_cmi5_launch_and_defined_statements(page_tab: Tab, tracked: Tracked) -> None:
    """cmi5 §8-§10: fetch token once, LaunchData, initialized … completed, failed … terminated,
    categories, session id, publisher id, masteryScore from the LMS (0.99 > the course's 70 %)."""
    page = page_tab.page
    actor = {"objectType": "Agent", "name": "Ana Anić",
             "account": {"homePage": HOMEPAGE, "name": "u1042"}}
    launch = cmi5_launch(tracked.lrs, tracked.site,
                         f"{tracked.base}/{tracked.package('cmi5')}/index.html", MODULE_IRI,
                         actor, masteryScore=0.99)
    open_player(page, launch["url"])
    reuse = page.evaluate("u => fetch(u, {method: 'POST'}).then(r => r.json())", launch["fetch"])
    assert reuse["error-code"] == "1"
    session = Cmi5Session(page)
    read_lessons(session)  # type: ignore[arg-type]
    go_to(session, "final")  # type: ignore[arg-type]
    ids = drawn(session, "final")  # type: ignore[arg-type]
    for i, qid in enumerate(ids):
        answer(session, qid, correct=i > 0)  # type: ignore[arg-type]
    page.locator("form[data-assessment=final] .mirco-submit").click()
    page.locator("section[data-page=final] .mirco-result").wait_for(state="visible")
    score = page.evaluate("() => window.mirco.state.assessments.final.score")
    assert 70 <= score < 99
    page.locator("[data-action=exit]").click()
    page.wait_for_url(launch["return_url"])
    got = tracked.lrs.wait_for("terminated", registration=launch["registration"])
    mine = [s for s in got if s["verb"]["id"] != VERB + "launched"]
    mine.sort(key=lambda s: s["timestamp"])
    defined = [s for s in mine if {"id": CMI5_CAT + "cmi5"} in
               s["context"]["contextActivities"].get("category", [])]
    # failed with attempts left: not completed (as in SCORM 1.2 and 2004)
    assert verbs(defined) == ["initialized", "failed", "terminated"]
    assert verbs(mine)[0] == "initialized" and verbs(mine)[-1] == "terminated"
    for s in mine:
        ctx = s["context"]
        assert ctx["registration"] == launch["registration"]
        assert ctx["extensions"][CMI5_SESSION] == launch["session"]
        assert {"id": MODULE_IRI} in ctx["contextActivities"]["grouping"]
        assert s["actor"]["account"] == actor["account"]
        assert s["timestamp"].endswith("Z")
    for s in defined:
        assert s["object"]["id"] == launch["activity_id"]
        moveon = {"id": CMI5_CAT + "moveon"} in s["context"]["contextActivities"]["category"]
        assert moveon == (verbs([s])[0] in ("completed", "failed"))
    allowed = [s for s in mine if s not in defined]
    assert {"experienced", "answered"} <= set(verbs(allowed))
    failed = defined[1]
    assert failed["result"]["success"] is False
    assert failed["result"]["score"]["scaled"] < 0.99
    assert isinstance(failed["result"]["score"]["raw"], int)
    assert failed["context"]["extensions"][
        "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] == 0.99
    assert "duration" in failed["result"]


class Cmi5Session:
    """The page itself is the AU (no LMS frame): the helpers' session interface."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.sco = page
        self.frame = page

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def current(self) -> str:
        return str(self.page.locator("section[data-page]:visible").get_attribute("data-page"))


def test_standalone_learner_gives_name_and_email_once(page_tab: Tab, tracked: Tracked) -> None:
    """No LMS: a labelled form asks once; queued statements get that actor; it is remembered."""
    page = page_tab.page
    page.goto(f"{tracked.base}/{tracked.package('scorm2004')}/index.html")
    form = page.locator("form.mirco-learner")
    form.wait_for(state="visible")
    registration = page.evaluate("() => window.mirco.state.registration")
    page.locator("[data-cover=start]").click()  # the cover's Start: the overview
    for _ in range(3):  # the overview, the pre-test, then the first lesson: one lesson visit
        page.locator("[data-action=next]").click()
    assert tracked.lrs.statements(registration=registration) == []  # waiting for the actor
    page.get_by_label("Your name").fill("Mirsad H.")
    page.get_by_label("Your e-mail address").fill("mirsad@example.ba")
    form.get_by_role("button", name="Save").click()
    assert form.is_hidden()
    got = tracked.lrs.wait_for("experienced", registration=registration)
    assert verbs(got)[0] == "initialized"
    assert {json.dumps(s["actor"], sort_keys=True) for s in got} == {json.dumps(
        {"objectType": "Agent", "name": "Mirsad H.", "mbox": "mailto:mirsad@example.ba"},
        sort_keys=True)}
    page.reload()
    page.locator("html.mirco-js").wait_for(state="attached")
    assert page.locator("form.mirco-learner").is_hidden()


def test_report_by_country_shows_the_learners_not_the_provider(
    page_tab: Tab, tracked: Tracked, tmp_path: Path
) -> None:
    """The centre's [project].country is RS; its learners are registered in MK, BA and ME.
    They play the package (the runtime's own statements, through the live LRS): the
    report by country shows their countries, and RS only as the provider's."""
    learners = {"u-mk-1": "MK", "u-ba-1": "BA", "u-me-1": "ME"}
    registry = tmp_path / "learners.csv"
    registry.write_text("account,institution,country\n" + "".join(
        f"{account},Police {country},{country}\n" for account, country in learners.items()),
        encoding="utf-8")
    imported = CliRunner().invoke(main, ["lrs", "learners", "import", str(registry), "--db",
                                         tracked.lrs.db, "--homepage", HOMEPAGE])
    assert imported.exit_code == 0, imported.output
    registrations = []
    for account in learners:
        session = Session(page_tab, tracked, "2004").launch(
            tracked.package("scorm2004"), {"learner_id": account, "learner_name": account})
        registrations.append(session.js("() => window.mirco.state.registration"))
        go_to(session, "pretest")
        take_test(session, "pretest", correct=True)
        session.unload()
    stored = [s for r in registrations
              for s in tracked.lrs.wait_for("terminated", registration=r)]
    assert all(s["context"]["extensions"][EXT + "provider-country"] == "RS" for s in stored)
    answers = [s for s in stored if s["verb"]["id"] == VERB + "answered"]
    assert answers and all(s["context"]["extensions"][EXT + "outcomes"] for s in answers)
    report = CliRunner().invoke(main, ["report", "completions", "--db", tracked.lrs.db,
                                       "--course", MODULE_IRI, "--by", "country",
                                       "--format", "json"])
    assert report.exit_code == 0, report.output
    groups = {r["group"]: r["launched"] for r in json.loads(report.output)["tables"][0]["rows"]}
    assert {"MK": 1, "BA": 1, "ME": 1}.items() <= groups.items() and "RS" not in groups
    by_outcome = CliRunner().invoke(main, ["report", "items", "--db", tracked.lrs.db,
                                           "--course", MODULE_IRI, "--by", "outcome",
                                           "--format", "json"])
    assert by_outcome.exit_code == 0, by_outcome.output
    rows = json.loads(by_outcome.output)["tables"][0]["rows"]
    assert rows and all(r["outcome"].startswith("LO") for r in rows)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_scenario_sends_the_path(page_tab: Tab, tracked: Tracked, version: str) -> None:
    """A branching scenario played to an ending: one 'answered' choice interaction with the
    path as response, then `mirco report scenarios` counts it (docs/xapi-profile.md)."""
    fmt = "scorm12" if version == "1.2" else "scorm2004"
    session = Session(page_tab, tracked, version).launch(tracked.package(fmt), learner_cmi(version))
    registration = session.js("() => window.mirco.state.registration")
    go_to(session, "lesson-vulnerable-groups")
    box = session.sco.locator("[data-scenario=child-at-the-border]")
    box.locator("[data-go=interview]").click()
    box.locator("[data-go=referred]").click()
    session.unload()
    got = tracked.lrs.wait_for("terminated", registration=registration)
    page = f"{MODULE_IRI}/vulnerable-groups"
    (played,) = about(got, "answered", f"{page}/child-at-the-border")
    definition = played["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice"
    assert definition["name"] == {"en": "Case: a boy alone at the border"}
    assert [c["id"] for c in definition["choices"]] == [
        "start", "interview", "referred", "together", "detained", "onward"]
    assert definition["choices"][1]["description"] == {"en": "A quiet conversation"}
    assert definition["extensions"][EXT + "scenario"] == {
        "endings": ["referred", "together", "detained", "onward"], "best": ["referred"]}
    result = played["result"]
    assert (result["response"], result["completion"], result["success"]) == (
        "interview[,]referred", True, True)
    assert "score" not in result and result["duration"].startswith("PT")
    ctx = played["context"]
    assert ctx["contextActivities"]["parent"] == [{"id": page}]
    assert ctx["extensions"][EXT + "outcomes"] == ["LO4"]
    assert EXT + "assessment" not in ctx["extensions"]
    report = CliRunner().invoke(main, ["report", "scenarios", "--db", tracked.lrs.db,
                                       "--course", MODULE_IRI, "--format", "json"])
    assert report.exit_code == 0, report.output
    rows = json.loads(report.output)["tables"][0]["rows"]
    row = next(r for r in rows if r["scenario"] == "child-at-the-border")
    assert row["plays"] >= 1 and {e["id"]: e["count"] for e in row["endings"]}["referred"] >= 1
