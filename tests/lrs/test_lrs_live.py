"""The collector as users run it: ``mirco lrs serve`` in a subprocess on 127.0.0.1.

A real xAPI client (the ``tincan`` package) talks to it; a kill -9 in the middle of a
stream of batches loses no acknowledged statement and leaves no batch half stored;
concurrent writers neither lose nor duplicate statements.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lrs_support import add_credential, statement

from live_server import LiveServer
from mirco_lms.lrs.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def served(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, str, str]]:
    store = open_store(sqlite_url)
    auth = add_credential(store, "live", "all")
    store.close()
    server = LiveServer(sqlite_url, tmp_path / "server.log").start()
    yield server, auth.key, auth.secret
    server.stop()


def test_tincan_client(served) -> None:
    """A real client library (tincan 1.0.0) against the live server."""
    from tincan import (
        Activity,
        ActivityProfileDocument,
        Agent,
        AgentProfileDocument,
        LanguageMap,
        RemoteLRS,
        StateDocument,
        Statement,
        StatementRef,
        Verb,
    )

    server, key, secret = served
    lrs = RemoteLRS(endpoint=server.url + "/", username=key, password=secret, version="1.0.3")
    assert lrs.about().success
    ana = Agent(name="Ana", mbox="mailto:ana@example.org")
    completed = Verb(
        id="http://adlnet.gov/expapi/verbs/completed", display=LanguageMap({"en-US": "completed"})
    )
    module = Activity(id="https://example.org/mirco/m1")
    saved = lrs.save_statement(Statement(actor=ana, verb=completed, object=module))
    assert saved.success, saved.data
    sid = saved.content.id
    got = lrs.retrieve_statement(sid)
    assert got.success and str(got.content.id) == str(sid)
    assert got.content.actor.mbox == "mailto:ana@example.org"
    batch = lrs.save_statements(
        [Statement(actor=ana, verb=completed, object=module) for _ in range(3)]
    )
    assert batch.success, batch.data
    page = lrs.query_statements({"verb": completed, "agent": ana, "limit": 2})
    assert page.success, page.data
    assert len(page.content.statements) == 2 and page.content.more
    rest = lrs.more_statements(page.content)
    assert rest.success and len(rest.content.statements) == 2

    voided = Verb(
        id="http://adlnet.gov/expapi/verbs/voided", display=LanguageMap({"en-US": "voided"})
    )
    assert lrs.save_statement(
        Statement(actor=ana, verb=voided, object=StatementRef(id=sid))
    ).success
    assert not lrs.retrieve_statement(sid).success
    assert lrs.retrieve_voided_statement(sid).success

    state = StateDocument(
        activity=module,
        agent=ana,
        id="bookmark",
        content='{"page": 3}',
        content_type="application/json",
    )
    assert lrs.save_state(state).success
    back = lrs.retrieve_state(module, ana, "bookmark")
    assert back.success and bytes(back.content.content) == b'{"page": 3}'
    assert lrs.retrieve_state_ids(module, ana).content == ["bookmark"]

    profile = AgentProfileDocument(
        agent=ana, id="prefs", content='{"lang": "sr-Latn"}', content_type="application/json"
    )
    # tincan's save_*_profile sends If-Match only, never If-None-Match, so it cannot
    # create a profile: a profile PUT without either header is 400 (XAPI-00273)
    assert lrs.save_agent_profile(profile).response.status == 400
    created = _create_profile(lrs, "agents/profile", {"agent": ana.to_json("1.0.3")}, profile)
    assert created.success, created.data
    got_profile = lrs.retrieve_agent_profile(ana, "prefs")
    assert got_profile.success and bytes(got_profile.content.content) == b'{"lang": "sr-Latn"}'
    got_profile.content.content = '{"lang": "sr-Cyrl"}'
    # tincan 1.0.0 looks for the ETag in a list of header pairs and never finds it
    headers = {k.lower(): v for k, v in got_profile.response.getheaders()}
    got_profile.content.etag = headers["etag"]
    assert lrs.save_agent_profile(got_profile.content).success  # If-Match: its ETag
    got_profile = lrs.retrieve_agent_profile(ana, "prefs")
    assert bytes(got_profile.content.content) == b'{"lang": "sr-Cyrl"}'
    activity_profile = ActivityProfileDocument(
        activity=module, id="meta", content="plain text", content_type="text/plain"
    )
    created = _create_profile(
        lrs, "activities/profile", {"activityId": module.id}, activity_profile
    )
    assert created.success, created.data
    fetched = lrs.retrieve_activity_profile(module, "meta")
    assert fetched.success and bytes(fetched.content.content) == b"plain text"


def _create_profile(lrs: Any, resource: str, params: dict[str, str], doc: Any) -> Any:
    """PUT a new profile document with ``If-None-Match: *`` through tincan's transport."""
    from tincan.http_request import HTTPRequest

    request = HTTPRequest(method="PUT", resource=resource, content=doc.content)
    request.headers.update({"Content-Type": doc.content_type, "If-None-Match": "*"})
    request.query_params = {**params, "profileId": doc.id}
    return lrs._send_request(request)


