"""xAPI objects checked at the edge: the public API of the LRS's sans-I/O rules.

The server calls these functions; they do no I/O and import no web framework. Every
rule failure is an :class:`~mirco_lms.errors.XapiValidationError` (400) naming the JSON
path and the rule of the specification.
"""

from __future__ import annotations

from .activities import INTERACTION_TYPES, validate_activity, validate_definition
from .agents import (
    agent_ifi,
    maybe_ifi,
    required_ifi,
    validate_account,
    validate_actor,
    validate_agent,
    validate_authority,
    validate_group,
)
from .common import (
    format_timestamp,
    is_iri,
    is_uuid,
    parse_timestamp,
    truncate_duration,
    validate_duration,
    validate_extensions,
    validate_iri,
    validate_irl,
    validate_uuid,
)
from .documents import (
    etag,
    etag_matches,
    is_json_type,
    merge_json,
    parse_agent_param,
    validate_document_params,
)
from .jsontext import JsonRefused, loads_json
from .languages import is_language_tag, validate_language_map, validate_language_tag
from .signatures import decode_jws, verify_signed_statement
from .statements import (
    SIGNATURE_USAGE,
    VOIDED,
    validate_attachment,
    validate_context,
    validate_result,
    validate_statement,
    validate_statements_payload,
    validate_verb,
)
from .transform import (
    best_language,
    format_statement,
    normalize_statement,
    same_statement,
    statement_activities,
    statement_activity_ids,
    statement_agent_ifis,
    statement_index,
)
from .version import SUPPORTED, negotiate_version

__all__ = [
    "INTERACTION_TYPES",
    "SIGNATURE_USAGE",
    "SUPPORTED",
    "VOIDED",
    "agent_ifi",
    "best_language",
    "decode_jws",
    "etag",
    "etag_matches",
    "format_statement",
    "format_timestamp",
    "is_iri",
    "is_json_type",
    "is_language_tag",
    "is_uuid",
    "JsonRefused",
    "loads_json",
    "maybe_ifi",
    "merge_json",
    "negotiate_version",
    "normalize_statement",
    "parse_agent_param",
    "parse_timestamp",
    "required_ifi",
    "same_statement",
    "statement_activities",
    "statement_activity_ids",
    "statement_agent_ifis",
    "statement_index",
    "truncate_duration",
    "validate_account",
    "validate_activity",
    "validate_actor",
    "validate_agent",
    "validate_attachment",
    "validate_authority",
    "validate_context",
    "validate_definition",
    "validate_document_params",
    "validate_duration",
    "validate_extensions",
    "validate_group",
    "validate_iri",
    "validate_irl",
    "validate_language_map",
    "validate_language_tag",
    "validate_result",
    "validate_statement",
    "validate_statements_payload",
    "validate_uuid",
    "validate_verb",
    "verify_signed_statement",
]
