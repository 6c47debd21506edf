"""Activities, Activity Definitions and interaction components (Data 2.4.4.1)."""

from __future__ import annotations

from typing import Any

from .common import (
    check_list,
    check_object,
    check_string,
    fail,
    received,
    validate_extensions,
    validate_iri,
    validate_irl,
)
from .languages import validate_language_map

INTERACTION_TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
)
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
COMPONENTS_FOR_TYPE: dict[str, tuple[str, ...]] = {
    "choice": ("choices",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "matching": ("source", "target"),
    "performance": ("steps",),
}
DEFINITION_KEYS = (
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    *COMPONENT_LISTS,
)


def validate_activity(data: Any, path: str = "$") -> None:
    """An Activity: ``objectType`` "Activity" (optional), ``id`` IRI, optional ``definition``."""
    check_object(
        data,
        path,
        allowed=("objectType", "id", "definition"),
        required=("id",),
        rule="Data 2.4.4.1 (XAPI-00047)",
        what="Activity",
    )
    if "objectType" in data and data["objectType"] != "Activity":
        raise fail(
            f"objectType of an Activity must be 'Activity', got {received(data['objectType'])}",
            f"{path}.objectType",
            "Data 2.4.4.1",
        )
    validate_iri(data["id"], f"{path}.id", "Data 2.4.4.1.s1.table1.row2 (XAPI-00047)")
    if "definition" in data:
        validate_definition(data["definition"], f"{path}.definition")


def validate_definition(data: Any, path: str) -> None:
    """An Activity Definition (Data 2.4.4.1, XAPI-00048 to XAPI-00061)."""
    check_object(
        data,
        path,
        allowed=DEFINITION_KEYS,
        rule="Data 2.4.4.1 (XAPI-00048)",
        what="Activity Definition",
    )
    for key in ("name", "description"):
        if key in data:
            validate_language_map(
                data[key], f"{path}.{key}", "Data 2.4.4.1 (XAPI-00056, XAPI-00059)"
            )
    if "type" in data:
        validate_iri(data["type"], f"{path}.type", "Data 2.4.4.1 (XAPI-00060)")
    if "moreInfo" in data:
        validate_irl(data["moreInfo"], f"{path}.moreInfo", "Data 2.4.4.1 (XAPI-00061)")
    if "extensions" in data:
        validate_extensions(data["extensions"], f"{path}.extensions")
    _validate_interaction(data, path)


def _validate_interaction(data: dict[str, Any], path: str) -> None:
    """Interaction properties (Data 2.4.4.1.s8): type, correct responses, components."""
    kind = data.get("interactionType")
    if "interactionType" in data and kind not in INTERACTION_TYPES:
        raise fail(
            f"interactionType must be one of {', '.join(INTERACTION_TYPES)} (case-sensitive), "
            f"got {received(kind)}",
            f"{path}.interactionType",
            "Data 2.4.4.1.s8 (XAPI-00049)",
        )
    if "correctResponsesPattern" in data:
        if kind is None:
            raise fail(
                "correctResponsesPattern needs an interactionType",
                f"{path}.interactionType",
                "Data 2.4.4.1.s8",
            )
        patterns = check_list(
            data["correctResponsesPattern"],
            f"{path}.correctResponsesPattern",
            "Data 2.4.4.1.s8 (XAPI-00050)",
            what="correctResponsesPattern",
        )
        for index, pattern in enumerate(patterns):
            check_string(
                pattern,
                f"{path}.correctResponsesPattern[{index}]",
                "Data 2.4.4.1.s8 (XAPI-00050)",
                what="a correct response pattern",
            )
    allowed = COMPONENTS_FOR_TYPE.get(kind or "", ())
    for key in COMPONENT_LISTS:
        if key not in data:
            continue
        if key not in allowed:
            expected = ", ".join(t for t, keys in COMPONENTS_FOR_TYPE.items() if key in keys)
            raise fail(
                f"{key!r} is only allowed with interactionType {expected}, got {kind!r}",
                f"{path}.{key}",
                "Data 2.4.4.1.s12 (XAPI-00051)",
            )
        _validate_components(data[key], f"{path}.{key}")


def _validate_components(value: Any, path: str) -> None:
    """A list of interaction components: ``id`` strings, distinct, and a ``description``."""
    rule = "Data 2.4.4.1.s13 (XAPI-00052)"
    components = check_list(value, path, rule, what="interaction component list")
    seen: set[str] = set()
    for index, component in enumerate(components):
        item = f"{path}[{index}]"
        check_object(
            component,
            item,
            allowed=("id", "description"),
            required=("id",),
            rule=rule,
            what="interaction component",
        )
        ident = check_string(component["id"], f"{item}.id", rule, what="component id")
        if not ident.strip():
            raise fail("an interaction component id must not be empty", f"{item}.id", rule)
        if ident in seen:
            raise fail(
                f"interaction component ids must be distinct; {ident!r} repeats",
                f"{item}.id",
                "Data 2.4.4.1.s13.b2 (XAPI-00053)",
            )
        seen.add(ident)
        if "description" in component:
            validate_language_map(component["description"], f"{item}.description", rule)
