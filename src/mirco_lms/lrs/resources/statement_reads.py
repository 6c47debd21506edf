"""The read side of ``/statements``: query parameters, ``more`` continuation tokens and
the statements' answers (sans-I/O, like :mod:`.service`, its write side)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime

from mirco_lms import params as params_
from mirco_lms.errors import BadRequest
from mirco_lms.lrs.store import StatementQuery, StoredStatement
from mirco_lms.lrs.validation import rules

QUERY_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId", "attachments", "format"})
FORMATS = ("exact", "ids", "canonical")



# --- queries -----------------------------------------------------------------------------


def parse_query(params: Mapping[str, str], *, max_limit: int) -> StatementQuery:
    """``GET /statements`` parameters → a :class:`StatementQuery` (400 naming the bad one)."""
    unknown = sorted(set(params) - QUERY_PARAMS)
    if unknown:
        raise BadRequest(
            f"unknown parameter {unknown[0]!r} for GET statements",
            hint=f"known parameters: {', '.join(sorted(QUERY_PARAMS | SINGLE_PARAMS))}",
        )
    agent = None
    if "agent" in params:
        agent = rules.required_ifi(rules.parse_agent_param(params["agent"]), "?agent")
    limit = params_.count(params, "limit", 0)
    return StatementQuery(
        agent=agent,
        verb=rules.validate_iri(params["verb"], "?verb") if "verb" in params else None,
        activity=rules.validate_iri(params["activity"], "?activity")
        if "activity" in params
        else None,
        registration=(
            rules.validate_uuid(params["registration"], "?registration").lower()
            if "registration" in params
            else None
        ),
        related_activities=bool_param(params, "related_activities"),
        related_agents=bool_param(params, "related_agents"),
        since=time_param(params, "since"),
        until=time_param(params, "until"),
        limit=max_limit if limit == 0 else min(limit, max_limit),
        ascending=bool_param(params, "ascending"),
        format=format_param(params),
        attachments=bool_param(params, "attachments"),
    )


def parse_single(params: Mapping[str, str]) -> tuple[str, bool, str, bool]:
    """``statementId`` / ``voidedStatementId`` → (id, voided, format, attachments)."""
    extra = sorted(set(params) - SINGLE_PARAMS)
    if extra:
        raise BadRequest(
            f"parameter {extra[0]!r} cannot be used with statementId or voidedStatementId"
        )
    if "statementId" in params and "voidedStatementId" in params:
        raise BadRequest("use statementId or voidedStatementId, not both")
    name = "statementId" if "statementId" in params else "voidedStatementId"
    statement_id = rules.validate_uuid(params[name], f"?{name}").lower()
    return (
        statement_id,
        name == "voidedStatementId",
        format_param(params),
        bool_param(params, "attachments"),
    )


def bool_param(params: Mapping[str, str], name: str) -> bool:
    return params_.boolean(params, name)


def format_param(params: Mapping[str, str]) -> str:
    return params_.choice(params, "format", FORMATS, "exact")


def time_param(params: Mapping[str, str], name: str) -> datetime | None:
    return params_.instant(params, name)


# --- continuation tokens -----------------------------------------------------------------


def encode_more(query: StatementQuery, key: bytes) -> str:
    """An opaque token for the next page: the query and where the previous page ended,
    signed with HMAC-SHA256 under ``key`` so a client can neither forge nor alter it."""
    fields = {k: v for k, v in asdict(query).items() if v not in (None, False)}
    fields.pop("authority_key", None)  # always the caller's own, never the token's
    for name in ("since", "until"):
        if name in fields:
            fields[name] = fields[name].isoformat()
    raw = json.dumps(fields, separators=(",", ":"), sort_keys=True).encode()
    signature = hmac.new(key, raw, hashlib.sha256).digest()
    return f"{_b64(raw)}.{_b64(signature)}"


def decode_more(
    token: str, *, key: bytes, max_limit: int, authority_key: str | None
) -> StatementQuery:
    """The query of a ``more`` token made by :func:`encode_more` with ``key`` (400 for
    anything else); its limit is capped at ``max_limit`` and the caller's own read
    restriction always applies."""
    try:
        body, _, signature = token.partition(".")
        raw = _unb64(body)
        expected = hmac.new(key, raw, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise ValueError("bad signature")
        fields = rules.loads_json(raw)
        query = _token_query(fields, max_limit)
    except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
        raise BadRequest(
            "invalid more token",
            hint="use the more URL of the previous page as is (tokens end with a restart "
            "unless MIRCO_SECRET_KEY is set)",
        ) from exc
    return replace(query, authority_key=authority_key)


_TOKEN_TYPES: dict[str, type] = {
    "agent": str,
    "verb": str,
    "activity": str,
    "registration": str,
    "related_activities": bool,
    "related_agents": bool,
    "since": str,
    "until": str,
    "limit": int,
    "ascending": bool,
    "format": str,
    "attachments": bool,
    "after_seq": int,
    "bound_seq": int,
}
_MAX_SEQ = 2**63 - 1


def _token_query(fields: object, max_limit: int) -> StatementQuery:
    """A token's fields checked as strictly as the parameters they came from (the
    signature already vouches for them; this keeps a leaked key from becoming a 500)."""
    if not isinstance(fields, dict) or set(fields) - set(_TOKEN_TYPES):
        raise ValueError("unknown fields")
    for name, value in fields.items():
        kind = _TOKEN_TYPES[name]
        if type(value) is not kind:  # bool is not an int here, nor an int a bool
            raise ValueError(f"{name} has the wrong type")
    for name in ("limit", "after_seq", "bound_seq"):
        if not 0 <= fields.get(name, 0) <= _MAX_SEQ:
            raise ValueError(f"{name} out of range")
    if "after_seq" not in fields or "bound_seq" not in fields:
        raise ValueError("no position")
    values = dict(fields)
    for name in ("since", "until"):
        if name in values:
            values[name] = datetime.fromisoformat(values[name])
            if values[name].tzinfo is None:
                raise ValueError(f"{name} has no offset")
    values["format"] = values.get("format", "exact")
    if values["format"] not in FORMATS:
        raise ValueError("unknown format")
    values["limit"] = min(max(int(values.get("limit", max_limit)), 1), max_limit)
    return StatementQuery(**values)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- responses ---------------------------------------------------------------------------


def render_statements(
    statements: Sequence[StoredStatement], fmt: str, languages: list[str]
) -> list[str]:
    """Statement JSON texts in the requested format (``exact`` is the stored text as is).

    A statement stored before the JSON reader had its depth limit can be nested too deep
    to reformat; it is then answered as stored rather than failing the whole page."""
    if fmt == "exact":
        return [s.raw for s in statements]
    return [_formatted(s, fmt, languages) for s in statements]


def _formatted(stmt: StoredStatement, fmt: str, languages: list[str]) -> str:
    try:
        return json.dumps(
            rules.format_statement(stmt.data, fmt, languages),
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except RecursionError:
        return stmt.raw


def result_json(rendered: Sequence[str], more_url: str) -> str:
    """A StatementResult ``{"statements": [...], "more": "..."}`` built from JSON texts."""
    return '{"statements":[' + ",".join(rendered) + '],"more":' + json.dumps(more_url) + "}"


def attachment_hashes(statements: Sequence[StoredStatement]) -> list[str]:
    """sha2 of every attachment of the statements (for multipart answers)."""
    found: dict[str, None] = {}
    for stmt in statements:
        data = stmt.data
        for holder in (data, data.get("object") or {}):
            for att in holder.get("attachments") or []:
                if isinstance(att, dict) and att.get("sha2"):
                    found[att["sha2"]] = None
    return list(found)
