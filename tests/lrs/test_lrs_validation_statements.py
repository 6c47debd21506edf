"""Statement validation: one table row per rule of the xAPI specification.

Each row mutates a valid base statement at one place and names the JSON path and a
fragment of the rule the error must report. Rule ids are the sections of xAPI 1.0.3
"Data" and the XAPI-000nn ids of ADL's LRS conformance requirements.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.validation.rules import validate_statement, validate_statements_payload

DELETE = object()
UUID = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
AGENT = {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.com"}


def base() -> dict[str, Any]:
    return {
        "id": UUID,
        "actor": dict(AGENT),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
        "object": {
            "objectType": "Activity",
            "id": "http://example.com/activities/migration-101",
            "definition": {
                "name": {"en-US": "Migration 101"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "result": {"score": {"scaled": 0.5, "raw": 5, "min": 0, "max": 10}, "success": True},
        "context": {
            "registration": UUID,
            "contextActivities": {"parent": [{"id": "http://example.com/activities/course"}]},
        },
        "timestamp": "2024-03-01T10:00:00.000Z",
    }


def substatement() -> dict[str, Any]:
    stmt = base()
    del stmt["id"]
    stmt["objectType"] = "SubStatement"
    outer = base()
    outer["object"] = stmt
    del outer["context"]
    return outer


def mutate(stmt: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set (or delete, with DELETE) the value at a dotted path like ``context.team.member.0``."""
    stmt = copy.deepcopy(stmt)
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    target = stmt
    for key in keys[:-1]:
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return stmt


GROUP = {"objectType": "Group", "member": [dict(AGENT)]}
ACCOUNT = {"homePage": "http://example.com", "name": "ana"}

