"""Where the signing key lives, the LRS's public address and the issuer's name.

Read from ``[certificates]`` of mirco.toml (``keys``, ``base_url``, ``issuer``), else the
environment (``MIRCO_CERTIFICATE_KEYS``, ``MIRCO_BASE_URL``), else defaults: the key folder
``<project>/.mirco/keys`` and the issuer ``[project].organization``. Options of the
command win over all of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mirco_lms.config import CONFIG_FILE, ProjectConfig
from mirco_lms.errors import CertificateError, ConfigError, Location


@dataclass(frozen=True)
class CertificateSettings:
    key_folder: Path
    """Folder of ``issuer-ed25519.pem`` and ``issuer-ed25519.jwk.json``."""
    base_url: str | None
    """The LRS's public address: verification links are ``<base_url>/verify/<code>``."""
    issuer: str
    """The training provider's name, printed on certificates and in badges ('' if none)."""
    project: ProjectConfig | None = None

    def require_base_url(self) -> str:
        if not self.base_url:
            raise CertificateError(
                "certificates need the public address of the LRS for their verification "
                "links",
                hint="set [certificates].base_url in mirco.toml, MIRCO_BASE_URL, or pass "
                "--base-url https://lrs.example.org",
            )
        return self.base_url

    def require_issuer(self) -> str:
        if not self.issuer:
            raise CertificateError(
                "certificates need the issuer's name",
                hint="set [project].organization or [certificates].issuer in mirco.toml, or "
                "pass --issuer NAME",
            )
        return self.issuer


def load(project_dir: Path, *, keys: Path | None = None, base_url: str | None = None,
         issuer: str | None = None, environ: Mapping[str, str] | None = None,
         ) -> CertificateSettings:
    """The settings of the project at ``project_dir`` (which may have no mirco.toml)."""
    env = os.environ if environ is None else environ
    config = ProjectConfig.load(project_dir) if (project_dir / CONFIG_FILE).is_file() else None
    section: dict[str, Any] = dict((config.raw if config else {}).get("certificates") or {})
    where = Location(file=project_dir / CONFIG_FILE)
    for key in ("keys", "base_url", "issuer"):
        if key in section and not isinstance(section[key], str):
            raise ConfigError(f"[certificates].{key} must be a string, got {section[key]!r}",
                              location=where)
    folder = keys or _folder(section.get("keys"), env.get("MIRCO_CERTIFICATE_KEYS"),
                             project_dir)
    url = base_url or section.get("base_url") or env.get("MIRCO_BASE_URL") or None
    if url is not None:
        url = _checked_url(url)
    name = issuer or section.get("issuer") or (config.organization if config else "") or (
        config.name if config else "")
    return CertificateSettings(folder, url, name, config)


def _folder(configured: str | None, environ: str | None, project_dir: Path) -> Path:
    if configured:
        path = Path(configured).expanduser()
        return path if path.is_absolute() else project_dir / path
    if environ:
        return Path(environ).expanduser()
    return project_dir / ".mirco" / "keys"


def _checked_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CertificateError(
            f"the LRS's public address must be an absolute http(s) URL, got {value!r}",
            hint="e.g. https://lrs.example.org",
        )
    return value.strip().rstrip("/")
