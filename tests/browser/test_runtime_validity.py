"""What keeps the knowledge-gain measure clean, in a real Chromium against scorm-again:
the review rule of the final test (no correct answer in the page while attempts remain)
and ``pretest: required`` (lessons and the final test locked until the pre-test is
submitted, in SCORM 1.2 and 2004 with resume, and standalone from disk with a reload)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_paths import REPO, add_lms, unpack
from scorm_player import Session, answer, drawn, open_player, start, take_test
from xapi_live import LiveLrs, SiteServer, cmi5_launch

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "migration-human-rights"
FORMATS = {"1.2": "scorm12", "2004": "scorm2004"}
FINAL = "section[data-page=final]"


def _feedback_texts(session: Session) -> list[str]:
    """Every per-option and general feedback text of the final test's questions (plain)."""
    return list(session.js("""() => {
      const out = [];
      const div = document.createElement('div');
      for (const id of window.mirco.player.tests.final.drawn.map(q => q.data.id)) {
        const q = window.mirco.course.questions[id];
        for (const c of (q.choices || [])) { if (c.feedback) { div.innerHTML = c.feedback;
          out.push(div.textContent.trim()); } }
        if (q.feedback) { div.innerHTML = q.feedback; out.push(div.textContent.trim()); }
      }
      return out.filter(t => t.length > 3);
    }"""))


def _shown_review(session: Session) -> dict[str, int]:
    """How much review is in the final test's DOM (present at all, not only visible)."""
    return dict(session.js("""() => {
      const s = document.querySelector('section[data-page=final]');
      return { keys: s.querySelectorAll('.mirco-key').length,
               verdicts: s.querySelectorAll('.mirco-verdict').length,
               marked: s.querySelectorAll('.mirco-is-correct, .mirco-is-wrong').length };
    }"""))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_final_test_review_waits_for_the_last_attempt(lms: Any, site: Any, version: str) -> None:
    session = lms(version).launch(site.package(MODULE, version))
    attempts = session.js("window.mirco.course.assessments.final.attempts")
    assert attempts == 3
    assert session.js("window.mirco.course.assessments.final.review") == "after-last-attempt"
    session.sco.locator(".mirco-toc summary").click()
    session.sco.locator(".mirco-toc [data-page-link=final]").click()
    for attempt in range(1, attempts):
        take_test(session, "final", correct=False)
        result = session.sco.locator(f"{FINAL} .mirco-result")
        assert f"Attempt {attempt} of {attempts}" in result.inner_text()
        assert "once you pass or have used every attempt" in result.inner_text()
        assert _shown_review(session) == {"keys": 0, "verdicts": 0, "marked": 0}
        section_text = session.sco.locator(FINAL).inner_text()
        assert "Correct answer" not in section_text
        for text in _feedback_texts(session):
            assert text not in section_text
        result.locator("[data-action=retry]").click()
    take_test(session, "final", correct=False)
    result = session.sco.locator(f"{FINAL} .mirco-result")
    assert "used every attempt" in result.inner_text()
    shown = _shown_review(session)
    per_attempt = len(drawn(session, "final"))
    assert shown["verdicts"] == per_attempt and shown["keys"] >= 1
    assert session.sco.locator(f"{FINAL} .mirco-key").first.is_visible()
    assert "Correct answer" in session.sco.locator(FINAL).inner_text()


def test_pretest_review_is_shown_at_once(lms: Any, site: Any) -> None:
    session = lms("2004").launch(site.package(MODULE, "2004"))
    start(session)
    session.sco.locator("[data-action=next]").click()
    assert session.current() == "pretest"
    ids = take_test(session, "pretest", correct=False)
    assert session.sco.locator("section[data-page=pretest] .mirco-verdict").count() == len(ids)


