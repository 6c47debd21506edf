"""Query parameters as the collector reads them: whole numbers, booleans, instants and
choices, each refused with a 400 naming the parameter when it is not what it says.

Python's own conversions accept more than a URL should carry (``"²".isdigit()`` is true,
``int("٣")`` is 3, a 5,000-digit number takes seconds, year 9999 plus an offset overflows),
so every resource reads its parameters here, never with ``int()`` or ``isdigit()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from mirco_lms.errors import BadRequest, XapiValidationError

MAX_DIGITS = 18
"""Whole numbers longer than this are refused (they fit a 64-bit integer)."""


def count(params: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of 0 or more, in ASCII digits (``limit=²`` is a 400)."""
    raw = params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        raise BadRequest(
            f"{name} must be a whole number of 0 or more, got {raw[:40]!r}",
            hint=f"write {name} with the digits 0-9, at most {MAX_DIGITS} of them",
        )
    return int(raw)


def boolean(params: Mapping[str, str], name: str, default: bool = False) -> bool:
    """``true`` or ``false``, exactly."""
    raw = params.get(name)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        raise BadRequest(f"{name} must be true or false, got {raw[:40]!r}")
    return raw == "true"


def choice(params: Mapping[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    """One of ``allowed``."""
    raw = params.get(name, default)
    if raw not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, got {raw[:40]!r}")
    return raw


def instant(params: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 timestamp (xAPI's ``since``/``until``) as an aware UTC datetime; one
    that names no real instant (month 13, year 9999 with a negative offset) is a 400."""
    raw = params.get(name)
    if raw is None:
        return None
    from mirco_lms.lrs.validation.common import parse_timestamp

    try:
        return parse_timestamp(raw, f"?{name}", rule="Communication 2.1.3")
    except XapiValidationError as exc:
        raise BadRequest(
            f"{name}: {exc.message}", hint="write an instant like 2024-03-31T00:00:00Z"
        ) from exc
