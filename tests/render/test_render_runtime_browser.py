"""The minimal learner runtime in a real Chromium, inside an LMS-like frame with a SCORM API.

SCORM 2004 RTE 3.1 / SCORM 1.2 RTE 3.3: the SCO finds the API in a parent frame,
calls Initialize/LMSInitialize once and Terminate/LMSFinish once.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mirco_lms.course.model import Module
from mirco_lms.render import LocalizedModule, Theme, render_package

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")

LMS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script>
window.calls = [];
function record(name, result) {
  return function () { window.calls.push([name].concat([].slice.call(arguments))); return result; };
}
var store = {};
var api = {
  %(init)s: record("init", "true"),
  %(get)s: function (key) { window.calls.push(["get", key]); return store[key] || ""; },
  %(set)s: function (key, value) {
    window.calls.push(["set", key, value]);
    store[key] = value;
    return "true";
  },
  %(commit)s: record("commit", "true"),
  %(finish)s: record("finish", "true"),
  %(error)s: function () { return "0"; }
};
window.%(name)s = api;
</script></head>
<body><iframe id="sco" src="index.html" width="900" height="700"></iframe></body></html>
"""
APIS = {
    "2004": dict(name="API_1484_11", init="Initialize", get="GetValue", set="SetValue",
                 commit="Commit", finish="Terminate", error="GetLastError"),
    "1.2": dict(name="API", init="LMSInitialize", get="LMSGetValue", set="LMSSetValue",
                commit="LMSCommit", finish="LMSFinish", error="LMSGetLastError"),
}


@pytest.fixture
def site(module: Module, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    rendered = render_package(LocalizedModule(module, "en"), Theme.for_project(None))
    for item in rendered.spec.files:
        (root / item.path).parent.mkdir(parents=True, exist_ok=True)
        (root / item.path).write_bytes(item.data)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM))
        yield instance
        instance.close()


@pytest.mark.parametrize("version", sorted(APIS))
def test_runtime_talks_to_the_lms(version: str, site: tuple[str, Path], browser: object) -> None:
    base, root = site
    (root / "lms.html").write_text(LMS_PAGE % APIS[version], encoding="utf-8")
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/lms.html")
    sco = page.frame_locator("#sco")
    sco.locator("html.mirco-js").wait_for(state="attached")
    visible = sco.locator("section[data-page]:visible")
    assert visible.count() == 1
    assert visible.get_attribute("data-page") == "overview"
    status_key = "cmi.completion_status" if version == "2004" else "cmi.core.lesson_status"
    for expected in ("lesson-foundations", "lesson-second", "pretest", "final"):
        sco.locator("[data-action=next]").click()
        assert sco.locator("section[data-page]:visible").get_attribute("data-page") == expected
    assert sco.locator("[data-action=next]").is_disabled()
    sco.locator("[data-action=previous]").click()
    assert sco.locator("section[data-page]:visible").get_attribute("data-page") == "pretest"
    page.evaluate("document.getElementById('sco').src = 'about:blank'")
    page.wait_for_function("window.calls.some(c => c[0] === 'finish')")
    calls = page.evaluate("window.calls")
    names = [c[0] for c in calls]
    assert names.count("init") == 1 and names.count("finish") == 1
    assert ["set", status_key, "incomplete"] in calls
    assert ["set", status_key, "completed"] in calls
    location_key = "cmi.location" if version == "2004" else "cmi.core.lesson_location"
    assert ["set", location_key, "final"] in calls
    page.close()


def test_runtime_without_an_lms_says_so(site: tuple[str, Path], browser: object) -> None:
    base, _ = site
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"{base}/index.html")
    status = page.locator(".mirco-status")
    status.wait_for(state="visible")
    assert "not recorded" in status.inner_text()
    page.locator(".mirco-toc summary").click()
    page.locator(".mirco-toc [data-page-link=final]").click()
    assert page.locator("section[data-page]:visible").get_attribute("data-page") == "final"
    # Ordering questions: the move buttons reorder the items.
    items = page.locator("#mq-q-order [data-item]")
    first = items.nth(0).get_attribute("data-item")
    page.locator("#mq-q-order [data-item]").nth(0).locator("[data-move=down]").click()
    assert items.nth(1).get_attribute("data-item") == first
    page.close()
