"""The statement write path of the SQL store: the SQL text of every query is built once
and run on the driver's own cursor (sqlite3 or psycopg), because SQLAlchemy's result
objects and events cost more than SQLite takes to run the queries (one request carries
8-10 of them).

Placeholders are ``?`` for SQLite and ``%s`` for psycopg; booleans are bound as Python
booleans, which both drivers accept.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from mirco_lms.lrs.store import views
from mirco_lms.lrs.store.base import StatementRecord, StoredStatement
from mirco_lms.lrs.store.known_keys import KnownKeys
from mirco_lms.lrs.store.packing import pack, unpack

STATEMENT_COLUMNS = (
    "seq, id, stored, stored_us, actor_ifi, verb_id, object_activity_id, "
    'object_statement_ref, registration, "timestamp", voided, is_voiding, credential_key, "full"'
)
"""The columns of ``statements`` written as bound (schema 1 on), ``full`` last."""
KEY_COLUMNS = "verb_key, object_key"
"""The verb's and the object activity's keys in ``identifiers`` (schema 7), bound after
:data:`STATEMENT_COLUMNS`."""
INSERTED = f"{STATEMENT_COLUMNS}, {KEY_COLUMNS}, {', '.join(views.TIME_COLUMNS)}"
"""The bound columns of each inserted statement: last its time columns, converted in
Python (:func:`~mirco_lms.lrs.store.views.utc_text`)."""
AGENT_ROWS = "statement_agents (agent_key, seq, is_primary)"
"""The agents' index rows: (the IFI's key in ``identifiers``, ``seq``, primary)."""
ACTIVITY_ROWS = "statement_activities (activity_key, seq, is_primary)"
"""The activities' index rows: (the IRI's key in ``identifiers``, ``seq``, primary)."""


@lru_cache(maxsize=4)
def _insert_template(dialect: str, inserted: str) -> str:
    """``INSERT INTO statements``, the report columns included, from rows bound as
    ``(…inserted, duration_seconds, json)`` (``inserted``: :data:`INSERTED`;
    ``duration_seconds``: :func:`~.views.seconds_of`): the database reads the other report
    columns from the bound JSON with the expressions migration 6 used for the statements
    stored before (one definition, :func:`~mirco_lms.lrs.store.views.report_values`), so
    a statement's report values do not depend on when it was stored. ``{rows}``: the
    ``VALUES`` list."""
    columns = inserted + ", duration_seconds, raw"
    if dialect == "sqlite":
        values = views.report_values(dialect, "s.raw")
        source = "v AS s"
    else:
        values = views.report_values(dialect, "s.j")
        source = "(SELECT v.*, CAST(v.raw AS jsonb) AS j FROM v OFFSET 0) s"
    if "duration_seconds" in values:  # bound: defined in Python since schema 9
        values["duration_seconds"] = ("s.duration_seconds" if dialect == "sqlite" else
                                      "CAST(s.duration_seconds AS double precision)")
    plain = ", ".join(f"s.{c.strip()}" for c in inserted.split(","))
    return (f"WITH v ({columns}) AS (VALUES {{rows}}) "
            f"INSERT INTO statements ({inserted}, {', '.join(values)}) "
            f"SELECT {plain}, {', '.join(values.values())} FROM {source}")


def _seconds(raw: str) -> float | None:
    """The ``duration_seconds`` of a statement's JSON text (of one the report columns'
    Python path declined, so read again here)."""
    result = json.loads(raw).get("result")
    duration = result.get("duration") if isinstance(result, dict) else None
    return views.seconds_of(duration) if isinstance(duration, str) else None


@lru_cache(maxsize=512)
def _sql(template: str, mark: str, count: int = 0) -> str:
    """``template`` with ``{in}`` as ``count`` placeholders and ``?`` as ``mark``."""
    text = template.replace("?", mark)
    return text.replace("{in}", ", ".join([mark] * count))


ROW_VALUES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
"""Values bound in one multi-row INSERT: SQLite's limit (32,766 since 3.32, 999 before;
PostgreSQL's is 65,535). A group of statements goes in as one INSERT per table."""


