"""Essays and the course evaluation in Chromium, on scorm-again (SCORM 1.2 and 2004) with a
live `mirco lrs serve`: typed with the keyboard and rated with the pointer and the arrow
keys, journalled as interactions (never scored: the final test's score ignores its essay),
in xAPI in full; an anonymous evaluation leaves the LMS and the learner's identity out;
`mirco report evaluation` reads what arrived. Screenshots of the blocks at 360 and 1280 px.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from browser_paths import LIBS
from click.testing import CliRunner
from scorm_player import (
    ESSAY_TEXT,
    Session,
    StandalonePage,
    Tab,
    answer,
    go_to,
    open_player,
    open_tab,
    relaunch_cmi,
    take_test,
)
from screenshots import assert_screenshot
from xapi_live import LiveLrs, SiteServer, cmi5_launch, live_site, serve_packages, tracked_project

from mirco_lms.build import BuildOptions, build
from mirco_lms.cli import main
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]
BASE = "https://training.example.org/mirco"
HOMEPAGE = "https://lms.example.org"
NAMED = "smuggling-of-migrants"
ANONYMOUS = "migration-human-rights"
FORMATS = {"1.2": "scorm12", "2004": "scorm2004"}
EXT = "https://w3id.org/xapi/mirco/extensions/"
TEST_ESSAY = """
# In your own words

