"""Statement helpers: normalize, compare (Data 2.3.1), formats and filters (Communication 2.1.3)."""

from __future__ import annotations

import copy

from mirco_lms.lrs.validation.rules import (
    agent_ifi,
    format_statement,
    normalize_statement,
    same_statement,
    statement_activity_ids,
    statement_agent_ifis,
)

ANA = {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@Example.COM"}
BOB = {"account": {"homePage": "http://example.com", "name": "bob"}}
STMT = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "actor": ANA,
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-US": "attended", "sr": "prisustvovao"},
    },
    "object": {"id": "http://example.com/a", "definition": {"name": {"en": "A", "mk": "А"}}},
    "result": {"duration": "P1DT12H36M0.1237S"},
    "context": {
        "instructor": BOB,
        "team": {"objectType": "Group", "member": [ANA, BOB]},
        "contextActivities": {"parent": {"id": "http://example.com/course"}},
    },
    "timestamp": "2023-05-04T12:00:00-05:00",
}


def test_normalize_wraps_context_activities_and_converts_timestamp() -> None:
    """XAPI-00096: context activities come back as arrays; Data 4.5: timestamps in UTC."""
    out = normalize_statement(STMT)
    assert out["context"]["contextActivities"]["parent"] == [{"id": "http://example.com/course"}]
    assert out["timestamp"] == "2023-05-04T17:00:00.000Z"
    assert STMT["context"]["contextActivities"]["parent"] == {"id": "http://example.com/course"}
    assert normalize_statement(out) == out


def test_same_statement_ignores_exceptions_to_immutability() -> None:
    """Data 2.3.1: LRS-assigned properties, timestamp serialization, member order, case, display."""
    other = copy.deepcopy(STMT)
    other.update(
        stored="2024-01-01T00:00:00Z",
        version="1.0.3",
        authority=BOB,
        timestamp="2023-05-04T17:00:00.000Z",
    )
    other["context"]["team"]["member"].reverse()
    other["context"]["contextActivities"]["parent"] = [
        other["context"]["contextActivities"]["parent"]
    ]
    other["actor"] = dict(ANA, mbox="mailto:ana@example.com")
    other["verb"]["display"] = {"en-GB": "went to"}
    other["object"]["definition"] = {"name": {"en": "changed"}}
    other["result"]["duration"] = "P1DT12H36M0.12S"
    assert same_statement(STMT, other)


def test_same_statement_detects_real_differences() -> None:
    for where, value in [
        ("timestamp", "2023-05-04T12:00:01-05:00"),
        ("result", {"duration": "PT1S"}),
        ("actor", BOB),
        ("verb", {"id": "http://example.com/other"}),
    ]:
        other = copy.deepcopy(STMT)
        other[where] = value
        assert not same_statement(STMT, other), where


def test_agent_ifi_keys() -> None:
    assert agent_ifi(ANA) == "mbox:mailto:ana@example.com"
    assert agent_ifi(BOB) == "account:http://example.com|bob"
    assert agent_ifi({"mbox_sha1sum": "ABCDEF" + "0" * 34}) == "mbox_sha1sum:abcdef" + "0" * 34
    assert agent_ifi({"openid": "http://o.example.com/1"}) == "openid:http://o.example.com/1"


def test_format_ids_reduces_objects() -> None:
    """Communication 2.1.3 format=ids: minimum information to identify each object."""
    out = format_statement(STMT, "ids", [])
    assert out["actor"] == {"objectType": "Agent", "mbox": "mailto:ana@Example.COM"}
    assert out["verb"] == {"id": "http://adlnet.gov/expapi/verbs/attended"}
    assert out["object"] == {"id": "http://example.com/a"}  # XAPI-00171: id only
    assert out["context"]["team"]["member"][1] == {"objectType": "Agent", **BOB}


def test_format_canonical_picks_language() -> None:
    """Communication 2.1.3 format=canonical: language maps reduced to the best match."""
    out = format_statement(STMT, "canonical", ["sr-Latn", "en"])
    assert out["verb"]["display"] == {"sr": "prisustvovao"}
    assert out["object"]["definition"]["name"] == {"en": "A"}
    assert format_statement(STMT, "exact", []) == STMT


def test_activity_ids_and_related() -> None:
    """activity= matches the object; related_activities adds context and SubStatement activities."""
    assert statement_activity_ids(STMT) == ["http://example.com/a"]
    assert statement_activity_ids(STMT, related=True) == [
        "http://example.com/a",
        "http://example.com/course",
    ]
    sub = {
        "actor": ANA,
        "verb": STMT["verb"],
        "object": {
            "objectType": "SubStatement",
            "actor": BOB,
            "verb": STMT["verb"],
            "object": {"id": "http://example.com/inner"},
        },
    }
    assert statement_activity_ids(sub) == []
    assert statement_activity_ids(sub, related=True) == ["http://example.com/inner"]


def test_agent_ifis_and_related() -> None:
    """agent= matches actor, object and Group members; related_agents adds context and authority."""
    ana, bob = agent_ifi(ANA), agent_ifi(BOB)
    assert statement_agent_ifis(STMT) == [ana]
    assert statement_agent_ifis(STMT, related=True) == [ana, bob]
    group_actor = dict(STMT, actor={"objectType": "Group", "member": [BOB]})
    assert statement_agent_ifis(group_actor) == [bob]