@lru_cache(maxsize=64)
def _values_sql(table_columns: str, mark: str, width: int, count: int) -> str:
    row = "(" + ", ".join(["?"] * width) + ")"
    return _sql(f"INSERT INTO {table_columns} VALUES " + ", ".join([row] * count), mark)


@lru_cache(maxsize=64)
def _plain_insert_sql(mark: str, count: int, inserted: str) -> str:
    """``INSERT INTO statements`` of ``count`` rows of the ``inserted`` columns with their
    report values bound."""
    dialect = "sqlite" if mark == "?" else "postgresql"
    report = [mark] * len(views.REPORT_COLUMNS)
    if dialect == "postgresql":  # outcomes is bound as JSON text
        report[views.REPORT_COLUMNS.index("outcomes")] = f"CAST({mark} AS jsonb)"
    width = len(inserted.split(","))
    row = "(" + ", ".join([mark] * width + report) + ")"
    columns = ", ".join(views.REPORT_COLUMNS)
    return (f"INSERT INTO statements ({inserted}, {columns}) "
            f"VALUES " + ", ".join([row] * count))


@lru_cache(maxsize=64)
def _insert_sql(dialect: str, mark: str, width: int, count: int, inserted: str) -> str:
    row = "(" + ", ".join([mark] * width) + ")"
    return _insert_template(dialect, inserted).replace("{rows}", ", ".join([row] * count))


def _identifiers(records: Sequence[StatementRecord]) -> set[str]:
    """Every value of ``records`` kept in ``identifiers``: verbs, object activities, and
    the agents and activities of the index tables."""
    found: set[str] = set()
    for rec in records:
        found.add(rec.verb_id)
        if rec.object_activity_id is not None:
            found.add(rec.object_activity_id)
        found.update(ifi for ifi, _primary in rec.agents)
        found.update(act for act, _primary in rec.activities)
    return found


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Position:
    """The newest ``seq`` and ``stored`` of a write transaction, read from the database
    once and then carried from one grouped unit of work to the next (a unit rolled back
    to its savepoint only leaves a gap: both stay strictly increasing)."""

    def __init__(self) -> None:
        self.seq: int | None = None
        self.us = 0

    def load(self, writer: SqlStatementWriter) -> None:
        if self.seq is None:
            # one subquery per max(): SQLite answers a lone max() from the index, but
            # scans the table for two in one SELECT
            [(seq, us)] = writer.rows(
                "SELECT (SELECT max(seq) FROM statements), (SELECT max(stored_us) FROM statements)"
            )
            self.seq, self.us = int(seq or 0), int(us or 0)


