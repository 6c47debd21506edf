"""Statements, SubStatements and their parts (Data 2.2 to 2.4.11).

:func:`validate_statement` checks one statement and raises
:class:`~mirco_lms.errors.XapiValidationError` at the first broken rule, naming its JSON
path (``$.context.contextActivities.parent[0].id``) and the rule.
"""

from __future__ import annotations

from typing import Any

from .activities import validate_activity
from .agents import validate_actor, validate_agent, validate_authority, validate_group
from .common import (
    check_boolean,
    check_list,
    check_number,
    check_object,
    check_string,
    fail,
    parse_timestamp,
    received,
    validate_duration,
    validate_extensions,
    validate_iri,
    validate_irl,
    validate_media_type,
    validate_sha2,
    validate_uuid,
    validate_version_string,
)
from .languages import validate_language_map, validate_language_tag

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
STATEMENT_KEYS = (
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
)
SUBSTATEMENT_KEYS = (
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
)
CONTEXT_KEYS = (
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
)
CONTEXT_KEYS_2 = (*CONTEXT_KEYS, "contextAgents", "contextGroups")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")


def is_v2(version: str) -> bool:
    """True for an xAPI 2.0.x request."""
    return version.startswith("2")


def validate_statement(
    data: Any, *, version: str = "1.0.3", path: str = "$", substatement: bool = False
) -> None:
    """Check one Statement (or SubStatement when ``substatement``) against xAPI ``version``."""
    if substatement:
        _check_substatement_keys(data, path)
    else:
        check_object(
            data,
            path,
            allowed=STATEMENT_KEYS,
            required=("actor", "verb", "object"),
            rule="Data 2.2.s2.b3 (XAPI-00003, XAPI-00004, XAPI-00005)",
            what="Statement",
        )
    if "id" in data:
        validate_uuid(data["id"], f"{path}.id", "Data 2.4.1 (XAPI-00007)")
    validate_actor(data["actor"], f"{path}.actor")
    validate_verb(data["verb"], f"{path}.verb")
    object_type = validate_object(
        data["object"], f"{path}.object", version=version, in_substatement=substatement
    )
    if data["verb"]["id"] == VOIDED and object_type != "StatementRef":
        raise fail(
            "a voiding statement (verb 'voided') must have a StatementRef object",
            f"{path}.object.objectType",
            "Data 2.3.2 (XAPI-00019)",
        )
    if "result" in data:
        validate_result(data["result"], f"{path}.result")
    if "context" in data:
        validate_context(
            data["context"],
            f"{path}.context",
            version=version,
            object_is_activity=object_type == "Activity",
        )
    if "timestamp" in data:
        parse_timestamp(data["timestamp"], f"{path}.timestamp", "Data 2.4.7 (XAPI-00123)")
    if "stored" in data:
        parse_timestamp(data["stored"], f"{path}.stored", "Data 2.4.8")
    if "authority" in data:
        validate_authority(data["authority"], f"{path}.authority")
    if "version" in data:
        validate_version_string(data["version"], f"{path}.version", version)
    if "attachments" in data:
        validate_attachments(data["attachments"], f"{path}.attachments")


def _check_substatement_keys(data: Any, path: str) -> None:
    """Data 2.4.4.3: no id, stored, version or authority in a SubStatement (XAPI-00067)."""
    if isinstance(data, dict):
        for key in ("id", "stored", "version", "authority"):
            if key in data:
                raise fail(
                    f"a SubStatement must not have {key!r}",
                    f"{path}.{key}",
                    "Data 2.4.4.3.s2.b3 (XAPI-00067)",
                )
    check_object(
        data,
        path,
        allowed=SUBSTATEMENT_KEYS,
        required=("objectType", "actor", "verb", "object"),
        rule="Data 2.4.4.3 (XAPI-00066)",
        what="SubStatement",
    )
    if data["objectType"] != "SubStatement":
        raise fail(
            f"objectType must be 'SubStatement', got {received(data['objectType'])}",
            f"{path}.objectType",
            "Data 2.4.4.3 (XAPI-00066)",
        )