## What makes smuggling a crime against the State? {#som-f-essay outcome=LO1 type=essay max=300}
"""
"""An essay in the final test (after its pools, asked every attempt): it must not change
the score."""
COMMENT = "More role plays, please; the glossary helped."
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(session: Session) -> list[Any]:
    """axe-core's WCAG 2.1 AA violations in the SCO's document as it is now."""
    session.frame.add_script_tag(path=str(LIBS["axe.min.js"]))
    found = session.js("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                       WCAG)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found["violations"]]


@dataclass
class Tracked:
    lrs: LiveLrs
    site: SiteServer
    base: str


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracked]:
    with live_site(tmp_path_factory, "essay") as live:
        project = tracked_project(live.work, live.lrs, BASE, HOMEPAGE)
        final = project / "modules" / NAMED / "final-test.md"
        final.write_text(final.read_text(encoding="utf-8") + TEST_ESSAY, encoding="utf-8")
        build(ProjectConfig.load(project), BuildOptions(
            slugs=(NAMED, ANONYMOUS), formats=(*FORMATS.values(), "cmi5"),
            out_dir=live.work / "dist", jobs=1, languages=("en",)))
        serve_packages(live.work / "dist", live.root)
        live.lrs.start()
        yield Tracked(live.lrs, live.site, live.site.base)


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    with open_tab(browser, timeout_ms=15_000) as recorder:
        yield recorder
    assert recorder.errors == []


def _learner(version: str) -> dict[str, Any]:
    if version == "1.2":
        return {"core": {"student_id": "u1042", "student_name": "Anić, Ana"}}
    return {"learner_id": "u1042", "learner_name": "Anić, Ana"}


def _launch(tab: Tab, tracked: Tracked, module: str, version: str) -> Session:
    return Session(tab, tracked, version).launch(f"{module}-1.0.0-en-{FORMATS[version]}",
                                                 _learner(version))


def _interactions(cmi: dict[str, Any]) -> list[dict[str, Any]]:
    c = cmi["cmi"] if "cmi" in cmi else cmi
    rows = c["interactions"]
    return [rows[k] for k in sorted(rows, key=int)] if isinstance(rows, dict) else list(rows)


def _response(row: dict[str, Any]) -> str:
    return str(row.get("learner_response", row.get("student_response", "")))


def _send_evaluation(session: Session, prefix: str) -> None:
    """Ratings with the pointer, the comment with the keyboard, then Submit."""
    go_to(session, "evaluation")
    for n in range(1, 6):
        answer(session, f"{prefix}-ev-0{n}", correct=True)
    session.sco.locator(f"#mq-{prefix}-ev-06-input").focus()
    session.page.keyboard.type(COMMENT)
    session.sco.locator("form[data-assessment=evaluation] .mirco-submit").click()
    result = session.sco.locator("section[data-page=evaluation] .mirco-result")
    result.wait_for(state="visible")
    assert "Thank you" in result.inner_text() and "%" not in result.inner_text()
    assert session.sco.locator("section[data-page=evaluation] [data-action=retry]").count() == 0


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_essay_and_named_evaluation(tab: Tab, tracked: Tracked, version: str) -> None:
    session = _launch(tab, tracked, NAMED, version)
    registration = session.js("() => window.mirco.state.registration")
    sco = session.sco
    page = session.js("() => document.querySelector('[data-check=som-reflect]')"
                      ".closest('[data-page]').dataset.page")
    go_to(session, page)
    check = sco.locator("[data-check=som-reflect]")
    box = sco.locator("#mq-som-reflect-input")
    assert box.get_attribute("maxlength") == "800"
    box.focus()
    session.page.keyboard.type(ESSAY_TEXT)
    assert f"{len(ESSAY_TEXT)}/800" in check.locator(".mirco-count").inner_text()
    session.page.keyboard.press("Tab")  # the next control is "Check answer"
    assert session.js("() => document.activeElement.dataset.action") == "check"
    session.page.keyboard.press("Enter")
    own = check.locator(".mirco-self")
    own.wait_for(state="visible")
    assert "national referral mechanism" in own.inner_text()
    assert check.locator(".mirco-verdict, .mirco-key").count() == 0  # never right or wrong
    check.locator("label", has_text="Most of it").click()  # pointer
    session.page.keyboard.press("ArrowDown")  # keyboard: the next point, "Some of it"
    assert check.locator("input[value=some]").is_checked()
    go_to(session, "final")
    take_test(session, "final", correct=True)
    assert session.js("() => window.mirco.player.tests.final.attempt().score") == 100
    essay = sco.locator("#mq-som-f-essay")
    assert essay.locator(".mirco-verdict, .mirco-key").count() == 0
    assert essay.locator("textarea").is_disabled()
    sco.locator("[data-action=next]").click()
    assert session.current() == "evaluation"
    _send_evaluation(session, "som")
    suspend = session.js("() => window.mirco.state.encode(4096)")
    assert len(suspend) < 4096 and '"evaluation":[1,' in suspend
    worst = session.js("""() => {
      const state = window.mirco.state;
      state.checks['som-reflect'] = 'x'.repeat(4000);
      return state.encode(4096);
    }""")
    assert len(worst) <= 4096 and "x" * 1000 in worst and "x" * 1001 not in worst
    cmi = session.unload()
    rows = _interactions(cmi)
    by_id: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    [reflection] = by_id["check.som-reflect"]
    assert reflection["type"] == ("fill-in" if version == "1.2" else "long-fill-in")
    assert reflection["result"] == "neutral"
    assert _response(reflection) == ESSAY_TEXT[:255]
    ratings = [_response(r) for r in by_id["check.som-reflect-self"]]
    assert {r["type"] for r in by_id["check.som-reflect-self"]} == {"likert"}
    assert ratings == (["1", "2"] if version == "1.2" else ["some"])  # 1.2 appends
    assert [_response(r) for r in by_id["final.som-f-essay"]] == [ESSAY_TEXT[:255]]
    for n in range(1, 6):
        [item] = by_id[f"evaluation.som-ev-0{n}"]
        assert (item["type"], _response(item), item["result"]) == ("likert", "4", "neutral")
    [comment] = by_id["evaluation.som-ev-06"]
    assert _response(comment) == COMMENT
    c = cmi["cmi"] if "cmi" in cmi else cmi
    if version == "1.2":
        assert (c["core"]["lesson_status"], c["core"]["score"]["raw"]) == ("passed", "100")
        assert len(c["suspend_data"]) < 4096
    else:
        assert (c["completion_status"], c["success_status"], c["score"]["raw"]) == (
            "completed", "passed", "100")
    got = tracked.lrs.wait_for("terminated", registration=registration)
    answered = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in got
                if s["verb"]["id"].endswith("/answered")}
    essay_stmt = answered["som-reflect"]
    assert essay_stmt["object"]["definition"]["interactionType"] == "long-fill-in"
    assert essay_stmt["result"]["response"] == ESSAY_TEXT
    assert "success" not in essay_stmt["result"] and "score" not in essay_stmt["result"]
    rating = answered["som-reflect-self"]["object"]["definition"]
    assert rating["interactionType"] == "likert"
    assert [s["id"] for s in rating["scale"]] == ["all", "most", "some", "none"]
    survey = answered["som-ev-01"]
    assert survey["context"]["extensions"][EXT + "assessment"] == "evaluation"
    assert survey["actor"]["account"] == {"homePage": HOMEPAGE, "name": "u1042"}
    assert [s["id"] for s in survey["object"]["definition"]["scale"]] == ["1", "2", "3", "4", "5"]
    assert survey["object"]["definition"]["scale"][4]["description"] == {"en": "Strongly agree"}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_self_rating_comes_back_on_resume(tab: Tab, tracked: Tracked, version: str) -> None:
    """The rating given against the model answer is shown again when the learner comes
    back (kept with the checks in suspend_data), beside the essay it rates."""
    session = _launch(tab, tracked, NAMED, version)
    page = session.js("() => document.querySelector('[data-check=som-reflect]')"
                      ".closest('[data-page]').dataset.page")
    go_to(session, page)
    check = session.sco.locator("[data-check=som-reflect]")
    session.sco.locator("#mq-som-reflect-input").fill(ESSAY_TEXT)
    check.locator("[data-action=check]").click()
    check.locator("label", has_text="Some of it").click()
    assert session.js("() => window.mirco.player.question('som-reflect-self').read()") != ""
    cmi = session.unload()
    again = Session(tab, tracked, version).launch(f"{NAMED}-1.0.0-en-{FORMATS[version]}",
                                                  relaunch_cmi(cmi, version))
    go_to(again, page)
    check = again.sco.locator("[data-check=som-reflect]")
    assert check.locator("#mq-som-reflect-input").input_value() == ESSAY_TEXT
    assert check.locator(".mirco-self").is_visible()
    assert check.locator("input[value=some]").is_checked()
    assert check.locator("input[data-self]:checked").count() == 1


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_anonymous_evaluation_leaves_no_identity(tab: Tab, tracked: Tracked,
                                                 version: str) -> None:
    session = _launch(tab, tracked, ANONYMOUS, version)
    registration = session.js("() => window.mirco.state.registration")
    facts = session.sco.locator("section[data-page=evaluation] .mirco-facts")
    go_to(session, "evaluation")
    assert "not stored with your name" in facts.inner_text()
    _send_evaluation(session, "mhr")
    assert '"evaluation":[1,' in session.js("() => window.mirco.state.encode(4096)")
    actor = session.js("() => window.mirco.xapi.anon")  # made up for this session
    cmi = session.unload()
    ids = [row["id"] for row in _interactions(cmi)]
    assert not [i for i in ids if i.startswith("evaluation.")], ids
    assert COMMENT not in json.dumps(cmi)
    own = tracked.lrs.wait_for("terminated", registration=registration)
    assert not [s for s in own if "evaluation" in s["object"]["id"]]
    module = f"{BASE}/{ANONYMOUS}"
    ours = [s for s in tracked.lrs.statements() if s["actor"] == actor]
    assert len(ours) == 7  # five ratings, the comment, the survey completed
    assert {s["object"]["id"].rsplit("/", 1)[-1] for s in ours} == {
        *(f"mhr-ev-0{n}" for n in range(1, 7)), "evaluation"}
    assert [s["result"]["response"] for s in ours if s["object"]["id"].endswith("-06")] == [
        COMMENT]
    for s in ours:
        assert actor["account"]["homePage"] == module and "name" not in actor
        assert "registration" not in s["context"]
        text = json.dumps(s)
        assert "u1042" not in text and "Ana" not in text and registration not in text
    report = CliRunner().invoke(main, ["report", "evaluation", "--db", tracked.lrs.db,
                                       "--course", module, "--format", "json"])
    assert report.exit_code == 0, report.output
    data = json.loads(report.output)
    ratings, comments = (t["rows"] for t in data["tables"])
    overall = ratings[0]
    assert overall["item"] == "(overall)" and overall["n"] % 5 == 0 and overall["mean"] == 4
    assert COMMENT in [c["comment"] for c in comments]
    assert "u1042" not in report.output and "Ana" not in report.output


def test_cmi5_sends_nothing_about_an_anonymous_evaluation(tab: Tab, tracked: Tracked) -> None:
    """cmi5 wants the learner and the registration on every statement of a launch: the
    anonymous survey's answers are not sent at all; the rest of the session is."""
    module = f"{BASE}/{ANONYMOUS}"

    def about_survey() -> int:
        return sum(s["object"]["id"].startswith(f"{module}/evaluation")
                   for s in tracked.lrs.statements())

    before = about_survey()
    actor = {"objectType": "Agent", "name": "Ana Anić",
             "account": {"homePage": HOMEPAGE, "name": "u1042"}}
    launch = cmi5_launch(tracked.lrs, tracked.site,
                         f"{tracked.base}/{ANONYMOUS}-1.0.0-en-cmi5/index.html", module, actor)
    open_player(tab.page, launch["url"])
    session = StandalonePage(tab.page)
    _send_evaluation(session, "mhr")  # type: ignore[arg-type]
    tab.page.locator("[data-action=exit]").click()
    tab.page.wait_for_url(launch["return_url"])
    got = tracked.lrs.wait_for("terminated", registration=launch["registration"])
    assert about_survey() == before
    assert all(s["actor"]["account"] == actor["account"] for s in got)
    assert COMMENT not in json.dumps(got)


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_essay_and_the_ratings(browser: Any, tracked: Tracked,
                                                  width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 2000})
    page = context.new_page()
    try:
        tab = Tab(page)
        session = Session(tab, tracked, "2004").launch(f"{NAMED}-1.0.0-en-scorm2004")
        page_id = session.js("() => document.querySelector('[data-check=som-reflect]')"
                             ".closest('[data-page]').dataset.page")
        go_to(session, page_id)
        check = session.sco.locator("[data-check=som-reflect]")
        check.locator("textarea").fill(ESSAY_TEXT)
        check.locator("[data-action=check]").click()
        check.locator("input[value=most]").check()
        session.js("() => document.activeElement.blur()")
        assert session.js("() => document.documentElement.scrollWidth <= window.innerWidth")
        assert_screenshot(check, "essay-self-rating", width)
        assert _axe(session) == []  # the model answer and the self-rating shown
        go_to(session, "evaluation")
        rating = session.sco.locator("#mq-som-ev-01")
        rating.locator("#mq-som-ev-01-4").check()
        session.js("() => document.activeElement.blur()")
        assert session.js("() => document.documentElement.scrollWidth <= window.innerWidth")
        assert_screenshot(rating, "evaluation-rating", width)
        session.sco.locator("form[data-assessment=evaluation] .mirco-submit").click()
        session.sco.locator("section[data-page=evaluation] .mirco-result").wait_for()
        assert _axe(session) == []  # the survey sent
    finally:
        context.close()
