"""Classroom sessions: a course module given in one language, on dates, at a venue, by
trainers, in one delivery mode — records of the store's ``sessions`` table.

:func:`parse_session` checks one session's fields (the CLI's options or a CSV row);
:func:`save_sessions` adds or updates sessions in one transaction; :func:`load_sessions`
reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from mirco_lms.errors import Location
from mirco_lms.lrs.store.schema import session_trainers, sessions
from mirco_lms.sheets import SheetError, read_sheet, require_columns, row_error
from mirco_lms.xapi import profile as p

if TYPE_CHECKING:
    from mirco_lms.lrs.store.sql import SqlStore

SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_TRAINER = re.compile(r"^(?:(.*?)\s*<([^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>|([^<>@\s]+@[^<>@\s]+"
                      r"\.[^<>@\s]+))$")
COLUMNS = ("session", "course", "language", "start", "end", "venue", "trainers", "delivery")
EXAMPLE = "session,course,language,start,end,venue,trainers,delivery"


@dataclass(frozen=True)
class Trainer:
    name: str
    email: str

    def agent(self) -> dict[str, str]:
        """The trainer as an xAPI Agent (``context.instructor``)."""
        return {"objectType": "Agent", "name": self.name, "mbox": f"mailto:{self.email}"}


@dataclass(frozen=True)
class Session:
    """One classroom session of a course module."""

    id: str
    """Short, stable, chosen by the centre (``MHR-2024-BG-01``); part of an activity IRI."""
    course: str
    """The module id (``migration-human-rights``)."""
    language: str
    start: date
    end: date
    venue: str | None
    trainers: tuple[Trainer, ...]
    delivery: str
    """``in-person``, ``live-online`` or ``blended``."""

    @property
    def days(self) -> tuple[date, ...]:
        """Every date from the first to the last day."""
        return tuple(self.start + timedelta(days=n) for n in range((self.end - self.start).days
                                                                    + 1))

    def instructor(self) -> dict[str, object]:
        """``context.instructor``: the trainer, or a Group of the trainers."""
        if len(self.trainers) == 1:
            return dict(self.trainers[0].agent())
        return {"objectType": "Group", "member": [t.agent() for t in self.trainers]}


class SessionError(SheetError):
    """A session's field is wrong."""


NOWHERE = Location()


def _fail(where: Location, message: str, hint: str) -> SessionError:
    return SessionError(message, location=where, hint=hint)


def parse_session(fields: dict[str, str], where: Location = NOWHERE) -> Session:
    """A session from its fields (``COLUMNS``), checked; ``where`` names the row."""
    ident = fields.get("session", "")
    if not SESSION_ID.match(ident):
        raise _fail(where, f"session id {ident!r} is not a short id",
                    "use letters, digits, '.', '-' and '_' (up to 80), such as MHR-2024-BG-01")
    course = fields.get("course", "")
    if not course:
        raise _fail(where, "the course is empty", "give the module id, such as "
                    "migration-human-rights")
    language = fields.get("language", "")
    if not LANGUAGE.match(language):
        raise _fail(where, f"language {language!r} is not a BCP 47 tag",
                    "write it like en, sr-Latn, mk")
    start = _date(fields.get("start", ""), "start", where)
    end = _date(fields.get("end", "") or fields.get("start", ""), "end", where)
    if end < start:
        raise _fail(where, f"the session ends ({end}) before it starts ({start})",
                    "swap the two dates")
    delivery = fields.get("delivery", "") or "in-person"
    if delivery not in p.CLASSROOM_DELIVERIES:
        raise _fail(where, f"delivery {delivery!r} is not one of "
                    f"{', '.join(p.CLASSROOM_DELIVERIES)}", "write in-person, live-online "
                    "or blended")
    trainers = parse_trainers(fields.get("trainers", ""), where)
    return Session(ident, course, language, start, end, fields.get("venue") or None,
                   trainers, delivery)


