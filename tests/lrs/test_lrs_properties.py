"""Properties over HTTP: valid statements round-trip; invalid ones are a 400, never a 500."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrs_support import TestClient, add_credential
from strategies import statements, statements_v2

from mirco_lms.lrs.http.app import create_app
from mirco_lms.lrs.settings import LrsSettings
from mirco_lms.lrs.store import open_store
from mirco_lms.lrs.validation.rules import normalize_statement

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def lrs(tmp_path_factory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('props') / 'lrs.sqlite3'}"
    store = open_store(url)
    auth = add_credential(store, "props", "all")
    with TestClient(create_app(LrsSettings(db=url), store=store)) as client:
        yield client, auth.headers()
    store.close()


def _sendable(stmt: dict[str, Any]) -> dict[str, Any]:
    """A fresh id, and fileUrl on attachments (their data would need a multipart body)."""
    stmt = copy.deepcopy(stmt)
    stmt["id"] = str(uuid.uuid4())
    for holder in (stmt, stmt["object"]):
        for att in holder.get("attachments", []):
            att.setdefault("fileUrl", "https://example.org/files/a.bin")
    return stmt


def _round_trip(lrs, sent: dict[str, Any], version: str) -> None:
    client, headers = lrs
    headers = {**headers, "X-Experience-API-Version": version}
    r = client.post("/xapi/statements", json=sent, headers=headers)
    assert r.status_code == 200, r.text
    got = client.get("/xapi/statements", params={"statementId": sent["id"]}, headers=headers).json()
    expected = normalize_statement(sent, version=version)
    for key in ("stored", "authority"):
        expected.pop(key, None)
        assert key in got
    expected.setdefault("timestamp", got["stored"])
    expected.setdefault("version", "2.0.0" if version.startswith("2") else "1.0.0")
    assert {k: v for k, v in got.items() if k not in ("stored", "authority")} == expected


@SETTINGS
@given(statements)
def test_valid_statements_round_trip(lrs, stmt) -> None:
    _round_trip(lrs, _sendable(stmt), "1.0.3")


@SETTINGS
@given(statements_v2)
def test_valid_2_0_statements_round_trip(lrs, stmt) -> None:
    _round_trip(lrs, _sendable(stmt), "2.0.0")


# (where to break the statement, the value, the JSON path the 400 must name)
BREAKAGES = [
    (("actor", "mbox"), "ana@example.org", "$.actor"),
    (("verb", "id"), "not an iri", "$.verb"),
    (("id",), "42", "$.id"),
    (("timestamp",), "yesterday", "$.timestamp"),
    (("result",), {"score": {"scaled": 5}}, "$.result"),
    (("unknownProperty",), 1, "$"),
    (("object", "objectType"), "Thing", "$.object"),
]


@SETTINGS
@given(statements, st.sampled_from(BREAKAGES))
def test_one_invalid_field_is_a_400_naming_its_path(lrs, stmt, breakage) -> None:
    client, headers = lrs
    keys, value, path = breakage
    broken = _sendable(stmt)
    target = broken
    for key in keys[:-1]:
        target = target.setdefault(key, {})
        if "mbox" in keys:
            for other in ("mbox_sha1sum", "openid", "account", "objectType", "member"):
                target.pop(other, None)
    target[keys[-1]] = value
    r = client.post("/xapi/statements", json=broken, headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["path"].startswith(path), (r.json(), path)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=10,
)


@SETTINGS
@given(json_values)
def test_arbitrary_json_is_a_400_never_a_500(lrs, value) -> None:
    client, headers = lrs
    r = client.post(
        "/xapi/statements",
        content=json.dumps(value).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"] and r.json()["path"] is not None


@SETTINGS
@given(st.binary(max_size=64))
def test_arbitrary_bytes_are_a_400_never_a_500(lrs, body) -> None:
    client, headers = lrs
    r = client.post(
        "/xapi/statements", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 400
