"""The document resources: state, activity profile and agent profile (sans-I/O).

Each request is parsed into a :class:`DocumentKey`; reads and writes go through the store,
writes inside one transaction so that the precondition check and the change are atomic.
Concurrency follows xAPI 1.0.3 §6.3 and 2.0 §4.1.4: ``If-Match`` / ``If-None-Match``
failures are 412; a profile PUT without either header is 409 over an existing document
and 400 otherwise (XAPI-00273); a State PUT without either is 409 over an existing
document in xAPI 2.0 only. A POST with ``Content-Type: application/json`` must be a JSON
object (XAPI-00314).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from mirco_lms.errors import BadRequest, Conflict, NotFound, PreconditionFailed
from mirco_lms.lrs.store import Document, DocumentKey, StatementStore
from mirco_lms.lrs.validation import rules

ID_PARAM = {"state": "stateId", "activity_profile": "profileId", "agent_profile": "profileId"}
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
    parsed = rules.validate_document_params(kind, params, method=method)
    agent = parsed.get("agent")
    return DocumentRequest(
        key=DocumentKey(
            kind=kind,
            doc_id=parsed.get(ID_PARAM[kind], ""),
            activity_id=parsed.get("activityId", ""),
            agent_ifi=rules.required_ifi(agent, "?agent") if agent is not None else "",
            registration=str(parsed.get("registration", "")).lower(),
        ),
        since=parsed.get("since"),
    )


def read(store: StatementStore, request: DocumentRequest) -> Document | list[str]:
    """One document, or the ids of the matching documents when no id was given."""
    if not request.key.doc_id:
        return store.document_ids(request.key, request.since)
    doc = store.get_document(request.key)
    if doc is None:
        raise NotFound(f"no {request.key.kind.replace('_', ' ')} document {request.key.doc_id!r}")
    return doc


def write(
    store: StatementStore,
    request: DocumentRequest,
    content: bytes,
    content_type: str,
    conditions: Preconditions,
    *,
    merge: bool,
    api_version: str = "1.0.3",
) -> Document:
    """PUT (replace) or POST (merge JSON objects) a document.

    A PUT over an existing document must carry If-Match or If-None-Match: always for the
    profile resources, and for the State resource from xAPI 2.0 on (1.0.3 §6.3 let State
    PUTs go without, "since state conflicts are unlikely"; 2.0 §4.1.4 does not)."""
    if merge and rules.is_json_type(content_type):
        rules.merge_json(b"{}", JSON_TYPE, content, content_type)  # 400 unless a JSON object
    with store.documents() as tx:
        current = tx.get(request.key)
        profile = request.key.kind != "state"
        if not merge:
            _check(
                current,
                conditions,
                require=profile,
                conflict=profile or api_version.startswith("2."),
            )
        else:
            _check(current, conditions, require=False)
        if merge and current is not None:
            content, content_type = _merged(current, content, content_type)
        doc = Document(
            content=content,
            content_type=content_type or "application/octet-stream",
            etag=rules.etag(content),
            updated=_now(),
        )
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


def _check(
    current: Document | None,
    conditions: Preconditions,
    *,
    require: bool,
    conflict: bool = False,
) -> None:
    """412 on a failed precondition. Without either header: 400 when ``require``d and
    nothing exists yet, 409 when ``require``d or ``conflict`` and the document exists."""
    etag = current.etag if current is not None else None
    if conditions.if_match is not None:
        if not rules.etag_matches(conditions.if_match, etag):
            raise PreconditionFailed(
                "If-Match does not match the current document",
                hint="read the document again and retry with its ETag",
            )
    if conditions.if_none_match is not None:
        if rules.etag_matches(conditions.if_none_match, etag):
            raise PreconditionFailed("If-None-Match: the document already exists")
    if conditions.if_match is not None or conditions.if_none_match is not None:
        return
    if current is None and require:
        # XAPI-00273: a profile PUT must say whether it creates or replaces
        raise BadRequest(
            "a profile document PUT needs an If-Match or If-None-Match header",
            hint="send If-None-Match: * to create it, or If-Match with the ETag to replace it",
        )
    if current is not None and (require or conflict):
        raise Conflict(
            "the document exists: send If-Match with its ETag to replace it",
            hint="or If-None-Match: * to create it only when absent",
        )


def _merged(current: Document, content: bytes, content_type: str) -> tuple[bytes, str]:
    merged = rules.merge_json(current.content, current.content_type, content, content_type)
    return merged, JSON_TYPE


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
