"""Stored documents never run as pages on the LRS's origin, and cross-site requests never
act on a browser's remembered credentials (the alternate request syntax included)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlencode

import pytest
from lrs_support import add_credential, statement

ACT = "https://example.org/mirco/m1"
AGENT = json.dumps({"mbox": "mailto:ana@example.org"})
STATE = {"activityId": ACT, "agent": AGENT, "stateId": "s1"}
RESOURCES = [
    ("/xapi/activities/state", STATE),
    ("/xapi/activities/profile", {"activityId": ACT, "profileId": "p1"}),
    ("/xapi/agents/profile", {"agent": AGENT, "profileId": "p1"}),
]
FOREIGN = {
    "Origin": "http://evil.example",
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "navigate",
}
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("path", "params"), RESOURCES)
@pytest.mark.parametrize("media", ["text/html", "image/svg+xml", "application/xhtml+xml"])
def test_active_documents_are_sandboxed_downloads(client, admin, path, params, media) -> None:
    body = b"<script>fetch('/xapi/statements')</script>"
    put = client.put(path, params=params, content=body, headers=admin.headers(**{
        "Content-Type": media, "If-None-Match": "*"}))
    assert put.status_code == 204, put.text
    got = client.get(path, params=params, headers=admin.headers())
    assert got.status_code == 200 and got.content == body
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-security-policy"] == "sandbox"
    assert got.headers["content-disposition"] == "attachment"


@pytest.mark.parametrize(("path", "params"), RESOURCES)
@pytest.mark.parametrize("media", ["application/json", "text/plain; charset=utf-8"])
def test_inert_documents_are_served_inline_but_never_sniffed(
    client, admin, path, params, media
) -> None:
    body = b'{"a": 1}'
    assert client.put(path, params=params, content=body, headers=admin.headers(**{
        "Content-Type": media, "If-None-Match": "*"})).status_code == 204
    got = client.get(path, params=params, headers=admin.headers())
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in got.headers
    assert "content-disposition" not in got.headers


def _alternate(client, method: str, form: dict[str, str], headers: dict[str, str], path: str):
    return client.post(
        f"{path}?method={method}",
        content=urlencode(form),
        headers={"Content-Type": FORM, **headers},
    )


def test_a_foreign_form_cannot_read_with_remembered_credentials(client, admin) -> None:
    """The form of a foreign page, sent by a browser that remembers the analyst's login."""
    form = {"X-Experience-API-Version": "1.0.3", **STATE}
    r = _alternate(client, "GET", form, {"Authorization": admin.header, **FOREIGN},
                   "/xapi/activities/state")
    assert r.status_code == 403, r.text
    r = _alternate(client, "GET", {"X-Experience-API-Version": "1.0.3"},
                   {"Authorization": admin.header, **FOREIGN}, "/xapi/statements")
    assert r.status_code == 403 and "statements" not in r.text


def test_a_foreign_form_cannot_store_a_statement(client, admin) -> None:
    sid = str(uuid.uuid4())
    form = {
        "X-Experience-API-Version": "1.0.3",
        "statementId": sid,
        "content": json.dumps(statement()),
    }
    r = _alternate(client, "PUT", form, {"Authorization": admin.header, **FOREIGN},
                   "/xapi/statements")
    assert r.status_code == 403
    got = client.get("/xapi/statements", params={"statementId": sid}, headers=admin.headers())
    assert got.status_code == 404


def test_a_foreign_form_cannot_delete_a_document(client, admin) -> None:
    path = "/xapi/activities/state"
    client.put(path, params=STATE, json={"progress": 3}, headers=admin.headers())
    form = {"X-Experience-API-Version": "1.0.3", **STATE}
    r = _alternate(client, "DELETE", form, {"Authorization": admin.header, **FOREIGN}, path)
    assert r.status_code == 403
    assert client.get(path, params=STATE, headers=admin.headers()).json() == {"progress": 3}


def test_a_foreign_form_uses_only_its_own_authorization_field(client, store, admin) -> None:
    """The alternate syntax carries credentials in the form: those are used, the
    browser's remembered ones never (a write-only key cannot read, whatever the
    browser remembers)."""
    writer = add_credential(store, "package", "statements/write")
    form = {"X-Experience-API-Version": "1.0.3", "Authorization": writer.header}
    r = _alternate(client, "GET", form, {"Authorization": admin.header, **FOREIGN},
                   "/xapi/statements")
    assert r.status_code == 403 and "statements/read" in r.text
    sid = str(uuid.uuid4())
    form |= {"statementId": sid, "content": json.dumps(statement())}
    r = _alternate(client, "PUT", form, {"Authorization": admin.header, **FOREIGN},
                   "/xapi/statements")
    assert r.status_code == 204, r.text


def test_old_browsers_without_fetch_metadata_are_judged_by_origin(client, admin) -> None:
    path = "/xapi/activities/state"
    r = client.post(path, params=STATE, content=b"x", headers=admin.headers(**{
        "Content-Type": "text/plain", "Origin": "http://evil.example"}))
    assert r.status_code == 403
    assert client.get(path, params=STATE, headers=admin.headers()).status_code == 404


def test_a_cross_site_link_does_not_read_with_remembered_credentials(client, admin) -> None:
    r = client.get("/xapi/statements", headers=admin.headers(**FOREIGN))
    assert r.status_code == 403


def test_packages_on_other_origins_keep_working(make_client, admin) -> None:
    """A package's fetch with an explicit Authorization header is preflighted
    (Sec-Fetch-Mode: cors): it goes through, as before."""
    client = make_client(cors_origins=("https://moodle.example.org",))
    headers = admin.headers(**{
        "Origin": "https://moodle.example.org",
        "Sec-Fetch-Site": "cross-site",
        "Sec-Fetch-Mode": "cors",
    })
    r = client.post("/xapi/statements", json=statement(), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "https://moodle.example.org"
    same = admin.headers(**{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"})
    assert client.get("/xapi/statements", headers=same).status_code == 200


def test_non_browser_clients_may_send_the_alternate_syntax_with_a_header(client, admin) -> None:
    """No Origin, no Fetch Metadata: nothing a browser remembered (the conformance
    suite sends its alternate-syntax requests this way)."""
    r = _alternate(client, "GET", {"limit": "1"}, admin.headers(), "/xapi/statements")
    assert r.status_code == 200 and "statements" in r.json()


@pytest.mark.parametrize("version", ["2.0.0", "0.8", "1.1"])
def test_the_alternate_syntax_is_for_xapi_1_0_only(client, admin, version) -> None:
    form = {"X-Experience-API-Version": version, "Authorization": admin.header}
    r = _alternate(client, "GET", form, {}, "/xapi/statements")
    assert r.status_code == 400 and "1.0" in r.json()["error"]
