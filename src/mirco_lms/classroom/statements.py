"""Classroom statements in the mirco profile (``docs/xapi-profile.md`` §6).

Every statement of one sheet row shares a :class:`RowContext`: the learner as actor, the
module as ``grouping[0]``, the session as an ``other`` context activity (type
``meeting``), the trainers as ``context.instructor``, the delivery, session and sheet as
extensions, and a registration per (session, learner). A statement's id is derived from
its content (UUID version 5), so importing the same row again gives the same statement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from mirco_lms.classroom.sessions import Session
from mirco_lms.lrs.resources.statement_writes import compact_json
from mirco_lms.lrs.store.registry import Learner
from mirco_lms.xapi import profile as p

NAMESPACE = uuid.UUID("5b0e9f8e-0c57-4c2a-9d0e-6d1c4e0f7a31")
"""The UUID namespace of classroom statement ids and registrations."""
AUTHORITY_HOME = "urn:mirco:lrs"


def authority(what: str) -> dict[str, Any]:
    """The authority of statements imported by ``mirco lrs <what> import``."""
    return {"objectType": "Agent", "name": f"mirco lrs {what} import",
            "account": {"homePage": AUTHORITY_HOME, "name": f"{what}-import"}}


def actor(learner: Learner) -> dict[str, Any]:
    """The learner as an Agent, with the IFI the registry keys them by."""
    agent: dict[str, Any] = {"objectType": "Agent"}
    if learner.name:
        agent["name"] = learner.name
    kind, _, value = learner.actor_ifi.partition(":")
    if kind == "account":
        home, _, name = value.partition("|")
        agent["account"] = {"homePage": home, "name": name}
    else:
        agent["mbox"] = value
    return agent


def at(day: date, hour: int, minute: int = 0) -> str:
    """A statement timestamp on ``day`` (UTC)."""
    return datetime.combine(day, time(hour, minute)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True)
class RowContext:
    """What every statement of one sheet row shares."""

    session: Session
    learner: Learner
    ids: p.ActivityIds
    module_version: str
    sheet: str
    """``attendance`` or ``<assessment>/<attempt>`` (:data:`~mirco_lms.xapi.profile.EXT_SHEET`)."""

    @property
    def registration(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.session.id}|{self.learner.actor_ifi}"))

    def statement(
        self, verb: str, obj: str, kind: str, when: str, *,
        result: dict[str, Any] | None = None, parent: str | None = None,
        extensions: dict[str, Any] | None = None, definition: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One statement (without its id: see :func:`with_ids`)."""
        session = self.session
        activities: dict[str, Any] = {
            "grouping": [{"id": self.ids.module}],
            "category": [{"id": p.CATEGORY}],
            "other": [{"id": p.session_activity(self.ids.base, session.id),
                       "definition": {"type": p.MEETING, "name": {"en": session.id}}}],
        }
        if parent:
            activities["parent"] = [{"id": parent}]
        stmt: dict[str, Any] = {
            "actor": actor(self.learner),
            "verb": {"id": verb, "display": {"en-US": p.short_id(verb)}},
            "object": {"objectType": "Activity", "id": obj,
                       "definition": definition or {"type": kind}},
            "context": {
                "registration": self.registration,
                "language": session.language,
                "instructor": session.instructor(),
                "contextActivities": activities,
                "extensions": {
                    p.EXT_MODULE_VERSION: self.module_version,
                    p.EXT_DELIVERY: session.delivery,
                    p.EXT_SESSION: session.id,
                    p.EXT_SHEET: self.sheet,
                    **(extensions or {}),
                },
            },
            "timestamp": when,
        }
        if result:
            stmt["result"] = result
        return stmt


def with_ids(statements: list[dict[str, Any]], revision: int = 0) -> list[dict[str, Any]]:
    """``statements`` with ids derived from their content (and ``revision``: how many
    times a statement of this content was voided before, so that a row changed back after
    a correction gets new ids)."""
    out = []
    for stmt in statements:
        body = {k: v for k, v in stmt.items() if k != "id"}
        ident = uuid.uuid5(NAMESPACE, f"{revision}|{compact_json(body)}")
        out.append({"id": str(ident), **body})
    return out


def voiding(target: str, what: str) -> dict[str, Any]:
    """The statement that voids ``target`` (its id derived from the target's)."""
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"void|{target}")),
        "actor": authority(what),
        "verb": {"id": p.VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }
