"""Sans-I/O rules of the document resources: State, Activity Profile, Agent Profile.

Parameter checks (Communication 2.3, 2.6, 2.7), JSON merging for POST (Communication
2.2.s7: both documents must be JSON objects; top-level keys of the new one win), and ETags
(Communication 3.1: the quoted SHA-1 of the content).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from mirco_lms.errors import BadRequest, XapiValidationError

from .agents import validate_agent
from .common import is_iri, is_uuid, parse_timestamp
from .jsontext import loads_json

KINDS = ("state", "activity_profile", "agent_profile")
_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required parameters, optional parameters)
    "state": (("activityId", "agent"), ("registration", "stateId", "since")),
    "activity_profile": (("activityId",), ("profileId", "since")),
    "agent_profile": (("agent",), ("profileId", "since")),
}


def validate_document_params(
    kind: str, params: Mapping[str, str], *, method: str = "GET"
) -> dict[str, Any]:
    """Check the query parameters of a document request and return them parsed.

    ``kind`` is ``state``, ``activity_profile`` or ``agent_profile``; ``params`` the raw
    query (strings). ``agent`` comes back as a dict, ``since`` as a UTC datetime. Unknown
    parameters are rejected (Communication 3.2). For PUT, POST and DELETE of a single
    profile the ``profileId`` is required; ``stateId`` is required for PUT and POST.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}")
    required, optional = _PARAMS[kind]
    for key in params:
        if key not in required and key not in optional:
            raise _param_error(
                f"unknown parameter {key!r}; allowed: {', '.join(required + optional)}", key
            )
    needed = list(required)
    method = method.upper()
    if kind == "state" and method in ("PUT", "POST"):
        needed.append("stateId")
    if kind != "state" and method in ("PUT", "POST", "DELETE"):
        needed.append("profileId")
    for key in needed:
        if key not in params:
            raise _param_error(f"the {key!r} parameter is required", key)
    return {key: _parse_param(key, value) for key, value in params.items()}


def _param_error(message: str, key: str, rule: str = "Communication 2.3") -> XapiValidationError:
    return XapiValidationError(message, path=f"?{key}", rule=rule)


def _parse_param(key: str, value: str) -> Any:
    if not isinstance(value, str):
        raise _param_error(f"{key} must be a string", key)
    if key == "activityId":
        if not is_iri(value):
            raise _param_error(f"activityId must be an IRI, got {value!r}", key)
        return value
    if key == "agent":
        return parse_agent_param(value)
    if key == "registration":
        if not is_uuid(value):
            raise _param_error(f"registration must be a UUID, got {value!r}", key)
        return value
    if key == "since":
        try:
            return parse_timestamp(value, "?since")
        except XapiValidationError as exc:
            raise _param_error(exc.message, key) from exc
    if not value:
        raise _param_error(f"{key} must not be empty", key)
    return value


def parse_agent_param(value: str, key: str = "agent") -> dict[str, Any]:
    """Parse the ``agent`` query parameter: a JSON Agent object (an identified Agent)."""
    try:
        agent: dict[str, Any] = loads_json(value)
    except ValueError as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise _param_error(f"{key} must be a JSON Agent object: {message}", key) from exc
    validate_agent(agent, f"?{key}")
    return agent


def is_json_type(content_type: str | None) -> bool:
    """True for ``application/json`` (with or without parameters)."""
    if not content_type:
        return False
    return content_type.split(";")[0].strip().lower() == "application/json"


def merge_json(old: bytes, old_type: str | None, new: bytes, new_type: str | None) -> bytes:
    """Merge a POSTed JSON document into the stored one (Communication 2.2.s7).

    Both must be JSON objects with an ``application/json`` content type, else
    :class:`~mirco_lms.errors.BadRequest`. Top-level properties of ``new`` replace those
    of ``old``; the result is UTF-8 JSON.
    """
    old_doc = _json_object(old, old_type, "the stored document")
    new_doc = _json_object(new, new_type, "the posted document")
    merged = {**old_doc, **new_doc}
    return json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_object(content: bytes, content_type: str | None, what: str) -> dict[str, Any]:
    hint = "POST merges JSON objects only; use PUT to replace a non-JSON document"
    if not is_json_type(content_type):
        raise BadRequest(f"{what} is not application/json (got {content_type!r})", hint=hint)
    try:
        value = loads_json(content.decode("utf-8"))
    except ValueError as exc:  # not UTF-8, or not JSON
        raise BadRequest(f"{what} is not valid JSON: {exc}", hint=hint) from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{what} must be a JSON object, got {type(value).__name__}", hint=hint)
    return value


def etag(content: bytes) -> str:
    """The ETag of a document: its SHA-1 in hex, quoted (Communication 3.1)."""
    return f'"{hashlib.sha1(content).hexdigest()}"'


def etag_matches(header: str | None, current: str | None) -> bool:
    """Does an ``If-Match`` / ``If-None-Match`` header list ``current`` (or ``*``)?

    ``current`` is None when no document exists (then only a list without ``*`` fails).
    """
    if header is None:
        return False
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags:
        return current is not None
    if current is None:
        return False
    bare = current.strip('"')
    return any(tag.removeprefix("W/").strip('"') == bare for tag in tags)
