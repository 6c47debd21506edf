"""Delivery of xAPI statements, exactly once, whatever happens in the browser.

Modes (SCORM 1.2 and 2004 in scorm-again, standalone from disk with the learner form, cmi5,
``--sco-per-lesson``) × disruptions (relaunch mid-way, the LRS stopped then restarted, the
browser offline, two tabs, the tab closed right after the final test, a full localStorage,
a wrong key, a statement the LRS refuses). Each test ends with the same check: the ids the
runtime logged are exactly the ids the live ``mirco lrs serve`` stored for that learner,
none twice, within a bounded wait. The packages are built once for the module.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_paths import unpack
from scorm_player import Session, StandalonePage, Tab, answer, go_to, open_player, start, take_test
from xapi_live import LiveLrs, SiteServer, cmi5_launch, live_site, serve_packages, tracked_project

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]
MODULE = "migration-human-rights"
BASE = "https://training.example.org/mirco"
HOMEPAGE = "https://lms.example.org"
VERB = "http://adlnet.gov/expapi/verbs/"
ARRIVAL_S = 20
"""Bound on the wait for the LRS to hold everything (retries back off to at most 8 s)."""
LOG = "() => JSON.parse(localStorage.getItem('mirco:xapi:log') || '[]')"
TOLERATED = ("net::ERR_", "Failed to load resource")
"""Console errors Chromium itself logs for requests the tests make fail (LRS down, offline)."""


@dataclass
class Delivery:
    lrs: LiveLrs
    site: SiteServer
    root: Path
    base: str

    def package(self, fmt: str, multi: bool = False) -> str:
        return f"{'multi/' if multi else ''}{MODULE}-1.0.0-en-{fmt}"


@pytest.fixture(scope="module")
def delivery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Delivery]:
    with live_site(tmp_path_factory, "delivery", from_disk=True) as live:
        project = tracked_project(live.work, live.lrs, BASE, HOMEPAGE)
        config = ProjectConfig.load(project)
        build(config, BuildOptions(slugs=(MODULE,), formats=("scorm12", "scorm2004", "cmi5"),
                                   out_dir=live.work / "dist", jobs=1, languages=("en",)))
        serve_packages(live.work / "dist", live.root)
        build(config, BuildOptions(slugs=(MODULE,), formats=("scorm2004",),
                                   out_dir=live.work / "multi", jobs=1, languages=("en",),
                                   sco_per_lesson=True))
        unpack(live.work / "multi", live.root / "multi")
        live.lrs.start()
        yield Delivery(live.lrs, live.site, live.root, live.site.base)


class Browser:
    """One browser context (one origin's localStorage) and its tabs' console errors."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 800})
        self.tabs: list[Tab] = []

    def tab(self) -> Tab:
        page = self.context.new_page()
        page.set_default_timeout(15_000)
        tab = Tab(page)
        self.tabs.append(tab)
        return tab

    def errors(self) -> list[str]:
        return [e for t in self.tabs for e in t.errors if not any(x in e for x in TOLERATED)]


@pytest.fixture
def chromium(browser: Any) -> Iterator[Browser]:
    context = Browser(browser)
    try:
        yield context
    finally:
        context.context.close()
    assert context.errors() == []


def learner(version: str, uid: str, resume: str = "") -> dict[str, Any]:
    """The CMI an LMS hands over: the learner, and the suspend data on a relaunch."""
    more = {"entry": "resume", "suspend_data": resume} if resume else {}
    if version == "1.2":
        core = {"student_id": uid, "student_name": "Learner, Test"}
        return {"core": {**core, **({"entry": "resume"} if resume else {})},
                **({"suspend_data": resume} if resume else {})}
    return {"learner_id": uid, "learner_name": "Learner, Test", **more}


def account(uid: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": HOMEPAGE, "name": uid}}


def suspend_data(page: Any) -> str:
    return str(page.evaluate("() => window.lms.renderCMIToJSONObject().cmi.suspend_data"))


def read_lessons(session: Any, pages: int = 10) -> None:
    """Next through the lessons (answering their checks) until a test or `pages` pages."""
    for _ in range(pages):
        page = session.current()
        if page in ("pretest", "final"):
            return
        if page == "cover":
            start(session)
            continue
        for node in session.sco.locator(f"section[data-page='{page}'] [data-check]").all():
            answer(session, str(node.get_attribute("data-check")), correct=True)
            node.locator("[data-action=check]").click()
        session.sco.locator("[data-action=next]").click()


def finish_course(session: Any) -> None:
    read_lessons(session)
    if session.current() == "pretest":
        take_test(session, "pretest", correct=False)
    go_to(session, "final")
    take_test(session, "final", correct=True)


def arrived(lrs: LiveLrs, logged: list[str], *agents: dict[str, Any],
            timeout: float = ARRIVAL_S) -> list[dict[str, Any]]:
    """The learners' stored statements once their ids are exactly `logged` (else fail)."""
    assert logged and len(logged) == len(set(logged)), "the runtime logged an id twice"
    deadline = time.monotonic() + timeout
    while True:
        stored = [s for agent in agents for s in lrs.statements(agent=json.dumps(agent))
                  if s["verb"]["id"] != VERB + "launched"]
        ids = [s["id"] for s in stored]
        if set(ids) == set(logged) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert len(ids) == len(set(ids)), "a statement was stored twice"
    missing, extra = set(logged) - set(ids), set(ids) - set(logged)
    assert not missing and not extra, f"{len(missing)} missing, {len(extra)} not logged"
    return stored


def verbs(statements: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def bad_statement(actor: dict[str, Any]) -> dict[str, Any]:
    """A statement the LRS refuses for good (400: a verb needs an IRI as id)."""
    return {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": "not an IRI"},
            "object": {"objectType": "Activity", "id": f"{BASE}/{MODULE}"},
            "timestamp": "2026-01-01T00:00:00.000Z"}


def test_scorm12_relaunch_midway_and_a_refused_statement(chromium: Browser,
                                                         delivery: Delivery) -> None:
    """Leave half-way, relaunch, finish; a statement the LRS refuses is dropped alone."""
    uid = "u-relaunch-12"
    tab = chromium.tab()
    first = Session(tab, delivery, "1.2").launch(delivery.package("scorm12"), learner("1.2", uid))
    read_lessons(first, pages=2)
    namespace = first.js("() => window.mirco.xapi.sender.queue.prefix")
    data = suspend_data(tab.page)
    first.unload()
    bad = bad_statement(account(uid))
    tab.page.evaluate("([key, s]) => localStorage.setItem(key + s.id, JSON.stringify("
                      "{t: 0, n: 0, s: s}))", [namespace, bad])
    warnings: list[str] = []
    tab.page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    second = Session(tab, delivery, "1.2").launch(delivery.package("scorm12"),
                                                  learner("1.2", uid, resume=data))
    finish_course(second)
    second.unload()
    got = arrived(delivery.lrs, tab.page.evaluate(LOG), account(uid))
    assert verbs(got).count("initialized") == 2 and "resumed" in verbs(got)
    assert verbs(got).count("terminated") == 2 and "passed" in verbs(got)
    refused = tab.page.evaluate("() => JSON.parse(localStorage.getItem('mirco:xapi:refused'))")
    assert [(r["id"], r["status"]) for r in refused] == [(bad["id"], 400)]
    assert any(bad["id"] in w and "refused" in w for w in warnings)
    # what the unloaded page sent with keepalive may still be queued (the answer came after
    # the page was gone): the LRS has it, and a later launch's resend is harmless
    left = tab.page.evaluate("p => Object.keys(localStorage).filter(k => k.startsWith(p))"
                             ".map(k => k.slice(p.length))", namespace)
    assert set(left) <= {s["id"] for s in got}


def test_scorm2004_lrs_stopped_then_restarted(chromium: Browser, delivery: Delivery) -> None:
    """The LRS goes down mid-course: statements wait (the indicator says so), then arrive."""
    uid = "u-lrs-down"
    tab = chromium.tab()
    session = Session(tab, delivery, "2004").launch(delivery.package("scorm2004"),
                                                    learner("2004", uid))
    read_lessons(session, pages=2)
    delivery.lrs.stop()
    try:
        finish_course(session)
        outbox = session.sco.locator(".mirco-outbox")
        outbox.wait_for(state="visible", timeout=10_000)
        assert outbox.inner_text().startswith("Results waiting to be sent: ")
    finally:
        delivery.lrs.start()
    logged = session.js(LOG)
    arrived(delivery.lrs, logged, account(uid))  # the page is still open: no relaunch needed
    session.sco.locator(".mirco-outbox").wait_for(state="hidden")
    session.unload()
    arrived(delivery.lrs, tab.page.evaluate(LOG), account(uid))


def test_scorm2004_offline_then_online(chromium: Browser, delivery: Delivery) -> None:
    """The browser goes offline mid-course; back online, the queue goes at once. The debug
    mode lists the waiting statements."""
    uid = "u-offline"
    tab = chromium.tab()
    session = Session(tab, delivery, "2004").launch(delivery.package("scorm2004"),
                                                    learner("2004", uid), query="?mirco-debug=1")
    read_lessons(session, pages=2)
    chromium.context.set_offline(True)
    finish_course(session)
    waiting = session.js("() => window.mirco.xapi.sender.queue.count()")
    assert waiting > 5
    session.frame.wait_for_function(
        "n => document.querySelectorAll('.mirco-outbox li').length === n", arg=waiting)
    listed = session.sco.locator(".mirco-outbox").inner_text()
    assert " · experienced · " in listed and " · initialized · " not in listed  # sent before
    chromium.context.set_offline(False)
    arrived(delivery.lrs, session.js(LOG), account(uid), timeout=5)
    session.unload()
    arrived(delivery.lrs, tab.page.evaluate(LOG), account(uid))


def test_standalone_from_disk_with_the_form_and_a_reload(chromium: Browser,
                                                         delivery: Delivery) -> None:
    """Opened from disk: statements made before the form wait for the actor, across a
    reload, without blocking; once the learner is known every one arrives with that actor."""
    page = chromium.tab().page
    page.goto((delivery.root / delivery.package("scorm2004") / "index.html").as_uri())
    form = page.locator("form.mirco-learner")
    form.wait_for(state="visible")
    page.locator("[data-cover=start]").click()
    for _ in range(2):
        page.locator("[data-action=next]").click()
    page.reload()
    form.wait_for(state="visible")
    page.locator("[data-cover=resume]").click()
    page.locator("[data-action=next]").click()
    waiting = page.evaluate("() => window.mirco.xapi.sender.queue.count()")
    assert waiting >= 3
    email = f"learner-{uuid.uuid4().hex[:8]}@example.org"
    page.get_by_label("Your name").fill("Disk Learner")
    page.get_by_label("Your e-mail address").fill(email)
    form.get_by_role("button", name="Save").click()
    session = StandalonePage(page)
    finish_course(session)
    agent = {"objectType": "Agent", "mbox": f"mailto:{email}"}
    got = arrived(delivery.lrs, page.evaluate(LOG), agent)
    assert {s["actor"]["name"] for s in got} == {"Disk Learner"}
    assert verbs(got).count("initialized") == 2


def test_cmi5_tab_closed_after_the_final_test_then_relaunched(chromium: Browser,
                                                              delivery: Delivery) -> None:
    """The learner closes the tab right after submitting: what the page could not send goes
    at the next launch (here: a later cmi5 session of the same learner)."""
    uid = f"u-cmi5-{uuid.uuid4().hex[:6]}"
    actor = {"objectType": "Agent", "name": "Ana", "account": {"homePage": HOMEPAGE,
                                                               "name": uid}}
    url = f"{delivery.base}/{delivery.package('cmi5')}/index.html"
    tab = chromium.tab()
    launch = cmi5_launch(delivery.lrs, delivery.site, url, f"{BASE}/{MODULE}", actor)
    open_player(tab.page, launch["url"])
    finish_course(StandalonePage(tab.page))
    tab.page.close(run_before_unload=True)
    # Chromium lets the page's keepalive requests (with their CORS preflight) finish
    delivery.lrs.wait_for("terminated", timeout=5, registration=launch["registration"])
    # the next launch on this origin: another learner's cmi5 session (any mirco package
    # sending to this LRS sends what the closed tab left)
    other = {"objectType": "Agent", "name": "Bo", "account": {"homePage": HOMEPAGE,
                                                              "name": uid + "-b"}}
    again = chromium.tab().page
    second = cmi5_launch(delivery.lrs, delivery.site, url, f"{BASE}/{MODULE}", other)
    open_player(again, second["url"])
    got = arrived(delivery.lrs, again.evaluate(LOG),
                  *({"objectType": "Agent", "account": a["account"]} for a in (actor, other)))
    first = [s for s in got if s["context"]["registration"] == launch["registration"]]
    assert "terminated" in verbs(first) and "passed" in verbs(first)


def test_sco_per_lesson_relaunches(chromium: Browser, delivery: Delivery) -> None:
    """One SCO per page: each launch is a page of its own; a lesson left and relaunched.
    A queue left by an earlier runtime (one array per endpoint) is sent too."""
    uid = "u-multi"
    tab = chromium.tab()
    package = delivery.package("scorm2004", multi=True)
    tab.page.goto(f"{delivery.base}/returned.html")
    old = {"id": str(uuid.uuid4()), "actor": account(uid),
           "verb": {"id": VERB + "experienced", "display": {"en-US": "experienced"}},
           "object": {"objectType": "Activity", "id": f"{BASE}/{MODULE}/earlier"},
           "timestamp": "2026-01-01T00:00:00.000Z"}
    tab.page.evaluate("([key, s]) => localStorage.setItem(key, JSON.stringify([s]))",
                      [f"mirco:xapi:q:{delivery.lrs.endpoint}", old])
    for launch in ("index.html", "lesson-foundations.html", "lesson-foundations.html",
                   "pretest.html", "final-test.html"):
        session = Session(tab, delivery, "2004").launch(package, learner("2004", uid),
                                                        launch=launch)
        if launch == "pretest.html":
            take_test(session, "pretest", correct=False)
        elif launch == "final-test.html":
            take_test(session, "final", correct=True)
        session.unload()
    got = arrived(delivery.lrs, [*tab.page.evaluate(LOG), old["id"]], account(uid))
    assert verbs(got).count("initialized") == 5
    assert tab.page.evaluate("k => localStorage.getItem(k)",
                             f"mirco:xapi:q:{delivery.lrs.endpoint}") is None


def test_two_tabs_of_the_same_course(chromium: Browser, delivery: Delivery) -> None:
    """Two tabs share the queue: one sends at a time, nothing is lost or stored twice."""
    uid = "u-two-tabs"
    tabs = [chromium.tab(), chromium.tab()]
    posts: list[str] = []
    for t in tabs:
        t.page.on("request", lambda r: posts.append(r.frame.url) if r.method == "POST"
                  and r.url.startswith(delivery.lrs.endpoint) else None)
    sessions = [Session(t, delivery, "2004").launch(delivery.package("scorm2004"),
                                                    learner("2004", uid)) for t in tabs]
    for i, pages in ((0, 2), (1, 3), (1, 0), (0, 0)):
        tabs[i].page.bring_to_front()  # a background tab gets no animation frames
        if pages:
            read_lessons(sessions[i], pages=pages)
        else:
            finish_course(sessions[i])
    for s in sessions:
        s.unload()
    got = arrived(delivery.lrs, tabs[0].page.evaluate(LOG), account(uid))
    assert verbs(got).count("initialized") == 2 and verbs(got).count("terminated") == 2
    assert len(posts) <= len(got)  # batches, never one request per tab per statement


FILL_STORAGE = """() => {
  let n = 0;
  for (let size = 1 << 20; size >= 1; size = size >> 1) {
    const chunk = 'x'.repeat(size);
    for (;;) {
      try { localStorage.setItem('junk:' + (n += 1), chunk); } catch (err) { break; }
    }
  }
  return n;
}"""


def test_full_local_storage(chromium: Browser, delivery: Delivery) -> None:
    """No room left in localStorage: statements wait in the page and still arrive."""
    uid = "u-storage-full"
    tab = chromium.tab()
    tab.page.goto(f"{delivery.base}/returned.html")
    assert tab.page.evaluate(FILL_STORAGE) > 0
    session = Session(tab, delivery, "1.2").launch(delivery.package("scorm12"),
                                                   learner("1.2", uid))
    finish_course(session)
    generated = session.js("() => window.mirco.xapi.sender.queue.generated")
    arrived(delivery.lrs, generated, account(uid))
    session.unload()
    stored = delivery.lrs.wait_for("terminated", agent=json.dumps(account(uid)))
    late = [s for s in stored if s["id"] not in generated]
    assert verbs(late) == ["terminated"]
    assert tab.page.evaluate(LOG) == []  # nothing could be written, not even the log


def test_wrong_key_is_reported_and_not_retried(chromium: Browser, delivery: Delivery) -> None:
    """401 from the LRS: a clear console error, the indicator, no endless retries; the
    statements wait and go once a launch's key is accepted."""
    uid = "u-wrong-key"
    tab = chromium.tab()
    calls: list[int] = []

    def wrong_key(route: Any) -> None:
        calls.append(1)
        route.continue_(headers={**route.request.headers, "authorization": "Basic d3Jvbmc6a2V5"})

    tab.page.route(f"{delivery.lrs.endpoint}statements", wrong_key)
    # the parent frame hears the report (the preview's panel shows it)
    chromium.context.add_init_script("if (window === window.top) { window.reports = []; "
                                     "addEventListener('message', e => reports.push(e.data)); }")
    errors: list[str] = []
    tab.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    session = Session(tab, delivery, "2004").launch(delivery.package("scorm2004"),
                                                    learner("2004", uid))
    read_lessons(session, pages=3)
    outbox = session.sco.locator(".mirco-outbox")
    outbox.wait_for(state="visible")
    assert "refused this course's access key" in outbox.inner_text()
    assert any("refused this package's key (401" in e for e in errors)
    reports = tab.page.evaluate("() => window.reports")
    assert [r["level"] for r in reports if r.get("mirco") == "xapi"] == ["error"]
    before = len(calls)
    time.sleep(2.5)
    assert len(calls) == before <= 2
    session.unload()
    tab.errors.clear()  # the expected report above
    tab.page.unroute(f"{delivery.lrs.endpoint}statements")
    again = Session(tab, delivery, "2004").launch(
        delivery.package("scorm2004"), learner("2004", uid))
    again.unload()
    arrived(delivery.lrs, tab.page.evaluate(LOG), account(uid))


PAGEHIDE = """() => {
  window.sent = [];
  const real = window.fetch;
  window.fetch = (url, init) => {
    window.sent.push({keepalive: !!init.keepalive, bytes: init.body.length,
                      ids: JSON.parse(init.body).map(s => s.id)});
    return real(url, init);
  };
  window.mirco.xapi.sender.last();
  return window.sent;
}"""


def test_pagehide_keeps_within_the_keepalive_budget(chromium: Browser,
                                                    delivery: Delivery) -> None:
    """At pagehide: keepalive batches within 60 KB in all; a statement larger than that waits
    for a normal send, alone, and arrives with the rest once the LRS is reachable."""
    uid = "u-budget"
    tab = chromium.tab()
    session = Session(tab, delivery, "2004").launch(delivery.package("scorm2004"),
                                                    learner("2004", uid))
    chromium.context.set_offline(True)
    add = """([actor, object, size, count]) => {
      const ids = [];
      for (let i = 0; i < count; i += 1) {
        const s = {id: crypto.randomUUID(), actor: actor, object: {id: object + '/' + i},
          verb: {id: 'http://adlnet.gov/expapi/verbs/experienced'},
          result: {response: 'x'.repeat(size)}};
        window.mirco.xapi.sender.add(s);
        ids.push(s.id);
      }
      return ids;
    }"""
    obj = f"{BASE}/{MODULE}/bulk"
    (big,) = session.js(add, [account(uid), obj, 70_000, 1])
    small = session.js(add, [account(uid), obj, 4_000, 20])
    sent = session.js(PAGEHIDE)
    assert sent and all(r["keepalive"] for r in sent)
    assert sum(r["bytes"] for r in sent) <= 60_000
    ids = [i for r in sent for i in r["ids"]]
    queued = session.js("() => window.mirco.xapi.sender.queue.list().map(e => e.s.id)")
    assert big not in ids and len(ids) == len(set(ids)) and set(ids) <= set(queued)
    assert len(set(ids) & set(small)) >= 10  # most of the small ones fitted
    chromium.context.set_offline(False)
    session.js("() => window.dispatchEvent(new Event('online'))")
    # back online, the queue drains by normal sends (the big one among them) before the
    # page goes: unloading earlier would leave the rest for the next launch
    session.frame.wait_for_function("() => window.mirco.xapi.sender.queue.list().length === 0",
                                    timeout=ARRIVAL_S * 1000)
    session.unload()
    arrived(delivery.lrs, tab.page.evaluate(LOG), account(uid))
