"""Regressions found by ADL's LRS conformance test suite (lrs-conformance-test-suite).

Each test names the requirement id (XAPI-nnnnn) of the suite and the clause of the
specification it checks.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from datetime import datetime
from urllib.parse import urlencode

import pytest
from lrs_support import statement

from mirco_lms.errors import ConfigError
from mirco_lms.lrs.http import multipart
from mirco_lms.lrs.settings import LrsSettings

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


def test_state_put_without_precondition_depends_on_the_version(client, admin) -> None:
    """xAPI 1.0.3 §6.3 lets State PUTs go without concurrency headers; xAPI 2.0 §4.1.4
    (conformance "Concurrency for the Activity State Resource") answers 409 over an
    existing document, and leaves it unchanged."""
    url = "/xapi/activities/state?" + urlencode({"activityId": ACT, "agent": AGENT, "stateId": "s"})
    assert client.put(url, json={"a": 1}, headers=admin.headers("1.0.3")).status_code == 204
    assert client.put(url, json={"a": 2}, headers=admin.headers("1.0.3")).status_code == 204
    conflict = client.put(url, json={"a": 3}, headers=admin.headers("2.0.0"))
    assert conflict.status_code == 409 and conflict.json()["error"]
    assert client.get(url, headers=admin.headers("2.0.0")).json() == {"a": 2}
    fresh = url.replace("stateId=s", "stateId=new")
    assert client.put(fresh, json={"b": 1}, headers=admin.headers("2.0.0")).status_code == 204


def test_activities_answers_an_activity_it_has_no_definition_of(client, admin) -> None:
    """xAPI 2.0 §4.1.6.4 (Activity Resource; 1.0.3 Communication 2.5, a SHOULD there):
    without a canonical definition the LRS still returns an Activity Object."""
    unknown = "https://example.org/never-seen"
    r = client.get("/xapi/activities", params={"activityId": unknown}, headers=admin.headers())
    assert r.status_code == 200
    assert r.json() == {"objectType": "Activity", "id": unknown}


def _attachment_request(encoding: str | None) -> tuple[bytes, str]:
    content = b"certificate"
    sha2 = hashlib.sha256(content).hexdigest()
    stmt = statement(
        attachments=[
            {
                "usageType": "http://id.tincanapi.com/attachment/certificate",
                "display": {"en-US": "certificate"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": sha2,
            }
        ]
    )
    headers = {"Content-Type": "text/plain", "X-Experience-API-Hash": sha2}
    if encoding:
        headers["Content-Transfer-Encoding"] = encoding
    return multipart.build(
        [
            multipart.Part({"Content-Type": "application/json"}, json.dumps(stmt).encode()),
            multipart.Part(headers, content),
        ]
    )


@pytest.mark.parametrize(
    "version,encoding,status",
    [
        ("1.0.3", "binary", 200),
        ("1.0.3", None, 400),
        ("1.0.3", "base64", 400),
        ("2.0.0", "binary", 200),
        ("2.0.0", None, 200),
        ("2.0.0", "base64", 400),
    ],
)
def test_attachment_parts_content_transfer_encoding(
    client, admin, version, encoding, status
) -> None:
    """XAPI-00135 (Data 2.4.11): a part after the first with a Content-Transfer-Encoding
    other than binary is 400; 1.0.3 also requires the header, 2.0 lets it be left out."""
    body, ctype = _attachment_request(encoding)
    headers = admin.headers(version, **{"Content-Type": ctype})
    r = client.post("/xapi/statements", content=body, headers=headers)
    assert r.status_code == status, r.text


def test_alternate_request_syntax_is_1_0_only(client, admin) -> None:
    """xAPI 2.0 Communication 1.3: "The LRS does NOT allow Alternate Request Syntax"; a
    form naming 1.0.3 still works (1.0.3 §7.8)."""
    for version, status in (("2.0.0", 400), ("1.0.3", 204)):
        form = {
            "content": json.dumps(statement()),
            "X-Experience-API-Version": version,
            "Authorization": admin.header,
            "statementId": str(uuid.uuid4()),
        }
        r = client.post(
            "/xapi/statements?method=PUT",
            content=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == status, r.text


@pytest.mark.parametrize("configured", [None, "1.0.3"])
def test_unversioned_requests_get_the_configured_version(make_client, admin, configured) -> None:
    """XAPI-00331 (Communication 3.3.s4.b1, 3.3.s3.b7): a request without
    X-Experience-API-Version is 400, and the answer names the LRS's version: 2.0.0 by
    default, 1.0.3 with MIRCO_XAPI_VERSION=1.0.3. Requests naming a version get it."""
    client = make_client(**({"xapi_version": configured} if configured else {}))
    r = client.get("/xapi/statements", headers={"Authorization": admin.header})
    assert r.status_code == 400
    assert r.headers["X-Experience-API-Version"] == (configured or "2.0.0")
    named = client.get("/xapi/statements", headers=admin.headers("1.0.3"))
    assert named.headers["X-Experience-API-Version"] == "1.0.3"


def test_xapi_version_setting_is_checked() -> None:
    """MIRCO_XAPI_VERSION names the bad value and the variable."""
    assert LrsSettings.from_env({"MIRCO_XAPI_VERSION": "1.0.3"}).xapi_version == "1.0.3"
    with pytest.raises(ConfigError, match="MIRCO_XAPI_VERSION"):
        LrsSettings.from_env({"MIRCO_XAPI_VERSION": "0.95"})


@pytest.mark.parametrize("body", ['{"a": 1}[', "[1, 2]"])
def test_json_post_of_a_new_document_must_be_a_json_object(client, admin, body) -> None:
    """XAPI-00314 (Communication 2.7.s4.table1.row2): a POST with Content-Type
    application/json whose body is not a JSON object is 400, even when nothing is stored
    yet; nothing is stored."""
    url = "/xapi/activities/profile?" + urlencode({"activityId": ACT, "profileId": "bad"})
    headers = admin.headers(**{"Content-Type": "application/json"})
    assert client.post(url, content=body, headers=headers).status_code == 400
    assert client.get(url, headers=admin.headers()).status_code == 404
