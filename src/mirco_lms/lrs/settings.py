"""The collector's settings: one typed object read from ``MIRCO_*`` environment variables.

``LrsSettings.from_env()`` parses the environment once, at the edge; every error names the
variable that holds the bad value.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from mirco_lms.errors import ConfigError

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_LIMIT = 500


@dataclass(frozen=True)
class LrsSettings:
    """How one collector process runs."""

    db: str = "sqlite:///./.mirco/lrs.sqlite3"
    """Database URL: ``sqlite:///abs/path.db`` or ``postgresql://user@host/db`` (``MIRCO_DB``)."""
    cors_origins: tuple[str, ...] = ()
    """Browser origins allowed to call the LRS (``MIRCO_CORS_ORIGINS``, comma separated; ``*``
    allows any)."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    """Largest request body accepted; larger ones get 413 (``MIRCO_MAX_BODY_BYTES``)."""
    max_limit: int = DEFAULT_MAX_LIMIT
    """Most statements one GET returns; ``limit=0`` or a larger limit is capped to this
    (``MIRCO_MAX_LIMIT``)."""
    base_url: str | None = None
    """Public base URL of the LRS, the ``homePage`` of credential authorities
    (``MIRCO_BASE_URL``; default: :attr:`bind_url`, never the client's ``Host`` header)."""
    bind_url: str = "http://127.0.0.1:8100"
    """``http://HOST:PORT`` the server listens on (``MIRCO_LRS_BIND``: set by
    ``mirco lrs serve`` for its processes)."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """Key that signs ``more`` tokens (``MIRCO_SECRET_KEY``, any text of 16 characters or
    more; unset: random per ``mirco lrs serve``, so tokens of an earlier run no longer
    work after a restart)."""
    credential_cache_seconds: float = 5.0
    """How long a verified credential is trusted before it is read again: a revoked key
    stops working within this time (``MIRCO_CREDENTIAL_CACHE_SECONDS``)."""
    xapi_version: str = "2.0.0"
    """The version in ``X-Experience-API-Version`` of answers to requests that name none
    (``MIRCO_XAPI_VERSION``: ``2.0.0``, the newest the LRS speaks, or ``1.0.3`` to act as
    a 1.0.3 LRS towards such requests). Requests that name a version get that version."""
    writer: str | None = None
    """The Unix socket of the writer process that writes the statements of every worker
    (``MIRCO_LRS_WRITER``: set by ``mirco lrs serve --workers N`` on SQLite for its
    workers; unset, each process writes its own)."""
    verify_per_minute: int = 30
    """Requests one client address may make to the certificate verification page per
    minute; more answer 429 (``MIRCO_VERIFY_PER_MINUTE``)."""
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> LrsSettings:
        """Settings from ``MIRCO_*`` variables; keyword overrides (CLI options) win."""
        env = os.environ if environ is None else environ
        settings = cls()
        if env.get("MIRCO_DB"):
            settings = replace(settings, db=env["MIRCO_DB"])
        if env.get("MIRCO_CORS_ORIGINS"):
            origins = tuple(o.strip() for o in env["MIRCO_CORS_ORIGINS"].split(",") if o.strip())
            settings = replace(settings, cors_origins=origins)
        if env.get("MIRCO_MAX_BODY_BYTES"):
            settings = replace(settings, max_body_bytes=_positive_int(env, "MIRCO_MAX_BODY_BYTES"))
        if env.get("MIRCO_MAX_LIMIT"):
            settings = replace(settings, max_limit=_positive_int(env, "MIRCO_MAX_LIMIT"))
        if env.get("MIRCO_BASE_URL"):
            settings = replace(settings, base_url=env["MIRCO_BASE_URL"].rstrip("/"))
        if env.get("MIRCO_LRS_BIND"):
            settings = replace(settings, bind_url=env["MIRCO_LRS_BIND"].rstrip("/"))
        if env.get("MIRCO_SECRET_KEY"):
            settings = replace(settings, secret_key=_secret_key(env["MIRCO_SECRET_KEY"]))
        if env.get("MIRCO_XAPI_VERSION"):
            settings = replace(settings, xapi_version=_xapi_version(env["MIRCO_XAPI_VERSION"]))
        if env.get("MIRCO_VERIFY_PER_MINUTE"):
            settings = replace(settings,
                               verify_per_minute=_positive_int(env, "MIRCO_VERIFY_PER_MINUTE"))
        if env.get("MIRCO_LRS_WRITER"):
            settings = replace(settings, writer=env["MIRCO_LRS_WRITER"])
        if env.get("MIRCO_CREDENTIAL_CACHE_SECONDS"):
            try:
                seconds = float(env["MIRCO_CREDENTIAL_CACHE_SECONDS"])
            except ValueError as exc:
                raise ConfigError(
                    f"MIRCO_CREDENTIAL_CACHE_SECONDS must be a number of seconds, got "
                    f"{env['MIRCO_CREDENTIAL_CACHE_SECONDS']!r}"
                ) from exc
            settings = replace(settings, credential_cache_seconds=max(0.0, seconds))
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **given) if given else settings  # type: ignore[arg-type]


def _positive_int(env: Mapping[str, str], name: str) -> int:
    raw = env[name]
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(
            f"{name} must be a positive whole number, got {raw!r}",
            hint=f"unset {name} to use the default",
        )
    return value


def _secret_key(raw: str) -> bytes:
    if len(raw) < 16:
        raise ConfigError(
            "MIRCO_SECRET_KEY must be at least 16 characters",
            hint='make one with: python3 -c "import secrets; print(secrets.token_hex(32))"',
        )
    return raw.encode("utf-8")


def _xapi_version(raw: str) -> str:
    value = raw.strip()
    if value not in ("1.0.3", "2.0.0"):
        raise ConfigError(
            f"MIRCO_XAPI_VERSION must be 1.0.3 or 2.0.0, got {raw!r}",
            hint="unset MIRCO_XAPI_VERSION to use 2.0.0",
        )
    return value
