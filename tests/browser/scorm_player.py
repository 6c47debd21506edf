"""Driving a mirco package in the test LMS frame: sessions, answers, formats."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MODULES = ("global-migration-governance", "migration-human-rights",
           "smuggling-of-migrants")
"""The sample project's modules."""


def open_player(page: Any, url: str) -> None:
    """Open a package's page and wait until its player has started: it starts one frame
    after the first paint (``runtime/src/player.js``), so ``load`` comes before
    ``window.mirco`` and before the player has shown its first page."""
    page.goto(url)
    page.locator("html.mirco-js").wait_for(state="attached")


class Tab:
    """A browser page that records console errors and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")


@contextmanager
def open_tab(browser: Any, timeout_ms: int) -> Iterator[Tab]:
    """A recorded page in a fresh context (its own localStorage), closed afterwards."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        yield Tab(page)
    finally:
        context.close()


class Session:
    """One launch of a SCO in lms.html, with the scorm-again API of ``version``."""

    def __init__(self, tab: Tab, site: Any, version: str) -> None:
        self.tab = tab
        self.page = tab.page
        self.site = site
        self.version = version

    def launch(self, package: str, cmi: dict[str, Any] | None = None,
               launch: str = "index.html", query: str = "") -> Session:
        self.page.goto(f"{self.site.base}/lms.html")
        self.page.evaluate("([v, url, cmi]) => startLms(v, url, cmi)",
                           [self.version, f"{package}/{launch}{query}", cmi])
        self.sco = self.page.frame_locator("#sco")
        self.sco.locator("html.mirco-js").wait_for(state="attached")
        self.frame = self.page.locator("#sco").element_handle().content_frame()
        return self

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.frame.evaluate(expression, arg)

    def current(self) -> str:
        return str(self.sco.locator("section[data-page]:visible").get_attribute("data-page"))

    def unload(self) -> dict[str, Any]:
        """Leave the SCO (the LMS unloads its frame); the CMI it left behind."""
        self.page.evaluate("unloadSco()")
        finish = "LMSFinish" if self.version == "1.2" else "Terminate"
        self.page.wait_for_function(f"window.lmsLog.includes('{finish}')")
        log = self.page.evaluate("window.lmsLog")
        init = "LMSInitialize" if self.version == "1.2" else "Initialize"
        assert log.count(init) == 1 and log.count(finish) == 1, log
        assert log.index("Commit" if self.version == "2004" else "LMSCommit") > 0
        return dict(self.page.evaluate("cmiJson()"))


class StandalonePage:
    """A package page opened on its own, not in lms.html (standalone from disk, a cmi5 AU):
    the same helpers' interface as ``Session``."""

    def __init__(self, page: Any) -> None:
        self.page = self.sco = self.frame = page

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def current(self) -> str:
        return str(self.page.locator("section[data-page]:visible").get_attribute("data-page"))


def relaunch_cmi(cmi: dict[str, Any], version: str) -> dict[str, Any]:
    """The CMI an LMS launches the SCO with after ``cmi`` was left suspended: entry
    "resume", no exit or session time, and (as scorm-again starts) no interactions."""
    stored = cmi["cmi"] if "cmi" in cmi else cmi
    relaunch: dict[str, Any] = json.loads(json.dumps(stored))
    if version == "1.2":
        relaunch["core"]["entry"] = "resume"
        relaunch["core"].pop("exit")
        relaunch["core"].pop("session_time")
    else:
        relaunch["entry"] = "resume"
        relaunch.pop("exit")
        relaunch.pop("session_time")
    relaunch.pop("interactions", None)
    return relaunch


def question_data(session: Session, qid: str) -> dict[str, Any]:
    return dict(session.js("id => window.mirco.course.questions[id]", qid))


def drawn(session: Session, kind: str) -> list[str]:
    return list(session.js("k => window.mirco.player.tests[k].drawn.map(q => q.data.id)", kind))


def _number(value: float) -> str:
    return f"{value:g}"


