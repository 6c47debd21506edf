"""The auth matrix: every resource × missing / wrong / insufficient / valid credentials."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import urlencode

import pytest
from lrs_support import add_credential, statement

from mirco_lms.errors import Unauthorized
from mirco_lms.lrs.auth import hash_secret, new_credential, verify_secret

AGENT = json.dumps({"mbox": "mailto:ana@example.org"})
ACT = "https://example.org/mirco/m1"
STATE = urlencode({"activityId": ACT, "agent": AGENT, "stateId": "s"})
APROF = urlencode({"activityId": ACT, "profileId": "p"})
GPROF = urlencode({"agent": AGENT, "profileId": "p"})

# (request, scope that is not enough, scope that is)
CASES = [
    (("GET", "/xapi/statements", None), "statements/write", "statements/read"),
    (("GET", "/xapi/statements", None), "state", "all/read"),
    (("POST", "/xapi/statements", statement()), "statements/read", "statements/write"),
    (("PUT", f"/xapi/statements?statementId={uuid.uuid4()}", statement()), "all/read", "all"),
    (("GET", f"/xapi/activities/state?{STATE}", None), "profile", "state"),
    (("PUT", f"/xapi/activities/state?{STATE}", {"a": 1}), "all/read", "state"),
    (("DELETE", f"/xapi/activities/state?{STATE}", None), "profile", "state"),
    (("GET", f"/xapi/activities/profile?{APROF}", None), "state", "profile"),
    (("PUT", f"/xapi/activities/profile?{APROF}", {"a": 1}), "all/read", "profile"),
    (("GET", f"/xapi/agents/profile?{GPROF}", None), "statements/write", "profile"),
    (("POST", f"/xapi/agents/profile?{GPROF}", {"a": 1}), "state", "all"),
    (
        ("GET", f"/xapi/activities?{urlencode({'activityId': ACT})}", None),
        "statements/write",
        "all/read",
    ),
    (("GET", f"/xapi/agents?{urlencode({'agent': AGENT})}", None), "statements/write", "all/read"),
]
IDS = [f"{m} {p.split('?')[0]} [{ok}]" for (m, p, _), _bad, ok in CASES]


def _send(client, request, headers):
    method, path, body = request
    kwargs = {"json": body} if body is not None else {}
    if method == "PUT" and "/profile" in path:
        headers = {**headers, "If-None-Match": "*"}  # profile PUTs need one (XAPI-00273)
    return client.request(method, path, headers=headers, **kwargs)


@pytest.mark.parametrize("request_,insufficient,sufficient", CASES, ids=IDS)
def test_auth_matrix(client, store, request_, insufficient, sufficient) -> None:
    version = {"X-Experience-API-Version": "1.0.3"}
    missing = _send(client, request_, version)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Basic")
    good = add_credential(store, f"ok-{uuid.uuid4().hex[:6]}", sufficient)
    wrong = {**good.headers(), "Authorization": good.header[:-4] + "AAA="}
    assert _send(client, request_, wrong).status_code == 401
    weak = add_credential(store, f"weak-{uuid.uuid4().hex[:6]}", insufficient)
    forbidden = _send(client, request_, weak.headers())
    assert forbidden.status_code == 403 and "scope" in forbidden.json()["hint"]
    allowed = _send(client, request_, good.headers())
    assert allowed.status_code in (200, 204, 404), allowed.text


def test_revoked_credentials_stop_working(client, store) -> None:
    auth = add_credential(store, "old", "all")
    assert client.get("/xapi/statements", headers=auth.headers()).status_code == 200
    store.revoke_credential(auth.key)
    assert client.get("/xapi/statements", headers=auth.headers()).status_code == 401


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!", "Basic " + "a2V5"])
def test_malformed_authorization_is_401(client, header) -> None:
    r = client.get(
        "/xapi/statements", headers={"Authorization": header, "X-Experience-API-Version": "1.0.3"}
    )
    assert r.status_code == 401


def test_secrets_are_stored_hashed_with_salt() -> None:
    credential, secret = new_credential("moodle", ["statements/write"])
    assert secret not in credential.secret_hash
    assert credential.secret_hash.startswith("hmac-sha256$")
    assert verify_secret(secret, credential.secret_hash)
    assert not verify_secret(secret + "x", credential.secret_hash)
    assert hash_secret(secret) != hash_secret(secret)


def test_statements_carry_the_credential_authority(client, store) -> None:
    auth = add_credential(store, "moodle-prod", "statements/write", "statements/read")
    [sid] = client.post(
        "/xapi/statements",
        json=statement(authority={"mbox": "mailto:x@y.z"}),
        headers=auth.headers(),
    ).json()
    got = client.get("/xapi/statements", params={"statementId": sid}, headers=auth.headers()).json()
    assert got["authority"] == {
        "objectType": "Agent",
        "name": "moodle-prod",
        "account": {"homePage": "http://lrs.test", "name": "moodle-prod"},
    }


def test_a_verified_secret_is_not_hashed_again_but_revocation_still_counts(
    store, monkeypatch
) -> None:
    """Busy clients never wait on scrypt: after the cache time the credential row is read
    again (so a revoked key fails) but an unchanged secret hash is not re-verified."""
    from mirco_lms.lrs import auth as auth_module

    calls = []
    real = auth_module.verify_secret
    monkeypatch.setattr(auth_module, "verify_secret", lambda s, h: calls.append(1) or real(s, h))
    creds = add_credential(store, "busy", "all")
    authenticator = auth_module.Authenticator(store, cache_seconds=0)
    for _ in range(5):
        assert authenticator.authenticate(creds.header).name == "busy"
    assert len(calls) == 1
    wrong = "Basic " + base64.b64encode(f"{creds.key}:not-it".encode()).decode()
    with pytest.raises(Unauthorized):
        authenticator.authenticate(wrong)
    assert len(calls) == 2
    store.revoke_credential(creds.key)
    with pytest.raises(Unauthorized):
        authenticator.authenticate(creds.header)


def test_a_burst_with_a_new_credential_hashes_the_secret_once(store, monkeypatch) -> None:
    """Eight requests at once with a credential not yet cached (a server just started):
    the first checks the secret, the others wait for its answer."""
    import threading
    import time

    from mirco_lms.lrs import auth as auth_module

    calls = []
    real = auth_module.verify_secret

    def slow_verify(secret: str, stored: str) -> bool:
        calls.append(1)
        time.sleep(0.2)  # scrypt takes a while: the other requests arrive meanwhile
        return real(secret, stored)

    monkeypatch.setattr(auth_module, "verify_secret", slow_verify)
    creds = add_credential(store, "burst", "all")
    authenticator = auth_module.Authenticator(store, cache_seconds=60)
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(
        authenticator.authenticate(creds.header).name)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert names == ["burst"] * 8
    assert len(calls) == 1
    wrong = "Basic " + base64.b64encode(f"{creds.key}:not-it".encode()).decode()
    with pytest.raises(Unauthorized):  # a wrong secret is still checked, and refused
        authenticator.authenticate(wrong)
    assert len(calls) == 2


def test_cached_answers_only_from_the_cache(store) -> None:
    """``cached``: the principal without a store read or a hash, or None."""
    from mirco_lms.lrs.auth import Authenticator

    creds = add_credential(store, "quick", "all")
    authenticator = Authenticator(store, cache_seconds=60)
    assert authenticator.cached(creds.header) is None  # never verified
    assert authenticator.cached(None) is None
    assert authenticator.cached("Basic !!!") is None
    assert authenticator.authenticate(creds.header).name == "quick"
    cached = authenticator.cached(creds.header)
    assert cached is not None and cached.name == "quick"
    wrong = "Basic " + base64.b64encode(f"{creds.key}:not-it".encode()).decode()
    assert authenticator.cached(wrong) is None
    assert Authenticator(store, cache_seconds=0).cached(creds.header) is None
