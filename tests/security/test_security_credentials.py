"""Wrong secrets cannot starve other clients: fast salted hashes, cached rows, a per-key
failure throttle (429) that spares secrets already verified, and unknown keys checked
like known ones."""

from __future__ import annotations

import base64
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from lrs_support import Auth, add_credential, statement

from mirco_lms.errors import TooManyRequests, Unauthorized
from mirco_lms.lrs import auth as auth_module
from mirco_lms.lrs.store import Credential


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def test_a_wrong_secret_flood_is_throttled_with_retry_after(client, store) -> None:
    public = add_credential(store, "package", "statements/write")
    codes = [
        client.post("/xapi/statements", json=statement(),
                    headers=Auth(public.key, "wrong", "x").headers()).status_code
        for _ in range(auth_module.FAILURES_ALLOWED + 3)
    ]
    assert codes[: auth_module.FAILURES_ALLOWED] == [401] * auth_module.FAILURES_ALLOWED
    assert set(codes[auth_module.FAILURES_ALLOWED :]) == {429}
    r = client.post("/xapi/statements", json=statement(),
                    headers=Auth(public.key, "wrong", "x").headers())
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 10


def test_a_verified_secret_keeps_working_during_the_flood(store) -> None:
    public = add_credential(store, "package", "statements/write")
    checker = auth_module.Authenticator(store, cache_seconds=0)
    assert checker.authenticate(public.header).name == "package"

    def wrong(_: int) -> str:
        try:
            checker.authenticate(_basic(public.key, secrets.token_hex(8)))
        except (Unauthorized, TooManyRequests) as exc:
            return type(exc).__name__
        return "accepted"

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(wrong, range(200)))
    assert "accepted" not in outcomes and "TooManyRequests" in outcomes
    assert checker.authenticate(public.header).name == "package"  # not locked out


def test_unknown_keys_cost_a_verification_like_known_ones(store, monkeypatch) -> None:
    calls: list[str] = []
    real = auth_module.verify_secret
    monkeypatch.setattr(auth_module, "verify_secret",
                        lambda s, h: calls.append(h.split("$")[0]) or real(s, h))
    known = add_credential(store, "known", "all")
    checker = auth_module.Authenticator(store, cache_seconds=0)
    for header in (_basic(known.key, "wrong"), _basic("no-such-key", "wrong")):
        with pytest.raises(Unauthorized) as caught:
            checker.authenticate(header)
        assert caught.value.message == "invalid credentials"
    assert calls == ["hmac-sha256", "hmac-sha256"]


def test_secrets_are_stored_as_salted_hmac(store) -> None:
    credential, secret = auth_module.new_credential("m", ["statements/write"])
    assert credential.secret_hash.startswith("hmac-sha256$")
    assert secret not in credential.secret_hash
    assert auth_module.verify_secret(secret, credential.secret_hash)
    assert not auth_module.verify_secret(secret + "x", credential.secret_hash)
    assert auth_module.hash_secret(secret) != auth_module.hash_secret(secret)


def test_scrypt_hashes_still_verify_and_are_migrated(store) -> None:
    """Credentials made by earlier versions (scrypt) keep working; the first verified
    use replaces the hash with the fast one."""
    secret = secrets.token_urlsafe(24)
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    legacy = f"scrypt$16384$8$1${b64(salt)}${b64(digest)}"
    store.add_credential(Credential(key="old", name="old", secret_hash=legacy,
                                    scopes=("all",), created="2024-01-01T00:00:00+00:00"))
    checker = auth_module.Authenticator(store, cache_seconds=0)
    with pytest.raises(Unauthorized):
        checker.authenticate(_basic("old", "wrong"))
    assert store.credential("old").secret_hash == legacy
    assert checker.authenticate(_basic("old", secret)).name == "old"
    migrated = store.credential("old").secret_hash
    assert migrated.startswith("hmac-sha256$")
    assert auth_module.verify_secret(secret, migrated)
    fresh = auth_module.Authenticator(store, cache_seconds=0)
    assert fresh.authenticate(_basic("old", secret)).name == "old"
