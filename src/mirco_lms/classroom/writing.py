"""Storing the statements of a sheet: all or nothing, idempotent, corrections voided.

Each row gives a :class:`RowStatements`. Before the write, a row whose statements were
voided by an earlier correction gets new ids (a higher revision); the live statements of
the same learner, session and sheet that the row does not repeat are voided. Everything
goes through the collector's statement rules (:mod:`~mirco_lms.lrs.resources.
statement_writes`) in one batch, so a file is stored whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirco_lms.classroom.statements import authority, voiding, with_ids
from mirco_lms.errors import Location, LrsError, XapiValidationError
from mirco_lms.lrs.resources import statement_writes
from mirco_lms.lrs.store import StatementQuery, StatementStore
from mirco_lms.lrs.validation import rules
from mirco_lms.sheets import SheetError
from mirco_lms.xapi import profile as p

MAX_REVISIONS = 1000


@dataclass(frozen=True)
class RowStatements:
    """The statements of one sheet row (ids not yet given)."""

    line: int
    registration: str
    session: str
    sheet: str
    statements: list[dict[str, Any]]


@dataclass(frozen=True)
class ImportReport:
    rows: int
    statements: int
    """Statements the file stands for."""
    new: int
    """Of them, not stored before."""
    voided: int
    """Statements voided by this import (replaced by a correction)."""


def store_rows(store: StatementStore, path: Path, what: str,
               rows: list[RowStatements]) -> ImportReport:
    """Store the statements of ``rows`` (see the module's docstring)."""
    batch: list[dict[str, Any]] = []
    new = 0
    replaced: set[str] = set()
    for row in rows:
        statements = _current(store, path, row)
        for stmt in statements:
            try:
                rules.validate_statement(stmt, version="1.0.3")
            except XapiValidationError as exc:
                raise SheetError(f"the row makes an invalid statement: {exc.path}: "
                                 f"{exc.message}", location=Location(path, row.line),
                                 hint=exc.hint) from exc
        ids = {s["id"] for s in statements}
        new += sum(1 for s in statements if store.get(s["id"], voided=False) is None)
        replaced |= {old for old in _sheet_statements(store, row) if old not in ids}
        batch.extend(statements)
    batch.extend(voiding(target, what) for target in sorted(replaced))
    try:
        statement_writes.save_statements(
            store, statement_writes.Batch(batch),
            statement_writes.Submitter(authority=authority(what)), "1.0.3")
    except LrsError as exc:
        raise SheetError(f"nothing was stored: {exc.message}", location=Location(path),
                         hint=exc.hint) from exc
    return ImportReport(len(rows), len(batch) - len(replaced), new, len(replaced))


def _current(store: StatementStore, path: Path, row: RowStatements) -> list[dict[str, Any]]:
    """The row's statements with ids of the first revision that was never voided."""
    for revision in range(MAX_REVISIONS):
        statements = with_ids(row.statements, revision)
        if store.get(statements[0]["id"], voided=True) is None:
            return statements
    raise SheetError("this row was corrected back and forth too often",
                     location=Location(path, row.line), hint="change the row's date")


def _sheet_statements(store: StatementStore, row: RowStatements) -> list[str]:
    """Ids of the live statements stored for the row's learner, session and sheet."""
    found = []
    for stored in store.iter_statements(StatementQuery(registration=row.registration)):
        extensions = (stored.data.get("context") or {}).get("extensions") or {}
        if (extensions.get(p.EXT_SESSION) == row.session
                and extensions.get(p.EXT_SHEET) == row.sheet):
            found.append(stored.id)
    return found
