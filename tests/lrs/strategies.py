"""Hypothesis strategies for VALID xAPI statements (reused by the LRS server tests).

Every value drawn here passes ``validate_statement`` for both xAPI 1.0.3 and 2.0 (the
2.0-only context properties come from :func:`statements_v2`).
"""

from __future__ import annotations

import string
import uuid
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

_WORD = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10)
LANGUAGE_TAGS = st.sampled_from(
    ["en", "en-US", "sr-Latn", "sr-Cyrl-RS", "mk", "sq-AL", "de-DE", "und"]
)
# the LRS refuses NUL
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)

uuids = st.builds(lambda: str(uuid.uuid4())) | st.uuids().map(str)
iris = st.builds(lambda host, p: f"http://{host}.example.com/{p}", _WORD, _WORD) | st.builds(
    lambda p: f"urn:mirco:{p}", _WORD
)
language_maps = st.dictionaries(LANGUAGE_TAGS, TEXT, max_size=3)
extensions = st.dictionaries(
    iris,
    st.none() | st.booleans() | st.integers() | TEXT | st.dictionaries(_WORD, TEXT, max_size=2),
    max_size=2,
)
timestamps = st.builds(
    lambda dt, zone: dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}" + zone,
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 30)),
    st.sampled_from(["Z", "+00:00", "+02:00", "-05:00", "+0530"]),
)
durations = st.sampled_from(
    ["PT1H0M0.1S", "P3Y1M29DT4H35M59.14S", "P4W", "PT16559.14S", "P1D", "PT0S"]
)


def _ifi() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda u: {"mbox": f"mailto:{u}@example.com"}, _WORD),
        st.text(alphabet="0123456789abcdef", min_size=40, max_size=40).map(
            lambda h: {"mbox_sha1sum": h}
        ),
        iris.map(lambda i: {"openid": i}),
        st.builds(lambda home, name: {"account": {"homePage": home, "name": name}}, iris, _WORD),
    )


def _with_name(ifi: dict[str, Any], name: str | None, object_type: str | None) -> dict[str, Any]:
    agent = dict(ifi)
    if name is not None:
        agent["name"] = name
    if object_type is not None:
        agent["objectType"] = object_type
    return agent


agents = st.builds(_with_name, _ifi(), st.none() | TEXT, st.sampled_from([None, "Agent"]))
agent_objects = st.builds(_with_name, _ifi(), st.none() | TEXT, st.just("Agent"))
anonymous_groups = st.builds(
    lambda members, name: {
        "objectType": "Group",
        "member": members,
        **({"name": name} if name else {}),
    },
    st.lists(agents, min_size=1, max_size=3),
    st.none() | TEXT,
)
identified_groups = st.builds(
    lambda ifi, members: {"objectType": "Group", **ifi, "member": members},
    _ifi(),
    st.lists(agents, max_size=2),
)
groups = anonymous_groups | identified_groups
actors = agents | groups

verbs = st.builds(
    lambda i, d: {"id": i, **({"display": d} if d is not None else {})},
    iris,
    st.none() | language_maps,
)

_INTERACTIONS = st.sampled_from(
    [
        {"interactionType": "true-false", "correctResponsesPattern": ["true"]},
        {
            "interactionType": "choice",
            "correctResponsesPattern": ["a[,]b"],
            "choices": [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}],
        },
        {"interactionType": "likert", "scale": [{"id": "1"}, {"id": "2"}]},
        {"interactionType": "matching", "source": [{"id": "s"}], "target": [{"id": "t"}]},
        {"interactionType": "performance", "steps": [{"id": "step1"}]},
        {"interactionType": "fill-in", "correctResponsesPattern": ["{case_matters=false}x"]},
        {"interactionType": "numeric", "correctResponsesPattern": ["1[:]5"]},
        {},
    ]
)
definitions = st.builds(
    lambda name, desc, kind, more, ext, interaction: {
        k: v
        for k, v in {
            "name": name,
            "description": desc,
            "type": kind,
            "moreInfo": more,
            "extensions": ext,
            **interaction,
        }.items()
        if v is not None
    },
    st.none() | language_maps,
    st.none() | language_maps,
    st.none() | iris,
    st.none() | iris,
    st.none() | extensions,
    _INTERACTIONS,
)
activities = st.builds(
    lambda i, ot, d: {
        "id": i,
        **({"objectType": "Activity"} if ot else {}),
        **({"definition": d} if d else {}),
    },
    iris,
    st.booleans(),
    st.none() | definitions,
)
statement_refs = uuids.map(lambda i: {"objectType": "StatementRef", "id": i})

