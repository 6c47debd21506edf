"""Question types registered from outside, in a real browser: the runtime module reads,
restores and scores the answer, the SCORM interaction is journaled in its vocabulary, and
an ungraded type's answer is recorded as neutral without counting toward the score."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from yes_no import add_to_project, yes_no_registered

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from browser_paths import add_lms, missing_libs, unpack  # noqa: E402
from scorm_player import Session, answer, drawn, go_to, open_tab  # noqa: E402
from xapi_live import SiteServer  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MODULE = "migration-human-rights"
FORMATS = {"1.2": "scorm12", "2004": "scorm2004"}
QID = "mhr-p-yn"
OPINION = "mhr-p-op"


class _Site:
    def __init__(self, base: str) -> None:
        self.base = base


@pytest.fixture
def site(sample_project: Path, tmp_path: Path) -> Iterator[_Site]:
    if missing_libs():
        pytest.skip("npm packages missing: run `npm ci` (make browser-deps)")
    add_to_project(sample_project)
    with yes_no_registered():
        build(ProjectConfig.load(sample_project),
              BuildOptions(slugs=(MODULE,), formats=tuple(FORMATS.values()),
                           out_dir=tmp_path / "dist", jobs=1))
    root = tmp_path / "site"
    unpack(tmp_path / "dist", root)
    add_lms(root)
    server = SiteServer(root)
    try:
        yield _Site(server.base)
    finally:
        server.close()


def _take_pretest(session: Session) -> None:
    """Every pre-test question answered rightly (the yes/no one through its radio button)."""
    go_to(session, "pretest")
    for qid in drawn(session, "pretest"):
        if qid in (QID, OPINION):
            session.sco.locator(f"#mq-{qid}-yes").check()
        else:
            answer(session, qid, correct=True)
    session.sco.locator("form[data-assessment=pretest] .mirco-submit").click()
    session.sco.locator("section[data-page=pretest] .mirco-result").wait_for(state="visible")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_registered_type_runs_in_the_runtime(browser: Any, site: _Site, version: str) -> None:
    with open_tab(browser, timeout_ms=10_000) as tab:
        session = Session(tab, site, version).launch(f"{MODULE}-1.0.0-en-{FORMATS[version]}")
        assert QID in drawn(session, "pretest")
        probe = session.js("""id => {
          const q = window.mirco.player.question(id);
          const wrong = q.score("no");
          q.write("no");
          const written = q.read();
          q.write("");
          return { type: q.kind().scorm2004, wrong: wrong.correct, written: written,
                   empty: q.read(), right: q.score("yes").correct, key: q.correctText(),
                   feedback: q.score("yes").feedback.join("") };
        }""", QID)
        assert probe == {"type": "true-false", "wrong": False, "written": "no", "empty": "",
                         "right": True, "key": "Yes",
                         "feedback": probe["feedback"]}
        assert "It binds every State" in probe["feedback"]
        _take_pretest(session)
        assert session.js("() => window.mirco.player.tests.pretest.attempt().score") == 100
        opinion = session.sco.locator(f"#mq-{OPINION}")
        assert opinion.locator(".mirco-verdict, .mirco-key").count() == 0
        assert "Thank you" in opinion.locator(".mirco-feedback").inner_text()
        cmi = session.unload()
        assert tab.errors == []
    c = cmi["cmi"] if "cmi" in cmi else cmi
    [neutral] = [r for r in c["interactions"].values() if r["id"].endswith(OPINION)]
    assert (neutral["result"], neutral["weighting"]) == ("neutral", "0")
    [row] = [r for r in c["interactions"].values() if r["id"].endswith(QID)]
    assert row["type"] == "true-false" and row["result"] == "correct"
    if version == "1.2":
        assert (row["student_response"], row["correct_responses"]["0"]["pattern"]) == ("t", "t")
    else:
        assert (row["learner_response"], row["correct_responses"]["0"]["pattern"]) == (
            "true", "true")


@pytest.fixture
def tracked_site(sample_project: Path, tmp_path: Path) -> Iterator[_Site]:
    """The packages built with [tracking] naming an LRS on the site's own origin."""
    if missing_libs():
        pytest.skip("npm packages missing: run `npm ci` (make browser-deps)")
    root = tmp_path / "site"
    root.mkdir()
    server = SiteServer(root)
    add_to_project(sample_project)
    config = sample_project / "mirco.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        f'\n[tracking]\nendpoint = "{server.base}/lrs/"\nkey = "k"\nsecret = "s"\n'
        'activity_base = "https://training.example.org/mirco"\n'
        'homepage = "https://lms.example.org"\n'), encoding="utf-8")
    with yes_no_registered():
        build(ProjectConfig.load(sample_project),
              BuildOptions(slugs=(MODULE,), formats=("scorm2004",), out_dir=tmp_path / "dist",
                           jobs=1))
    unpack(tmp_path / "dist", root)
    add_lms(root)
    try:
        yield _Site(server.base)
    finally:
        server.close()


def _accept(route: Any) -> None:
    """The LRS: every statement batch stored (its ids back), anything else empty."""
    posted = route.request.post_data_json if route.request.method == "POST" else None
    body = [s["id"] for s in posted] if isinstance(posted, list) else []
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


def test_a_registered_type_in_xapi_statements(browser: Any, tracked_site: _Site) -> None:
    with open_tab(browser, timeout_ms=10_000) as tab:
        tab.page.route("**/lrs/**", _accept)
        session = Session(tab, tracked_site, "2004").launch(f"{MODULE}-1.0.0-en-scorm2004")
        session.js("""() => {
          const sender = window.mirco.xapi.sender;
          const add = sender.add.bind(sender);
          window.sent = [];
          sender.add = s => { window.sent.push(s); return add(s); };
        }""")
        _take_pretest(session)
        sent = session.js("() => window.sent.filter(s => s.verb.id.endsWith('/answered'))")
        session.unload()
        assert tab.errors == []
    by_id = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in sent}
    yes_no, opinion = by_id[QID], by_id[OPINION]
    definition = yes_no["object"]["definition"]
    assert (definition["interactionType"], definition["correctResponsesPattern"]) == (
        "true-false", ["true"])
    assert yes_no["result"]["response"] == "true" and yes_no["result"]["success"] is True
    assert opinion["result"]["response"] == "true"
    assert "success" not in opinion["result"] and "score" not in opinion["result"]
