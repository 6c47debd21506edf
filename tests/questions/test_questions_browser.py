"""A question type registered from outside, in a real browser: its runtime module reads,
restores and scores the answer, and the SCORM interaction is journaled in its vocabulary."""

from __future__ import annotations

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
        if qid == QID:
            session.sco.locator(f"#mq-{QID}-yes").check()
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
        cmi = session.unload()
        assert tab.errors == []
    c = cmi["cmi"] if "cmi" in cmi else cmi
    [row] = [r for r in c["interactions"].values() if r["id"].endswith(QID)]
    assert row["type"] == "true-false" and row["result"] == "correct"
    if version == "1.2":
        assert (row["student_response"], row["correct_responses"]["0"]["pattern"]) == ("t", "t")
    else:
        assert (row["learner_response"], row["correct_responses"]["0"]["pattern"]) == (
            "true", "true")