INVALID: list[tuple[str, Any, str, str]] = [
    # (dotted mutation path, value, expected JSON path, rule fragment)
    # Data 2.2: required properties, unknown and mis-cased keys, null values, types
    ("actor", DELETE, "$.actor", "XAPI-00003"),
    ("verb", DELETE, "$.verb", "XAPI-00004"),
    ("object", DELETE, "$.object", "XAPI-00005"),
    ("Actor", dict(AGENT), "$.Actor", "XAPI-00008"),
    ("extra", 1, "$.extra", "XAPI-00008"),
    ("verb.Display", {"en-US": "x"}, "$.verb.Display", "XAPI-00008"),
    ("result.success", None, "$.result.success", "2.4.5"),
    ("result.success", "true", "$.result.success", "2.4.5"),
    ("result.score.raw", "5", "$.result.score.raw", "2.4.5.1"),
    ("result.score.raw", True, "$.result.score.raw", "2.4.5.1"),
    ("context.registration", None, "$.context.registration", "XAPI-00087"),
    # Data 2.4.1 / 4.4: ids are UUIDs
    ("id", "AA97B177-9383-4934-8543-0F91A7A028368", "$.id", "2.4.1"),
    ("id", "MA97B177-9383-4934-8543-0F91A7A02836", "$.id", "2.4.1"),
    ("id", 12345, "$.id", "2.4.1"),
    ("id", "", "$.id", "2.4.1"),
    # Data 2.4.2: actors
    ("actor.objectType", "agent", "$.actor.objectType", "XAPI-00031"),
    ("actor.objectType", 123, "$.actor.objectType", "XAPI-00031"),
    ("actor.name", 123, "$.actor.name", "XAPI-00033"),
    ("actor.mbox", DELETE, "$.actor", "XAPI-00034"),
    ("actor.openid", "http://openid.example.org/1", "$.actor.openid", "XAPI-00034"),
    ("actor.mbox", "mailto:should.fail.com", "$.actor.mbox", "2.4.2.3"),
    ("actor.mbox", "http://should.fail.com", "$.actor.mbox", "2.4.2.3"),
    ("actor", {"mbox_sha1sum": "xyz"}, "$.actor.mbox_sha1sum", "2.4.2.3"),
    ("actor", {"openid": "ab=c://should.fail.com"}, "$.actor.openid", "2.4.2.3"),
    (
        "actor",
        {"account": {"homePage": "ab=c://x", "name": "a"}},
        "$.actor.account.homePage",
        "XAPI-00042",
    ),
    ("actor", {"account": {"name": "a"}}, "$.actor.account.homePage", "XAPI-00042"),
    ("actor", {"account": {"homePage": "http://x.com"}}, "$.actor.account.name", "XAPI-00043"),
    (
        "actor",
        {"account": {"homePage": "http://x.com", "name": {}}},
        "$.actor.account.name",
        "2.4.2.4",
    ),
    ("actor", {"member": [dict(AGENT)]}, "$.actor.member", "XAPI-00008"),
    ("actor", {"objectType": "Group", "name": "g"}, "$.actor.member", "XAPI-00035"),
    ("actor", {"objectType": "Group", "member": dict(AGENT)}, "$.actor.member", "XAPI-00036"),
    (
        "actor",
        {"objectType": "Group", "member": [GROUP]},
        "$.actor.member[0].objectType",
        "XAPI-00036",
    ),
    (
        "actor",
        {"objectType": "Group", "member": [{"name": "x"}]},
        "$.actor.member[0]",
        "XAPI-00034",
    ),
    (
        "actor",
        {"objectType": "Group", "mbox": "mailto:g@x.com", "openid": "http://o.com/1"},
        "$.actor.openid",
        "XAPI-00034",
    ),
    # Data 2.4.3: verb
    ("verb.id", "ab=c://should.fail.com", "$.verb.id", "XAPI-00044"),
    ("verb.id", DELETE, "$.verb.id", "XAPI-00044"),
    ("verb.display", "a12345 attended", "$.verb.display", "XAPI-00045"),
    ("verb.display", {"a12345": "attended"}, "$.verb.display['a12345']", "RFC 5646"),
    ("verb.display", {"en-US": 12}, "$.verb.display['en-US']", "XAPI-00045"),
    # Data 2.4.4: objects
    ("object.objectType", "activity", "$.object.objectType", "XAPI-00009"),
    ("object.id", DELETE, "$.object.id", "XAPI-00047"),
    ("object.id", "not an iri", "$.object.id", "XAPI-00047"),
    ("object.definition", "x", "$.object.definition", "XAPI-00048"),
    ("object.definition.name", {"en-US": 1}, "$.object.definition.name['en-US']", "XAPI-00056"),
    ("object.definition.type", "course", "$.object.definition.type", "XAPI-00060"),
    ("object.definition.moreInfo", "x y", "$.object.definition.moreInfo", "XAPI-00061"),
    (
        "object.definition.extensions",
        {"should fail": True},
        "$.object.definition.extensions['should fail']",
        "XAPI-00118",
    ),
    (
        "object.definition.interactionType",
        "choiCe",
        "$.object.definition.interactionType",
        "XAPI-00049",
    ),
    ("object.definition.interactionType", 1, "$.object.definition.interactionType", "XAPI-00049"),
    (
        "object.definition.correctResponsesPattern",
        ["a"],
        "$.object.definition.interactionType",
        "2.4.4.1",
    ),
    (
        "object.definition",
        {"interactionType": "choice", "correctResponsesPattern": "a"},
        "$.object.definition.correctResponsesPattern",
        "XAPI-00050",
    ),
    (
        "object.definition",
        {"interactionType": "choice", "correctResponsesPattern": [1]},
        "$.object.definition.correctResponsesPattern[0]",
        "XAPI-00050",
    ),
    (
        "object.definition",
        {"interactionType": "true-false", "choices": [{"id": "a"}]},
        "$.object.definition.choices",
        "XAPI-00051",
    ),
    (
        "object.definition",
        {"interactionType": "likert", "choices": [{"id": "a"}]},
        "$.object.definition.choices",
        "XAPI-00051",
    ),
    (
        "object.definition",
        {"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]},
        "$.object.definition.choices[1].id",
        "XAPI-00053",
    ),
    (
        "object.definition",
        {"interactionType": "matching", "source": [{"description": {"en": "x"}}]},
        "$.object.definition.source[0].id",
        "XAPI-00052",
    ),
    (
        "object.definition",
        {"interactionType": "performance", "steps": [{"id": "a", "description": "x"}]},
        "$.object.definition.steps[0].description",
        "XAPI-00052",
    ),
    ("object", {"objectType": "Agent", "name": "x"}, "$.object", "XAPI-00034"),
    ("object", {"mbox": "mailto:a@b.com"}, "$.object.mbox", "XAPI-00008"),
    ("object", {"objectType": "StatementRef"}, "$.object.id", "XAPI-00062"),
    ("object", {"objectType": "StatementRef", "id": "x"}, "$.object.id", "XAPI-00062"),
    (
        "object",
        {"objectType": "StatementRef", "id": UUID, "definition": {}},
        "$.object.definition",
        "XAPI-00008",
    ),
    # Data 2.4.5: result and score
    ("result.score.scaled", 1.5, "$.result.score.scaled", "2.4.5.1"),
    ("result.score.scaled", -1.01, "$.result.score.scaled", "2.4.5.1"),
    ("result.score.raw", 11, "$.result.score.raw", "2.4.5.1"),
    ("result.score.raw", -1, "$.result.score.raw", "2.4.5.1"),
    ("result.score.min", 10, "$.result.score.max", "2.4.5.1"),
    ("result.score.extra", 1, "$.result.score.extra", "XAPI-00008"),
    ("result.completion", 1, "$.result.completion", "2.4.5"),
    ("result.response", 12345, "$.result.response", "2.4.5"),
    ("result.duration", "PA1H0M0S", "$.result.duration", "XAPI-00124"),
    ("result.duration", "P4W1D", "$.result.duration", "XAPI-00124"),
    ("result.duration", "PT", "$.result.duration", "XAPI-00124"),
    ("result.duration", "P0000-00-00T01:00:00", "$.result.duration", "XAPI-00124"),
    ("result.duration", 12345, "$.result.duration", "XAPI-00124"),
    ("result.extensions", {"ex": 1}, "$.result.extensions['ex']", "XAPI-00118"),
    ("result.extensions", [], "$.result.extensions", "4.1"),
    # Data 2.4.6: context
    ("context.registration", "x", "$.context.registration", "XAPI-00087"),
    ("context.instructor", {"name": "x"}, "$.context.instructor", "XAPI-00034"),
    ("context.team", dict(AGENT), "$.context.team", "XAPI-00088"),
    ("context.contextActivities", [], "$.context.contextActivities", "2.4.6.2"),
    ("context.contextActivities.parents", [], "$.context.contextActivities.parents", "XAPI-00008"),
    (
        "context.contextActivities.parent.0.id",
        "x",
        "$.context.contextActivities.parent[0].id",
        "XAPI-00047",
    ),
    (
        "context.contextActivities.parent",
        {"objectType": "Agent", "mbox": "mailto:a@b.c"},
        "$.context.contextActivities.parent.objectType",
        "XAPI-00094",
    ),
    ("context.revision", 1, "$.context.revision", "2.4.6"),
    ("context.platform", {}, "$.context.platform", "2.4.6"),
    ("context.language", "a12345", "$.context.language", "XAPI-00091"),
    ("context.language", "zh-z-aaa-z-bbb-c-ccc", "$.context.language", "XAPI-00091"),
    ("context.statement", {"id": UUID}, "$.context.statement.objectType", "XAPI-00062"),
    (
        "context.extensions",
        {"http://x.com/e": 1, "bad key": 2},
        "$.context.extensions['bad key']",
        "XAPI-00118",
    ),
    ("context.contextAgents", [], "$.context.contextAgents", "XAPI-00008"),
    # Data 2.4.7 / 2.4.8 / 4.5: timestamps
    ("timestamp", "should fail", "$.timestamp", "XAPI-00123"),
    ("timestamp", "01/011/2015", "$.timestamp", "XAPI-00123"),
    ("timestamp", "2008-09-15T15:53:00.601-00", "$.timestamp", "XAPI-00123"),
    ("timestamp", "2008-09-15T15:53:00.601-0000", "$.timestamp", "XAPI-00123"),
    ("timestamp", "2008-09-15T15:53:00.601-00:00", "$.timestamp", "XAPI-00123"),
    ("timestamp", "2008-13-15T15:53:00Z", "$.timestamp", "XAPI-00123"),
    ("timestamp", "2008-09-15", "$.timestamp", "XAPI-00123"),
    ("stored", "yesterday", "$.stored", "2.4.8"),
    # Data 2.4.9: authority
    ("authority", {"name": "x"}, "$.authority", "XAPI-00034"),
    (
        "authority",
        {"objectType": "Group", "member": [dict(AGENT)]},
        "$.authority.member",
        "XAPI-00098",
    ),
    (
        "authority",
        {"objectType": "Group", "member": [dict(AGENT)] * 3},
        "$.authority.member",
        "XAPI-00098",
    ),
    (
        "authority",
        {"objectType": "Group", "openid": "http://o.com/1", "member": [dict(AGENT)] * 2},
        "$.authority",
        "XAPI-00098",
    ),
    # Data 2.4.10: version
    ("version", "0.9.9", "$.version", "XAPI-00099"),
    ("version", "1.1.0", "$.version", "XAPI-00099"),
    ("version", "2.0.0", "$.version", "XAPI-00099"),
    ("version", 1.0, "$.version", "XAPI-00099"),
    # Data 2.4.11: attachments
    ("attachments", {}, "$.attachments", "XAPI-00025"),
    ("attachments", [12345], "$.attachments[0]", "2.4.11"),
    (
        "attachments",
        [
            {
                "usageType": "should fail",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].usageType",
        "XAPI-00107",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": {"en": "a"},
                "contentType": 12345,
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].contentType",
        "XAPI-00105",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": "1",
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].length",
        "XAPI-00102",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": 1,
                "sha2": 12345,
            }
        ],
        "$.attachments[0].sha2",
        "XAPI-00103",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": {"en": "a"},
                "contentType": "text/plain",
                "length": 1,
                "sha2": "a" * 64,
                "fileUrl": "should fail",
            }
        ],
        "$.attachments[0].fileUrl",
        "XAPI-00104",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": "a",
                "contentType": "text/plain",
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].display",
        "XAPI-00106",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://x.com/u",
                "display": {"en": "a"},
                "description": {"es-MX-": "x"},
                "contentType": "text/plain",
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].description['es-MX-']",
        "RFC 5646",
    ),
    (
        "attachments",
        [
            {
                "usageType": "http://adlnet.gov/expapi/attachments/signature",
                "display": {"en": "s"},
                "contentType": "text/plain; charset=ascii",
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
        "$.attachments[0].contentType",
        "XAPI-00115",
    ),
    # Data 2.3.2: voiding
    ("verb.id", "http://adlnet.gov/expapi/verbs/voided", "$.object.objectType", "XAPI-00019"),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "rule"), INVALID, ids=[f"{r[2]}:{r[3]}" for r in INVALID]
)
def test_invalid_statement_names_path_and_rule(
    where: str, value: Any, path: str, rule: str
) -> None:
    """Every rule violation is a 400 naming the JSON path and the rule (Data 2.2.s4)."""
    with pytest.raises(XapiValidationError) as info:
        validate_statement(mutate(base(), where, value))
    assert info.value.path == path
    assert rule in (info.value.rule or "")
    assert info.value.status == 400


