"""``more`` tokens are signed (HMAC-SHA256 under MIRCO_SECRET_KEY) and checked: a forged
or altered token is a 400, never a 500, and no token lifts MIRCO_MAX_LIMIT."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from lrs_support import statement

KEY = b"k" * 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _signed(fields: dict, key: bytes = KEY) -> str:
    raw = json.dumps(fields, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(raw)}.{_b64(hmac.new(key, raw, hashlib.sha256).digest())}"


@pytest.fixture
def paged(make_client, admin):
    client = make_client(max_limit=5, secret_key=KEY)
    batch = [statement() for _ in range(12)]
    assert client.post("/xapi/statements", json=batch, headers=admin.headers()).status_code == 200
    return client


def test_the_more_chain_still_reads_everything(paged, admin) -> None:
    seen, url = [], "/xapi/statements"
    while url:
        page = paged.get(url, headers=admin.headers()).json()
        seen += [s["id"] for s in page["statements"]]
        url = page["more"]
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize(
    "fields",
    [
        {"limit": -1, "after_seq": 5, "bound_seq": 9},
        {"limit": "5", "after_seq": 5, "bound_seq": 9},
        {"agent": ["x"], "after_seq": 5, "bound_seq": 9},
        {"bound_seq": 1e30, "after_seq": 5},
        {"after_seq": 5, "bound_seq": 2**70},
        {"after_seq": True, "bound_seq": 9},
        {"after_seq": 5, "bound_seq": 9, "since": "yesterday"},
        {"after_seq": 5, "bound_seq": 9, "format": "raw"},
        {"after_seq": 5, "bound_seq": 9, "authority_key": "someone"},
        {"after_seq": 5},
        [1, 2],
    ],
)
def test_forged_token_shapes_are_a_400(paged, admin, fields) -> None:
    """Even signed with the right key (a leaked key), a token of the wrong shape is a
    400; with any other key it is refused before it is read."""
    for token in (_signed(fields), _signed(fields, b"x" * 32)):  # type: ignore[arg-type]
        r = paged.get("/xapi/statements", params={"more": token}, headers=admin.headers())
        assert r.status_code == 400, (fields, r.text)


def test_altered_and_unsigned_tokens_are_a_400(paged, admin) -> None:
    more = paged.get("/xapi/statements", headers=admin.headers()).json()["more"]
    token = more.split("more=")[1]
    body, _, sig = token.partition(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    altered = _b64(json.dumps({**fields, "limit": 100000}).encode()) + "." + sig
    for bad in (altered, body, body + ".", "", "....", "é.é", token[:-2]):
        r = paged.get("/xapi/statements", params={"more": bad}, headers=admin.headers())
        assert r.status_code == 400, (bad, r.text)


def test_a_token_limit_never_lifts_max_limit(paged, admin) -> None:
    token = _signed({"limit": 60030, "after_seq": 10**12, "bound_seq": 10**12})
    r = paged.get("/xapi/statements", params={"more": token}, headers=admin.headers())
    assert r.status_code == 200 and len(r.json()["statements"]) == 5


def test_a_token_from_another_key_is_refused(make_client, admin) -> None:
    one = make_client(max_limit=2, secret_key=b"1" * 32)
    two = make_client(max_limit=2, secret_key=b"2" * 32)
    one.post("/xapi/statements", json=[statement() for _ in range(3)], headers=admin.headers())
    more = one.get("/xapi/statements", headers=admin.headers()).json()["more"]
    assert one.get(more, headers=admin.headers()).status_code == 200
    assert two.get(more, headers=admin.headers()).status_code == 400