scores = st.builds(
    lambda lo, span, frac, scaled: {
        k: v
        for k, v in {"min": lo, "max": lo + span, "raw": lo + span * frac, "scaled": scaled}.items()
        if v is not None
    },
    st.integers(-100, 100),
    st.integers(1, 100),
    st.floats(0, 1),
    st.none() | st.floats(-1, 1),
)
results = st.fixed_dictionaries(
    {},
    optional={
        "score": scores,
        "success": st.booleans(),
        "completion": st.booleans(),
        "response": TEXT,
        "duration": durations,
        "extensions": extensions,
    },
)
context_activities = st.fixed_dictionaries(
    {},
    optional={
        key: activities | st.lists(activities, min_size=1, max_size=2)
        for key in ("parent", "grouping", "category", "other")
    },
)


def _contexts(v2: bool) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "registration": uuids,
        "instructor": actors,
        "team": groups,
        "contextActivities": context_activities,
        "language": LANGUAGE_TAGS,
        "statement": statement_refs,
        "extensions": extensions,
    }
    if v2:
        optional["contextAgents"] = st.lists(
            st.builds(
                lambda a, t: {
                    "objectType": "contextAgent",
                    "agent": a,
                    **({"relevantTypes": t} if t else {}),
                },
                agents,
                st.lists(iris, max_size=2),
            ),
            max_size=2,
        )
        optional["contextGroups"] = st.lists(
            st.builds(lambda g: {"objectType": "contextGroup", "group": g}, groups), max_size=2
        )
    return st.fixed_dictionaries({}, optional=optional)


attachments = st.builds(
    lambda usage, display, sha, length, url: {
        "usageType": usage,
        "display": display,
        "contentType": "text/plain; charset=ascii",
        "length": length,
        "sha2": sha,
        **({"fileUrl": url} if url else {}),
    },
    iris,
    language_maps,
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    st.integers(0, 10**6),
    st.none() | iris,
)


def _statement(v2: bool, sub: bool) -> st.SearchStrategy[dict[str, Any]]:
    objects: st.SearchStrategy[dict[str, Any]] = (
        activities | agent_objects | groups | statement_refs
    )
    if not sub:
        objects = objects | _statement(v2, sub=True)
    required = {"actor": actors, "verb": verbs, "object": objects}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "result": results,
        "context": _contexts(v2),
        "timestamp": timestamps,
        "attachments": st.lists(attachments, max_size=2),
    }
    if sub:
        required["objectType"] = st.just("SubStatement")
    else:
        optional.update(
            id=uuids,
            stored=timestamps,
            authority=agents,
            version=st.sampled_from(["1.0.0", "1.0.3", "1.0"]),
        )
    return st.fixed_dictionaries(required, optional=optional).map(_fix_context)


def _fix_context(stmt: dict[str, Any]) -> dict[str, Any]:
    """revision/platform only when the object is an Activity (Data 2.4.6.s4)."""
    obj = stmt["object"]
    context = stmt.get("context")
    if context is not None and obj.get("objectType", "Activity") == "Activity":
        context.setdefault("platform", "mirco")
    return stmt


statements = _statement(v2=False, sub=False)
"""Valid xAPI 1.0.3 statements (also valid for 2.0)."""
statements_v2 = _statement(v2=True, sub=False)
"""Valid xAPI 2.0 statements (may use contextAgents / contextGroups)."""
