"""The xAPI rules the server uses, taken from :mod:`mirco_lms.lrs.models`.

Validation lives in the models; this module adds the few helpers the server needs on top
of them (an IFI that is None for anonymous groups, the activities of a statement).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mirco_lms.errors import XapiValidationError
from mirco_lms.lrs.models import (
    SIGNATURE_USAGE,
    SUPPORTED,
    VOIDED,
    etag,
    etag_matches,
    format_statement,
    is_json_type,
    merge_json,
    negotiate_version,
    normalize_statement,
    parse_agent_param,
    parse_timestamp,
    same_statement,
    statement_activity_ids,
    statement_agent_ifis,
    validate_agent,
    validate_document_params,
    validate_iri,
    validate_statement,
    validate_statements_payload,
    validate_uuid,
    verify_signed_statement,
)
from mirco_lms.lrs.models import agent_ifi as _agent_ifi

SUPPORTED_VERSIONS = SUPPORTED
VOIDED_VERB = VOIDED

__all__ = [
    "SIGNATURE_USAGE",
    "SUPPORTED_VERSIONS",
    "VOIDED_VERB",
    "agent_ifi",
    "etag",
    "etag_matches",
    "format_statement",
    "is_json_type",
    "maybe_ifi",
    "merge_json",
    "negotiate_version",
    "normalize_statement",
    "parse_agent_param",
    "parse_timestamp",
    "same_statement",
    "statement_activities",
    "statement_activity_ids",
    "statement_agent_ifis",
    "validate_agent",
    "validate_document_params",
    "validate_iri",
    "validate_statement",
    "validate_statements_payload",
    "validate_uuid",
    "verify_signed_statement",
]


def agent_ifi(agent: dict[str, Any], path: str = "$") -> str:
    """The IFI key of an identified Agent or Group; a 400 naming ``path`` otherwise."""
    found = maybe_ifi(agent)
    if found is None:
        raise XapiValidationError(
            "the Agent has no identifier (mbox, mbox_sha1sum, openid, account)",
            path=path,
            rule="Data 2.4.2.3",
        )
    return found


def maybe_ifi(agent: Any) -> str | None:
    """The IFI key of an Agent or identified Group; None for an anonymous Group."""
    if not isinstance(agent, dict):
        return None
    try:
        return _agent_ifi(agent)
    except KeyError:
        return None


def statement_activities(stmt: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every Activity object of a statement (object, context activities, sub-statement)."""
    obj = stmt.get("object") or {}
    holders = [stmt, obj] if obj.get("objectType") == "SubStatement" else [stmt]
    for holder in holders:
        target = holder.get("object") or {}
        if target.get("objectType", "Activity") == "Activity" and "id" in target:
            yield target
        acts = (holder.get("context") or {}).get("contextActivities") or {}
        for value in acts.values():
            for act in value if isinstance(value, list) else [value]:
                if isinstance(act, dict) and "id" in act:
                    yield act
