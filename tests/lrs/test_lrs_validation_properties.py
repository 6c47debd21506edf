"""Property tests: valid statements validate, normalize is idempotent, JSON round trips,
and breaking one field gives an error naming that field's JSON path."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import statements, statements_v2

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.validation.rules import (
    normalize_statement,
    same_statement,
    statement_activity_ids,
    statement_agent_ifis,
    statement_index,
    validate_statement,
)

SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(statements)
def test_valid_statements_validate(stmt: dict[str, Any]) -> None:
    validate_statement(stmt)
    validate_statement(stmt, version="2.0.0")


@SETTINGS
@given(statements_v2)
def test_valid_v2_statements_validate(stmt: dict[str, Any]) -> None:
    validate_statement(stmt, version="2.0.0")


@SETTINGS
@given(statements_v2)
def test_normalize_is_idempotent_and_still_valid(stmt: dict[str, Any]) -> None:
    once = normalize_statement(stmt)
    assert normalize_statement(once) == once
    validate_statement(once, version="2.0.0")
    assert same_statement(stmt, once)


@SETTINGS
@given(statements_v2)
def test_index_rows_are_what_the_filters_match(stmt: dict[str, Any]) -> None:
    """statement_index: the related ids, flagged primary when matched without related."""
    stmt = normalize_statement(stmt)
    stmt.setdefault("authority", {"objectType": "Agent", "mbox": "mailto:lrs@example.com"})
    agents, activities = statement_index(stmt)
    primary_agents = set(statement_agent_ifis(stmt))
    primary_acts = set(statement_activity_ids(stmt))
    assert agents == [
        (i, i in primary_agents)
        for i in sorted(primary_agents | set(statement_agent_ifis(stmt, related=True)))
    ]
    assert activities == [
        (a, a in primary_acts)
        for a in sorted(primary_acts | set(statement_activity_ids(stmt, related=True)))
    ]


@SETTINGS
@given(statements_v2)
def test_json_round_trip(stmt: dict[str, Any]) -> None:
    back = json.loads(json.dumps(stmt))
    assert back == stmt
    validate_statement(back, version="2.0.0")


# (where to break, the invalid value, the path the error must name)
BREAKS: list[tuple[tuple[str, ...], Any]] = [
    (("actor", "objectType"), "agent"),
    (("verb", "id"), "not an iri"),
    (("verb", "display"), "text"),
    (("timestamp",), "2008-09-15T15:53:00.601-00:00"),
    (("result", "duration"), "PA1H"),
    (("result", "success"), "true"),
    (("context", "registration"), "not-a-uuid"),
    (("context", "language"), "a12345"),
    (("id",), 12345),
]


def _path(keys: tuple[str, ...]) -> str:
    return "$" + "".join(f".{key}" for key in keys)


@SETTINGS
@given(statements, st.sampled_from(BREAKS))
def test_one_invalid_field_names_its_path(stmt: dict[str, Any], breaking: Any) -> None:
    keys, value = breaking
    broken = copy.deepcopy(stmt)
    target = broken
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value
    try:
        validate_statement(broken)
    except XapiValidationError as exc:
        assert exc.path == _path(keys), (exc.path, exc.message)
    else:
        raise AssertionError(f"{_path(keys)}={value!r} was accepted")
