"""``mirco lrs attendance import``: attendance sheets → ``attended`` and ``completed``.

Columns: ``learner`` (account or e-mail, as in the learner registry), ``session``, and
either ``hours`` (hours attended) or one column per day of the session headed by its date
(``2024-03-04``: ``x``, ``1``, ``yes`` or ``present`` = present; empty, ``0``, ``no`` or
``absent`` = absent). A learner who attended at least ``min_attendance`` percent (of the
session's days, or of the module's duration in hours) completed the module.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mirco_lms.classroom.project import Lookup, Project
from mirco_lms.classroom.sessions import Session
from mirco_lms.classroom.statements import RowContext, at
from mirco_lms.classroom.writing import ImportReport, RowStatements, store_rows
from mirco_lms.sheets import read_sheet, require_columns, row_error
from mirco_lms.xapi import profile as p

if TYPE_CHECKING:
    from mirco_lms.lrs.store.sql import SqlStore

SHEET = "attendance"
EXAMPLE = "learner,session,hours   (or learner,session,2024-03-04,2024-03-05)"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRESENT = {"x", "1", "yes", "y", "present", "p"}
ABSENT = {"", "0", "no", "n", "absent", "a", "-"}


def import_attendance(store: SqlStore, path: Path, project: Project, *,
                      min_attendance: float = 80.0) -> ImportReport:
    """Check the whole sheet, then store its statements (see :mod:`.writing`)."""
    sheet = read_sheet(path, example=EXAMPLE)
    days = [h for h in sheet.header if _DAY.match(h)]
    for name in sheet.header:
        if name not in ("learner", "session", "hours") and name not in days:
            raise row_error(path, 1, f"unknown column {name!r}",
                            "the columns are learner, session, and hours or the session "
                            "days as YYYY-MM-DD")
    require_columns(sheet, [["learner"], ["session"], ["hours", *days]],
                    f"the header needs: {EXAMPLE}")
    lookup = Lookup.of(store, path)
    rows: list[RowStatements] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in sheet.rows:
        learner = lookup.learner(line, cells["learner"])
        session = lookup.session(line, cells["session"])
        key = (learner.actor_ifi, session.id)
        if key in seen:
            raise row_error(path, line, f"this learner's attendance at {session.id} is "
                            f"already on row {seen[key]}", "keep one row per learner and "
                            "session")
        seen[key] = line
        module = project.module(session.course)
        ctx = RowContext(session, learner, project.ids(session.course), module.version, SHEET)
        present = _days(path, line, cells, days, session)
        hours = _hours(path, line, cells.get("hours", ""), session)
        if present is not None and hours is not None:
            raise row_error(path, line, "the row gives both hours and days",
                            "give the hours attended or the days present, not both")
        if present is None and hours is None:
            raise row_error(path, line, "the row gives neither hours nor days",
                            "fill in the hours attended or mark the days present")
        statements: list[dict[str, Any]] = []
        if present is not None:
            statements += [ctx.statement(p.ATTENDED, ctx.ids.module, p.COURSE, at(d, 9))
                           for d in present]
            share = len(present) / len(session.days) * 100
        else:
            assert hours is not None
            statements.append(ctx.statement(
                p.ATTENDED, ctx.ids.module, p.COURSE, at(session.start, 9),
                result={"duration": f"PT{hours:g}H"}))
            if not module.duration_minutes:
                raise row_error(path, line, f"module {module.id!r} gives no duration to "
                                "measure hours against", "mark the days present instead, "
                                "or set duration in the module's front matter")
            share = hours * 60 / module.duration_minutes * 100
        if share >= min_attendance:
            statements.append(ctx.statement(p.COMPLETED, ctx.ids.module, p.COURSE,
                                             at(session.end, 17), result={"completion": True}))
        if statements:
            rows.append(RowStatements(line, ctx.registration, session.id, SHEET, statements))
    return store_rows(store, path, SHEET, rows)


def _days(path: Path, line: int, cells: dict[str, str], days: list[str],
          session: Session) -> list[date] | None:
    marked = {d: cells[d].lower() for d in days if cells[d].lower() not in ("",)}
    if not marked:
        return None
    present = []
    for day, mark in marked.items():
        if mark not in PRESENT | ABSENT:
            raise row_error(path, line, f"{day}: {mark!r} is not present or absent",
                            "write x (present) or leave the cell empty (absent)")
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise row_error(path, 1, f"column {day!r} is not a date",
                            "head each day's column with its date, YYYY-MM-DD") from None
        if when not in session.days:
            raise row_error(path, line, f"{day} is not a day of session {session.id} "
                            f"({session.start} to {session.end})",
                            "leave the cell empty or check the session's dates")
        if mark in PRESENT:
            present.append(when)
    return sorted(present)


def _hours(path: Path, line: int, text: str, session: Session) -> float | None:
    if not text:
        return None
    try:
        hours = float(text.replace(",", "."))
    except ValueError:
        raise row_error(path, line, f"hours {text!r} is not a number",
                        "write the hours attended, such as 12 or 7.5") from None
    limit = 24 * len(session.days)
    if not 0 <= hours <= limit:
        raise row_error(path, line, f"hours {text} is out of range (0 to {limit} for "
                        f"session {session.id})", "write the hours attended")
    return hours
