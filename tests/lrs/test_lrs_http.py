"""The xAPI resources over HTTP (Starlette TestClient against ``create_app``)."""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import urlencode

import pytest
from lrs_support import Auth, add_credential, statement

from mirco_lms.lrs.http import multipart

ACT = "https://example.org/mirco/m1"


def post(client, auth: Auth, body, **headers):
    return client.post("/xapi/statements", json=body, headers=auth.headers(**headers))


def test_about_needs_no_credentials(client) -> None:
    r = client.get("/xapi/about")
    assert r.status_code == 200
    assert "1.0.3" in r.json()["version"] and "2.0.0" in r.json()["version"]
    assert r.headers["X-Experience-API-Version"] == "2.0.0"  # none asked: the newest


@pytest.mark.parametrize(
    "version,status,answer",
    [
        ("1.0.3", 200, "1.0.3"),
        ("1.0.0", 200, "1.0.3"),
        ("1.0", 200, "1.0.3"),
        ("2.0.0", 200, "2.0.0"),
        ("0.95", 400, "1.0.3"),
        (None, 400, "2.0.0"),  # no version named: the newest the LRS speaks
    ],
)
def test_version_header(client, admin, version, status, answer) -> None:
    headers = {"Authorization": admin.header}
    if version:
        headers["X-Experience-API-Version"] = version
    r = client.get("/xapi/statements", headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["X-Experience-API-Version"] == answer


def test_post_then_get_returns_the_statement_with_lrs_properties(client, admin) -> None:
    sent = statement()
    r = post(client, admin, [sent, statement()])
    assert r.status_code == 200
    first, _ = r.json()
    got = client.get("/xapi/statements", params={"statementId": first}, headers=admin.headers())
    assert got.status_code == 200
    data = got.json()
    assert {k: data[k] for k in sent} == sent
    assert data["authority"]["account"] == {"homePage": "http://lrs.test", "name": "admin"}
    assert "Last-Modified" in got.headers and "X-Experience-API-Consistent-Through" in got.headers


def test_put_rules(client, admin) -> None:
    sid = str(uuid.uuid4())
    url = f"/xapi/statements?statementId={sid}"
    assert client.put(url, json=statement(), headers=admin.headers()).status_code == 204
    assert client.put(url, json=statement(), headers=admin.headers()).status_code == 204
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    assert client.put(url, json=other, headers=admin.headers()).status_code == 409
    mismatch = statement(id=str(uuid.uuid4()))
    assert client.put(url, json=mismatch, headers=admin.headers()).status_code == 400
    assert (
        client.put("/xapi/statements", json=statement(), headers=admin.headers()).status_code == 400
    )


def test_invalid_statement_is_a_400_naming_the_path(client, admin) -> None:
    bad = statement(actor={"mbox": "ana@example.org"})
    r = post(client, admin, [statement(), bad])
    assert r.status_code == 400
    assert r.json()["path"].startswith("$[1].actor")
    assert r.json()["error"]
    assert client.get("/xapi/statements", headers=admin.headers()).json()["statements"] == []


def test_not_json_is_a_400(client, admin) -> None:
    r = client.post(
        "/xapi/statements",
        content=b"{nope",
        headers=admin.headers(**{"Content-Type": "application/json"}),
    )
    assert r.status_code == 400 and r.json()["path"] == "$"


def test_lone_surrogate_escapes_are_a_400_naming_the_path(client, admin) -> None:
    """``\\ud800`` alone is no character (UTF-8 cannot store it): a 400, not a 500; a
    pair of escapes is one character and is kept."""
    h = admin.headers(**{"Content-Type": "application/json"})
    body = json.dumps(statement(result={"response": "SURROGATE"}))
    lone = body.replace("SURROGATE", "bad \\ud800 here").encode()
    r = client.post("/xapi/statements", content=lone, headers=h)
    assert r.status_code == 400 and "$.result.response" in r.json()["error"], r.text
    pair = body.replace("SURROGATE", "ok \\ud83d\\ude00").encode()
    r = client.post("/xapi/statements", content=pair, headers=h)
    assert r.status_code == 200, r.text
    got = client.get("/xapi/statements", params={"statementId": r.json()[0]}, headers=h)
    assert got.json()["result"]["response"] == "ok \U0001f600"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client, admin, constant) -> None:
    """Python's JSON parser takes them; RFC 8259 and every other reader do not, so they
    are a 400 wherever JSON comes in, and never stored."""
    body = json.dumps(statement(result={"extensions": {"https://example.org/x": 1}}))
    r = client.post(
        "/xapi/statements",
        content=body.replace("1}", constant + "}").encode(),
        headers=admin.headers(**{"Content-Type": "application/json"}),
    )
    assert r.status_code == 400 and constant.lstrip("-") in r.json()["error"], r.text
    agent = '{"mbox": "mailto:ana@example.org", "name": ' + constant + "}"
    r = client.get("/xapi/statements", params={"agent": agent}, headers=admin.headers())
    assert r.status_code == 400 and "agent" in r.json()["error"], r.text
    url = "/xapi/activities/state?" + urlencode(
        {"activityId": ACT, "agent": AGENT, "stateId": "s"}
    )
    h = admin.headers(**{"Content-Type": "application/json"})
    assert client.put(url, content=b'{"a": 1}', headers=h).status_code == 204
    r = client.post(url, content=b'{"a": %s}' % constant.encode(), headers=h)
    assert r.status_code == 400, r.text
    assert client.get(url, headers=h).json() == {"a": 1}
    assert client.get("/xapi/statements", headers=admin.headers()).json()["statements"] == []


