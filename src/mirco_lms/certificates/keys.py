"""The provider's signing key: Ed25519, kept in files outside the database.

``mirco certificates keygen`` writes two files into the key folder (``[certificates].keys``
of mirco.toml, else ``MIRCO_CERTIFICATE_KEYS``, else ``<project>/.mirco/keys``):

- ``issuer-ed25519.pem``: the private key (PKCS #8, PEM), file mode 0600, folder 0700;
- ``issuer-ed25519.jwk.json``: the public key as a JSON Web Key (RFC 8037), to publish.

A private key readable by others is refused, as ssh refuses one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mirco_lms.errors import CertificateError, Location

PRIVATE_FILE = "issuer-ed25519.pem"
PUBLIC_FILE = "issuer-ed25519.jwk.json"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """The private key and its public JWK."""

    private: Ed25519PrivateKey
    public_jwk: dict[str, str]
    """``{"kty": "OKP", "crv": "Ed25519", "x": …, "kid": <thumbprint>}``"""

    @property
    def key_id(self) -> str:
        return self.public_jwk["kid"]

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def public_jwk(private: Ed25519PrivateKey) -> dict[str, str]:
    """The public key as a JWK whose ``kid`` is its RFC 7638 thumbprint."""
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
    return {**jwk, "kid": b64url(hashlib.sha256(canonical).digest())}


def generate(folder: Path) -> SigningKey:
    """A new key pair written into ``folder``; an existing key is never replaced."""
    private_path, public_path = folder / PRIVATE_FILE, folder / PUBLIC_FILE
    if private_path.exists():
        raise CertificateError(
            "a signing key already exists", location=Location(file=private_path),
            hint="certificates already issued are verified with it; keep it, or move "
            "the folder away first to start with a new key",
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    partial = private_path.with_name(private_path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.chmod(partial, 0o600)
    jwk = public_jwk(private)
    public_partial = public_path.with_name(public_path.name + ".partial")
    public_partial.write_text(json.dumps(jwk, indent=2) + "\n", encoding="utf-8")
    public_partial.replace(public_path)
    partial.replace(private_path)
    return SigningKey(private, jwk)


def load(folder: Path) -> SigningKey:
    """The key in ``folder``; missing or readable by others → CertificateError."""
    path = folder / PRIVATE_FILE
    if not path.is_file():
        raise CertificateError(
            "no signing key for certificates", location=Location(file=path),
            hint="create one with `mirco certificates keygen` (or set [certificates].keys "
            "in mirco.toml / MIRCO_CERTIFICATE_KEYS to the folder holding it)",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CertificateError(
            f"the private key is readable by others (mode {mode:o})",
            location=Location(file=path), hint=f"chmod 600 {path}",
        )
    try:
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"not a PEM private key: {exc}", location=Location(file=path),
                               hint="restore the key file written by keygen") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise CertificateError("the signing key is not an Ed25519 key",
                               location=Location(file=path),
                               hint="create one with `mirco certificates keygen`")
    return SigningKey(private, public_jwk(private))


def jwks(keys: list[dict[str, Any]]) -> dict[str, Any]:
    """A JWK Set of public keys (each with ``use: sig`` and ``alg: EdDSA``)."""
    return {"keys": [{**key, "use": "sig", "alg": "EdDSA"} for key in keys]}
