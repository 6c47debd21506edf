"""The document resources: state, activity profile and agent profile (sans-I/O).

Each request is parsed into a :class:`DocumentKey`; reads and writes go through the store,
writes inside one transaction so that the precondition check and the change are atomic.
Concurrency follows xAPI 1.0.3 §6.3: ``If-Match`` / ``If-None-Match`` failures are 412;
a PUT over an existing profile document without either header is 409.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mirco_lms.errors import BadRequest, Conflict, NotFound, PreconditionFailed
from mirco_lms.lrs import xapi
from mirco_lms.lrs.service import time_param
from mirco_lms.lrs.store import Document, DocumentKey, StatementStore

KINDS = {
    # kind: (id parameter, needs activityId, needs agent, allows registration)
    "state": ("stateId", True, True, True),
    "activity_profile": ("profileId", True, False, False),
    "agent_profile": ("profileId", False, True, False),
}
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class DocumentRequest:
    """A parsed document request."""

    key: DocumentKey
    """With ``doc_id`` empty when the request names no single document."""
    since: datetime | None = None


@dataclass(frozen=True)
class Preconditions:
    """The concurrency headers of a write."""

    if_match: str | None = None
    if_none_match: str | None = None


def parse(kind: str, params: Mapping[str, str], method: str) -> DocumentRequest:
    """Query parameters of a document resource → the document's key (400 naming the bad one)."""
    id_param, needs_activity, needs_agent, allows_registration = KINDS[kind]
    known = {id_param, "since"}
    known |= {"activityId"} if needs_activity else set()
    known |= {"agent"} if needs_agent else set()
    known |= {"registration"} if allows_registration else set()
    unknown = sorted(set(params) - known)
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}",
                         hint=f"known parameters: {', '.join(sorted(known))}")
    activity = _required(params, "activityId") if needs_activity else ""
    if activity:
        xapi.check_iri(activity, "activityId")
    agent_ifi = _agent(params) if needs_agent else ""
    registration = ""
    if params.get("registration"):
        registration = xapi.check_uuid(params["registration"], "registration").lower()
    doc_id = params.get(id_param, "")
    single_required = method in ("PUT", "POST") or (method == "DELETE" and kind != "state")
    if single_required and not doc_id:
        raise BadRequest(f"missing parameter {id_param!r}", hint=f"{method} needs a {id_param}")
    if doc_id and "since" in params:
        raise BadRequest(f"since cannot be used with {id_param}")
    return DocumentRequest(
        key=DocumentKey(kind=kind, doc_id=doc_id, activity_id=activity, agent_ifi=agent_ifi,
                        registration=registration),
        since=time_param(params, "since"),
    )


def _required(params: Mapping[str, str], name: str) -> str:
    if not params.get(name):
        raise BadRequest(f"missing parameter {name!r}")
    return params[name]


def _agent(params: Mapping[str, str]) -> str:
    raw = _required(params, "agent")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"agent must be JSON, got {raw!r}") from exc
    return xapi.agent_ifi(xapi.validate_agent(data, path="agent"), "agent")


def read(store: StatementStore, request: DocumentRequest) -> Document | list[str]:
    """One document, or the ids of the matching documents when no id was given."""
    if not request.key.doc_id:
        return store.document_ids(request.key, request.since)
    doc = store.get_document(request.key)
    if doc is None:
        raise NotFound(f"no {request.key.kind.replace('_', ' ')} document {request.key.doc_id!r}")
    return doc


def write(store: StatementStore, request: DocumentRequest, content: bytes, content_type: str,
          conditions: Preconditions, *, merge: bool) -> Document:
    """PUT (replace) or POST (merge JSON objects) a document."""
    with store.documents() as tx:
        current = tx.get(request.key)
        _check(current, conditions, require=not merge and request.key.kind != "state")
        if merge and current is not None:
            content, content_type = _merged(current, content, content_type)
        elif merge:
            _check_json_object(content, content_type, required=False)
        doc = Document(content=content, content_type=content_type or "application/octet-stream",
                       etag=xapi.etag(content), updated=_now())
        tx.put(request.key, doc)
    return doc


def remove(store: StatementStore, request: DocumentRequest, conditions: Preconditions) -> None:
    """DELETE one document, or (state only) every state of the activity, agent, registration."""
    with store.documents() as tx:
        if not request.key.doc_id:
            tx.delete_all(request.key)
            return
        current = tx.get(request.key)
        _check(current, conditions, require=False)
        tx.delete(request.key)


def _check(current: Document | None, conditions: Preconditions, *, require: bool) -> None:
    if conditions.if_match is not None:
        if current is None or not _matches(conditions.if_match, current.etag):
            raise PreconditionFailed("If-Match does not match the current document",
                                     hint="read the document again and retry with its ETag")
    if conditions.if_none_match is not None and current is not None:
        if _matches(conditions.if_none_match, current.etag):
            raise PreconditionFailed("If-None-Match: the document already exists")
    if require and current is not None and conditions.if_match is None and conditions.if_none_match is None:
        raise Conflict("the document exists: send If-Match with its ETag to replace it",
                       hint="or If-None-Match: * to create it only when absent")


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip() for t in header.split(",")]
    bare = etag.strip('"')
    return "*" in tags or any(t.removeprefix("W/").strip('"') == bare for t in tags)


def _merged(current: Document, content: bytes, content_type: str) -> tuple[bytes, str]:
    _check_json_object(current.content, current.content_type, required=True, what="stored document")
    _check_json_object(content, content_type, required=True)
    return xapi.merge_json(current.content, content), JSON_TYPE


def _check_json_object(content: bytes, content_type: str, *, required: bool,
                       what: str = "posted document") -> None:
    is_json = content_type.split(";")[0].strip().lower() == JSON_TYPE
    if not is_json:
        if required:
            raise BadRequest(f"the {what} is not application/json, so it cannot be merged",
                             hint="use PUT to replace a non-JSON document")
        return
    try:
        value: Any = json.loads(content)
    except ValueError as exc:
        raise BadRequest(f"the {what} is not valid JSON") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"the {what} must be a JSON object to be merged")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
