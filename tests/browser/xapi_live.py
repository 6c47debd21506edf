"""The collector and an LMS's cmi5 side, for the browser tests of xAPI tracking.

``LiveLrs`` runs ``mirco lrs serve`` as users do (a child process on 127.0.0.1, a free
port, a temporary SQLite database, CORS for the origin the packages are served from).
``SiteServer`` serves unpacked packages plus — the LMS's role in cmi5, written here only
for tests — a one-time fetch URL that hands out an auth token (cmi5 spec §8.2).
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from browser_paths import REPO, add_lms, missing_libs, unpack

from live_server import LiveServer
from mirco_lms.lrs.auth import new_credential
from mirco_lms.lrs.store import open_store


class LiveLrs(LiveServer):
    """``mirco lrs serve`` in a child process, with an admin key to read what arrived."""

    def __init__(self, db_file: Path, log: Path, cors_origin: str) -> None:
        super().__init__(f"sqlite:///{db_file}", log, env={
            "MIRCO_CORS_ORIGINS": cors_origin, "MIRCO_CREDENTIAL_CACHE_SECONDS": "0"})
        self.admin = self.credential("test-admin", "all")

    @property
    def endpoint(self) -> str:
        return f"{self.url}/"

    def credential(self, name: str, *scopes: str) -> tuple[str, str]:
        store = open_store(self.db)
        try:
            credential, secret = new_credential(name, list(scopes))
            store.add_credential(credential)
        finally:
            store.close()
        return credential.key, secret

    def headers(self) -> dict[str, str]:
        token = base64.b64encode(":".join(self.admin).encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every statement stored (oldest first), following ``more`` links."""
        out: list[dict[str, Any]] = []
        url = self.endpoint + "statements?" + urlencode({"ascending": "true", **params})
        while url:
            page = httpx.get(url, headers=self.headers(), timeout=10)
            assert page.status_code == 200, page.text
            body = page.json()
            out.extend(body["statements"])
            more = body.get("more") or ""
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return out

    def wait_for(self, verb: str, count: int = 1, timeout: float = 20, **params: str
                 ) -> list[dict[str, Any]]:
        """The statements once ``count`` of them have the verb ``verb`` (its last segment)."""
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            found = self.statements(**params)
            if sum(s["verb"]["id"].endswith("/" + verb) for s in found) >= count:
                return found
            time.sleep(0.25)
        verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in found]
        raise AssertionError(f"no {count} {verb!r} statement(s) arrived; got {verbs}")

    def put_state(self, activity: str, agent: dict[str, Any], registration: str,
                  state_id: str, document: dict[str, Any]) -> None:
        params = urlencode({"activityId": activity, "agent": json.dumps(agent),
                            "registration": registration, "stateId": state_id})
        res = httpx.put(self.endpoint + "activities/state?" + params, json=document,
                        headers=self.headers(), timeout=10)
        assert res.status_code == 204, res.text

    def put_profile(self, agent: dict[str, Any], profile_id: str,
                    document: dict[str, Any]) -> None:
        params = urlencode({"agent": json.dumps(agent), "profileId": profile_id})
        # a new profile document: xAPI wants the precondition If-None-Match: * on PUT
        res = httpx.put(self.endpoint + "agents/profile?" + params, json=document,
                        headers={**self.headers(), "If-None-Match": "*"}, timeout=10)
        assert res.status_code == 204, res.text

    def post(self, statement: dict[str, Any]) -> None:
        res = httpx.post(self.endpoint + "statements", json=statement, headers=self.headers(),
                         timeout=10)
        assert res.status_code == 200, res.text


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, and ``POST /fetch/<id>``: the one-time auth token of a cmi5 launch."""

    tokens: dict[str, str]
    used: set[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        key = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/fetch/") or key not in self.tokens:
            self.send_error(404)
            return
        if key in self.used:  # cmi5 8.2.3.1: a second call gets error-code 1 (still a 200)
            body = {"error-code": "1", "error-text": "The authorization token has already "
                    "been returned."}
        else:
            self.used.add(key)
            body = {"auth-token": self.tokens[key]}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


class SiteServer:
    """Packages under ``root`` on 127.0.0.1, with the cmi5 fetch URLs of an LMS."""

    def __init__(self, root: Path) -> None:
        handler = type("Handler", (_Handler,), {"tokens": {}, "used": set()})
        self.handler = handler
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fetch_url(self, token: str) -> str:
        """A new one-time fetch URL returning ``token``."""
        key = uuid.uuid4().hex
        self.handler.tokens[key] = token
        return f"{self.base}/fetch/{key}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


CMI5_EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
CMI5_SESSION = CMI5_EXT + "sessionid"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


def cmi5_launch(lrs: LiveLrs, site: SiteServer, package_url: str, publisher_id: str,
                actor: dict[str, Any], **launch_data: Any) -> dict[str, Any]:
    """What a cmi5 LMS does before launching an AU (cmi5 §8, §10); the launch's facts.

    A registration and a session id; a token credential (statements/write, state,
    profile) behind a one-time fetch URL; LMS.LaunchData; the "launched" statement.
    """
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    activity_id = f"https://lms.example.org/cmi5/au/{uuid.uuid4()}"
    key, secret = lrs.credential(f"cmi5-session-{session}", "statements/write", "state",
                                 "profile")
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    template = {"contextActivities": {"grouping": [{"id": publisher_id}]},
                "extensions": {CMI5_SESSION: session}}
    document = {"contextTemplate": template, "launchMode": "Normal",
                "moveOn": "CompletedAndPassed", "returnURL": f"{site.base}/returned.html",
                **launch_data}
    lrs.put_state(activity_id, actor, registration, "LMS.LaunchData", document)
    lrs.put_profile(actor, "cmi5LearnerPreferences",
                    {"languagePreference": "en", "audioPreference": "on"})
    launched_context = {
        "registration": registration,
        "contextActivities": {**template["contextActivities"],
                              "category": [{"id": CMI5_CATEGORY}]},
        "extensions": {**template["extensions"], CMI5_EXT + "launchmode": "Normal",
                       CMI5_EXT + "moveon": document["moveOn"]},
    }
    lrs.post({"id": str(uuid.uuid4()), "actor": actor,
              "verb": {"id": "http://adlnet.gov/expapi/verbs/launched",
                       "display": {"en-US": "launched"}},
              "object": {"objectType": "Activity", "id": activity_id},
              "context": launched_context,
              "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())})
    fetch = site.fetch_url(token)
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in (
        ("endpoint", lrs.endpoint), ("fetch", fetch), ("actor", json.dumps(actor)),
        ("registration", registration), ("activityId", activity_id)))
    return {"url": f"{package_url}?{query}", "registration": registration, "session": session,
            "activity_id": activity_id, "fetch": fetch, "return_url": document["returnURL"]}


def tracked_project(work: Path, lrs: LiveLrs, activity_base: str, homepage: str,
                    project_lines: str = "") -> Path:
    """A copy of the sample course project in ``work/project`` whose ``[tracking]`` names
    the live collector with a statements/write key, as an author's would;
    ``project_lines`` are added to its ``[project]`` table."""
    key, secret = lrs.credential("packages", "statements/write")
    project = work / "project"
    project.mkdir()
    shutil.copytree(REPO / "modules", project / "modules")
    text = (REPO / "mirco.toml").read_text(encoding="utf-8")
    text = text.replace("[project]\n", f"[project]\n{project_lines}")
    text += (f'\n[tracking]\nendpoint = "{lrs.endpoint}"\nkey = "{key}"\nsecret = "{secret}"\n'
             f'activity_base = "{activity_base}"\nhomepage = "{homepage}"\n')
    (project / "mirco.toml").write_text(text, encoding="utf-8")
    return project


def serve_packages(dist: Path, root: Path) -> None:
    """The packages built into ``dist`` unpacked under ``root`` with the test LMS frame,
    and the page an LMS's return URL leads to (``returned.html``)."""
    unpack(dist, root)
    add_lms(root)
    (root / "returned.html").write_text(
        "<!DOCTYPE html><title>LMS</title><link rel=\"icon\" href=\"data:,\"><p>back</p>")


@dataclass
class LiveSite:
    """A live collector and the site that serves packages to it, in the folder ``work``."""

    work: Path
    root: Path
    """The site's folder: the packages go under it."""
    site: SiteServer
    lrs: LiveLrs
    """Not started: build the packages with its key, then start it."""


@contextmanager
def live_site(factory: pytest.TempPathFactory, name: str,
              from_disk: bool = False) -> Iterator[LiveSite]:
    """A fresh site and collector whose CORS lets the site (and, with ``from_disk``,
    packages opened from disk: origin ``null``) send statements; both stopped after.
    Skips when the npm packages the test LMS loads are not installed."""
    missing = missing_libs()
    if missing:
        pytest.skip(f"npm packages missing ({missing[0]}): run `npm ci` (make browser-deps)")
    work = factory.mktemp(name)
    root = work / "site"
    root.mkdir()
    site = SiteServer(root)
    origins = f"{site.base},null" if from_disk else site.base
    lrs = LiveLrs(work / "lrs.sqlite3", work / "lrs.log", cors_origin=origins)
    try:
        yield LiveSite(work, root, site, lrs)
    finally:
        lrs.stop()
        site.close()