def test_query_filters_more_and_limit(make_client, admin) -> None:
    client = make_client(max_limit=3)
    ids = post(client, admin, [statement() for _ in range(5)]).json()
    post(client, admin, statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"}))
    r = client.get(
        "/xapi/statements",
        params={"verb": "http://adlnet.gov/expapi/verbs/completed", "limit": 100},
        headers=admin.headers(),
    )
    page = r.json()
    assert len(page["statements"]) == 3 and page["more"].startswith("/xapi/statements?more=")
    seen = [s["id"] for s in page["statements"]]
    while page["more"]:
        page = client.get(page["more"], headers=admin.headers()).json()
        seen += [s["id"] for s in page["statements"]]
    assert seen == list(reversed(ids))
    agent = json.dumps({"mbox": "mailto:ana@example.org"})
    r = client.get(
        "/xapi/statements",
        params={"agent": agent, "ascending": "true", "limit": 2},
        headers=admin.headers(),
    )
    assert [s["id"] for s in r.json()["statements"]] == ids[:2]


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "not an iri"},
        {"agent": "{"},
        {"agent": json.dumps({"name": "x"})},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"format": "full"},
        {"ascending": "yes"},
        {"nope": "1"},
        {"statementId": "42"},
        {"statementId": str(uuid.uuid4()), "verb": ACT},
        {"more": "garbage!"},
    ],
)
def test_bad_query_parameters_are_400(client, admin, params) -> None:
    r = client.get("/xapi/statements", params=params, headers=admin.headers())
    assert r.status_code == 400, r.text
    assert r.json()["error"]


def test_voiding_over_http(client, admin) -> None:
    [target] = post(client, admin, statement()).json()
    voider = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    [void_id] = post(client, admin, voider).json()
    h = admin.headers()
    assert (
        client.get("/xapi/statements", params={"statementId": target}, headers=h).status_code == 404
    )
    voided = client.get("/xapi/statements", params={"voidedStatementId": target}, headers=h)
    assert voided.status_code == 200 and voided.json()["id"] == target
    listed = [s["id"] for s in client.get("/xapi/statements", headers=h).json()["statements"]]
    assert listed == [void_id]
    again = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": void_id},
    )
    assert post(client, admin, again).status_code == 400


def test_formats_and_accept_language(client, admin) -> None:
    multi = statement(
        verb={
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed", "sr-Latn": "završio"},
        }
    )
    [sid] = post(client, admin, multi).json()
    ids = client.get(
        "/xapi/statements", params={"statementId": sid, "format": "ids"}, headers=admin.headers()
    ).json()
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert "definition" not in ids["object"]
    canonical = client.get(
        "/xapi/statements",
        params={"statementId": sid, "format": "canonical"},
        headers=admin.headers(**{"Accept-Language": "sr-Latn, en;q=0.5"}),
    ).json()
    assert canonical["verb"]["display"] == {"sr-Latn": "završio"}


def _multipart(stmts, attachments, *, cte: bool = True) -> tuple[bytes, str]:
    parts = [multipart.Part({"Content-Type": "application/json"}, json.dumps(stmts).encode())]
    for content in attachments:
        headers = {
            "Content-Type": "text/plain",
            "X-Experience-API-Hash": hashlib.sha256(content).hexdigest(),
        }
        if cte:
            headers["Content-Transfer-Encoding"] = "binary"
        parts.append(multipart.Part(headers, content))
    return multipart.build(parts)