SUB_INVALID: list[tuple[str, Any, str, str]] = [
    ("object.id", UUID, "$.object.id", "XAPI-00067"),
    ("object.stored", "2024-01-01T00:00:00Z", "$.object.stored", "XAPI-00067"),
    ("object.version", "1.0.3", "$.object.version", "XAPI-00067"),
    ("object.authority", dict(AGENT), "$.object.authority", "XAPI-00067"),
    (
        "object.object",
        {
            "objectType": "SubStatement",
            "actor": AGENT,
            "verb": {"id": "http://x.com/v"},
            "object": {"id": "http://x.com/a"},
        },
        "$.object.object.objectType",
        "XAPI-00068",
    ),
    ("object.actor.mbox", "x", "$.object.actor.mbox", "2.4.2.3"),
    ("object.result.duration", "P1X", "$.object.result.duration", "XAPI-00124"),
    (
        "object.context.contextActivities.parent.0",
        {},
        "$.object.context.contextActivities.parent[0].id",
        "XAPI-00047",
    ),
    ("object.timestamp", "2008-09-15T15:53:00.601-00:00", "$.object.timestamp", "XAPI-00123"),
    ("object.verb", DELETE, "$.object.verb", "XAPI-00066"),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "rule"), SUB_INVALID, ids=[r[2] for r in SUB_INVALID]
)
def test_invalid_substatement(where: str, value: Any, path: str, rule: str) -> None:
    """A SubStatement is validated as a Statement without id/stored/version/authority."""
    with pytest.raises(XapiValidationError) as info:
        validate_statement(mutate(substatement(), where, value))
    assert (info.value.path, rule in (info.value.rule or "")) == (path, True)


