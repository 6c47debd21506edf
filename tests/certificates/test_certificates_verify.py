"""``/verify/<code>``: the public verification page of the LRS — valid, revoked, unknown,
rate-limited, in the reader's language; and the issuer's published keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from certificates_support import BASE_URL, dataset
from click.testing import CliRunner

from live_server import LiveServer
from mirco_lms.certificates import records
from mirco_lms.cli import main
from mirco_lms.lrs.store import SqlStore

C1 = f"{dataset.BASE}/{dataset.C1}"
PORT = 8731


@pytest.fixture
def issued(runner: CliRunner, loaded: SqlStore, project: Path) -> list[records.Certificate]:
    result = runner.invoke(main, ["certificates", "issue", "--course", dataset.C1, "--db",
                                  loaded.url, "--project", str(project)])
    assert result.exit_code == 0, result.output
    return sorted(records.listed(loaded, C1), key=lambda c: c.learner_name)


def _main_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<main>")[1]))


def test_a_valid_certificate_shows_name_course_date_and_status_only(
    issued: list[records.Certificate], make_client: Any
) -> None:
    client = make_client()
    ana = issued[0]
    answer = client.get(f"/verify/{ana.code}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-store"
    text = _main_text(answer.text)
    assert "Ana Anić" in text and "Migration and Human Rights" in text and "Valid" in text
    assert ana.issued[:4] in text  # the date, written out
    for private in ("l1", "lms.example.org", "account:", "completed-and-passed", ana.code):
        assert private not in text
    assert '<html lang="en">' in answer.text and "<h1>" in answer.text and "<dl>" in answer.text
    assert "Authorization" not in answer.request.headers  # no login


def test_the_page_speaks_the_readers_language(
    issued: list[records.Certificate], make_client: Any
) -> None:
    client = make_client()
    answer = client.get(f"/verify/{issued[0].code}",
                        headers={"Accept-Language": "sr-Latn-RS, en;q=0.5"})
    assert '<html lang="sr-Latn">' in answer.text
    assert "Provera sertifikata" in answer.text and "Važeći" in answer.text
    cyrillic = client.get(f"/verify/{issued[0].code}", headers={"Accept-Language": "sr-Cyrl"})
    assert "Провера сертификата" in cyrillic.text


def test_a_revoked_certificate_says_so_with_its_date(
    issued: list[records.Certificate], loaded: SqlStore, make_client: Any
) -> None:
    revoked = records.revoke(loaded, issued[1].code, "issued in error")
    answer = make_client().get(f"/verify/{revoked.code}")
    assert answer.status_code == 200
    text = _main_text(answer.text)
    assert "Revoked on" in text and revoked.revoked is not None
    assert revoked.revoked[:4] in text and "Valid" not in text
    assert "issued in error" not in text  # the reason is the provider's, not public


def test_unknown_codes_all_get_the_same_404_page(
    issued: list[records.Certificate], make_client: Any
) -> None:
    client = make_client()
    real = issued[0].code
    answers = [client.get(f"/verify/{code}") for code in (
        real[:-1] + ("A" if real[-1] != "A" else "B"), "x", "a" * 500, "%00", real.lower())]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert "No certificate has this verification code" in answers[0].text
    assert "Ana" not in answers[0].text


def test_too_many_requests_from_one_address_get_429(
    issued: list[records.Certificate], make_client: Any
) -> None:
    client = make_client(verify_per_minute=3)
    statuses = [client.get(f"/verify/{issued[0].code}").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = client.get(f"/verify/{issued[0].code}")
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert "Too many verification requests" in limited.text and "Ana" not in limited.text
    assert client.get("/verify/unknown").status_code == 429  # unknown codes count too


def test_a_live_server_verifies_and_publishes_its_keys(
    issued: list[records.Certificate], loaded: SqlStore, tmp_path: Path
) -> None:
    """``mirco lrs serve``, asked over HTTP: the page, the JWK Set, the DID document, and
    the badge checked with the key fetched from the server (PyJWT, not mirco)."""
    server = LiveServer(loaded.url, tmp_path / "server.log",
                        env={"MIRCO_BASE_URL": BASE_URL, "MIRCO_VERIFY_PER_MINUTE": "100"})
    server.port = PORT + loaded.url.startswith("postgresql")  # each backend its own port
    server.start()
    try:
        root = f"http://127.0.0.1:{server.port}"
        for cert in issued:
            answer = httpx.get(f"{root}/verify/{cert.code}")
            assert answer.status_code == 200 and cert.learner_name in answer.text
        assert httpx.get(f"{root}/verify/{'x' * 32}").status_code == 404
        keys = httpx.get(f"{root}/.well-known/jwks.json").json()
        did = httpx.get(f"{root}/.well-known/did.json").json()
        assert did["id"] == "did:web:lrs.test"
        [key] = jwt.PyJWKSet.from_dict(keys).keys
        for cert in issued:
            claims = jwt.decode(cert.badge, key=key.key, algorithms=["EdDSA"])
            assert claims["vc"]["credentialSubject"]["identifier"][0]["identityHash"] == (
                cert.learner_name)
    finally:
        server.stop()