def validate_verb(data: Any, path: str = "$.verb") -> None:
    """A Verb: ``id`` IRI (required) and ``display`` language map (Data 2.4.3)."""
    check_object(
        data,
        path,
        allowed=("id", "display"),
        required=("id",),
        rule="Data 2.4.3 (XAPI-00044)",
        what="Verb",
    )
    validate_iri(data["id"], f"{path}.id", "Data 2.4.3 (XAPI-00044)")
    if "display" in data:
        validate_language_map(data["display"], f"{path}.display", "Data 2.4.3 (XAPI-00045)")


def validate_object(data: Any, path: str, *, version: str, in_substatement: bool) -> str:
    """The statement's ``object``; returns its objectType (default "Activity"), Data 2.4.4."""
    if not isinstance(data, dict):
        raise fail(f"object must be a JSON object, got {received(data)}", path, "Data 2.4.4")
    object_type = data.get("objectType", "Activity")
    if object_type not in OBJECT_TYPES:
        raise fail(
            f"objectType must be one of {', '.join(OBJECT_TYPES)}, got {received(object_type)}",
            f"{path}.objectType",
            "Data 2.4.4 (XAPI-00009)",
        )
    if object_type == "Activity":
        validate_activity(data, path)
    elif object_type == "Agent":
        validate_agent(data, path, require_object_type=True)
    elif object_type == "Group":
        validate_group(data, path)
    elif object_type == "StatementRef":
        validate_statement_ref(data, path)
    else:
        if in_substatement:
            raise fail(
                "a SubStatement must not contain a SubStatement",
                f"{path}.objectType",
                "Data 2.4.4.3.s2.b2 (XAPI-00068)",
            )
        validate_statement(data, version=version, path=path, substatement=True)
    return str(object_type)


def validate_statement_ref(data: Any, path: str) -> None:
    """A StatementRef: ``objectType`` "StatementRef" and a UUID ``id`` (Data 2.4.4.3)."""
    rule = "Data 2.4.4.3 (XAPI-00062, XAPI-00063)"
    check_object(
        data,
        path,
        allowed=("objectType", "id"),
        required=("objectType", "id"),
        rule=rule,
        what="StatementRef",
    )
    if data["objectType"] != "StatementRef":
        raise fail(
            f"objectType must be 'StatementRef', got {received(data['objectType'])}",
            f"{path}.objectType",
            rule,
        )
    validate_uuid(data["id"], f"{path}.id", rule)


