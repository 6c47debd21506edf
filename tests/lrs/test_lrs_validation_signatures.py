"""Signed statements (Data 2.6, XAPI-00113..00117) with real RSA keys and X.509 certificates."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwcrypto import jwk, jws

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.validation.rules import verify_signed_statement

STATEMENT = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": {"mbox": "mailto:ana@example.com"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
    "object": {"id": "http://example.com/a"},
    "result": {"duration": "P1DT12H36M0.12S"},
}


@pytest.fixture(scope="module")
def key_and_cert() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mirco test signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def sign(
    payload: Any, key: rsa.RSAPrivateKey, alg: str = "RS256", cert: x509.Certificate | None = None
) -> bytes:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    header: dict[str, Any] = {"alg": alg}
    if cert is not None:
        header["x5c"] = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]
    token = jws.JWS(json.dumps(payload).encode())
    token.add_signature(jwk.JWK.from_pem(pem), alg=alg, protected=json.dumps(header))
    return token.serialize(compact=True).encode()


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_rs_algorithms_accepted(alg: str, key_and_cert: Any) -> None:
    key, cert = key_and_cert
    verify_signed_statement(STATEMENT, sign(STATEMENT, key, alg, cert))
    verify_signed_statement(STATEMENT, sign(STATEMENT, key, alg))


def test_other_algorithm_rejected() -> None:
    """XAPI-00117: only RS256, RS384 and RS512."""
    token = jws.JWS(json.dumps(STATEMENT).encode())
    token.add_signature(
        jwk.JWK.generate(kty="oct", size=256), alg="HS256", protected='{"alg":"HS256"}'
    )
    with pytest.raises(XapiValidationError, match="RS256"):
        verify_signed_statement(STATEMENT, token.serialize(compact=True).encode())


def test_payload_must_match_statement(key_and_cert: Any) -> None:
    """Data 2.6.s4.b2: the payload is the statement as it was before signing."""
    key, cert = key_and_cert
    other = dict(STATEMENT, verb={"id": "http://example.com/other"})
    with pytest.raises(XapiValidationError, match="does not match"):
        verify_signed_statement(STATEMENT, sign(other, key, "RS256", cert))


def test_extra_attachments_and_precision_ignored(key_and_cert: Any) -> None:
    """The signature attachment is not in the payload; duration beyond 0.01 s is not compared."""
    key, cert = key_and_cert
    received = dict(
        STATEMENT,
        result={"duration": "P1DT12H36M0.1237S"},
        attachments=[{"usageType": "http://adlnet.gov/expapi/attachments/signature"}],
    )
    verify_signed_statement(received, sign(STATEMENT, key, "RS256", cert))


def test_wrong_certificate_rejected(key_and_cert: Any) -> None:
    _, cert = key_and_cert
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(XapiValidationError, match="does not verify"):
        verify_signed_statement(STATEMENT, sign(STATEMENT, other_key, "RS256", cert))


@pytest.mark.parametrize(
    "token",
    [b"not a jws", b"a.b", b"\xff\xfe", b"eyJhbGciOiJSUzI1NiJ9.eyJhY3Rvcic6e30.c2ln"],
)
def test_malformed_jws_rejected(token: bytes) -> None:
    """XAPI-00115/00116: a malformed JWS or a payload that is not JSON is a 400."""
    with pytest.raises(XapiValidationError):
        verify_signed_statement(STATEMENT, token)
