"""The xAPI rules the collector uses, in one place.

Validation and the xAPI object model live in :mod:`mirco_lms.lrs.models`; this module
re-exports what the server needs from it. Until that module provides a name, a small
stand-in below keeps the server working (structural checks only, no full validation).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from mirco_lms.errors import BadRequest, XapiValidationError

try:  # the validation package, written beside the server
    from mirco_lms.lrs import models as _models
except ImportError:  # pragma: no cover - only while the models are not merged yet
    _models = None  # type: ignore[assignment]

SUPPORTED_VERSIONS = ("1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0")
VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


def _has(name: str) -> bool:
    return _models is not None and hasattr(_models, name)


# --- versions ----------------------------------------------------------------------------


def negotiate_version(header: str | None) -> str:
    """The version the LRS answers with for a request's ``X-Experience-API-Version``."""
    if _has("negotiate_version"):
        return str(_models.negotiate_version(header))
    if not header:
        raise BadRequest(
            "missing X-Experience-API-Version header",
            hint="send X-Experience-API-Version: 1.0.3 (or 2.0.0)",
        )
    value = header.strip()
    if re.fullmatch(r"1\.0(\.[0-9]+)?", value):
        return "1.0.3"
    if re.fullmatch(r"2\.0(\.0)?", value):
        return "2.0.0"
    raise BadRequest(
        f"unsupported X-Experience-API-Version {value!r}",
        hint=f"supported: {', '.join(SUPPORTED_VERSIONS)}",
    )


# --- statements --------------------------------------------------------------------------


def validate_statements_payload(data: Any, version: str) -> list[dict[str, Any]]:
    """A POST body (one statement or a list) → the list of validated statements."""
    if _has("validate_statements_payload"):
        _models.validate_statements_payload(data, version)
        return list(data) if isinstance(data, list) else [data]
    if isinstance(data, list):
        if not data:
            raise XapiValidationError("an empty list of statements", path="$")
        return [validate_statement(item, version=version, path=f"$[{i}]") for i, item in enumerate(data)]
    return [validate_statement(data, version=version)]


def validate_statement(data: Any, *, version: str, path: str = "$") -> dict[str, Any]:
    """One statement, validated; returns the statement as a plain JSON dict."""
    if _has("validate_statement"):
        _models.validate_statement(data, version=version, path=path)
        return data  # stored as sent: the model only checks it
    return _fallback_statement(data, path)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    for attr in ("to_json", "as_json", "to_dict"):
        if hasattr(value, attr):
            return dict(getattr(value, attr)())
    raise TypeError(f"cannot turn {type(value).__name__} into a statement dict")