def _with_attachment(content: bytes, **extra) -> dict:
    return statement(
        attachments=[
            {
                "usageType": "http://id.tincanapi.com/attachment/certificate",
                "display": {"en-US": "certificate"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": hashlib.sha256(content).hexdigest(),
                **extra,
            }
        ]
    )


def test_attachments_round_trip(client, admin) -> None:
    content = b"certificate of completion"
    body, ctype = _multipart([_with_attachment(content)], [content])
    r = client.post(
        "/xapi/statements", content=body, headers=admin.headers(**{"Content-Type": ctype})
    )
    assert r.status_code == 200, r.text
    [sid] = r.json()
    got = client.get(
        "/xapi/statements",
        params={"statementId": sid, "attachments": "true"},
        headers=admin.headers(),
    )
    assert got.headers["content-type"].startswith("multipart/mixed")
    parts = multipart.parse(got.content, got.headers["content-type"])
    assert json.loads(parts[0].content)["id"] == sid
    assert parts[1].content == content
    assert parts[1].headers["x-experience-api-hash"] == hashlib.sha256(content).hexdigest()


def test_attachment_rules(client, admin) -> None:
    content = b"data"
    no_part = post(client, admin, _with_attachment(content))
    assert no_part.status_code == 400 and "attachments[0]" in no_part.json()["path"]
    assert (
        post(
            client, admin, _with_attachment(content, fileUrl="https://example.org/c.txt")
        ).status_code
        == 200
    )
    body, ctype = _multipart([_with_attachment(content)], [content, b"stray part"])
    r = client.post(
        "/xapi/statements", content=body, headers=admin.headers(**{"Content-Type": ctype})
    )
    assert r.status_code == 400
    body, ctype = _multipart([_with_attachment(content)], [content], cte=False)
    r = client.post(
        "/xapi/statements", content=body, headers=admin.headers(**{"Content-Type": ctype})
    )
    assert r.status_code == 400


def test_signed_statements(client, admin) -> None:
    from jwcrypto import jwk, jws

    key = jwk.JWK.generate(kty="RSA", size=2048)
    signed = statement(id=str(uuid.uuid4()))
    token = jws.JWS(json.dumps(signed).encode())
    token.add_signature(key, alg="RS256", protected=json.dumps({"alg": "RS256"}))
    good = token.serialize(compact=True).encode()
    forged = jws.JWS(json.dumps(statement(id=signed["id"], verb={"id": "http://x.org/v"})).encode())
    forged.add_signature(key, alg="RS256", protected=json.dumps({"alg": "RS256"}))
    for jws_bytes, status in ((good, 200), (forged.serialize(compact=True).encode(), 400)):
        sig = {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "signature"},
            "contentType": "application/octet-stream",
            "length": len(jws_bytes),
            "sha2": hashlib.sha256(jws_bytes).hexdigest(),
        }
        stmt = {**signed, "attachments": [sig]}
        parts = [
            multipart.Part({"Content-Type": "application/json"}, json.dumps(stmt).encode()),
            multipart.Part(
                {
                    "Content-Type": "application/octet-stream",
                    "Content-Transfer-Encoding": "binary",
                    "X-Experience-API-Hash": sig["sha2"],
                },
                jws_bytes,
            ),
        ]
        body, ctype = multipart.build(parts)
        r = client.post(
            "/xapi/statements", content=body, headers=admin.headers(**{"Content-Type": ctype})
        )
        assert r.status_code == status, r.text


AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:ana@example.org"})


