"""Signed statements (Data 2.6): check the JWS attached to a statement.

The signature is an attachment with usageType
``http://adlnet.gov/expapi/attachments/signature`` holding a JWS in compact
serialization. The LRS must reject a statement when the JWS is malformed, uses an
algorithm other than RS256/RS384/RS512, fails verification against the X.509
certificate in its ``x5c`` header (when present), or has a payload that is not
equivalent to the statement (Data 2.6.s4, XAPI-00113..00117).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from mirco_lms.errors import XapiValidationError

from .jsontext import loads_json
from .transform import same_statement

ALGORITHMS = ("RS256", "RS384", "RS512")
RULE = "Data 2.6 (signed statements)"


def _error(message: str, path: str = "$.attachments") -> XapiValidationError:
    return XapiValidationError(message, path=path, rule=RULE)


def _b64decode(part: str) -> bytes:
    padded = part + "=" * (-len(part) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def decode_jws(token: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a compact JWS into its (header, payload) JSON objects, checking the syntax."""
    try:
        text = token.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise _error(
            "the signature is not a JWS in compact serialization (non-ASCII bytes)"
        ) from exc
    parts = text.split(".")
    if len(parts) != 3 or not all(parts):
        raise _error(
            "the signature is not a JWS in compact serialization (header.payload.signature)"
        )
    try:
        header = loads_json(_b64decode(parts[0]))
    except (ValueError, binascii.Error) as exc:
        raise _error(f"the JWS header is not base64url-encoded JSON: {exc}") from exc
    try:
        payload = loads_json(_b64decode(parts[1]))
    except (ValueError, binascii.Error) as exc:
        raise _error(
            f"the JWS payload is not a valid JSON serialization of a statement: {exc}"
        ) from exc
    if not isinstance(header, dict):
        raise _error("the JWS header must be a JSON object")
    if not isinstance(payload, dict):
        raise _error("the JWS payload must be a JSON object (the signed statement)")
    return header, payload


def verify_signed_statement(statement: dict[str, Any], jws_bytes: bytes) -> None:
    """Check the JWS ``jws_bytes`` that signs ``statement``; raise XapiValidationError if not."""
    header, payload = decode_jws(jws_bytes)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise _error(f"the JWS algorithm must be one of {', '.join(ALGORITHMS)}, got {alg!r}")
    if "x5c" in header:
        key = _key_from_x5c(header["x5c"])
        _verify(jws_bytes, key, alg)
    if not _equivalent(payload, statement):
        raise _error(
            "the JWS payload does not match the statement it signs "
            "(Data 2.6.s4.b2: it must be the statement as it was before the signature was added)"
        )


def _equivalent(payload: dict[str, Any], statement: dict[str, Any]) -> bool:
    signed = {k: v for k, v in payload.items() if k != "attachments"}
    received = {k: v for k, v in statement.items() if k != "attachments"}
    if (
        "id" in signed
        and "id" in received
        and str(signed["id"]).lower() != str(received["id"]).lower()
    ):
        return False
    try:
        return same_statement(signed, received)
    except (KeyError, TypeError, AttributeError, ValueError, XapiValidationError):
        return False


def _key_from_x5c(chain: Any) -> jwk.JWK:
    """The key of the first ``x5c`` certificate; each one must be signed by the next."""
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise _error("the JWS x5c header must be a non-empty array of base64 certificates")
    try:
        certs = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in chain]
    except (ValueError, binascii.Error) as exc:
        raise _error(f"the JWS x5c header holds an invalid X.509 certificate: {exc}") from exc
    for cert, issuer in zip(certs, certs[1:], strict=False):
        public = issuer.public_key()
        if not isinstance(public, rsa.RSAPublicKey) or cert.signature_hash_algorithm is None:
            raise _error("the x5c certificate chain must use RSA keys")
        try:
            public.verify(
                cert.signature,
                cert.tbs_certificate_bytes,
                padding.PKCS1v15(),
                cert.signature_hash_algorithm,
            )
        except InvalidSignature as exc:
            raise _error(
                "the x5c certificate chain is broken: a certificate is not signed by the next"
            ) from exc
    pem = (
        certs[0]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return jwk.JWK.from_pem(pem)


def _verify(token: bytes, key: jwk.JWK, alg: str) -> None:
    signed = jws.JWS()
    try:
        signed.deserialize(token.decode("ascii").strip())
        signed.verify(key, alg=alg)
    except (JWException, ValueError) as exc:
        raise _error(
            f"the JWS signature does not verify against the x5c certificate ({alg})"
        ) from exc