ESSAY_TEXT = ("I would stop the return, record the fear in the person's own words and refer "
              "the case for an individual assessment of the risk.")
"""What the test driver writes in an essay."""


def answer(session: Session, qid: str, correct: bool) -> None:
    """Answer question ``qid`` through its form controls, rightly or wrongly."""
    q = question_data(session, qid)
    sco = session.sco
    dom = f"#mq-{qid}"
    kind = q["type"]
    if kind in ("choice", "true-false"):
        ids = [c["id"] for c in q["choices"]]
        pick = q["correct"][0] if correct else next(i for i in ids if i not in q["correct"])
        sco.locator(f"{dom}-{pick}").check()
    elif kind == "multiple-choice":
        ids = [c["id"] for c in q["choices"]]
        picks = q["correct"] if correct else [i for i in ids if i not in q["correct"]][:1]
        for pick in picks:
            sco.locator(f"{dom}-{pick}").check()
    elif kind == "fill-in":
        sco.locator(f"{dom}-input").fill(q["answers"][0]["text"] if correct else "zzz wrong")
    elif kind == "numeric":
        value = q["answers"][0]["low"] if correct else -987654
        sco.locator(f"{dom}-input").fill(_number(value))
        sco.locator(f"{dom}-input").dispatch_event("change")
    elif kind == "matching":
        sources = q["sources"]
        for source, target in q["correct"]:
            value = target if correct else sources[(sources.index(target) + 1) % len(sources)]
            sco.locator(f"{dom}-{source}").select_option(value)
    elif kind == "sequencing":
        if correct:
            for position, item in enumerate(q["correct"]):
                for _ in range(50):
                    order = [sco.locator(f"{dom} [data-item]").nth(i).get_attribute("data-item")
                             for i in range(len(q["correct"]))]
                    if order.index(item) <= position:
                        break
                    sco.locator(f"{dom} [data-item='{item}'] [data-move=up]").click()
        else:
            first = q["correct"][0]
            sco.locator(f"{dom} [data-item='{first}'] [data-move=down]").click()
            order = session.js("id => window.mirco.player.question(id).read()", qid)
            if order == "".join("0123456789"[i] for i in range(len(q["correct"]))):
                sco.locator(f"{dom} [data-item='{first}'] [data-move=down]").click()
    elif kind == "essay":  # never right or wrong: `correct` writes a longer text
        text = ESSAY_TEXT if correct else "Not sure."
        sco.locator(f"{dom}-input").fill(text[: q["max"]])
    elif kind == "likert":  # never right or wrong: `correct` agrees
        sco.locator(f"{dom}-{'4' if correct else '2'}").check()
    else:  # pragma: no cover - a new question type needs a test driver
        raise AssertionError(f"no driver for {kind}")
    if kind in ("fill-in", "essay"):
        sco.locator(f"{dom}-input").dispatch_event("change")


def take_test(session: Session, kind: str, correct: bool) -> list[str]:
    """Answer every drawn question of assessment ``kind`` and submit; the drawn ids."""
    ids = drawn(session, kind)
    for qid in ids:
        answer(session, qid, correct)
    session.sco.locator(f"form[data-assessment={kind}] .mirco-submit").click()
    session.sco.locator(f"section[data-page={kind}] .mirco-result").wait_for(state="visible")
    return ids


def start(session: Session) -> None:
    """Leave the cover with its Start button (it shows the next page)."""
    session.sco.locator("[data-cover=start]").click()


def go_to(session: Session, page_id: str) -> None:
    """Page forward with Next (from the cover: with its Start or Resume) to ``page_id``."""
    for _ in range(30):
        if session.current() == page_id:
            return
        if session.current() == "cover":
            session.sco.locator("[data-cover=start]:visible, [data-cover=resume]:visible").click()
        else:
            session.sco.locator("[data-action=next]").click()
    raise AssertionError(f"page {page_id} not reached")


TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
DURATION_2004 = re.compile(r"^P(\d+D)?T?(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")