def test_state_documents(client, admin) -> None:
    base = {"activityId": ACT, "agent": AGENT}
    url = "/xapi/activities/state?" + urlencode({**base, "stateId": "bookmark"})
    h = admin.headers()
    assert client.put(url, json={"page": 3}, headers=h).status_code == 204
    assert client.put(url, json={"page": 4}, headers=h).status_code == 204  # no ETag needed
    got = client.get(url, headers=h)
    assert got.json() == {"page": 4} and got.headers["content-type"].startswith("application/json")
    assert client.post(url, json={"score": 1}, headers=h).status_code == 204
    assert client.get(url, headers=h).json() == {"page": 4, "score": 1}
    text_url = "/xapi/activities/state?" + urlencode({**base, "stateId": "note"})
    client.put(text_url, content=b"plain", headers={**h, "Content-Type": "text/plain"})
    assert client.post(text_url, json={"a": 1}, headers=h).status_code == 400
    assert client.get(text_url, headers=h).headers["content-type"].startswith("text/plain")
    ids = client.get("/xapi/activities/state?" + urlencode(base), headers=h).json()
    assert sorted(ids) == ["bookmark", "note"]
    assert client.delete("/xapi/activities/state?" + urlencode(base), headers=h).status_code == 204
    assert client.get(url, headers=h).status_code == 404
    assert (
        client.get(
            "/xapi/activities/state?" + urlencode({"activityId": ACT}), headers=h
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    "path,params",
    [
        ("/xapi/activities/profile", {"activityId": ACT, "profileId": "p1"}),
        ("/xapi/agents/profile", {"agent": AGENT, "profileId": "p1"}),
    ],
)
def test_profile_concurrency(client, admin, path, params) -> None:
    url = f"{path}?{urlencode(params)}"
    h = admin.headers()
    assert client.put(url, json={"v": 1}, headers={**h, "If-None-Match": "*"}).status_code == 204
    assert client.put(url, json={"v": 2}, headers={**h, "If-None-Match": "*"}).status_code == 412
    assert client.put(url, json={"v": 2}, headers=h).status_code == 409
    etag = client.get(url, headers=h).headers["ETag"]
    assert client.put(url, json={"v": 2}, headers={**h, "If-Match": '"0000"'}).status_code == 412
    assert client.put(url, json={"v": 2}, headers={**h, "If-Match": etag}).status_code == 204
    assert client.get(url, headers=h).json() == {"v": 2}
    assert client.delete(url, headers={**h, "If-Match": etag}).status_code == 412
    listing = client.get(
        f"{path}?{urlencode({k: v for k, v in params.items() if k != 'profileId'})}", headers=h
    )
    assert listing.json() == ["p1"]
    assert client.delete(url, headers=h).status_code == 204
    assert client.get(url, headers=h).status_code == 404


def test_activities_and_agents(client, admin) -> None:
    post(client, admin, statement())
    r = client.get("/xapi/activities", params={"activityId": ACT}, headers=admin.headers())
    assert r.json() == {
        "objectType": "Activity",
        "id": ACT,
        "definition": {"name": {"en-US": "Module 1"}},
    }
    unknown = client.get(
        "/xapi/activities", params={"activityId": "https://x.org/none"}, headers=admin.headers()
    )
    assert unknown.json() == {"objectType": "Activity", "id": "https://x.org/none"}
    person = client.get("/xapi/agents", params={"agent": AGENT}, headers=admin.headers()).json()
    assert person == {"objectType": "Person", "mbox": ["mailto:ana@example.org"]}


def test_head_has_headers_but_no_body(client, admin) -> None:
    post(client, admin, statement())
    get = client.get("/xapi/statements", headers=admin.headers())
    head = client.head("/xapi/statements", headers=admin.headers())
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert "X-Experience-API-Consistent-Through" in head.headers


def test_alternate_request_syntax(client, admin) -> None:
    sid = str(uuid.uuid4())
    form = {
        "Authorization": admin.header,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "statementId": sid,
        "content": json.dumps(statement()),
    }
    r = client.post("/xapi/statements?method=PUT", data=form)
    assert r.status_code == 204, r.text
    form = {"Authorization": admin.header, "X-Experience-API-Version": "1.0.3", "statementId": sid}
    got = client.post("/xapi/statements?method=GET", data=form)
    assert got.status_code == 200 and got.json()["id"] == sid
    bad = client.post(f"/xapi/statements?method=GET&statementId={sid}", data=form)
    assert bad.status_code == 400


def test_cors(make_client, admin) -> None:
    client = make_client(cors_origins=("https://moodle.example.org",))
    pre = client.options(
        "/xapi/statements",
        headers={
            "Origin": "https://moodle.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": (
                "Authorization, Content-Type, X-Experience-API-Version"
            ),
        },
    )
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "https://moodle.example.org"
    r = client.get("/xapi/statements", headers=admin.headers(Origin="https://moodle.example.org"))
    assert "X-Experience-API-Consistent-Through" in r.headers["access-control-expose-headers"]
    other = client.options(
        "/xapi/statements",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert other.status_code == 400


def test_body_limit(make_client, admin) -> None:
    client = make_client(max_body_bytes=2000)
    r = post(client, admin, [statement() for _ in range(20)])
    assert r.status_code == 413 and "limit" in r.json()["error"]


def test_unexpected_errors_are_a_plain_500(client, admin, store, monkeypatch, caplog) -> None:
    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store, "query", boom)
    r = client.get("/xapi/statements", headers=admin.headers())
    assert r.status_code == 500
    assert r.json() == {"error": "internal server error", "path": None, "rule": None}
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert any("unexpected error" in rec.message for rec in caplog.records)


def test_read_mine_sees_only_its_own_statements(client, store, admin) -> None:
    writer = add_credential(store, "course-a", "statements/write", "statements/read/mine")
    [own] = post(client, writer, statement()).json()
    [other] = post(client, admin, statement()).json()
    listed = client.get("/xapi/statements", headers=writer.headers()).json()["statements"]
    assert [s["id"] for s in listed] == [own]
    r = client.get("/xapi/statements", params={"statementId": other}, headers=writer.headers())
    assert r.status_code == 404


def test_access_log_is_json(client, admin, caplog) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="mirco_lms.lrs.access"):
        client.get("/xapi/statements", headers=admin.headers())
    line = json.loads([r.message for r in caplog.records if r.name == "mirco_lms.lrs.access"][-1])
    assert line["status"] == 200 and line["path"] == "/xapi/statements"
    assert line["credential"] == "admin"


