"""Open Badges 3.0 credentials, signed as VC-JWT (EdDSA, Ed25519).

Each certificate is also an ``OpenBadgeCredential`` (1EdTech Open Badges 3.0, a W3C
Verifiable Credential): its issuer is the training provider, identified as
``did:web:<host of the LRS>`` (the LRS serves the DID document and a JWK Set at
``/.well-known/``), its achievement the course, its subject the learner.

The proof is the VC-JWT format of Open Badges 3.0 §8.2: a compact JWS whose header names
the key (``kid``) and carries the public key (``jwk``), and whose payload holds the
credential in the ``vc`` claim beside ``iss``, ``jti`` and ``nbf`` (no ``sub``: the
subject is named by an identity object, not an id). Any JOSE
library verifies it offline with the published key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from mirco_lms.certificates.keys import SigningKey, b64url

CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
          "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
CRITERIA = {
    "completed": "Completed every lesson of the course.",
    "completed-and-passed": "Completed the course and passed its final test.",
}


def did_web(base_url: str) -> str:
    """``did:web`` of the LRS at ``base_url`` (a port as ``%3A``, a path as ``:`` parts)."""
    parts = urlsplit(base_url)
    host = quote(parts.netloc, safe="")
    path = [quote(p, safe="") for p in parts.path.strip("/").split("/") if p]
    return ":".join(["did:web", host, *path])


def did_document(base_url: str, public_keys: list[dict[str, Any]]) -> dict[str, Any]:
    """The DID document of ``did_web(base_url)``: every key certificates were signed with."""
    did = did_web(base_url)
    methods = [
        {"id": f"{did}#{key['kid']}", "type": "JsonWebKey2020", "controller": did,
         "publicKeyJwk": {k: v for k, v in key.items() if k != "kid"}}
        for key in public_keys
    ]
    ids = [m["id"] for m in methods]
    return {"@context": ["https://www.w3.org/ns/did/v1",
                         "https://w3id.org/security/suites/jws-2020/v1"],
            "id": did, "verificationMethod": methods, "assertionMethod": ids,
            "authentication": ids}


def credential(
    *, verify_url: str, base_url: str, issuer_name: str, learner_name: str,
    course_id: str, course_name: str, rule: str, issued: datetime, language: str,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` of one certificate."""
    stamp = issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "@context": list(CONTEXTS),
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course_name,
        "issuer": {"id": did_web(base_url), "type": ["Profile"], "name": issuer_name,
                   "url": base_url},
        "validFrom": stamp,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name",
                            "hashed": False, "identityHash": learner_name}],
            "achievement": {
                "id": course_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": course_name,
                "description": course_name,
                "criteria": {"narrative": CRITERIA.get(rule, rule)},
                "inLanguage": language,
            },
        },
        "credentialSchema": [SCHEMA],
    }


def sign(vc: Mapping[str, Any], key: SigningKey) -> str:
    """The credential as a VC-JWT (compact JWS, ``alg: EdDSA``)."""
    issuer = vc["issuer"]["id"]
    header = {"alg": "EdDSA", "typ": "JWT", "kid": f"{issuer}#{key.key_id}",
              "jwk": {k: v for k, v in key.public_jwk.items() if k != "kid"}}
    valid_from = datetime.fromisoformat(str(vc["validFrom"]).replace("Z", "+00:00"))
    payload = {"iss": issuer, "jti": vc["id"], "nbf": int(valid_from.timestamp()), "vc": vc}
    signing_input = f"{_part(header)}.{_part(payload)}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode('ascii')))}"


def _part(value: Mapping[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
