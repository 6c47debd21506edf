"""The xAPI resources: one handler per resource, each a plain function of an
:class:`~mirco_lms.lrs.http.request.XapiCall` that returns a response (run in a worker thread).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from mirco_lms.errors import BadRequest, NotFound, XapiValidationError
from mirco_lms.lrs import auth
from mirco_lms.lrs.auth import Authenticator, Principal
from mirco_lms.lrs.http import multipart
from mirco_lms.lrs.http.request import XapiCall, languages
from mirco_lms.lrs.resources import documents, statement_reads, statement_writes
from mirco_lms.lrs.settings import LrsSettings
from mirco_lms.lrs.store import Document, StatementStore, StoredStatement
from mirco_lms.lrs.validation import rules


@dataclass
class Lrs:
    """What every handler needs: the store, the settings and the authenticator."""

    store: StatementStore
    settings: LrsSettings
    authenticator: Authenticator


# --- statements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A write handed to the store: ``response`` is the answer once ``stored`` is done
    (an error in ``stored``, such as a 409, is the answer instead)."""

    stored: Future[None]
    response: Response


def statements(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    if call.method in ("GET", "HEAD"):
        return _get_statements(lrs, call, principal)
    pending = submit_statements(lrs, call, principal, version)
    pending.stored.result()
    return pending.response


def submit_statements(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Pending:
    """PUT or POST statements up to the hand-off to the store: every check is done and
    the write is queued; nothing waits for the commit (the event loop can await it)."""
    if call.method not in ("PUT", "POST"):
        raise BadRequest(
            f"statements cannot be changed with {call.method}",
            hint="void a statement with a voiding statement instead",
        )
    submitter = statement_writes.Submitter(
        authority=auth.authority(principal, lrs.settings.base_url or lrs.settings.bind_url),
        credential_key=principal.key,
        can_define=principal.can_define,
    )
    if call.method == "PUT":
        return _put_statement(lrs, call, submitter, version)
    if call.params:
        raise BadRequest(f"unknown parameter {sorted(call.params)[0]!r} for POST statements")
    batch = _read_batch(call, version, single=False)
    ids, stored = statement_writes.submit_statements(lrs.store, batch, submitter, version)
    return Pending(stored, JSONResponse(ids))


def _put_statement(
    lrs: Lrs, call: XapiCall, submitter: statement_writes.Submitter, version: str
) -> Pending:
    if set(call.params) != {"statementId"}:
        missing = "statementId" not in call.params
        raise BadRequest(
            "missing parameter 'statementId'"
            if missing
            else f"unknown parameter {sorted(set(call.params) - {'statementId'})[0]!r}"
        )
    statement_id = rules.validate_uuid(call.params["statementId"], "?statementId").lower()
    batch = _read_batch(call, version, single=True)
    stmt = batch.statements[0]
    if "id" in stmt and str(stmt["id"]).lower() != statement_id:
        raise XapiValidationError(
            f"the statement id {stmt['id']!r} differs from statementId {statement_id!r}",
            path="$.id",
        )
    batch.statements[0] = {**stmt, "id": statement_id}
    _ids, stored = statement_writes.submit_statements(lrs.store, batch, submitter, version)
    return Pending(stored, Response(status_code=204))


def _read_batch(call: XapiCall, version: str, *, single: bool) -> statement_writes.Batch:
    parts: list[multipart.Part] = []
    if call.media_type == "multipart/mixed":
        parts = multipart.parse(call.body, call.content_type)
        if not parts or parts[0].content_type.split(";")[0].strip() != "application/json":
            raise BadRequest("the first multipart part must be the application/json statements")
        text, parts = parts[0].content, parts[1:]
    elif call.media_type == "application/json":
        text = call.body
    else:
        raise BadRequest(
            f"unsupported Content-Type {call.content_type!r} for statements",
            hint="send application/json, or multipart/mixed with attachments",
        )
    data = _parse_json(text)
    if single:
        if isinstance(data, list):
            raise XapiValidationError("PUT takes one statement, not a list", path="$")
        rules.validate_statement(data, version=version)
        found = [data]
    else:
        found = rules.validate_statements_payload(data, version)
    return statement_writes.Batch(found, _attachments(found, parts, version))


def _parse_json(raw: bytes) -> Any:
    try:
        return rules.loads_json(raw)
    except rules.JsonRefused as exc:  # too deep, too large a number, a NUL
        raise XapiValidationError(
            f"the body is not accepted: {exc}", path=exc.path, rule="JSON limits"
        ) from exc
    except ValueError as exc:  # not JSON, or not in a Unicode encoding
        raise XapiValidationError(f"the body is not valid JSON: {exc}", path="$") from exc


def _attachments(
    found: list[dict[str, Any]], parts: list[multipart.Part], version: str
) -> dict[str, tuple[str, bytes]]:
    """Match multipart parts to the statements' attachments by sha2 (xAPI 1.0.3 §2.4.11)."""
    declared: dict[str, dict[str, Any]] = {}
    for stmt in found:
        for att in _statement_attachments(stmt):
            declared.setdefault(str(att.get("sha2")), att)
    received: dict[str, multipart.Part] = {}
    for index, part in enumerate(parts, start=2):
        sha2 = part.headers.get("x-experience-api-hash")
        if not sha2:
            raise BadRequest(f"multipart part {index} has no X-Experience-API-Hash header")
        encoding = part.headers.get("content-transfer-encoding")
        # 1.0.3 requires the header; 2.0 lets it be left out, but never anything else
        # than binary (XAPI-00135)
        if (encoding is None and version.startswith("1.")) or (
            encoding is not None and encoding.strip().lower() != "binary"
        ):
            raise BadRequest(f"multipart part {index} needs Content-Transfer-Encoding: binary")
        if sha2 not in declared:
            raise BadRequest(f"multipart part {index} (sha2 {sha2}) matches no attachment")
        if not multipart.sha2_matches(sha2, part.content):
            raise BadRequest(f"multipart part {index}: the content does not have sha2 {sha2}")
        received[sha2] = part
    for stmt_index, stmt in enumerate(found):
        for att_index, att in enumerate(_statement_attachments(stmt)):
            where = f"$[{stmt_index}].attachments[{att_index}]"
            payload = received.get(str(att.get("sha2")))
            if payload is None and "fileUrl" not in att:
                raise XapiValidationError(
                    f"attachment {att.get('sha2')!r} has no fileUrl and no multipart part",
                    path=where,
                    rule="attachment-data",
                )
            if att.get("usageType") == rules.SIGNATURE_USAGE and payload is not None:
                rules.verify_signed_statement(stmt, payload.content)
    return {
        sha2: (str(declared[sha2].get("contentType") or part.content_type), part.content)
        for sha2, part in received.items()
    }


def _statement_attachments(stmt: dict[str, Any]) -> list[dict[str, Any]]:
    found = [a for a in stmt.get("attachments") or [] if isinstance(a, dict)]
    obj = stmt.get("object") or {}
    if obj.get("objectType") == "SubStatement":
        found += [a for a in obj.get("attachments") or [] if isinstance(a, dict)]
    return found


def _get_statements(lrs: Lrs, call: XapiCall, principal: Principal) -> Response:
    langs = languages(call.headers.get("accept-language"))
    own = principal.key if principal.reads_only_own else None
    if "statementId" in call.params or "voidedStatementId" in call.params:
        return _get_single(lrs, call, own, langs)
    if "more" in call.params:
        if len(call.params) > 1:
            raise BadRequest("more cannot be combined with other parameters")
        query = statement_reads.decode_more(
            call.params["more"],
            key=lrs.settings.secret_key,
            max_limit=lrs.settings.max_limit,
            authority_key=own,
        )
    else:
        asked = statement_reads.parse_query(call.params, max_limit=lrs.settings.max_limit)
        query = replace(asked, authority_key=own)
    page = lrs.store.query(query)
    more = ""
    if page.more:
        token = statement_reads.encode_more(page.more, lrs.settings.secret_key)
        more = f"{call.prefix}/statements?more={token}"
    body = statement_reads.result_json(
        statement_reads.render_statements(page.statements, query.format, langs), more
    )
    headers = {"X-Experience-API-Consistent-Through": page.consistent_through or _now()}
    return _statement_response(lrs, body, page.statements, query.attachments, headers)


def _get_single(lrs: Lrs, call: XapiCall, own: str | None, langs: list[str]) -> Response:
    statement_id, voided, fmt, with_attachments = statement_reads.parse_single(call.params)
    found = lrs.store.get(statement_id, voided=voided)
    if found is None or (own is not None and found.credential_key != own):
        kind = "voided statement" if voided else "statement"
        raise NotFound(
            f"no {kind} with id {statement_id!r}",
            hint="a voided statement is found with voidedStatementId" if not voided else None,
        )
    body = statement_reads.render_statements([found], fmt, langs)[0]
    headers = {
        "X-Experience-API-Consistent-Through": lrs.store.consistent_through() or _now(),
        "Last-Modified": _http_date(found.stored),
    }
    return _statement_response(lrs, body, [found], with_attachments, headers)


def _statement_response(
    lrs: Lrs,
    body: str,
    found: list[StoredStatement],
    with_attachments: bool,
    headers: dict[str, str],
) -> Response:
    if not with_attachments:
        return Response(body, media_type="application/json", headers=headers)
    payloads = lrs.store.attachments(statement_reads.attachment_hashes(found))
    parts = [multipart.Part({"Content-Type": "application/json"}, body.encode())]
    for sha2, (content_type, content) in payloads.items():
        parts.append(
            multipart.Part(
                {
                    "Content-Type": content_type,
                    "Content-Transfer-Encoding": "binary",
                    "X-Experience-API-Hash": sha2,
                    "Content-Length": str(len(content)),
                },
                content,
            )
        )
    data, content_type = multipart.build(parts)
    return Response(data, headers={**headers, "Content-Type": content_type})


# --- documents ---------------------------------------------------------------------------


def state(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    return _document(lrs, call, "state", version)


def activity_profile(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    return _document(lrs, call, "activity_profile", version)


def agent_profile(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    return _document(lrs, call, "agent_profile", version)


def _document(lrs: Lrs, call: XapiCall, kind: str, version: str) -> Response:
    request = documents.parse(kind, call.params, call.method)
    conditions = documents.Preconditions(
        call.headers.get("if-match"), call.headers.get("if-none-match")
    )
    if call.method in ("GET", "HEAD"):
        found = documents.read(lrs.store, request)
        if isinstance(found, list):
            return JSONResponse(found)
        headers = {**_doc_headers(found), **served_document_headers(found.content_type)}
        return Response(found.content, media_type=found.content_type, headers=headers)
    if call.method == "DELETE":
        documents.remove(lrs.store, request, conditions)
        return Response(status_code=204)
    doc = documents.write(
        lrs.store,
        request,
        call.body,
        call.content_type,
        conditions,
        merge=call.method == "POST",
        api_version=version,
    )
    return Response(status_code=204, headers=_doc_headers(doc))


INERT_TYPES = frozenset({"application/json", "text/plain"})
"""Document types a browser never runs as a page."""


def served_document_headers(content_type: str | None) -> dict[str, str]:
    """Headers that keep a stored document from running as a page on the LRS's origin:
    never sniffed, and unless JSON or plain text, sandboxed (no script, no same-origin
    access) and offered as a download rather than rendered."""
    headers = {"X-Content-Type-Options": "nosniff"}
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in INERT_TYPES:
        headers["Content-Security-Policy"] = "sandbox"
        headers["Content-Disposition"] = "attachment"
    return headers


def _doc_headers(doc: Document) -> dict[str, str]:
    return {"ETag": doc.etag, "Last-Modified": _http_date(doc.updated)}


# --- activities, agents, about -----------------------------------------------------------


def activities(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    _only(call, {"activityId"}, required="activityId")
    activity_id = rules.validate_iri(call.params["activityId"], "?activityId")
    # an Activity object even without a canonical definition (Communication 2.5, xAPI
    # 2.0 §4.1.6.4): the id is all the LRS knows
    definition = lrs.store.activity(activity_id)
    body: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        body["definition"] = definition
    return JSONResponse(body)


def agents(lrs: Lrs, call: XapiCall, principal: Principal, version: str) -> Response:
    _only(call, {"agent"}, required="agent")
    agent = rules.parse_agent_param(call.params["agent"])
    person: dict[str, Any] = {"objectType": "Person"}
    for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return JSONResponse(person)


def about(lrs: Lrs, call: XapiCall) -> Response:
    if call.method not in ("GET", "HEAD"):
        raise BadRequest(f"about does not take {call.method}")
    versions = list(rules.SUPPORTED)
    if call.headers.get("x-experience-api-version", "").startswith("1."):
        # 1.0 clients (TinCanJS, TinCanPython) reject an about listing versions they don't know
        versions = [v for v in versions if v.startswith("1.")]
    return JSONResponse(
        {
            "version": versions,
            "extensions": {"https://mirco.example/lrs/product": {"name": "mirco"}},
        }
    )


def _only(call: XapiCall, known: set[str], *, required: str) -> None:
    if call.method not in ("GET", "HEAD"):
        raise BadRequest(f"this resource does not take {call.method}")
    unknown = sorted(set(call.params) - known)
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0]!r}")
    if required not in call.params:
        raise BadRequest(f"missing parameter {required!r}")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _http_date(iso_time: str) -> str:
    moment = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    return format_datetime(moment.astimezone(UTC), usegmt=True)
