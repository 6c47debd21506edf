"""Statement helpers for the server: normalize, compare, format and index (sans-I/O).

* :func:`normalize_statement` — the form an LRS stores and returns (Data 2.4.6.2: context
  activities always as arrays; Data 4.5: timestamps returned in UTC).
* :func:`same_statement` — the Statement Comparison Requirements of Data 2.3.1.
* :func:`format_statement` — the ``format`` parameter of GET /statements (Communication 2.1.3).
* :func:`statement_activity_ids`, :func:`statement_agent_ifis` — what the ``activity`` and
  ``agent`` filters match, with or without ``related_activities`` / ``related_agents``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .agents import IFI_KEYS, agent_ifi
from .common import format_timestamp, parse_timestamp, timestamp_zone, truncate_duration

IGNORED_IN_COMPARISON = ("id", "authority", "stored", "timestamp", "version", "attachments")


def normalize_statement(stmt: dict[str, Any], *, version: str = "1.0.3") -> dict[str, Any]:
    """A normalized copy of a *valid* statement; ``normalize(normalize(s)) == normalize(s)``.

    Changes only what the specification lets an LRS change: single context activities are
    wrapped in arrays (Data 2.4.6.2.s4.b3, XAPI-00096), and a timestamp with a non-UTC
    offset is returned in UTC (Data 4.5: "The LRS SHOULD* return the Timestamp in UTC";
    the xAPI 2.0 suite checks the conversion). Everything else is kept exactly as sent.

    The copy is made on write: the statement dict itself is new (set ``id``, ``stored``…
    on it freely), as is every object on the way to a change; unchanged nested values are
    shared with ``stmt`` and must not be modified.
    """
    result = _normalized(stmt)
    obj = result.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        result["object"] = _normalized(obj)
    return result


def _normalized(stmt: dict[str, Any]) -> dict[str, Any]:
    out = dict(stmt)
    context = stmt.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        activities = context["contextActivities"]
        if any(isinstance(value, dict) for value in activities.values()):
            wrapped = {k: [v] if isinstance(v, dict) else v for k, v in activities.items()}
            out["context"] = {**context, "contextActivities": wrapped}
    for key in ("timestamp", "stored"):
        value = stmt.get(key)
        if isinstance(value, str) and not _is_utc_text(value):
            out[key] = format_timestamp(parse_timestamp(value))
    return out


def _is_utc_text(value: str) -> bool:
    """True when the timestamp already says UTC, or has no zone (taken as UTC)."""
    zone = timestamp_zone(value)
    return zone is None or zone == "Z" or (zone[0] == "+" and set(zone[1:]) <= {"0", ":"})


def same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when ``a`` and ``b`` match under the Statement Comparison Requirements (Data 2.3.1).

    Ignored: properties the LRS may assign (id, authority, stored, timestamp, version —
    a timestamp present on both sides is compared as an instant), attachments, Activity
    Definitions, Verb display, the order of Group members, the case of UUIDs and of
    e-mail domains and language tags, the single-object form of context activities, and
    duration precision beyond 0.01 s (Data 4.6). Everything else must be equal.
    """
    if "timestamp" in a and "timestamp" in b:
        if parse_timestamp(a["timestamp"]) != parse_timestamp(b["timestamp"]):
            return False
    return _comparable(a) == _comparable(b)


def _comparable(stmt: dict[str, Any]) -> dict[str, Any]:
    stmt = normalize_statement(stmt)
    out = {key: value for key, value in stmt.items() if key not in IGNORED_IN_COMPARISON}
    return _canon_statement(out)


def _canon_statement(stmt: dict[str, Any]) -> dict[str, Any]:
    out = dict(stmt)
    out.pop("attachments", None)
    out.pop("timestamp", None)
    out["actor"] = _canon_actor(stmt["actor"])
    out["verb"] = {"id": stmt["verb"]["id"]}
    out["object"] = _canon_object(stmt["object"])
    if "result" in stmt and "duration" in stmt["result"]:
        out["result"] = dict(stmt["result"], duration=truncate_duration(stmt["result"]["duration"]))
    if "context" in stmt:
        out["context"] = _canon_context(stmt["context"])
    return out