def parse_trainers(text: str, where: Location = NOWHERE) -> tuple[Trainer, ...]:
    """``Ana Anić <ana@example.org>; bob@example.org`` → the trainers (at least one)."""
    found = []
    for part in (x.strip() for x in text.split(";")):
        if not part:
            continue
        match = _TRAINER.match(part)
        if not match:
            raise _fail(where, f"trainer {part!r} has no e-mail address",
                        "write each trainer as 'Name <name@example.org>', separated by ';'")
        email = (match.group(2) or match.group(3)).lower()
        found.append(Trainer(match.group(1) or email, email))
    if not found:
        raise _fail(where, "the session has no trainer",
                    "name at least one: 'Name <name@example.org>'")
    return tuple(found)


def _date(text: str, name: str, where: Location) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(where, f"{name} date {text!r} is not a date",
                    "write YYYY-MM-DD, such as 2024-03-04") from None


def read_sessions(path: Path) -> list[Session]:
    """Every session of a CSV file (``COLUMNS``); a bad row raises ``FILE:ROW``."""
    sheet = read_sheet(path, example=EXAMPLE)
    for name in sheet.header:
        if name not in COLUMNS:
            raise row_error(path, 1, f"unknown column {name!r}",
                            f"the columns are: {', '.join(COLUMNS)}")
    require_columns(sheet, [["session"], ["course"], ["language"], ["start"], ["trainers"]],
                    f"the header needs {EXAMPLE} (end, venue and delivery may be left out)")
    found: list[Session] = []
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        session = parse_session(cells, Location(path, line))
        if session.id in seen:
            raise row_error(path, line, f"session {session.id!r} is already on row "
                            f"{seen[session.id]}", "keep one row per session")
        seen[session.id] = line
        found.append(session)
    return found


def save_sessions(store: SqlStore, found: Sequence[Session]) -> tuple[int, int]:
    """Add new sessions and update known ones, in one transaction: (added, updated)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    added = updated = 0
    with store.engine.connect() as conn:
        conn = conn.execution_options(mirco_write=True)
        with conn.begin():
            known = {r[0] for r in conn.execute(select(sessions.c.id).where(
                sessions.c.id.in_([s.id for s in found])))}
            for session in found:
                values = {"course": session.course, "language": session.language,
                          "start_date": session.start.isoformat(),
                          "end_date": session.end.isoformat(), "venue": session.venue,
                          "delivery": session.delivery, "updated": now}
                if session.id in known:
                    conn.execute(update(sessions).where(sessions.c.id == session.id)
                                 .values(**values))
                    conn.execute(delete(session_trainers)
                                 .where(session_trainers.c.session_id == session.id))
                    updated += 1
                else:
                    conn.execute(insert(sessions).values(id=session.id, **values))
                    added += 1
                for position, trainer in enumerate(session.trainers):
                    conn.execute(insert(session_trainers).values(
                        session_id=session.id, position=position, name=trainer.name,
                        email=trainer.email))
    return added, updated


def load_sessions(store: SqlStore, course: str | None = None) -> dict[str, Session]:
    """The stored sessions (of one course module), by id, oldest first."""
    query = select(sessions).order_by(sessions.c.start_date, sessions.c.id)
    if course is not None:
        query = query.where(sessions.c.course == course)
    with store.engine.connect() as conn, conn.begin():
        rows = conn.execute(query).all()
        trainers: dict[str, list[Trainer]] = {}
        for t in conn.execute(select(session_trainers).order_by(
                session_trainers.c.session_id, session_trainers.c.position)):
            trainers.setdefault(t.session_id, []).append(Trainer(t.name, t.email))
    return {
        r.id: Session(r.id, r.course, r.language, date.fromisoformat(r.start_date),
                      date.fromisoformat(r.end_date), r.venue, tuple(trainers.get(r.id, ())),
                      r.delivery)
        for r in rows
    }
