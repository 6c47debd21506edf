"""Credentials and scopes: HTTP Basic keys with salted HMAC-SHA256 secret hashes.

A credential is a key (the Basic user name), a random secret shown once at creation, a
name and scopes (xAPI 1.0.3 §6.4.2). A verified credential is remembered for
``cache_seconds``; a revoked key stops working within that time in every server process.
Wrong secrets are throttled per key (429), and unknown keys take as long as known ones.
Hashes of older versions (scrypt) keep verifying and are replaced on first use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mirco_lms.errors import BadRequest, Forbidden, TooManyRequests, Unauthorized
from mirco_lms.lrs.store import Credential, StatementStore

log = logging.getLogger(__name__)

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
HMAC_PREFIX = "hmac-sha256$"
FAILURES_ALLOWED = 10
"""Wrong secrets one key may get within :data:`FAILURE_WINDOW` seconds before the LRS
answers 429 to further unverified secrets for that key."""
FAILURE_WINDOW = 10.0

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
    """``hmac-sha256$salt$digest``: a salted keyed hash. mirco issues only random
    secrets of 192 bits (:func:`new_credential`), which no guessing reaches, so a fast
    hash is as safe as a slow one and lets a wrong secret cost microseconds, not the
    tens of milliseconds of scrypt that a flood of them turned into a queue."""
    salt = secrets.token_bytes(16)
    digest = hmac.new(salt, secret.encode(), hashlib.sha256).digest()
    return f"{HMAC_PREFIX}{_b64(salt)}${_b64(digest)}"


def needs_rehash(stored: str) -> bool:
    """An older scrypt hash, replaced by :func:`hash_secret` after a successful check."""
    return not stored.startswith(HMAC_PREFIX)


def verify_secret(secret: str, stored: str) -> bool:
    try:
        if stored.startswith(HMAC_PREFIX):
            salt, digest = stored[len(HMAC_PREFIX) :].split("$")
            actual = hmac.new(_unb64(salt), secret.encode(), hashlib.sha256).digest()
        else:
            algo, n, r, p, salt, digest = stored.split("$")
            if algo != "scrypt":
                return False
            actual = hashlib.scrypt(
                secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p)
            )
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

    - A verified (key, secret) pair is remembered by a peppered digest of the secret; the
      credential row is read again after ``cache_seconds`` (a revoked key, or a changed
      hash, then fails), but a secret once verified is not hashed again.
    - The row of a key is itself kept ``cache_seconds``, so wrong secrets cost no store
      read, and an unknown key costs the same as a known one: its (absent) row is kept
      too and a dummy secret hash is checked in its place.
    - More than :data:`FAILURES_ALLOWED` wrong secrets for one key within
      :data:`FAILURE_WINDOW` seconds: further secrets for that key that were never
      verified answer 429 with ``Retry-After`` without being checked. Secrets already
      verified go on working, so a flood with a public key cannot lock its users out.
    - An older scrypt hash is replaced by a salted HMAC-SHA256 once its secret is verified.
    """

    def __init__(
        self,
        store: StatementStore,
        cache_seconds: float = 5.0,
        *,
        failures_allowed: int = FAILURES_ALLOWED,
        failure_window: float = FAILURE_WINDOW,
    ) -> None:
        self.store = store
        self.cache_seconds = cache_seconds
        self.failures_allowed = failures_allowed
        self.failure_window = failure_window
        self._cache: dict[tuple[str, bytes], tuple[float, Principal, str]] = {}
        self._rows: dict[str, tuple[float, Credential | None]] = {}
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self._pepper = secrets.token_bytes(16)
        self._dummy_hash = hash_secret(secrets.token_urlsafe(24))

    def authenticate(self, header: str | None) -> Principal:
        key, secret = _parse_basic(header)
        fingerprint = self._fingerprint(secret)
        principal = self._fresh(key, fingerprint)
        if principal is not None:
            return principal
        # one check at a time per key: a burst of requests with a credential not yet
        # cached (a server just started) waits for the first check instead of each
        # reading the store
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
        if cached is None:
            self._refuse_if_throttled(key, now)
        credential = self._row(key, now)
        if credential is None or credential.revoked:
            verify_secret(secret, self._dummy_hash)  # the time a known key takes
            self._failed(key, now)
            raise Unauthorized("invalid credentials", hint="check the key and secret")
        stored = credential.secret_hash
        if not (cached and cached[2] == stored):
            if not verify_secret(secret, stored):
                self._failed(key, now)
                raise Unauthorized("invalid credentials", hint="check the key and secret")
            if needs_rehash(stored):
                stored = self._rehash(credential, secret)
        principal = Principal(credential.key, credential.name, frozenset(credential.scopes))
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[(key, fingerprint)] = (now, principal, stored)
        return principal

    def _row(self, key: str, now: float) -> Credential | None:
        with self._lock:
            kept = self._rows.get(key)
        if kept and now - kept[0] < self.cache_seconds:
            return kept[1]
        credential = self.store.credential(key)
        with self._lock:
            if len(self._rows) > 10_000:
                self._rows.clear()
            self._rows[key] = (now, credential)
        return credential

    def _rehash(self, credential: Credential, secret: str) -> str:
        new = hash_secret(secret)
        try:
            if self.store.rehash_credential(credential.key, credential.secret_hash, new):
                with self._lock:
                    self._rows.pop(credential.key, None)
                return new
        except Exception:  # noqa: BLE001 - a read-only store keeps the old hash working
            log.warning("could not replace the scrypt hash of key %s", credential.key)
        return credential.secret_hash

    def _failed(self, key: str, now: float) -> None:
        with self._lock:
            if len(self._failures) > 10_000:
                self._failures.clear()
            recent = [t for t in self._failures.get(key, ()) if now - t < self.failure_window]
            recent.append(now)
            self._failures[key] = recent[-self.failures_allowed :]

    def _refuse_if_throttled(self, key: str, now: float) -> None:
        with self._lock:
            recent = [t for t in self._failures.get(key, ()) if now - t < self.failure_window]
        if len(recent) >= self.failures_allowed:
            wait = self.failure_window - (now - recent[0])
            raise TooManyRequests(
                f"too many wrong secrets for this key in the last {self.failure_window:g} s",
                retry_after=max(1, math.ceil(wait)),
                hint="check the secret, then try again after Retry-After seconds",
            )

    def refuse_if_throttled(self, header: str | None) -> None:
        """429 at once for a secret never verified for a key under throttle (no store
        read, no thread: the event loop answers a flood itself)."""
        try:
            key, secret = _parse_basic(header)
        except Unauthorized:
            return
        with self._lock:
            known = (key, self._fingerprint(secret)) in self._cache
            throttled = key in self._failures
        if throttled and not known:
            self._refuse_if_throttled(key, time.monotonic())

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
