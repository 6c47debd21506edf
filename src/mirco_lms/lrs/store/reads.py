"""What the reports read: :class:`ReportSource`, and its SQL implementation.

Reports see the collector's database through this narrow interface only: SELECTs over
the documented views (``mirco_statements_flat``, ``mirco_statement_outcomes``, see
``docs/analytics.md``), the learner registry and activity definitions. They never touch
the store's tables, its writers or its class, so a report is as portable as the views.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    column,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.selectable import AliasedReturnsRows
from sqlalchemy.sql.util import find_tables

from mirco_lms.lrs.store import schema
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.registry import Learner
from mirco_lms.lrs.store.views import COLUMNS, OUTCOME_COLUMNS, OUTCOMES_VIEW, VIEW

flat = table(VIEW, *(column(name) for name in COLUMNS))
"""``mirco_statements_flat`` for queries: one row per statement."""
outcomes_view = table(OUTCOMES_VIEW, *(column(name) for name in OUTCOME_COLUMNS))
"""``mirco_statement_outcomes`` for queries: one row per statement and outcome id."""
VIEWS = frozenset({VIEW, OUTCOMES_VIEW})
_CHUNK = 500
"""Ids per ``IN (…)`` list."""
log = logging.getLogger(__name__)


class ReportSource(Protocol):
    """The reads a report may make."""

    def select_views(self, query: Select[Any]) -> list[dict[str, Any]]:
        """The rows of ``query``, a SELECT over the documented views only (anything else
        is refused with ValueError), read in one transaction."""
        ...

    def stream_views(self, query: Select[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
        """The rows of ``query`` (over the documented views only, as :meth:`select_views`)
        as sequences in the query's column order, fetched ``size`` at a time with a
        server-side cursor where the database has one: memory stays that of one batch."""
        ...

    def learners(
        self, *, institution: str | None = None, country: str | None = None
    ) -> list[Learner]:
        """Registered learners (of one institution / country), by institution and name."""
        ...

    def stored_definitions(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored definition of each activity (language maps merged over statements)."""
        ...

    def sent_definitions(
        self, ids: Iterable[str], language: str | None = None
    ) -> dict[str, dict[str, Any]]:
        """The definition sent in the newest statement about each activity (in
        ``language`` if given)."""
        ...

    def snapshot(self, readers: int = 1) -> AbstractContextManager[ReportSource]:
        """A source whose reads all see the store as it was at the first of them (one
        transaction: a report that reads several times never mixes two states of a store
        that is being written). ``readers`` > 1: with up to ``readers - 1``
        :meth:`companions` reading that same state, for reads run in parallel."""
        ...

    def companions(self) -> Sequence[ReportSource]:
        """Sources on connections of their own whose reads see the very state this
        snapshot's reads see, one per thread reading beside this one (as many as
        ``snapshot(readers=…)`` could open: none outside a snapshot, or where the
        database could not share it — then read one after the other)."""
        ...

    def close(self) -> None: ...