VALID: list[tuple[str, Any]] = [
    (
        "object.definition",
        {
            "interactionType": "choice",
            "choices": [{"id": "a", "description": {"en": "A"}}],
            "correctResponsesPattern": ["a"],
        },
    ),
    (
        "object.definition",
        {"interactionType": "matching", "source": [{"id": "s"}], "target": [{"id": "t"}]},
    ),
    ("object.definition", {"interactionType": "other"}),
    ("object.definition.extensions", {"http://example.com/null": None, "http://example.com/e": {}}),
    ("object", {"objectType": "Agent", "mbox": "mailto:b@example.com"}),
    ("object", {"objectType": "Group", "account": ACCOUNT, "member": []}),
    ("object", {"objectType": "StatementRef", "id": UUID.upper()}),
    ("actor", {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}),
    ("actor", {"objectType": "Group", "openid": "http://openid.example.org/12345"}),
    ("result.duration", "P3Y1M29DT4H35M59.14S"),
    ("result.duration", "P4W"),
    ("result.duration", "P1DT12H36M0.12567S"),
    ("result.score", {"raw": 100.6767676}),
    ("timestamp", "2008-09-15T15:53:00.601+00:00"),
    ("timestamp", "2008-09-15T15:53:00.601234567-05:00"),
    ("timestamp", "20080915T155300Z"),
    ("timestamp", "2008-09-15T15:53:00"),
    ("version", "1.0"),
    ("version", "1.0.9"),
    ("context.contextActivities.parent", {"id": "http://example.com/a"}),
    ("context.language", "sr-Latn-RS"),
    ("context.language", "i-klingon"),
    ("authority", {"objectType": "Group", "member": [dict(AGENT), {"account": ACCOUNT}]}),
    ("verb.display", {}),
    ("id", UUID.upper()),
]