def _fallback_statement(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise XapiValidationError(f"a statement must be a JSON object, got {data!r:.60}", path=path)
    for key in ("actor", "verb", "object"):
        if not isinstance(data.get(key), dict):
            raise XapiValidationError(f"missing or invalid {key!r}", path=f"{path}.{key}")
    if "id" in data:
        check_uuid(data["id"], f"{path}.id")
    if not isinstance(data["verb"].get("id"), str):
        raise XapiValidationError("verb.id must be an IRI", path=f"{path}.verb.id")
    return data


def check_uuid(value: Any, path: str) -> str:
    """A UUID string, or a 400 naming ``path``."""
    try:
        if not isinstance(value, str):
            raise ValueError
        uuid.UUID(value)
    except ValueError as exc:
        raise XapiValidationError(f"expected a UUID, got {value!r}", path=path) from exc
    return value


def validate_agent(data: Any, path: str = "$") -> dict[str, Any]:
    if _has("validate_agent"):
        _models.validate_agent(data, path=path)
        return data
    if not isinstance(data, dict):
        raise XapiValidationError(f"an Agent must be a JSON object, got {data!r:.60}", path=path)
    agent_ifi(data, path)
    return data


def check_iri(value: Any, path: str) -> str:
    """An absolute IRI (``scheme:rest``), or a 400 naming ``path``."""
    if not isinstance(value, str) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S", value):
        raise XapiValidationError(f"expected an absolute IRI, got {value!r}", path=path)
    return value


def same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two statements say the same thing (ignoring properties the LRS sets)."""
    if _has("same_statement"):
        return bool(_models.same_statement(a, b))
    ignore = {"stored", "authority", "version", "timestamp", "id"}
    strip = lambda s: {k: v for k, v in s.items() if k not in ignore}  # noqa: E731
    return strip(a) == strip(b)


def agent_ifi(agent: dict[str, Any], path: str = "$") -> str:
    """The inverse functional identifier of an Agent or identified Group, as one string."""
    if _has("agent_ifi"):
        return str(_models.agent_ifi(agent))
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent.get(key), str):
            return f"{key}:{agent[key]}"
    account = agent.get("account")
    if isinstance(account, dict) and isinstance(account.get("homePage"), str):
        return f"account:{account['homePage']}|{account.get('name')}"
    raise XapiValidationError("an Agent needs exactly one identifier", path=path)


def statement_agent_ifis(stmt: dict[str, Any], related: bool) -> set[str]:
    if _has("statement_agent_ifis"):
        return set(_models.statement_agent_ifis(stmt, related))
    found: set[str] = set()
    candidates = [stmt.get("actor"), stmt.get("object")]
    if related:
        ctx = stmt.get("context") or {}
        candidates += [stmt.get("authority"), ctx.get("instructor"), ctx.get("team")]
        obj = stmt.get("object") or {}
        if obj.get("objectType") == "SubStatement":
            candidates += [obj.get("actor"), obj.get("object")]
    for agent in candidates:
        if isinstance(agent, dict) and agent.get("objectType", "Agent") in ("Agent", "Group"):
            try:
                found.add(agent_ifi(agent))
            except XapiValidationError:
                pass  # an anonymous group has no identifier of its own
            if related:
                for member in agent.get("member") or []:
                    if isinstance(member, dict):
                        found.add(agent_ifi(member))
    return found


def statement_activity_ids(stmt: dict[str, Any], related: bool) -> set[str]:
    if _has("statement_activity_ids"):
        return set(_models.statement_activity_ids(stmt, related))
    found: set[str] = set()
    obj = stmt.get("object") or {}
    if obj.get("objectType", "Activity") == "Activity" and "id" in obj:
        found.add(obj["id"])
    if related:
        for holder in (stmt, obj if obj.get("objectType") == "SubStatement" else {}):
            acts = ((holder.get("context") or {}).get("contextActivities")) or {}
            for value in acts.values():
                for act in value if isinstance(value, list) else [value]:
                    if isinstance(act, dict) and "id" in act:
                        found.add(act["id"])
        sub_obj = obj.get("object") if obj.get("objectType") == "SubStatement" else None
        if isinstance(sub_obj, dict) and sub_obj.get("objectType", "Activity") == "Activity":
            found.add(sub_obj["id"])
    return found


def statement_activities(stmt: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Every Activity object in a statement that carries a definition."""
    obj = stmt.get("object") or {}
    holders = [stmt]
    if obj.get("objectType") == "SubStatement":
        holders.append(obj)
    for holder in holders:
        target = holder.get("object") or {}
        if target.get("objectType", "Activity") == "Activity" and "id" in target:
            yield target
        acts = ((holder.get("context") or {}).get("contextActivities")) or {}
        for value in acts.values():
            for act in value if isinstance(value, list) else [value]:
                if isinstance(act, dict) and "id" in act:
                    yield act


def format_statement(stmt: dict[str, Any], fmt: str, languages: list[str]) -> dict[str, Any]:
    """A statement in the ``exact``, ``ids`` or ``canonical`` format of the GET request."""
    if _has("format_statement"):
        return _as_dict(_models.format_statement(stmt, fmt, languages))
    if fmt == "exact":
        return stmt
    out = copy.deepcopy(stmt)
    if fmt == "ids":
        _reduce_ids(out)
        return out
    _canonical(out, languages)
    return out


def _reduce_ids(node: Any) -> None:
    if isinstance(node, dict):
        for key in ("actor", "object", "authority"):
            target = node.get(key)
            if isinstance(target, dict):
                kind = target.get("objectType", "Activity" if key == "object" else "Agent")
                if kind == "Activity":
                    node[key] = {"objectType": "Activity", "id": target["id"]}
                elif kind in ("Agent", "Group") and key != "object" or kind == "Agent":
                    _reduce_agent(target)
                elif kind == "SubStatement":
                    _reduce_ids(target)
        if isinstance(node.get("verb"), dict):
            node["verb"] = {"id": node["verb"]["id"]}
        for acts in ((node.get("context") or {}).get("contextActivities") or {}).values():
            for i, act in enumerate(acts if isinstance(acts, list) else []):
                acts[i] = {"objectType": "Activity", "id": act["id"]}


def _reduce_agent(agent: dict[str, Any]) -> None:
    agent.pop("name", None)
    for member in agent.get("member") or []:
        member.pop("name", None)


def _canonical(node: Any, languages: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key in ("display", "name", "description") and isinstance(value, dict) and value:
                node[key] = _pick_language(value, languages)
            else:
                _canonical(value, languages)
    elif isinstance(node, list):
        for item in node:
            _canonical(item, languages)


def _pick_language(langmap: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    for lang in languages:
        for tag, text in langmap.items():
            if tag.lower() == lang.lower() or tag.lower().split("-")[0] == lang.lower():
                return {tag: text}
    tag = next(iter(langmap))
    return {tag: langmap[tag]}


def verify_signed_statement(stmt: dict[str, Any], jws_bytes: bytes) -> None:
    """Raises a 400 error when the JWS signature does not match the statement."""
    if _has("verify_signed_statement"):
        _models.verify_signed_statement(stmt, jws_bytes)
        return
    parts = jws_bytes.decode("ascii", "replace").strip().split(".")
    if len(parts) != 3:
        raise XapiValidationError("the signature is not a JWS compact serialization",
                                  path="$.attachments", rule="signature")


# --- documents ---------------------------------------------------------------------------


def merge_json(old: bytes, new: bytes) -> bytes:
    """POSTed JSON merged into a stored JSON document (top-level keys of ``new`` win)."""
    if _has("merge_json"):
        return bytes(_models.merge_json(old, new))
    try:
        left, right = json.loads(old), json.loads(new)
    except ValueError as exc:
        raise BadRequest("both documents must be JSON objects to merge them") from exc
    if not isinstance(left, dict) or not isinstance(right, dict):
        raise BadRequest("both documents must be JSON objects to merge them")
    left.update(right)
    return json.dumps(left, ensure_ascii=False).encode()


def etag(content: bytes) -> str:
    """The ETag of document content: a quoted SHA-1 of the bytes."""
    if _has("etag"):
        return str(_models.etag(content))
    return f'"{hashlib.sha1(content).hexdigest()}"'