def _required_project(work: Path) -> Path:
    """A copy of the sample project whose module says ``pretest: required``."""
    project = work / "project"
    shutil.copytree(REPO / "modules" / MODULE, project / "modules" / MODULE)
    if (REPO / "translations").is_dir():
        shutil.copytree(REPO / "translations", project / "translations")
    shutil.copy(REPO / "mirco.toml", project / "mirco.toml")
    module_md = project / "modules" / MODULE / "module.md"
    text = module_md.read_text(encoding="utf-8")
    assert "pretest: pretest.md\n" in text
    module_md.write_text(text.replace("pretest: pretest.md\n", "pretest: required\n"),
                         encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def required_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The sample module with ``pretest: required``, as SCORM 1.2 and 2004 packages."""
    work = tmp_path_factory.mktemp("pretest-required")
    project = _required_project(work)
    build(ProjectConfig.load(project), BuildOptions(out_dir=work / "dist", jobs=1,
                                                    languages=("en",)))
    root = work / "site"
    unpack(work / "dist", root)
    add_lms(root)
    server = SiteServer(root)

    class RequiredSite:
        base = server.base

        def package(self, version: str) -> str:
            return f"{MODULE}-1.0.0-en-{FORMATS[version]}"

        def folder(self, version: str) -> Path:
            return root / self.package(version)

    try:
        yield RequiredSite()
    finally:
        server.close()


def _assert_locked(sco: Any, current: Any) -> None:
    """From the pre-test, Next and the contents lead nowhere else, and say why."""
    sco.locator("[data-action=next]").click()
    assert current() == "pretest"
    assert "Start with the pre-test" in sco.locator(".mirco-status").inner_text()
    link = sco.locator(".mirco-toc [data-page-link=lesson-foundations]")
    assert link.get_attribute("aria-disabled") == "true"
    sco.locator(".mirco-toc summary").click()
    # aria-disabled: Playwright would wait for it to be enabled; a learner can still click
    sco.locator(".mirco-toc [data-page-link=final]").click(force=True)
    assert current() == "pretest"


def _relaunch_cmi(cmi: dict[str, Any], version: str) -> dict[str, Any]:
    stored = json.loads(json.dumps(cmi["cmi"] if "cmi" in cmi else cmi))
    core = stored["core"] if version == "1.2" else stored
    core["entry"] = "resume"
    core.pop("exit")
    core.pop("session_time")
    stored.pop("interactions", None)
    return dict(stored)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_required_pretest_locks_lessons_across_resume(
        tab: Any, required_site: Any, version: str) -> None:
    first = Session(tab, required_site, version).launch(required_site.package(version))
    assert first.js("window.mirco.course.assessments.pretest.required") is True
    start(first)
    first.sco.locator("[data-action=next]").click()
    assert first.current() == "pretest"
    _assert_locked(first.sco, first.current)
    cmi = first.unload()
    # relaunched: still locked (nothing submitted); submitting opens the lessons
    second = Session(tab, required_site, version).launch(required_site.package(version),
                                                         _relaunch_cmi(cmi, version))
    second.sco.locator("[data-cover=resume]").click()  # the cover offers to resume
    assert second.current() == "pretest"
    _assert_locked(second.sco, second.current)
    ids = drawn(second, "pretest")
    for qid in ids:
        answer(second, qid, correct=False)
    second.sco.locator("form[data-assessment=pretest] .mirco-submit").click()
    second.sco.locator("[data-action=next]").click()
    assert second.current() == "lesson-foundations"
    assert second.sco.locator(".mirco-toc [data-page-link=final][aria-disabled]").count() == 0
    cmi = second.unload()
    # and after a resume the pre-test's submission still holds
    third = Session(tab, required_site, version).launch(required_site.package(version),
                                                        _relaunch_cmi(cmi, version))
    third.sco.locator(".mirco-toc summary").click()
    third.sco.locator(".mirco-toc [data-page-link=final]").click()
    assert third.current() == "final"


def test_required_pretest_locks_lessons_standalone(tab: Any, required_site: Any) -> None:
    page = tab.page
    open_player(page, (required_site.folder("2004") / "index.html").as_uri())
    assert page.evaluate("window.mirco.lms") == "standalone"
    page.locator("[data-cover=start]").click()
    page.locator("[data-action=next]").click()

    def current() -> str:
        return str(page.locator("section[data-page]:visible").get_attribute("data-page"))

    _assert_locked(page, current)
    page.reload()
    page.locator("html.mirco-js").wait_for(state="attached")
    page.locator("[data-cover=resume]").click()  # the cover offers to resume
    assert current() == "pretest"
    _assert_locked(page, current)
    page.locator("form[data-assessment=pretest] .mirco-submit").click()
    page.reload()
    page.locator("html.mirco-js").wait_for(state="attached")
    page.locator(".mirco-toc summary").click()
    page.locator(".mirco-toc [data-page-link=lesson-foundations]").click()
    assert current() == "lesson-foundations"


def test_required_pretest_locks_lessons_in_cmi5(
        tab: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """cmi5: the AU is the page itself, its progress kept per registration."""
    work = tmp_path_factory.mktemp("pretest-required-cmi5")
    root = work / "site"
    root.mkdir()
    site = SiteServer(root)
    lrs = LiveLrs(work / "lrs.sqlite3", work / "lrs.log", cors_origin=site.base)
    key, secret = lrs.credential("packages", "statements/write")
    project = _required_project(work)
    base = "https://training.example.org/mirco"
    with (project / "mirco.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[tracking]\nendpoint = "{lrs.endpoint}"\nkey = "{key}"\n'
                     f'secret = "{secret}"\nactivity_base = "{base}"\n')
    build(ProjectConfig.load(project), BuildOptions(out_dir=work / "dist", jobs=1,
                                                    formats=("cmi5",), languages=("en",)))
    unpack(work / "dist", root)
    (root / "returned.html").write_text("<!DOCTYPE html><title>LMS</title><p>back</p>")
    lrs.start()
    try:
        actor = {"objectType": "Agent", "name": "Ana Anić",
                 "account": {"homePage": "https://lms.example.org", "name": "u1042"}}
        launch = cmi5_launch(lrs, site, f"{site.base}/{MODULE}-1.0.0-en-cmi5/index.html",
                             f"{base}/{MODULE}", actor)
        page = tab.page
        open_player(page, launch["url"])
        assert page.evaluate("window.mirco.lms") == "cmi5"
        page.locator("[data-cover=start]").click()
        page.locator("[data-action=next]").click()

        def current() -> str:
            return str(page.locator("section[data-page]:visible").get_attribute("data-page"))

        assert current() == "pretest"
        _assert_locked(page, current)
        page.locator("form[data-assessment=pretest] .mirco-submit").click()
        page.locator("[data-action=next]").click()
        assert current() == "lesson-foundations"
    finally:
        # the page leaves (sending what it holds) while the collector still answers: a
        # statement sent after it stopped is a console error of the page
        tab.page.goto("about:blank")
        lrs.stop()
        site.close()
