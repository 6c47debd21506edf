"""A cmi5 launch only follows http(s) URLs: a ``javascript:`` returnURL in LMS.LaunchData
never runs on Exit, and a ``javascript:``/``data:`` endpoint or fetch URL in the launch
URL is refused before anything is sent (real Chromium, a live collector)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from browser_paths import REPO, missing_libs, unpack
from scorm_player import open_player, open_tab
from xapi_live import LiveLrs, SiteServer, cmi5_launch

from mirco_lms.build import BuildOptions, build
from mirco_lms.config import ProjectConfig

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]
MODULE = "migration-human-rights"
MODULE_IRI = f"https://training.example.org/mirco/{MODULE}"


def _actor() -> dict[str, Any]:
    """A learner of their own (the LMS side stores their preferences once)."""
    return {"objectType": "Agent", "name": "Ana Anić",
            "account": {"homePage": "https://lms.example.org", "name": uuid.uuid4().hex}}

PWN = "javascript:document.title='pwned';window.pwned=1;void 0"


@dataclass
class Cmi5Site:
    lrs: LiveLrs
    site: SiteServer

    @property
    def index(self) -> str:
        return f"{self.site.base}/{MODULE}-1.0.0-en-cmi5/index.html"


@pytest.fixture(scope="module")
def cmi5_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cmi5Site]:
    if missing_libs():
        pytest.skip("npm packages missing: run `npm ci` (make browser-deps)")
    work = tmp_path_factory.mktemp("cmi5-urls")
    root = work / "site"
    root.mkdir()
    site = SiteServer(root)
    lrs = LiveLrs(work / "lrs.sqlite3", work / "lrs.log", cors_origin=site.base)
    project = work / "project"
    project.mkdir()
    shutil.copytree(REPO / "modules" / MODULE, project / "modules" / MODULE)
    shutil.copy(REPO / "mirco.toml", project / "mirco.toml")
    build(ProjectConfig.load(project), BuildOptions(
        slugs=(MODULE,), formats=("cmi5",), out_dir=work / "dist", jobs=1, languages=("en",)))
    unpack(work / "dist", root)
    (root / "returned.html").write_text(
        "<!DOCTYPE html><title>LMS</title><link rel=\"icon\" href=\"data:,\"><p>back</p>")
    lrs.start()
    try:
        yield Cmi5Site(lrs, site)
    finally:
        lrs.stop()
        site.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    with open_tab(browser, timeout_ms=15_000) as recorded:
        warnings: list[str] = []
        requests: list[str] = []
        recorded.page.on("console", lambda m: warnings.append(m.text)
                         if m.type == "warning" else None)
        recorded.page.on("request", lambda r: requests.append(r.url))
        recorded.warnings, recorded.requests = warnings, requests
        yield recorded
    assert recorded.errors == []


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, value if k == name else v) for k, v in parse_qsl(parts.query)]
    return parts._replace(query=urlencode(query, quote_via=quote)).geturl()


def test_a_javascript_return_url_is_not_followed(tab: Any, cmi5_site: Cmi5Site) -> None:
    launch = cmi5_launch(cmi5_site.lrs, cmi5_site.site, cmi5_site.index, MODULE_IRI, _actor(),
                         returnURL=PWN)
    page = tab.page
    open_player(page, launch["url"])
    page.locator("[data-action=exit]").click()
    page.locator(".mirco-status").wait_for(state="visible")
    cmi5_site.lrs.wait_for("terminated", registration=launch["registration"])
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.pwned") is None
    assert page.title() != "pwned" and page.url == launch["url"]
    assert any("returnURL is not an http(s) URL" in w for w in tab.warnings), tab.warnings


def test_an_http_return_url_is_still_followed(tab: Any, cmi5_site: Cmi5Site) -> None:
    launch = cmi5_launch(cmi5_site.lrs, cmi5_site.site, cmi5_site.index, MODULE_IRI, _actor())
    page = tab.page
    open_player(page, launch["url"])
    page.locator("[data-action=exit]").click()
    page.wait_for_url(launch["return_url"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("endpoint", "javascript:window.pwned=1//"),
        ("endpoint", "data:text/html,<script>window.pwned=1</script>"),
        ("fetch", "javascript:window.pwned=1//"),
        ("fetch", "data:application/json,{\"auth-token\":\"eDp5\"}"),
        ("fetch", "file:///etc/passwd"),
    ],
)
def test_a_foreign_scheme_endpoint_or_fetch_is_refused(
    tab: Any, cmi5_site: Cmi5Site, name: str, value: str
) -> None:
    launch = cmi5_launch(cmi5_site.lrs, cmi5_site.site, cmi5_site.index, MODULE_IRI, _actor())
    page = tab.page
    page.goto(_with_param(launch["url"], name, value))
    page.locator(".mirco-status").wait_for(state="visible")
    assert page.evaluate("() => window.pwned") is None
    sent = [u for u in tab.requests if not u.startswith(cmi5_site.site.base + f"/{MODULE}")]
    assert sent == [], sent  # neither the fetch URL nor the collector was called
    assert any(f"the cmi5 launch parameter '{name}' is not an http(s) URL" in w
               for w in tab.warnings), tab.warnings