def _auth(key: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_loses_no_acknowledged_statement(sqlite_url, tmp_path, workers) -> None:
    """Every batch answered 200 before the kill is stored whole; no batch is half stored
    (one server process; or two workers and their statement writer)."""
    store = open_store(sqlite_url)
    auth = add_credential(store, "live", "all")
    store.close()
    server = LiveServer(sqlite_url, tmp_path / "server.log", workers=workers).start()
    try:
        _kill_9_during_posts(server, auth.key, auth.secret, sqlite_url)
    finally:
        server.stop()


def _kill_9_during_posts(server: LiveServer, key: str, secret: str, sqlite_url: str) -> None:
    acknowledged: list[list[str]] = []
    attempted: list[list[str]] = []
    stop = threading.Event()

    def stream() -> None:
        with httpx.Client(headers=_auth(key, secret), timeout=5) as client:
            while not stop.is_set():
                batch = [statement(id=str(uuid.uuid4())) for _ in range(25)]
                ids = [s["id"] for s in batch]
                attempted.append(ids)
                try:
                    r = client.post(f"{server.url}/statements", json=batch)
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    acknowledged.append(ids)

    writer = threading.Thread(target=stream)
    writer.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    stop.set()
    writer.join(10)
    assert len(acknowledged) >= 40

    server.start()
    store = open_store(sqlite_url)
    with httpx.Client(headers=_auth(key, secret)) as client:
        for ids in (acknowledged[0], acknowledged[-1]):
            r = client.get(f"{server.url}/statements", params={"statementId": ids[-1]})
            assert r.status_code == 200
    found = {s.id for s in store.iter_statements(_everything())}
    for ids in acknowledged:
        assert set(ids) <= found
    for ids in attempted:
        assert len(set(ids) & found) in (0, len(ids)), "a batch was half stored"
    store.close()


def _everything():
    from mirco_lms.lrs.store import StatementQuery

    return StatementQuery()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_writers_neither_lose_nor_duplicate(request, backend, tmp_path) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    store = open_store(url)
    auth = add_credential(store, "writers", "all")
    server = LiveServer(url, tmp_path / "server.log", workers=2).start()
    sent: list[str] = []
    lock = threading.Lock()
    repeated = [statement(id=str(uuid.uuid4())) for _ in range(5)]

    def write(worker: int) -> None:
        with httpx.Client(headers=_auth(auth.key, auth.secret), timeout=30) as client:
            for n in range(15):
                batch = [statement(id=str(uuid.uuid4())) for _ in range(8)] if n % 3 else repeated
                r = client.post(f"{server.url}/statements", json=batch)
                assert r.status_code == 200, r.text
                with lock:
                    sent.extend(r.json())

    try:
        threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        stored = [s.id for s in store.iter_statements(_everything(), batch=50)]
        assert len(stored) == len(set(stored)), "a statement was stored twice"
        assert set(stored) == set(sent)
        with httpx.Client(headers=_auth(auth.key, auth.secret)) as client:
            page = client.get(f"{server.url}/statements", params={"limit": 37}).json()
            paged = [s["id"] for s in page["statements"]]
            while page["more"]:
                page = client.get(f"http://127.0.0.1:{server.port}{page['more']}").json()
                paged += [s["id"] for s in page["statements"]]
        assert sorted(paged) == sorted(stored)
    finally:
        server.stop()
        store.close()