class SqlReportReads:
    """:class:`ReportSource` on an SQLAlchemy engine (mixed into the SQL store)."""

    engine: Engine

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection in a transaction of its own, for one read."""
        with self.engine.connect() as conn, conn.begin():
            _for_reports(conn)
            yield conn

    @contextmanager
    def snapshot(self, readers: int = 1) -> Iterator[ReportSource]:
        with ExitStack() as stack:
            conn = stack.enter_context(_snapshot_transaction(self.engine))
            others: list[Connection] = []
            if readers > 1:
                try:
                    others = stack.enter_context(_companions(self.engine, conn, readers - 1))
                except DBAPIError as e:
                    log.info("a report reads in one thread: no shared snapshot (%s)", e.orig)
                    # nothing was read yet: begin again, alone (a statement that failed
                    # in it ends a PostgreSQL transaction)
                    stack.close()
                    conn = stack.enter_context(_snapshot_transaction(self.engine))
            yield _Snapshot(self.engine, conn,
                            tuple(_Snapshot(self.engine, other) for other in others))

    def companions(self) -> Sequence[ReportSource]:
        return ()

    def select_views(self, query: Select[Any]) -> list[dict[str, Any]]:
        _views_only(query)
        with self._reading() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def stream_views(self, query: Select[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
        _views_only(query)
        with self._reading() as conn:
            if _chunked(conn):
                yield from _in_chunks(conn, query, size)
                return
            result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
            with result:  # its server-side cursor closed when the caller stops early too
                for rows in result.partitions():
                    yield from rows

    def learners(
        self, *, institution: str | None = None, country: str | None = None
    ) -> list[Learner]:
        found = schema.learners
        query = select(found).order_by(found.c.institution, found.c.name, found.c.actor_ifi)
        if institution is not None:
            query = query.where(found.c.institution == institution)
        if country is not None:
            query = query.where(found.c.country == country.upper())
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return [
            Learner(r.actor_ifi, r.account, r.email, r.name, r.institution, r.country, r.unit,
                    r.gender)
            for r in rows
        ]

    def stored_definitions(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = sorted(set(ids))
        out: dict[str, dict[str, Any]] = {}
        acts = schema.activities
        with self._reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                for r in conn.execute(select(acts).where(acts.c.id.in_(chunk))):
                    out[r.id] = json.loads(r.definition)
        return out

    def sent_definitions(
        self, ids: Iterable[str], language: str | None = None
    ) -> dict[str, dict[str, Any]]:
        statements, identifiers = schema.statements, schema.identifiers
        wanted = sorted(set(ids))
        out: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            keys: dict[str, int] = {}
            for start in range(0, len(wanted), _CHUNK):
                found = conn.execute(
                    select(identifiers.c.value, identifiers.c.id)
                    .where(identifiers.c.value.in_(wanted[start : start + _CHUNK])))
                keys.update({value: key for value, key in found})
            for activity in wanted:
                if activity not in keys:
                    continue  # in no stored statement
                query = (
                    select(statements.c.full)
                    .where(statements.c.object_key == keys[activity],
                           statements.c.voided.is_(False))
                    .order_by(statements.c.seq.desc()).limit(1)
                )
                if language is not None:
                    # on the statement itself: walking the activity's (activity, seq)
                    # index back to the newest in that language, not computing the view
                    query = query.where(_language(self.engine.dialect.name) == language)
                raw = conn.execute(query).scalar()
                if raw:
                    definition = (json.loads(unpack(raw)).get("object") or {}).get("definition")
                    if isinstance(definition, dict):
                        out[activity] = definition
        return out


class _Snapshot(SqlReportReads):
    """The reads of :meth:`SqlReportReads.snapshot`: every one on its connection, in its
    transaction."""

    def __init__(self, engine: Engine, conn: Connection,
                 others: tuple[ReportSource, ...] = ()) -> None:
        self.engine = engine
        self._conn = conn
        self._others = others

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        yield self._conn

    @contextmanager
    def snapshot(self, readers: int = 1) -> Iterator[ReportSource]:
        yield self

    def companions(self) -> Sequence[ReportSource]:
        return self._others

    def close(self) -> None:
        """The snapshot ends with its ``with`` block."""


@contextmanager
def _snapshot_transaction(engine: Engine, exported: str | None = None) -> Iterator[Connection]:
    """A connection in a report's transaction: one snapshot for every read of it
    (PostgreSQL: the ``exported`` one, if given)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # one snapshot for every statement of the transaction (READ COMMITTED, the
            # default, takes one per statement); SQLite's deferred BEGIN takes its
            # snapshot at the first read and keeps it to the end
            conn.execution_options(isolation_level="REPEATABLE READ",
                                   postgresql_readonly=True)
        with conn.begin():
            if exported is not None:  # the transaction's first statement
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{exported}'")
            _for_reports(conn)
            yield conn


_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")
"""What ``pg_export_snapshot()`` returns (``00000003-0000001B-1``)."""
_PIN_WAIT_MS = 5000
"""How long SQLite waits for a writer's transaction to end before it shares a snapshot."""


