"""Regressions found by ADL's LRS conformance test suite (lrs-conformance-test-suite).

Each test names the requirement id (XAPI-nnnnn) of the suite and the clause of the
specification it checks.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from urllib.parse import urlencode

import pytest

from conftest import statement

ACT = "https://example.org/mirco/m1"
AGENT = json.dumps({"mbox": "mailto:ana@example.org"})
CONSISTENT = "X-Experience-API-Consistent-Through"


def _instant(header: str) -> float:
    return datetime.fromisoformat(header.replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"statementId": str(uuid.uuid4())},  # 404
        {"statementId": str(uuid.uuid4()), "agent": AGENT},  # 400
        {"verb": "not an iri"},  # 400
    ],
)
def test_consistent_through_on_every_get_answer(client, admin, params) -> None:
    """XAPI-00153 (Communication 2.1.3.s2.b5): every answer to GET /statements, errors
    included, has X-Experience-API-Consistent-Through."""
    r = client.get("/xapi/statements", params=params, headers=admin.headers())
    assert CONSISTENT in r.headers, (r.status_code, r.text)


def test_consistent_through_is_now_not_the_last_stored_statement(client, admin) -> None:
    """xAPI 1.0.3 §7.2.3: Consistent-Through promises that everything acknowledged before
    it is visible. A quiet LRS is consistent through the moment of the read, so clients
    that wait for it (the conformance suite's genDelay) do not wait forever."""
    client.post("/xapi/statements", json=statement(), headers=admin.headers())
    time.sleep(0.05)
    before = time.time()
    r = client.get("/xapi/statements", headers=admin.headers())
    assert _instant(r.headers[CONSISTENT]) >= before - 0.001
    stored = r.json()["statements"][0]["stored"]
    assert r.headers[CONSISTENT] >= stored


def test_format_ids_gives_activities_by_id_alone(client, admin) -> None:
    """XAPI-00171 (Communication 2.1.3 format=ids): an Activity, also inside a
    SubStatement, is returned with its id and nothing else."""
    sub = {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:bob@example.org", "name": "Bob"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en": "tried"}},
        "object": {"objectType": "Activity", "id": ACT, "definition": {"name": {"en": "M"}}},
    }
    sid = client.post("/xapi/statements", json=statement(object=sub), headers=admin.headers())
    got = client.get(
        "/xapi/statements",
        params={"statementId": sid.json()[0], "format": "ids"},
        headers=admin.headers(),
    ).json()
    assert got["object"]["object"] == {"id": ACT}
    assert got["object"]["actor"] == {"objectType": "Agent", "mbox": "mailto:bob@example.org"}
    assert got["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}


@pytest.mark.parametrize(
    "path,params",
    [
        ("/xapi/activities/profile", {"activityId": ACT, "profileId": "p"}),
        ("/xapi/agents/profile", {"agent": AGENT, "profileId": "p"}),
    ],
)
def test_profile_put_needs_a_precondition_header(client, admin, path, params) -> None:
    """XAPI-00273 / XAPI-00287 (Communication 2.6.s3, 2.7; 3.1): a profile PUT with neither
    If-Match nor If-None-Match is 400 for a new document and 409 over an existing one."""
    url = f"{path}?{urlencode(params)}"
    bare = client.put(url, json={"a": 1}, headers=admin.headers())
    assert bare.status_code == 400 and "If-None-Match" in bare.json()["hint"]
    created = client.put(url, json={"a": 1}, headers=admin.headers(**{"If-None-Match": "*"}))
    assert created.status_code == 204
    again = client.put(url, json={"a": 2}, headers=admin.headers())
    assert again.status_code == 409
    etag = created.headers["ETag"]
    replaced = client.put(url, json={"a": 3}, headers=admin.headers(**{"If-Match": etag}))
    assert replaced.status_code == 204


def test_state_put_without_precondition_is_allowed(client, admin) -> None:
    """Communication 2.3: the State resource takes PUT without concurrency headers (the
    requirement of XAPI-00273 is for the profile resources only)."""
    url = "/xapi/activities/state?" + urlencode(
        {"activityId": ACT, "agent": AGENT, "stateId": "s"}
    )
    assert client.put(url, json={"a": 1}, headers=admin.headers()).status_code == 204
    assert client.put(url, json={"a": 2}, headers=admin.headers()).status_code == 204


@pytest.mark.parametrize("body", ['{"a": 1}[', "[1, 2]"])
def test_json_post_of_a_new_document_must_be_a_json_object(client, admin, body) -> None:
    """XAPI-00314 (Communication 2.7.s4.table1.row2): a POST with Content-Type
    application/json whose body is not a JSON object is 400, even when nothing is stored
    yet; nothing is stored."""
    url = "/xapi/activities/profile?" + urlencode({"activityId": ACT, "profileId": "bad"})
    headers = admin.headers(**{"Content-Type": "application/json"})
    assert client.post(url, content=body, headers=headers).status_code == 400
    assert client.get(url, headers=admin.headers()).status_code == 404