def test_small_writes_of_a_cached_credential_take_the_event_loop_path(
    make_client, store, admin, monkeypatch
) -> None:
    """With the credential cached, small statement writes are checked on the event loop
    and never reach a handler thread; the answers are the same as on the thread path."""
    from mirco_lms.lrs.http import app as app_module

    threaded = []
    real = app_module._process
    monkeypatch.setattr(
        app_module, "_process", lambda *args: threaded.append(args[1]) or real(*args)
    )
    client = make_client(credential_cache_seconds=60)
    reader = add_credential(store, "reader", "statements/read")
    assert client.get("/xapi/statements", headers=reader.headers()).status_code == 200
    first = post(client, admin, statement())  # verifies the secret: thread path
    assert first.status_code == 200
    assert threaded == ["statements", "statements"]

    sid = str(uuid.uuid4())
    put = client.put(
        "/xapi/statements", params={"statementId": sid}, json=statement(), headers=admin.headers()
    )
    assert put.status_code == 204
    same = client.put(
        "/xapi/statements", params={"statementId": sid}, json=statement(), headers=admin.headers()
    )
    assert same.status_code == 204
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    conflict = client.put(
        "/xapi/statements", params={"statementId": sid}, json=other, headers=admin.headers()
    )
    assert conflict.status_code == 409
    assert post(client, admin, {"actor": {"mbox": "mailto:a@example.org"}}).status_code == 400
    assert post(client, reader, statement()).status_code == 403  # scopes still checked
    assert threaded == ["statements", "statements"]

    got = client.get("/xapi/statements", params={"statementId": sid}, headers=admin.headers())
    assert got.status_code == 200 and got.json()["verb"] == statement()["verb"]


def test_large_batches_are_checked_in_a_handler_thread(make_client, admin, monkeypatch) -> None:
    from mirco_lms.lrs.http import app as app_module

    monkeypatch.setattr(app_module, "INLINE_BODY_BYTES", 2048)
    threaded = []
    real = app_module._process
    monkeypatch.setattr(
        app_module, "_process", lambda *args: threaded.append(args[1]) or real(*args)
    )
    client = make_client(credential_cache_seconds=60)
    assert post(client, admin, statement()).status_code == 200
    assert post(client, admin, statement()).status_code == 200
    assert len(threaded) == 1
    batch = [statement() for _ in range(20)]
    r = post(client, admin, batch)
    assert r.status_code == 200 and len(r.json()) == 20
    assert len(threaded) == 2


@pytest.mark.parametrize(
    "method,path,status",
    [
        ("DELETE", "/xapi/statements", 405),
        ("PATCH", "/xapi/about", 405),
        ("GET", "/xapi/nothing", 404),
        ("GET", "/xapi/about/", 307),
    ],
)
def test_requests_off_the_direct_routes_are_routed_as_usual(client, method, path, status) -> None:
    """Exact paths with their methods go straight to the endpoints; the rest still gets
    Starlette's answers (405 with Allow, 404, the trailing-slash redirect)."""
    r = client.request(method, path, follow_redirects=False)
    assert r.status_code == status
    if status == 405:
        assert "GET" in r.headers["allow"]