def _canon_actor(actor: dict[str, Any]) -> dict[str, Any]:
    out = {key: value for key, value in actor.items() if key not in IFI_KEYS}
    out.setdefault("objectType", "Agent")
    if any(key in actor for key in IFI_KEYS):
        out["ifi"] = agent_ifi(actor)
    if "member" in actor:
        out["member"] = sorted((_canon_actor(m) for m in actor["member"]), key=repr)
    return out


def _canon_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": obj["id"]}  # only what identifies it (XAPI-00171)
    if kind in ("Agent", "Group"):
        return _canon_actor(obj)
    if kind == "StatementRef":
        return {"objectType": kind, "id": obj["id"].lower()}
    return _canon_statement(obj)


def _canon_context(context: dict[str, Any]) -> dict[str, Any]:
    out = dict(context)
    if "registration" in out:
        out["registration"] = out["registration"].lower()
    if "language" in out:
        out["language"] = out["language"].lower()
    if "statement" in out:
        out["statement"] = _canon_object(out["statement"])
    for key in ("instructor", "team"):
        if key in out:
            out[key] = _canon_actor(out[key])
    if "contextActivities" in out:
        out["contextActivities"] = {
            key: [_canon_object(a) for a in value]
            for key, value in out["contextActivities"].items()
        }
    for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
        if key in out:
            out[key] = [dict(item, **{member: _canon_actor(item[member])}) for item in out[key]]
    return out


# --- formats ------------------------------------------------------------------------------


def format_statement(
    stmt: dict[str, Any], format: str = "exact", languages: list[str] | None = None
) -> dict[str, Any]:
    """A stored statement in the requested ``format`` (Communication 2.1.3).

    ``exact``: as stored. ``ids``: Agents and identified Groups reduced to objectType and
    IFI (anonymous Groups keep their members, reduced likewise), Activities to id,
    Verbs to id. ``canonical``: every language map reduced to the one entry
    that best matches ``languages`` (the Accept-Language list, best first).
    """
    if format == "exact":
        exact: dict[str, Any] = copy.deepcopy(stmt)
        return exact
    if format == "ids":
        return _ids_statement(stmt)
    if format == "canonical":
        canonical: dict[str, Any] = _canonical(
            copy.deepcopy(stmt), [tag.lower() for tag in languages or []]
        )
        return canonical
    raise ValueError(f"unknown statement format {format!r}; use exact, ids or canonical")


def _ids_actor(actor: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"objectType": actor.get("objectType", "Agent")}
    for key in IFI_KEYS:
        if key in actor:
            out[key] = copy.deepcopy(actor[key])
    if "member" in actor and not any(key in actor for key in IFI_KEYS):
        out["member"] = [_ids_actor(member) for member in actor["member"]]
    return out


def _ids_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": obj["id"]}  # only what identifies it (XAPI-00171)
    if kind in ("Agent", "Group"):
        return _ids_actor(obj)
    if kind == "SubStatement":
        return _ids_statement(obj)
    return copy.deepcopy(obj)