class SqlStatementWriter:
    """A write transaction on statements (see :class:`~.base.StatementWriter`), run on a
    DB-API cursor of a connection already in the transaction; ``mark`` is the driver's
    placeholder (``?`` or ``%s``); ``known``: the identifier keys the store's writers have
    seen committed (:mod:`.known_keys`), told of this transaction's by :meth:`committed`."""

    def __init__(self, cursor: Any, mark: str, position: Position | None = None,
                 known: KnownKeys | None = None) -> None:
        self.cursor = cursor
        self._position = position or Position()
        self._mark = mark
        self._dialect = "sqlite" if mark == "?" else "postgresql"
        self._known = known
        self._learned: dict[str, int] = {}
        """Keys read or added in this transaction: remembered once it is committed."""
        self.inserted = 0
        """Statements inserted through this writer."""

    # --- plumbing -------------------------------------------------------------------------

    def rows(self, template: str, params: Sequence[Any] = ()) -> list[Any]:
        self.cursor.execute(_sql(template, self._mark, len(params)), tuple(params))
        return list(self.cursor.fetchall())

    def rows_in(self, template: str, values: Collection[Any]) -> list[Any]:
        """:meth:`rows` of a query whose ``{in}`` takes ``values``, in chunks the driver
        can bind (a group of requests may look up more ids than one query takes)."""
        found: list[Any] = []
        for chunk in _chunks(list(values), ROW_VALUES):
            found += self.rows(template, chunk)
        return found

    def scalar(self, template: str) -> Any:
        self.cursor.execute(_sql(template, self._mark))
        row = self.cursor.fetchone()
        return row[0] if row else None

    def many(self, template: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.cursor.executemany(_sql(template, self._mark), rows)

    def insert_rows(self, table_columns: str, rows: list[tuple[Any, ...]]) -> None:
        """``INSERT INTO table_columns VALUES (…), (…), …``: one statement per chunk of
        rows, not one per row (each step of the driver also hands the GIL back and forth,
        which other request threads make slow)."""
        if not rows:
            return
        width = len(rows[0])
        for chunk in _chunks(rows, max(1, ROW_VALUES // width)):
            self.cursor.execute(
                _values_sql(table_columns, self._mark, width, len(chunk)),
                [v for row in chunk for v in row],
            )

    # --- StatementWriter ------------------------------------------------------------------

    def find(self, ids: Collection[str]) -> dict[str, StoredStatement]:
        if not ids:
            return {}
        found = self.rows_in(
            'SELECT seq, id, stored, "full", voided, credential_key FROM statements '
            "WHERE id IN ({in})",
            ids,
        )
        return {
            r[1]: StoredStatement(
                seq=r[0], id=r[1], stored=r[2], raw=unpack(r[3]), voided=bool(r[4]),
                credential_key=r[5],
            )
            for r in found
        }

    def voiding_targets(self, ids: Collection[str]) -> set[str]:
        if not ids:
            return set()
        found = self.rows_in(
            "SELECT object_statement_ref FROM statements "
            "WHERE object_statement_ref IN ({in}) AND is_voiding",
            ids,
        )
        return {r[0] for r in found}

    def is_voiding(self, ids: Collection[str]) -> set[str]:
        if not ids:
            return set()
        found = self.rows_in("SELECT id, is_voiding FROM statements WHERE id IN ({in})", ids)
        return {r[0] for r in found if r[1]}

    def clock(self, count: int) -> list[int]:
        self._position.load(self)
        start = max(time.time_ns() // 1000, self._position.us + 1)
        self._position.us = start + count - 1
        return [start + i for i in range(count)]

    def insert(self, records: Sequence[StatementRecord]) -> None:
        if not records:
            return
        self._position.load(self)
        base = self._position.seq or 0
        self._position.seq = base + len(records)
        self.inserted += len(records)
        keys = self.keys(_identifiers(records))
        rows, plain, agents, acts = [], [], [], []
        for seq, rec in enumerate(records, start=base + 1):
            columns = (
                seq,
                rec.id,
                rec.stored,
                rec.stored_us,
                rec.actor_ifi,
                rec.verb_id,
                rec.object_activity_id,
                rec.object_statement_ref,
                rec.registration,
                rec.timestamp,
                rec.voided,
                rec.is_voiding,
                rec.credential_key,
                pack(rec.raw),
                keys[rec.verb_id],
                None if rec.object_activity_id is None else keys[rec.object_activity_id],
                views.utc_text(rec.timestamp),
                views.utc_text(rec.stored),
            )
            if rec.report is not None:
                plain.append((*columns, *rec.report))
            else:
                rows.append((*columns, _seconds(rec.raw), rec.raw))
            agents += [(keys[ifi], seq, primary) for ifi, primary in rec.agents]
            acts += [(keys[act], seq, primary) for act, primary in rec.activities]
        self._insert_plain(plain)
        self._insert_statements(rows)
        self.insert_rows(AGENT_ROWS, agents)
        self.insert_rows(ACTIVITY_ROWS, acts)

    def keys(self, values: Collection[str]) -> dict[str, int]:
        """The key of each agent IFI, activity IRI or verb IRI of ``values`` in
        ``identifiers``, adding the values not stored yet. Keys committed before are
        taken from ``known``; the others with one query for a whole group of statements
        (and two more when some are new). The writers' lock is held, so no other writer
        adds the same value meanwhile; a unit of work rolled back to its savepoint takes
        the keys it added with it (:meth:`forget_since`), and only a committed
        transaction's keys are remembered (:meth:`committed`)."""
        if not values:
            return {}
        found = self._known.get(values) if self._known is not None else {}
        missing = [value for value in values if value not in found]
        if not missing:
            return found
        lookup = "SELECT value, id FROM identifiers WHERE value IN ({in})"
        read: dict[str, int] = dict(self.rows_in(lookup, missing))
        new = sorted(set(missing) - read.keys())
        if new:
            self.insert_rows("identifiers (value)", [(value,) for value in new])
            read.update(self.rows_in(lookup, new))
        self._learned.update(read)
        found.update(read)
        return found

    def unit_begins(self) -> int:
        """A mark of the keys learned so far, for :meth:`forget_since` (at a savepoint)."""
        return len(self._learned)

    def forget_since(self, mark: int) -> None:
        """The unit of work begun at ``mark`` was rolled back to its savepoint: the keys it
        learned first may be of values it added, gone with it."""
        for value in list(self._learned)[mark:]:
            del self._learned[value]

    def committed(self) -> None:
        """The transaction is committed: its keys are the store's for good."""
        if self._known is not None:
            self._known.add(self._learned)
        self._learned = {}

    def _insert_plain(self, rows: list[tuple[Any, ...]]) -> None:
        """Statements with their report values (computed in Python)."""
        if not rows:
            return
        for chunk in _chunks(rows, max(1, ROW_VALUES // len(rows[0]))):
            self.cursor.execute(_plain_insert_sql(self._mark, len(chunk), INSERTED),
                                [v for r in chunk for v in r])

    def _insert_statements(self, rows: list[tuple[Any, ...]]) -> None:
        """Statements whose report values the database reads from the bound JSON."""
        if not rows:
            return
        width = len(rows[0])
        for chunk in _chunks(rows, max(1, ROW_VALUES // width)):
            sql = _insert_sql(self._dialect, self._mark, width, len(chunk), INSERTED)
            self.cursor.execute(sql, [v for r in chunk for v in r])

    def void(self, ids: Collection[str]) -> None:
        for chunk in _chunks(list(ids), ROW_VALUES):
            sql = _sql(
                "UPDATE statements SET voided = ? WHERE id IN ({in}) AND NOT is_voiding",
                self._mark,
                len(chunk),
            )
            self.cursor.execute(sql, (True, *chunk))

    def put_attachments(self, payloads: Mapping[str, tuple[str, bytes]]) -> None:
        if not payloads:
            return
        have = {
            r[0]
            for r in self.rows_in("SELECT sha2 FROM attachments WHERE sha2 IN ({in})", payloads)
        }
        self.many(
            "INSERT INTO attachments (sha2, content_type, content) VALUES (?, ?, ?)",
            [(k, ct, data) for k, (ct, data) in payloads.items() if k not in have],
        )

    def activity_definitions(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        found = self.rows_in("SELECT id, definition FROM activities WHERE id IN ({in})", ids)
        return {r[0]: json.loads(r[1]) for r in found}

    def put_activity_definitions(self, definitions: Mapping[str, dict[str, Any]]) -> None:
        if not definitions:
            return
        have = set(self.activity_definitions(definitions))
        raw = {
            k: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for k, v in definitions.items()
        }
        self.many(
            "UPDATE activities SET definition = ? WHERE id = ?",
            [(text, k) for k, text in raw.items() if k in have],
        )
        self.many(
            "INSERT INTO activities (id, definition) VALUES (?, ?)",
            [(k, text) for k, text in raw.items() if k not in have],
        )