@pytest.mark.parametrize(("where", "value"), VALID, ids=[f"{r[0]}={r[1]!r}"[:60] for r in VALID])
def test_valid_variants_pass(where: str, value: Any) -> None:
    """Values the specification (and the conformance suite) accept are not rejected."""
    validate_statement(mutate(base(), where, value))


def test_substatement_base_is_valid() -> None:
    validate_statement(substatement())


def test_context_revision_requires_activity_object() -> None:
    """Data 2.4.6.s4.b1/b2 (XAPI-00084/85): revision and platform only with an Activity object."""
    stmt = mutate(base(), "object", {"objectType": "StatementRef", "id": UUID})
    for key in ("revision", "platform"):
        with pytest.raises(XapiValidationError) as info:
            validate_statement(mutate(stmt, f"context.{key}", "x"))
        assert info.value.path == f"$.context.{key}"


@pytest.mark.parametrize(
    ("items", "path"),
    [
        ([{"objectType": "Should fail", "agent": AGENT}], "$.context.contextAgents[0].objectType"),
        (
            [{"objectType": "contextAgent", "agent": {"key": "x"}}],
            "$.context.contextAgents[0].agent.key",
        ),
        (
            [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": []}],
            "$.context.contextAgents[0].relevantTypes",
        ),
        (
            [{"objectType": "contextAgent", "agent": AGENT, "relevantTypes": ["abc"]}],
            "$.context.contextAgents[0].relevantTypes[0]",
        ),
        ({"objectType": "contextAgent", "agent": AGENT}, "$.context.contextAgents"),
    ],
)
def test_context_agents_v2(items: Any, path: str) -> None:
    """xAPI 2.0 contextAgents: objectType contextAgent, an agent, non-empty IRI relevantTypes."""
    with pytest.raises(XapiValidationError) as info:
        validate_statement(mutate(base(), "context.contextAgents", items), version="2.0.0")
    assert info.value.path == path


def test_context_groups_v2() -> None:
    """xAPI 2.0 contextGroups hold Groups, not Agents."""
    good = [{"objectType": "contextGroup", "group": GROUP, "relevantTypes": ["http://x.com/t"]}]
    validate_statement(mutate(base(), "context.contextGroups", good), version="2.0.0")
    bad = [{"objectType": "contextGroup", "group": AGENT}]
    with pytest.raises(XapiValidationError) as info:
        validate_statement(mutate(base(), "context.contextGroups", bad), version="2.0.0")
    assert info.value.path == "$.context.contextGroups[0].group.objectType"


def test_version_2_accepted_only_on_v2() -> None:
    """Data 2.4.10: an xAPI 2.0 LRS accepts version 2.0.x; a 1.0.3 LRS does not."""
    validate_statement(mutate(base(), "version", "2.0.0"), version="2.0.0")
    validate_statement(mutate(base(), "version", "1.0.3"), version="2.0.0")


def test_payload_single_list_and_paths() -> None:
    """POST /statements takes one statement or an array; errors name the array index."""
    assert len(validate_statements_payload(base())) == 1
    assert len(validate_statements_payload([base(), base()])) == 2
    with pytest.raises(XapiValidationError) as info:
        validate_statements_payload(
            [base(), mutate(base(), "context.contextActivities.parent.0.id", "x")]
        )
    assert info.value.path == "$[1].context.contextActivities.parent[0].id"
    for body in ([], "statement", 3, None):
        with pytest.raises(XapiValidationError):
            validate_statements_payload(body)


@pytest.mark.parametrize("value", ["statement", 12, None, [1]])
def test_non_object_statement(value: Any) -> None:
    with pytest.raises(XapiValidationError):
        validate_statement(value)
