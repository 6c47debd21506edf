"""The report columns of a statement, computed in Python when its values are plain.

The definition of each report column is its SQL expression
(:func:`~mirco_lms.lrs.store.views.report_values`), which migration 6 ran over the
statements stored before it and which the writer runs over any statement this module
declines — but ``duration_seconds``, defined in Python since schema 9
(:func:`~mirco_lms.lrs.store.views.seconds_of`) and bound on both paths. Most statements
carry plain values — texts where the profile puts texts, numbers where it puts numbers,
booleans for ``success`` and ``completion``, ``outcomes`` as a list of texts — and for
those the expressions give what Python gives from the parsed statement, on SQLite and
PostgreSQL alike (a Python ``bool`` is stored as 1/0 by SQLite and as a boolean by
PostgreSQL, as the expressions return them). Computing them here spares the database ~25
JSON reads per statement in the writers' serialized section; any value of another type
(or a corner where the two databases differ, such as a non-ASCII country code for
``upper``) sends the statement to the SQL path.
"""

from __future__ import annotations

from typing import Any

import orjson

from mirco_lms.lrs.store.views import MAX_ATTEMPT, MAX_SCORE, REPORT_COLUMNS, seconds_of
from mirco_lms.xapi import profile as p

ReportValues = tuple[Any, ...]
"""The values of :data:`~mirco_lms.lrs.store.views.REPORT_COLUMNS`, in order
(``outcomes`` as JSON text)."""
_LIMIT = float(MAX_SCORE)
_TINY = 1e-300
"""PostgreSQL reads a number this close to 0 as 0, SQLite as itself: left to SQL."""
_CATEGORY_KEYS = frozenset({"id", "objectType"})
class NotPlain(Exception):
    """A value the SQL expressions must read (see the module's docstring)."""


def plain_values(stmt: dict[str, Any]) -> ReportValues | None:
    """The report values of ``stmt`` (a validated, normalized statement), or None when
    one of them is not plain and the database must read it from the JSON."""
    try:
        values = _values(stmt)
    except NotPlain:
        return None
    return tuple(values[name] for name in REPORT_COLUMNS)


def _values(stmt: dict[str, Any]) -> dict[str, Any]:
    context = _dict(stmt.get("context"))
    ext = _dict(context.get("extensions"))
    activities = _dict(context.get("contextActivities"))
    result = _dict(stmt.get("result"))
    score = _dict(result.get("score"))
    return {
        "actor_name": _text(_dict(stmt.get("actor")).get("name")),
        "object_type": _text(_dict(_dict(stmt.get("object")).get("definition")).get("type")),
        "grouping_id": _first_id(activities.get("grouping")),
        "parent_id": _first_id(activities.get("parent")),
        "module_version": _text(ext.get(p.EXT_MODULE_VERSION)),
        "assessment": _text(ext.get(p.EXT_ASSESSMENT)),
        "attempt": _attempt(ext.get(p.EXT_ATTEMPT)),
        "language": _text(context.get("language")),
        "score_scaled": _number(score.get("scaled")),
        "score_raw": _number(score.get("raw")),
        "score_min": _number(score.get("min")),
        "score_max": _number(score.get("max")),
        "success": _boolean(result.get("success")),
        "completion": _boolean(result.get("completion")),
        "duration": _text(result.get("duration")),
        "response": _text(result.get("response")),
        "institution": _text(ext.get(p.EXT_INSTITUTION)),
        "country": _upper(ext.get(p.EXT_COUNTRY)),
        "unit": _text(ext.get(p.EXT_UNIT)),
        "provider_institution": _text(ext.get(p.EXT_PROVIDER_INSTITUTION)),
        "provider_country": _upper(ext.get(p.EXT_PROVIDER_COUNTRY)),
        "profile_v1": _has_category(activities.get("category"), p.CATEGORY_V1),
        "delivery": _text(ext.get(p.EXT_DELIVERY)),
        "session_id": _text(ext.get(p.EXT_SESSION)),
        "outcomes": _outcomes(ext.get(p.EXT_OUTCOMES)),
        "duration_seconds": _seconds(result.get("duration")),
        "verb": _last_segment(_dict(stmt.get("verb")).get("id")),
    }


def _dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotPlain
    return value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise NotPlain


def _upper(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if not text.isascii():  # SQLite's upper() changes ASCII letters only
        raise NotPlain
    return text.upper()


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotPlain
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise NotPlain
    if 0 < abs(value) < _TINY:
        raise NotPlain
    return value if -_LIMIT <= value <= _LIMIT else None


def _attempt(value: Any) -> int | None:
    if value is None or isinstance(value, float):
        return None  # a JSON number with a point or an exponent: not an attempt
    if isinstance(value, bool) or not isinstance(value, int):
        raise NotPlain
    return value if 0 <= value <= MAX_ATTEMPT else None


def _boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise NotPlain


def _first_id(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise NotPlain
    return _text(_dict(value[0]).get("id")) if value else None


def _has_category(value: Any, category: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, list):
        raise NotPlain
    for item in value:
        if not isinstance(item, dict) or not set(item) <= _CATEGORY_KEYS:
            raise NotPlain
        if not isinstance(item.get("id"), str):
            raise NotPlain
    return any(item["id"] == category for item in value)


def _outcomes(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return orjson.dumps(value).decode()
    raise NotPlain


def _seconds(value: Any) -> float | None:
    """The view's ``duration_seconds`` of ``result.duration`` (its definition since schema
    9: :func:`~mirco_lms.lrs.store.views.seconds_of`, for every form)."""
    return seconds_of(_text(value))


def _last_segment(value: Any) -> str | None:
    """The view's ``verb``: the verb IRI after its last ``/`` (the whole IRI without one)."""
    text = _text(value)
    return None if text is None else text.rsplit("/", 1)[-1]
