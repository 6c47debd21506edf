"""Shared checks for xAPI values: objects, strings, IRIs, UUIDs, language tags, time.

Every check takes the JSON path of the value it looks at and raises
:class:`~mirco_lms.errors.XapiValidationError` naming that path and the rule of the
specification that was broken (section numbers of xAPI 1.0.3 "Data", which the IEEE
9274.1.1 text keeps in substance).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, cast

from mirco_lms.errors import XapiValidationError

from .jsontext import JsonRefused, loads_json  # noqa: F401 - the JSON reader, re-exported

JSON_OBJECT = "a JSON object"
# The patterns end with \Z, never $: $ also matches before a final newline, which let
# "…\n" through as an id, an IRI, a timestamp. Digits are ASCII digits (re.ASCII where
# \d is used): Python's \d matches any script's digits.
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
)
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}\Z")
SHA2_RE = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})\Z")
# RFC 3987: scheme ":" ihier-part; no whitespace, controls or the excluded delimiters.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+\Z")
MAILTO_RE = re.compile(r"^mailto:[^@\s:/?#]+@[^@\s/?#]+\.?[^@\s/?#]*\Z")
MEDIA_TYPE_RE = re.compile(
    r"^[A-Za-z0-9!#$&^_.+\-]+/[A-Za-z0-9!#$&^_.+\-]+"
    r"(?:\s*;\s*[A-Za-z0-9!#$&^_.+\-]+=(?:[^\s;\"]+|\"[^\"]*\"))*\s*\Z"
)


def fail(message: str, path: str, rule: str) -> XapiValidationError:
    """Build the error for ``path``; callers ``raise fail(...)`` so tracebacks stay short."""
    return XapiValidationError(message, path=path, rule=rule)


def type_name(value: Any) -> str:
    """The JSON name of the type of ``value`` for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def received(value: Any) -> str:
    """``<type> <repr>`` shortened for messages."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{type_name(value)} {text}"


def check_object(
    value: Any,
    path: str,
    *,
    allowed: Iterable[str],
    required: Iterable[str] = (),
    rule: str = "Data 2.2",
    what: str = "object",
) -> dict[str, Any]:
    """``value`` must be a JSON object with only ``allowed`` keys and all ``required`` ones.

    Data 2.2.s4.b1: keys are case sensitive and an LRS rejects unknown properties
    where the specification defines the object's keys.
    """
    if not isinstance(value, dict):
        raise fail(f"{what} must be {JSON_OBJECT}, got {received(value)}", path, rule)
    allowed_set = set(allowed)
    for key in value:
        if key not in allowed_set:
            names = ", ".join(sorted(allowed_set))
            raise fail(
                f"unknown property {key!r} in {what}; allowed (case-sensitive): {names}",
                f"{path}.{key}",
                "Data 2.2.s4.b1 (XAPI-00008)",
            )
    for key in required:
        if key not in value:
            raise fail(f"{what} is missing the required property {key!r}", f"{path}.{key}", rule)
    return value


def check_string(value: Any, path: str, rule: str, *, what: str = "value") -> str:
    """``value`` must be a JSON string (null is never allowed outside extensions)."""
    if not isinstance(value, str):
        raise fail(f"{what} must be a string, got {received(value)}", path, rule)
    return value


def check_number(value: Any, path: str, rule: str, *, what: str = "value") -> float:
    """``value`` must be a JSON number: ``true`` and ``"1"`` are not numbers (XAPI-00006)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(f"{what} must be a number, got {received(value)}", path, rule)
    if value != value or value in (float("inf"), float("-inf")):
        raise fail(f"{what} must be a finite number, got {value!r}", path, rule)
    return float(value)


def check_boolean(value: Any, path: str, rule: str, *, what: str = "value") -> bool:
    """``value`` must be ``true`` or ``false`` (not the string ``"true"``)."""
    if not isinstance(value, bool):
        raise fail(f"{what} must be true or false, got {received(value)}", path, rule)
    return value


def check_list(value: Any, path: str, rule: str, *, what: str = "value") -> list[Any]:
    """``value`` must be a JSON array."""
    if not isinstance(value, list):
        raise fail(f"{what} must be an array, got {received(value)}", path, rule)
    return value


def is_iri(value: Any) -> bool:
    """True when ``value`` is an absolute IRI (RFC 3987): a scheme, a colon, no spaces."""
    return isinstance(value, str) and _is_iri_text(value)


@lru_cache(maxsize=8192)
def _is_iri_text(value: str) -> bool:
    # the same verbs and activities come again and again: remember the answers
    return IRI_RE.match(value) is not None


