"""The read side of ``/statements``: query parameters, ``more`` continuation tokens and
the statements' answers (sans-I/O, like :mod:`.service`, its write side)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime

from mirco_lms.errors import BadRequest
from mirco_lms.lrs import models
from mirco_lms.lrs.store import StatementQuery, StoredStatement

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
        agent = models.required_ifi(models.parse_agent_param(params["agent"]), "?agent")
    limit = _int_param(params, "limit", 0)
    return StatementQuery(
        agent=agent,
        verb=models.validate_iri(params["verb"], "?verb") if "verb" in params else None,
        activity=models.validate_iri(params["activity"], "?activity")
        if "activity" in params
        else None,
        registration=(
            models.validate_uuid(params["registration"], "?registration").lower()
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
    statement_id = models.validate_uuid(params[name], f"?{name}").lower()
    return (
        statement_id,
        name == "voidedStatementId",
        format_param(params),
        bool_param(params, "attachments"),
    )


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    raw = params[name]
    if not raw.isdigit():
        raise BadRequest(f"{name} must be a whole number of 0 or more, got {raw!r}")
    return int(raw)


def bool_param(params: Mapping[str, str], name: str) -> bool:
    raw = params.get(name, "false")
    if raw not in ("true", "false"):
        raise BadRequest(f"{name} must be true or false, got {raw!r}")
    return raw == "true"


def format_param(params: Mapping[str, str]) -> str:
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def time_param(params: Mapping[str, str], name: str) -> datetime | None:
    if name not in params:
        return None
    return models.parse_timestamp(params[name], f"?{name}")


# --- continuation tokens -----------------------------------------------------------------


def encode_more(query: StatementQuery) -> str:
    """An opaque token for the next page (the query and where the previous page ended)."""
    fields = {k: v for k, v in asdict(query).items() if v not in (None, False)}
    for key in ("since", "until"):
        if key in fields:
            fields[key] = fields[key].isoformat()
    raw = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_more(token: str, *, authority_key: str | None) -> StatementQuery:
    """The query of a ``more`` token; the caller's own read restriction always applies."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        fields = json.loads(raw)
        for key in ("since", "until"):
            if key in fields:
                fields[key] = datetime.fromisoformat(fields[key])
        query = StatementQuery(**fields)
        if query.after_seq is None or query.bound_seq is None:
            raise ValueError("no position")
    except (ValueError, TypeError) as exc:
        raise BadRequest(
            "invalid more token", hint="use the more URL of the previous page as is"
        ) from exc
    return replace(query, authority_key=authority_key)


# --- responses ---------------------------------------------------------------------------


def render_statements(
    statements: Sequence[StoredStatement], fmt: str, languages: list[str]
) -> list[str]:
    """Statement JSON texts in the requested format (``exact`` is the stored text as is)."""
    if fmt == "exact":
        return [s.raw for s in statements]
    return [
        json.dumps(
            models.format_statement(s.data, fmt, languages),
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for s in statements
    ]


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