@contextmanager
def _companions(engine: Engine, conn: Connection, count: int) -> Iterator[list[Connection]]:
    """``count`` more connections in transactions that see what ``conn``'s does.

    PostgreSQL: ``conn``'s snapshot is exported and each imports it (``SET TRANSACTION
    SNAPSHOT``, as ``pg_dump --jobs`` does). SQLite cannot hand a snapshot over; its
    snapshot is taken at a transaction's first read, so ``conn`` and the others read
    their first page while a write transaction held for that moment keeps every writer
    from committing in between — the writers wait for those few reads, never for the
    report. ``conn`` must not have read yet (SQLite): a snapshot already taken could be
    older than any the others could take. A PostgreSQL companion plans no parallel
    workers (the report's threads are its parallelism)."""
    with ExitStack() as stack:
        if conn.dialect.name == "postgresql":
            exported = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar())
            if not _SNAPSHOT_ID.fullmatch(exported):
                raise ValueError(f"not a snapshot id: {exported!r}")
            others = [stack.enter_context(_snapshot_transaction(engine, exported))
                      for _ in range(count)]
            for other in others:
                # the report's threads are its parallelism: a companion's reads plan no
                # workers of their own, which would take the cores the snapshot's own
                # (parallel) reads use — --by outcome at 1,000,000 statements on two
                # cores took 4.4-4.8 s so, 4.9-6.0 s with workers on both sides
                other.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
            yield others
            return
        with engine.connect() as pin:
            waits = int(pin.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
            pin.exec_driver_sql(f"PRAGMA busy_timeout={_PIN_WAIT_MS}")
            pin.rollback()  # the transaction the pragmas began, which read nothing
            try:
                with pin.execution_options(mirco_write=True).begin():  # BEGIN IMMEDIATE
                    others = [stack.enter_context(_snapshot_transaction(engine))
                              for _ in range(count)]
                    for reader in (conn, *others):
                        reader.exec_driver_sql("SELECT count(*) FROM sqlite_master")
            finally:
                pin.exec_driver_sql(f"PRAGMA busy_timeout={waits}")
        yield others


def _for_reports(conn: Connection) -> None:
    """Settings of a report's read, for its transaction only. PostgreSQL without JIT:
    its estimates of the view's rows (a million groups where there are tens of thousands
    of enrolments) made it compile every report's query, 0.5–2 s of a 4 s read at a
    million statements, for no gain in the execution."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))


def _chunked(conn: Connection) -> bool:
    """Whether ``conn`` streams a query's rows in chunks from a client-side cursor:
    PostgreSQL through psycopg on libpq 17 or later."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return False
    import psycopg  # the PostgreSQL driver: imported only for a PostgreSQL store

    return psycopg.pq.version() >= 170000


def _in_chunks(conn: Connection, query: Select[Any], size: int) -> Iterator[Sequence[Any]]:
    """PostgreSQL: ``query``'s rows streamed in chunks of ``size`` from a client-side
    cursor (psycopg's ``Cursor.stream``, libpq's chunked mode), as the driver gives them.

    SQLAlchemy streams through a server-side cursor (``DECLARE``), which PostgreSQL
    never plans in parallel, and wraps each row: the 486,000 answers and session ends of
    ``--by outcome`` at 1,000,000 statements took 2.7–3.4 s so, 1.5 s in chunks. A
    caller that stops early leaves the query cancelled by psycopg; the savepoint taken
    before it keeps the report's transaction (and its snapshot) usable after it."""
    compiled = query.compile(dialect=conn.dialect,
                             compile_kwargs={"render_postcompile": True})
    statement, params = str(compiled), compiled.params
    driver = conn.connection.driver_connection
    assert driver is not None  # a connection in a transaction
    with conn.begin_nested() as savepoint, driver.cursor() as cursor:
        try:
            yield from cursor.stream(statement, params, size=size)
        except GeneratorExit:
            savepoint.rollback()  # the cancelled query (if it was) ends with the savepoint
            raise
        except conn.dialect.loaded_dbapi.Error as e:
            savepoint.rollback()
            raise DBAPIError.instance(statement, params, e,
                                      conn.dialect.loaded_dbapi.Error) from e


def _views_only(query: Select[Any]) -> None:
    read: set[str] = set()
    for found in find_tables(query, include_aliases=True, check_columns=True):
        if found is None:
            continue  # a column of no table: COUNT(*)'s star, a literal
        while isinstance(found, AliasedReturnsRows):  # an alias, a subquery, a CTE
            found = found.element
        if isinstance(found, Select):
            continue  # a subquery: the tables it reads are found too
        read.add(str(getattr(found, "name", found)))
    other = sorted(read - VIEWS)
    if other:
        raise ValueError(f"reports read the documented views only, not {other}")


def _language(dialect: str) -> ColumnElement[Any]:
    """A statement's ``context.language`` (its report column: on SQLite the column has
    no type, so it is compared as written, not as SQLAlchemy's BLOB)."""
    return literal_column("statements.language")