def validate_iri(value: Any, path: str = "$", rule: str = "Data 4.1.4 (IRI)") -> str:
    """``value`` must be an absolute IRI such as ``http://example.com/verbs/x``."""
    check_string(value, path, rule, what="IRI")
    if not is_iri(value):
        raise fail(
            f"expected an absolute IRI with a scheme (like 'http://example.com/x'), got {value!r}",
            path,
            rule,
        )
    return cast(str, value)


def validate_irl(value: Any, path: str = "$", rule: str = "Data 4.1.4 (IRL)") -> str:
    """An IRL is an IRI meant to be resolvable, so it must also have a scheme."""
    return validate_iri(value, path, rule)


def is_uuid(value: Any) -> bool:
    """True for the standard 8-4-4-4-12 hex form of any UUID variant or version."""
    return isinstance(value, str) and UUID_RE.match(value) is not None


def validate_uuid(value: Any, path: str = "$", rule: str = "Data 4.4 (UUID)") -> str:
    """``value`` must be a UUID in standard string form (Data 4.4, XAPI-00007)."""
    check_string(value, path, rule, what="UUID")
    if not is_uuid(value):
        raise fail(
            "expected a UUID in standard form (8-4-4-4-12 hex digits, like "
            f"'fd41c918-b88b-4b20-a0a5-a4c32391aaa0'), got {value!r}",
            path,
            rule,
        )
    return cast(str, value)


def validate_mailto(value: Any, path: str, rule: str = "Data 2.4.2.3 (mbox)") -> str:
    """An mbox is a ``mailto:`` IRI with an address containing ``@``."""
    check_string(value, path, rule, what="mbox")
    if not MAILTO_RE.match(value):
        raise fail(
            f"mbox must be 'mailto:' followed by an e-mail address, got {value!r}", path, rule
        )
    return cast(str, value)


def validate_sha1(value: Any, path: str, rule: str = "Data 2.4.2.3 (mbox_sha1sum)") -> str:
    """``mbox_sha1sum`` is the hex SHA-1 of a ``mailto:`` IRI: 40 hex digits."""
    check_string(value, path, rule, what="mbox_sha1sum")
    if not SHA1_RE.match(value):
        raise fail(f"mbox_sha1sum must be 40 hexadecimal digits, got {value!r}", path, rule)
    return cast(str, value)


def validate_sha2(value: Any, path: str, rule: str = "Data 2.4.11 (sha2)") -> str:
    """``sha2`` is the hex digest of a SHA-2 hash (224, 256, 384 or 512 bits)."""
    check_string(value, path, rule, what="sha2")
    if not SHA2_RE.match(value):
        raise fail(
            f"sha2 must be a hexadecimal SHA-2 digest (64 hex digits for SHA-256), got {value!r}",
            path,
            rule,
        )
    return cast(str, value)


def validate_media_type(value: Any, path: str, rule: str = "Data 2.4.11 (contentType)") -> str:
    """An Internet Media Type such as ``text/plain; charset=ascii`` (XAPI-00105)."""
    check_string(value, path, rule, what="contentType")
    if not MEDIA_TYPE_RE.match(value):
        raise fail(
            f"contentType must be an Internet Media Type like 'text/plain', got {value!r}",
            path,
            rule,
        )
    return cast(str, value)


def validate_extensions(
    value: Any, path: str, rule: str = "Data 4.1 (extensions)"
) -> dict[str, Any]:
    """An extensions map: IRI keys, any JSON values (null included, XAPI-00119)."""
    if not isinstance(value, dict):
        raise fail(f"extensions must be {JSON_OBJECT}, got {received(value)}", path, rule)
    for key in value:
        if not is_iri(key):
            raise fail(
                f"extension keys must be absolute IRIs like 'http://example.com/ext', got {key!r}",
                f"{path}[{key!r}]",
                "Data 4.1.s3.b1 (XAPI-00118)",
            )
    return value


def validate_version_string(value: Any, path: str, version: str) -> str:
    """A statement's ``version`` is 1.0.x (and 2.0.x on an xAPI 2.0 LRS), Data 2.4.10."""
    rule = "Data 2.4.10 (XAPI-00099)"
    check_string(value, path, rule, what="version")
    pattern = r"^1\.0(\.\d+)?\Z" if not version.startswith("2") else r"^(1|2)\.0(\.\d+)?\Z"
    if not re.match(pattern, value, re.ASCII):
        allowed = "1.0.x" if not version.startswith("2") else "1.0.x or 2.0.x"
        raise fail(f"version must be {allowed}, got {value!r}", path, rule)
    return cast(str, value)


