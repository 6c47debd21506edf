"""The ``X-Experience-API-Version`` header (Communication 3.3)."""

from __future__ import annotations

import re

from mirco_lms.errors import BadRequest

SUPPORTED = ("1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0")
_ACCEPTED = re.compile(r"^(?:1\.0(?:\.\d+)?|2\.0(?:\.\d+)?)\Z", re.ASCII)


def negotiate_version(header: str | None) -> str:
    """The xAPI version to use for a request: ``"1.0.3"`` or ``"2.0.0"``.

    Accepts ``1.0`` and ``1.0.0``-``1.0.3`` (answered as 1.0.3, the latest patch) and
    ``2.0``/``2.0.x`` (answered as 2.0.0). A missing header or any other value is a 400
    naming the supported versions (Communication 3.3.s3.b3).
    """
    if header is None or not header.strip():
        raise BadRequest(
            "the X-Experience-API-Version header is required",
            hint=f"send one of: {', '.join(SUPPORTED)}",
        )
    value = header.strip()
    if not _ACCEPTED.match(value):
        raise BadRequest(
            f"unsupported xAPI version {value!r} in X-Experience-API-Version",
            hint=f"supported versions: {', '.join(SUPPORTED)}",
        )
    return "2.0.0" if value.startswith("2") else "1.0.3"