def validate_result(data: Any, path: str = "$.result") -> None:
    """A Result (Data 2.4.5): score, success, completion, response, duration, extensions."""
    rule = "Data 2.4.5 (XAPI-00069)"
    check_object(
        data,
        path,
        allowed=("score", "success", "completion", "response", "duration", "extensions"),
        rule=rule,
        what="Result",
    )
    if "score" in data:
        validate_score(data["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in data:
            check_boolean(data[key], f"{path}.{key}", rule, what=key)
    if "response" in data:
        check_string(data["response"], f"{path}.response", rule, what="response")
    if "duration" in data:
        validate_duration(data["duration"], f"{path}.duration")
    if "extensions" in data:
        validate_extensions(data["extensions"], f"{path}.extensions")


def validate_score(data: Any, path: str) -> None:
    """A Score (Data 2.4.5.1): scaled in [-1, 1]; min <= raw <= max; min < max."""
    rule = "Data 2.4.5.1 (XAPI-00070..00076)"
    check_object(data, path, allowed=("scaled", "raw", "min", "max"), rule=rule, what="Score")
    values = {
        key: check_number(data[key], f"{path}.{key}", rule, what=key)
        for key in ("scaled", "raw", "min", "max")
        if key in data
    }
    if "scaled" in values and not -1 <= values["scaled"] <= 1:
        raise fail(
            f"scaled must be between -1 and 1, got {data['scaled']!r}", f"{path}.scaled", rule
        )
    if "min" in values and "max" in values and not values["min"] < values["max"]:
        raise fail(
            f"min ({data['min']!r}) must be less than max ({data['max']!r})", f"{path}.max", rule
        )
    if "raw" in values:
        if "min" in values and values["raw"] < values["min"]:
            raise fail(
                f"raw ({data['raw']!r}) must not be below min ({data['min']!r})",
                f"{path}.raw",
                rule,
            )
        if "max" in values and values["raw"] > values["max"]:
            raise fail(
                f"raw ({data['raw']!r}) must not be above max ({data['max']!r})",
                f"{path}.raw",
                rule,
            )


def validate_context(
    data: Any, path: str = "$.context", *, version: str = "1.0.3", object_is_activity: bool = True
) -> None:
    """A Context (Data 2.4.6, plus contextAgents and contextGroups in xAPI 2.0)."""
    rule = "Data 2.4.6 (XAPI-00086..00092)"
    check_object(
        data,
        path,
        allowed=CONTEXT_KEYS_2 if is_v2(version) else CONTEXT_KEYS,
        rule=rule,
        what="Context",
    )
    if "registration" in data:
        validate_uuid(data["registration"], f"{path}.registration", "Data 2.4.6 (XAPI-00087)")
    if "instructor" in data:
        validate_actor(data["instructor"], f"{path}.instructor")
    if "team" in data:
        team = data["team"]
        if not isinstance(team, dict) or team.get("objectType") != "Group":
            raise fail(
                "team must be a Group (with objectType 'Group')",
                f"{path}.team",
                "Data 2.4.6 (XAPI-00088)",
            )
        validate_group(team, f"{path}.team")
    if "contextActivities" in data:
        validate_context_activities(data["contextActivities"], f"{path}.contextActivities")
    for key, code in (("revision", "XAPI-00084"), ("platform", "XAPI-00085")):
        if key in data:
            check_string(data[key], f"{path}.{key}", rule, what=key)
            if not object_is_activity:
                raise fail(
                    f"context.{key} is only allowed when the object is an Activity",
                    f"{path}.{key}",
                    f"Data 2.4.6.s4 ({code})",
                )
    if "language" in data:
        validate_language_tag(data["language"], f"{path}.language", "Data 2.4.6 (XAPI-00091)")
    if "statement" in data:
        validate_statement_ref(data["statement"], f"{path}.statement")
    if "extensions" in data:
        validate_extensions(data["extensions"], f"{path}.extensions")
    if "contextAgents" in data:
        _validate_context_members(data["contextAgents"], f"{path}.contextAgents", "agent")
    if "contextGroups" in data:
        _validate_context_members(data["contextGroups"], f"{path}.contextGroups", "group")


def validate_context_activities(data: Any, path: str) -> None:
    """contextActivities: keys parent/grouping/category/other; an Activity or a list of them."""
    check_object(
        data,
        path,
        allowed=CONTEXT_ACTIVITY_KEYS,
        rule="Data 2.4.6.2 (XAPI-00093)",
        what="contextActivities",
    )
    for key, value in data.items():
        if isinstance(value, list):
            for index, activity in enumerate(value):
                _context_activity(activity, f"{path}.{key}[{index}]")
        else:
            _context_activity(value, f"{path}.{key}")


def _context_activity(data: Any, path: str) -> None:
    if isinstance(data, dict) and data.get("objectType", "Activity") != "Activity":
        raise fail(
            f"contextActivities hold Activities only, got objectType {data['objectType']!r}",
            f"{path}.objectType",
            "Data 2.4.6.2 (XAPI-00094)",
        )
    validate_activity(data, path)


def _validate_context_members(value: Any, path: str, member: str) -> None:
    """xAPI 2.0 contextAgents / contextGroups: ``{objectType, agent|group, relevantTypes}``."""
    object_type = "contextAgent" if member == "agent" else "contextGroup"
    rule = f"Data 2.4.6 ({'contextAgents' if member == 'agent' else 'contextGroups'}, xAPI 2.0)"
    items = check_list(value, path, rule, what=f"{object_type} list")
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        check_object(
            item,
            item_path,
            allowed=("objectType", member, "relevantTypes"),
            required=("objectType", member),
            rule=rule,
            what=object_type,
        )
        if item["objectType"] != object_type:
            raise fail(
                f"objectType must be {object_type!r}, got {received(item['objectType'])}",
                f"{item_path}.objectType",
                rule,
            )
        if member == "agent":
            validate_agent(item["agent"], f"{item_path}.agent")
        else:
            validate_group(item["group"], f"{item_path}.group")
        if "relevantTypes" in item:
            types = check_list(
                item["relevantTypes"], f"{item_path}.relevantTypes", rule, what="relevantTypes"
            )
            if not types:
                raise fail(
                    "relevantTypes must not be empty when present",
                    f"{item_path}.relevantTypes",
                    rule,
                )
            for position, iri in enumerate(types):
                validate_iri(iri, f"{item_path}.relevantTypes[{position}]", rule)


def validate_attachments(value: Any, path: str = "$.attachments") -> None:
    """Attachment metadata (Data 2.4.11, XAPI-00025, XAPI-00102..00107)."""
    items = check_list(value, path, "Data 2.4 (XAPI-00025)", what="attachments")
    for index, item in enumerate(items):
        validate_attachment(item, f"{path}[{index}]")


def validate_attachment(data: Any, path: str) -> None:
    """One attachment's metadata; a signature must be ``application/octet-stream``."""
    rule = "Data 2.4.11"
    check_object(
        data,
        path,
        allowed=("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"),
        required=("usageType", "display", "contentType", "length", "sha2"),
        rule=rule,
        what="Attachment",
    )
    validate_iri(data["usageType"], f"{path}.usageType", "Data 2.4.11 (XAPI-00107)")
    validate_language_map(data["display"], f"{path}.display", "Data 2.4.11 (XAPI-00106)")
    if "description" in data:
        validate_language_map(data["description"], f"{path}.description", rule)
    validate_media_type(data["contentType"], f"{path}.contentType", "Data 2.4.11 (XAPI-00105)")
    length = data["length"]
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise fail(
            f"length must be a non-negative integer, got {received(length)}",
            f"{path}.length",
            "Data 2.4.11 (XAPI-00102)",
        )
    validate_sha2(data["sha2"], f"{path}.sha2", "Data 2.4.11 (XAPI-00103)")
    if "fileUrl" in data:
        validate_irl(data["fileUrl"], f"{path}.fileUrl", "Data 2.4.11 (XAPI-00104)")
    if data["usageType"] == SIGNATURE_USAGE:
        media = data["contentType"].split(";")[0].strip().lower()
        if media != "application/octet-stream":
            raise fail(
                "a signature attachment must have contentType 'application/octet-stream', "
                f"got {data['contentType']!r}",
                f"{path}.contentType",
                "Data 2.6.s4.b1 (XAPI-00115)",
            )


def validate_statements_payload(data: Any, version: str = "1.0.3") -> list[dict[str, Any]]:
    """The body of ``POST /statements``: one Statement or a non-empty array of them.

    Returns the statements as a list; paths in errors are ``$[i]...`` for arrays.
    """
    if isinstance(data, dict):
        validate_statement(data, version=version)
        return [data]
    statements = check_list(data, "$", "Communication 2.1.2", what="the request body")
    if not statements:
        raise fail("the request body must hold at least one statement", "$", "Communication 2.1.2")
    for index, statement in enumerate(statements):
        validate_statement(statement, version=version, path=f"$[{index}]")
    return statements
