"""Credentials and scopes: HTTP Basic keys with scrypt-hashed secrets.

A credential is a key (the Basic user name), a secret shown once at creation, a name and
scopes (xAPI 1.0.3 §6.4.2). Verifying a secret costs a scrypt hash, so a verified
credential is remembered for ``cache_seconds``; a revoked key stops working within that
time in every server process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mirco_lms.errors import BadRequest, Forbidden, Unauthorized
from mirco_lms.lrs.store import Credential, StatementStore

SCOPES = (
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "state",
    "define",
    "profile",
    "all/read",
    "all",
)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# resource → (scopes that may read, scopes that may write)
READ_ANY = frozenset({"all", "all/read"})
PERMISSIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "statements": (
        READ_ANY | {"statements/read", "statements/read/mine"},
        frozenset({"all", "statements/write"}),
    ),
    "state": (READ_ANY | {"state"}, frozenset({"all", "state"})),
    "activity_profile": (READ_ANY | {"profile"}, frozenset({"all", "profile"})),
    "agent_profile": (READ_ANY | {"profile"}, frozenset({"all", "profile"})),
    "activities": (READ_ANY | {"define", "profile", "state", "statements/read"}, frozenset()),
    "agents": (READ_ANY | {"define", "profile", "state", "statements/read"}, frozenset()),
}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    key: str
    name: str
    scopes: frozenset[str]

    @property
    def reads_only_own(self) -> bool:
        """``statements/read/mine`` without a wider read scope."""
        return "statements/read/mine" in self.scopes and not (
            self.scopes & {"statements/read", "all/read", "all"}
        )

    @property
    def can_define(self) -> bool:
        return bool(self.scopes & {"define", "all"})


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + f"{_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        actual = hashlib.scrypt(secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p))
    except (ValueError, binascii.Error):
        return False
    return hmac.compare_digest(actual, _unb64(digest))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)


def new_credential(name: str, scopes: list[str] | tuple[str, ...]) -> tuple[Credential, str]:
    """A fresh credential and its secret (returned once; only the hash is kept)."""
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise BadRequest(
            f"unknown scope {unknown[0]!r}" if unknown else "no scope given",
            hint=f"scopes: {', '.join(SCOPES)}",
        )
    if not name.strip():
        raise BadRequest("a credential needs a name")
    secret = secrets.token_urlsafe(24)
    credential = Credential(
        key=secrets.token_hex(12),
        name=name.strip(),
        secret_hash=hash_secret(secret),
        scopes=tuple(dict.fromkeys(scopes)),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return credential, secret


def authority(principal: Principal, base_url: str) -> dict[str, Any]:
    """The Agent recorded as ``authority`` of statements sent with this credential."""
    return {
        "objectType": "Agent",
        "name": principal.name,
        "account": {"homePage": base_url, "name": principal.name},
    }


class Authenticator:
    """Checks ``Authorization: Basic`` headers against the store.

    A secret is verified with scrypt once; the result is kept (keyed by the key and a
    peppered hash of the secret). After ``cache_seconds`` the credential row is read again
    — a revoked key, or a changed secret hash, then fails — but the secret is not hashed
    again while its stored hash is unchanged, so busy clients never wait on scrypt.
    """

    def __init__(self, store: StatementStore, cache_seconds: float = 5.0) -> None:
        self.store = store
        self.cache_seconds = cache_seconds
        self._cache: dict[tuple[str, bytes], tuple[float, Principal, str]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._pepper = secrets.token_bytes(16)

    def authenticate(self, header: str | None) -> Principal:
        key, secret = _parse_basic(header)
        fingerprint = self._fingerprint(secret)
        principal = self._fresh(key, fingerprint)
        if principal is not None:
            return principal
        # one check at a time per key: a burst of requests with a credential not yet
        # cached (a server just started, a client opening many connections) waits for the
        # first check instead of each hashing the secret
        with self._key_lock(key):
            return self._check(key, secret, fingerprint)

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            lock = self._key_locks.get(key)
            if lock is None:
                if len(self._key_locks) > 10_000:
                    self._key_locks.clear()  # a holder keeps its own lock object
                lock = self._key_locks[key] = threading.Lock()
            return lock

    def _check(self, key: str, secret: str, fingerprint: bytes) -> Principal:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get((key, fingerprint))
        if cached and now - cached[0] < self.cache_seconds:
            return cached[1]  # checked while this request waited
        credential = self.store.credential(key)
        if credential is None or credential.revoked:
            raise Unauthorized("invalid credentials", hint="check the key and secret")
        if not (cached and cached[2] == credential.secret_hash) and not verify_secret(
            secret, credential.secret_hash
        ):
            raise Unauthorized("invalid credentials", hint="check the key and secret")
        principal = Principal(credential.key, credential.name, frozenset(credential.scopes))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[(key, fingerprint)] = (now, principal, credential.secret_hash)
        return principal

    def cached(self, header: str | None) -> Principal | None:
        """The caller, when :meth:`authenticate` would answer it from the cache without
        reading the store or hashing; else None (also for a malformed header, whose
        error :meth:`authenticate` reports)."""
        try:
            key, secret = _parse_basic(header)
        except Unauthorized:
            return None
        return self._fresh(key, self._fingerprint(secret))

    def _fresh(self, key: str, fingerprint: bytes) -> Principal | None:
        """The cached caller, if checked less than ``cache_seconds`` ago."""
        with self._lock:
            cached = self._cache.get((key, fingerprint))
        if cached and time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        return None

    def _fingerprint(self, secret: str) -> bytes:
        return hmac.new(self._pepper, secret.encode(), "sha256").digest()


def _parse_basic(header: str | None) -> tuple[str, str]:
    if not header:
        raise Unauthorized("authentication required", hint="send HTTP Basic credentials")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        raise Unauthorized(f"unsupported authentication scheme {scheme!r}", hint="use HTTP Basic")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("malformed Basic credentials") from exc
    key, sep, secret = decoded.partition(":")
    if not sep:
        raise Unauthorized("malformed Basic credentials", hint="send key:secret, base64-encoded")
    return key, secret


def require(principal: Principal, resource: str, method: str) -> None:
    """403 unless one of the caller's scopes allows ``method`` on ``resource``."""
    readers, writers = PERMISSIONS[resource]
    allowed = readers if method in ("GET", "HEAD") else writers
    if not principal.scopes & allowed:
        raise Forbidden(
            f"the credential {principal.name!r} may not {method} {resource.replace('_', ' ')}",
            hint=f"it needs one of the scopes: {', '.join(sorted(allowed)) or '(none)'}",
        )
