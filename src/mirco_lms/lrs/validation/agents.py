"""Agents, Groups and their inverse functional identifiers (Data 2.4.2)."""

from __future__ import annotations

from typing import Any

from mirco_lms.errors import XapiValidationError

from .common import (
    check_list,
    check_object,
    check_string,
    fail,
    received,
    validate_irl,
    validate_mailto,
    validate_sha1,
)

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_KEYS = ("objectType", "name", *IFI_KEYS)
GROUP_KEYS = (*AGENT_KEYS, "member")


def validate_account(value: Any, path: str) -> None:
    """An account has exactly ``homePage`` (an IRL) and ``name`` (a string), Data 2.4.2.4."""
    rule = "Data 2.4.2.4 (XAPI-00042, XAPI-00043)"
    check_object(
        value,
        path,
        allowed=("homePage", "name"),
        required=("homePage", "name"),
        rule=rule,
        what="account",
    )
    validate_irl(value["homePage"], f"{path}.homePage", rule)
    check_string(value["name"], f"{path}.name", rule, what="account name")


def _validate_ifis(data: dict[str, Any], path: str, *, what: str, required: bool) -> int:
    """Check each IFI present; an Agent or identified Group has at most one (XAPI-00034)."""
    present = [key for key in IFI_KEYS if key in data]
    if len(present) > 1:
        raise fail(
            f"{what} must use exactly one inverse functional identifier, got {', '.join(present)}",
            f"{path}.{present[1]}",
            "Data 2.4.2.1.s2.b2 (XAPI-00034)",
        )
    if required and not present:
        raise fail(
            f"{what} must have one of mbox, mbox_sha1sum, openid or account",
            path,
            "Data 2.4.2.1.s2.b1 (XAPI-00034)",
        )
    rule = "Data 2.4.2.3"
    for key in present:
        value = data[key]
        if key == "mbox":
            validate_mailto(value, f"{path}.mbox", rule)
        elif key == "mbox_sha1sum":
            validate_sha1(value, f"{path}.mbox_sha1sum", rule)
        elif key == "openid":
            validate_irl(value, f"{path}.openid", rule)
        else:
            validate_account(value, f"{path}.account")
    return len(present)


def validate_agent(data: Any, path: str = "$", *, require_object_type: bool = False) -> None:
    """An Agent: optional ``objectType`` "Agent", optional ``name``, exactly one IFI."""
    check_object(data, path, allowed=AGENT_KEYS, rule="Data 2.4.2.1", what="Agent")
    if "objectType" in data:
        if data["objectType"] != "Agent":
            raise fail(
                f"objectType of an Agent must be 'Agent', got {received(data['objectType'])}",
                f"{path}.objectType",
                "Data 2.4.2.1 (XAPI-00032)",
            )
    elif require_object_type:
        raise fail("objectType 'Agent' is required here", f"{path}.objectType", "Data 2.4.4.2")
    if "name" in data:
        check_string(data["name"], f"{path}.name", "Data 2.4.2.1 (XAPI-00033)", what="name")
    _validate_ifis(data, path, what="an Agent", required=True)


def validate_group(data: Any, path: str = "$") -> None:
    """A Group: ``objectType`` "Group"; anonymous (``member`` required) or identified."""
    check_object(
        data, path, allowed=GROUP_KEYS, required=("objectType",), rule="Data 2.4.2.2", what="Group"
    )
    if data["objectType"] != "Group":
        raise fail(
            f"objectType of a Group must be 'Group', got {received(data['objectType'])}",
            f"{path}.objectType",
            "Data 2.4.2.2",
        )
    if "name" in data:
        check_string(data["name"], f"{path}.name", "Data 2.4.2.2", what="name")
    identified = _validate_ifis(data, path, what="an identified Group", required=False)
    if not identified and "member" not in data:
        raise fail(
            "an anonymous Group (no mbox, mbox_sha1sum, openid or account) needs 'member'",
            f"{path}.member",
            "Data 2.4.2.2.s2.table1.row3 (XAPI-00035)",
        )
    if "member" in data:
        members = check_list(
            data["member"], f"{path}.member", "Data 2.4.2.2 (XAPI-00036)", what="member"
        )
        if not identified and not members:
            raise fail(
                "an anonymous Group must list at least one member",
                f"{path}.member",
                "Data 2.4.2.2 (XAPI-00035)",
            )
        for index, member in enumerate(members):
            member_path = f"{path}.member[{index}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                raise fail(
                    "a Group's members must be Agents, not Groups",
                    f"{member_path}.objectType",
                    "Data 2.4.2.2.s2.table1.row3 (XAPI-00036)",
                )
            validate_agent(member, member_path)


def validate_actor(data: Any, path: str = "$") -> None:
    """An Agent or a Group, chosen by ``objectType`` (default Agent), Data 2.4.2."""
    if isinstance(data, dict) and data.get("objectType") == "Group":
        validate_group(data, path)
    elif isinstance(data, dict) and "objectType" in data and data["objectType"] != "Agent":
        raise fail(
            f"an actor's objectType must be 'Agent' or 'Group', got {received(data['objectType'])}",
            f"{path}.objectType",
            "Data 2.4.2 (XAPI-00031)",
        )
    else:
        validate_agent(data, path)


def validate_authority(data: Any, path: str = "$.authority") -> None:
    """An authority is an Agent, or an anonymous Group of exactly two Agents (OAuth), Data 2.4.9."""
    validate_actor(data, path)
    if data.get("objectType") == "Group":
        rule = "Data 2.4.9.s3.b1 (XAPI-00098)"
        if any(key in data for key in IFI_KEYS):
            raise fail(
                "an authority Group must be anonymous (no mbox, mbox_sha1sum, openid or account)",
                path,
                rule,
            )
        if len(data["member"]) != 2:
            raise fail(
                f"an authority Group must have exactly two members, got {len(data['member'])}",
                f"{path}.member",
                rule,
            )


def agent_ifi(agent: dict[str, Any]) -> str:
    """A canonical key for an Agent's or identified Group's IFI, for indexes and lookups.

    ``mbox:mailto:x@y``, ``mbox_sha1sum:<hex>``, ``openid:<uri>``,
    ``account:<homePage>|<name>``. The e-mail domain and the SHA-1 hex digits are
    case-insensitive (Data 2.3.1), so they are lower-cased. Raises ``KeyError`` for an
    anonymous Group, which has no IFI.
    """
    if "mbox" in agent:
        local, _, domain = agent["mbox"][len("mailto:") :].partition("@")
        return f"mbox:mailto:{local}@{domain.lower()}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{agent['mbox_sha1sum'].lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        account = agent["account"]
        return f"account:{account['homePage']}|{account['name']}"
    raise KeyError("an anonymous Group has no inverse functional identifier")


def maybe_ifi(agent: Any) -> str | None:
    """:func:`agent_ifi`, or None for an anonymous Group (or anything not an object)."""
    if not isinstance(agent, dict):
        return None
    try:
        return agent_ifi(agent)
    except KeyError:
        return None


def required_ifi(agent: dict[str, Any], path: str = "$") -> str:
    """:func:`agent_ifi` of an agent a request must identify; a 400 naming ``path`` if not."""
    found = maybe_ifi(agent)
    if found is None:
        raise XapiValidationError(
            "the Agent has no identifier (mbox, mbox_sha1sum, openid, account)",
            path=path,
            rule="Data 2.4.2.3",
        )
    return found