def _ids_statement(stmt: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(stmt)
    out["actor"] = _ids_actor(stmt["actor"])
    out["verb"] = {"id": stmt["verb"]["id"]}
    out["object"] = _ids_object(stmt["object"])
    if "authority" in stmt:
        out["authority"] = _ids_actor(stmt["authority"])
    context = out.get("context")
    if isinstance(context, dict):
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_actor(context[key])
        for key, value in context.get("contextActivities", {}).items():
            items = value if isinstance(value, list) else [value]
            context["contextActivities"][key] = [_ids_object(a) for a in items]
        for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
            for item in context.get(key, []):
                item[member] = _ids_actor(item[member])
    return out


LANGUAGE_MAP_PARENTS = ("display", "name", "description")


def best_language(language_map: dict[str, str], languages: list[str]) -> str | None:
    """The key of ``language_map`` that best matches ``languages`` (lower-cased, best first).

    An exact tag match wins, then a prefix match (``en`` for ``en-US`` and back), then
    ``und``, then the first entry.
    """
    if not language_map:
        return None
    keys = {key.lower(): key for key in language_map}
    for wanted in languages:
        if wanted in keys:
            return keys[wanted]
        base = wanted.split("-")[0]
        for lowered, key in keys.items():
            if lowered.split("-")[0] == base:
                return key
    if "und" in keys:
        return keys["und"]
    return next(iter(language_map))


def _canonical(value: Any, languages: list[str], parent: str = "") -> Any:
    if isinstance(value, dict):
        if (
            parent in LANGUAGE_MAP_PARENTS
            and value
            and all(isinstance(v, str) for v in value.values())
        ):
            key = best_language(value, languages)
            return {key: value[key]} if key is not None else {}
        return {
            k: v if k == "extensions" else _canonical(v, languages, k) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_canonical(item, languages, parent) for item in value]
    return value


# --- what the filters match ----------------------------------------------------------------


def statement_activity_ids(stmt: dict[str, Any], related: bool = False) -> list[str]:
    """Activity ids the ``activity`` filter matches (Communication 2.1.3).

    Without ``related_activities`` only the object's id; with it, also the context
    activities and, for a SubStatement object, its object and context activities.
    """
    ids: list[str] = []
    _collect_activities(stmt, related, ids)
    return list(dict.fromkeys(ids))


def _collect_activities(stmt: dict[str, Any], related: bool, ids: list[str]) -> None:
    _primary_activity(stmt, ids)
    if related:
        _related_activities(stmt, ids)


def _primary_activity(stmt: dict[str, Any], ids: list[str]) -> None:
    obj = stmt.get("object", {})
    if obj.get("objectType", "Activity") == "Activity":
        ids.append(obj["id"])


def _related_activities(stmt: dict[str, Any], ids: list[str]) -> None:
    obj = stmt.get("object", {})
    if obj.get("objectType") == "SubStatement":
        _collect_activities(obj, True, ids)
    for value in stmt.get("context", {}).get("contextActivities", {}).values():
        for activity in value if isinstance(value, list) else [value]:
            ids.append(activity["id"])


def statement_agent_ifis(stmt: dict[str, Any], related: bool = False) -> list[str]:
    """IFI keys the ``agent`` filter matches (Communication 2.1.3, ``related_agents``).

    Without ``related_agents``: the actor and an Agent/Group object; a Group also matches
    through its members. With it: also the authority, context instructor and team, the
    xAPI 2.0 context agents and groups, and the same places inside a SubStatement.
    """
    ifis: list[str] = []
    _collect_agents(stmt, related, ifis, top=True)
    return list(dict.fromkeys(ifis))


def statement_index(
    stmt: dict[str, Any],
) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The rows of the agent and activity index tables of a statement, in one walk:
    (IFI, primary) and (activity id, primary), sorted, where the ids are those the
    filters match with ``related_agents`` / ``related_activities`` and *primary* means
    the filter matches without them — as :func:`statement_agent_ifis` and
    :func:`statement_activity_ids` with ``related`` false and true."""
    agents: list[str] = []
    _primary_agents(stmt, agents)
    primary_agents = set(agents)
    _related_agents(stmt, agents, top=True)
    acts: list[str] = []
    _primary_activity(stmt, acts)
    primary_acts = set(acts)
    _related_activities(stmt, acts)
    return (
        [(ifi, ifi in primary_agents) for ifi in sorted(set(agents))],
        [(act, act in primary_acts) for act in sorted(set(acts))],
    )


def _actor_ifis(actor: dict[str, Any], ifis: list[str]) -> None:
    if any(key in actor for key in IFI_KEYS):
        ifis.append(agent_ifi(actor))
    for member in actor.get("member", []):
        _actor_ifis(member, ifis)


def _collect_agents(stmt: dict[str, Any], related: bool, ifis: list[str], *, top: bool) -> None:
    _primary_agents(stmt, ifis)
    if related:
        _related_agents(stmt, ifis, top=top)


def _primary_agents(stmt: dict[str, Any], ifis: list[str]) -> None:
    _actor_ifis(stmt["actor"], ifis)
    obj = stmt.get("object", {})
    if obj.get("objectType") in ("Agent", "Group"):
        _actor_ifis(obj, ifis)


def _related_agents(stmt: dict[str, Any], ifis: list[str], *, top: bool) -> None:
    obj = stmt.get("object", {})
    if obj.get("objectType") == "SubStatement":
        _collect_agents(obj, True, ifis, top=False)
    if top and "authority" in stmt:
        _actor_ifis(stmt["authority"], ifis)
    context = stmt.get("context", {})
    for key in ("instructor", "team"):
        if key in context:
            _actor_ifis(context[key], ifis)
    for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
        for item in context.get(key, []):
            _actor_ifis(item[member], ifis)


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