# --- time -------------------------------------------------------------------------------

_TIMESTAMP_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}|\d{8})T"
    r"(?P<time>\d{2}(?::\d{2}(?::\d{2})?|\d{2}(?:\d{2})?)?)"
    r"(?:[.,](?P<fraction>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?\Z",
    re.ASCII,
)


def parse_timestamp(value: Any, path: str = "$", rule: str = "Data 4.5 (XAPI-00123)") -> datetime:
    """Parse an ISO 8601 date-time into a timezone-aware UTC ``datetime``.

    Extended (``2015-11-18T12:17:00.123+02:00``) and basic (``20151118T121700Z``) forms
    are accepted. The "unknown local offset" forms ``-00``, ``-0000`` and ``-00:00``
    are rejected (RFC 3339 4.3, as the conformance suite requires). A timestamp without a
    zone is taken as UTC (Data 4.5: a timestamp SHOULD include the time zone).
    """
    check_string(value, path, rule, what="timestamp")
    match = _TIMESTAMP_RE.match(value)
    if match is None:
        raise fail(
            f"expected an ISO 8601 timestamp like '2015-11-18T12:17:00.000Z', got {value!r}",
            path,
            rule,
        )
    zone = match["zone"]
    if zone is not None and zone.startswith("-") and set(zone[1:]) <= {"0", ":"}:
        raise fail(
            f"the offset {zone!r} means 'unknown local offset' and is not allowed; "
            "use 'Z' or '+00:00' for UTC",
            path,
            rule,
        )
    try:
        return _build_datetime(match)
    except (ValueError, OverflowError) as exc:  # no such day, or beyond year 1-9999 in UTC
        raise fail(f"invalid date or time in timestamp {value!r}: {exc}", path, rule) from exc


def _build_datetime(match: re.Match[str]) -> datetime:
    date = match["date"].replace("-", "")
    time = match["time"].replace(":", "")
    hour, minute, second = int(time[0:2]), int(time[2:4] or 0), int(time[4:6] or 0)
    fraction = match["fraction"] or ""
    micro = int((fraction + "000000")[:6]) if fraction else 0
    offset = timedelta(0)
    zone = match["zone"]
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[0:2]), minutes=int(digits[2:4] or 0))
        if zone[0] == "-":
            offset = -offset
        if offset >= timedelta(hours=24):
            raise ValueError("offset out of range")
    moment = datetime(
        int(date[0:4]),
        int(date[4:6]),
        int(date[6:8]),
        hour,
        minute,
        second,
        micro,
        tzinfo=timezone(offset),
    )
    return moment.astimezone(UTC)


def timestamp_zone(value: str) -> str | None:
    """The zone designator of a timestamp string (``Z``, ``+02:00``...), or None."""
    match = _TIMESTAMP_RE.match(value)
    return match["zone"] if match else None


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with millisecond (or finer, when present) precision."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    micro = f"{moment.microsecond:06d}"
    fraction = micro[:3] if micro[3:] == "000" else micro
    return f"{text}.{fraction}Z"


_NUM = r"\d+(?:[.,]\d+)?"
_DURATION_RE = re.compile(
    rf"^P(?!\Z)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?\Z",
    re.ASCII,
)
_WEEKS_RE = re.compile(rf"^P{_NUM}W\Z", re.ASCII)


def validate_duration(value: Any, path: str = "$", rule: str = "Data 4.6 (XAPI-00124)") -> str:
    """An ISO 8601:2004 4.4.3.2 duration such as ``PT1H30M`` or ``P4W``.

    The alternative format (``P0000-00-00T01:30:00``) and mixing weeks with other
    units (``P4W1D``) are rejected; only the last component may have a fraction.
    """
    check_string(value, path, rule, what="duration")
    if not (_DURATION_RE.match(value) or _WEEKS_RE.match(value)):
        raise fail(
            f"expected an ISO 8601 duration like 'PT1H30M' or 'P3Y1M29DT4H35M59S', got {value!r}",
            path,
            rule,
        )
    components = re.findall(r"\d+(?:[.,]\d+)?", value)
    if any(re.search(r"[.,]", part) for part in components[:-1]):
        raise fail(
            f"only the smallest unit of a duration may have a fraction, got {value!r}", path, rule
        )
    return cast(str, value)


def truncate_duration(value: str) -> str:
    """Drop seconds precision beyond 0.01 s (Data 4.6: not part of comparisons)."""
    return re.sub(r"(\d+[.,]\d{2})\d+S$", r"\1S", value)
