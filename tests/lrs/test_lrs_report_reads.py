"""The reports' streamed reads of the views (``stream_views``) on both databases: what a
plain SELECT reads, a caller stopping early gives the connection and its server-side
cursor back, anything but the documented views refused."""

from __future__ import annotations

import os
import threading

import pytest
from lrs_support import statement
from sqlalchemy import Integer, case, cast, column, event, func, select, text
from sqlalchemy.exc import DBAPIError

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, schema
from mirco_lms.lrs.store.reads import flat

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
    credential_key="k1",
)


def _fill(store: SqlStore, count: int) -> None:
    statements = [statement(actor={"mbox": f"mailto:l{i % 7}@example.org"},
                            timestamp=f"2024-01-01T08:{i // 60:02d}:{i % 60:02d}Z")
                  for i in range(count)]
    writes.save_statements(store, writes.Batch(statements), SUBMITTER, "1.0.3")


def test_streamed_views_read_what_a_plain_select_reads(store: SqlStore) -> None:
    _fill(store, 230)
    query = (select(flat.c.statement_id, flat.c.time, flat.c.actor_id)
             .order_by(flat.c.time, flat.c.statement_id))
    listed = [tuple(r.values()) for r in store.select_views(query)]
    assert len(listed) == 230
    moves: list[str] = []
    me = threading.current_thread()
    for move in ("checkout", "checkin"):
        event.listen(store.engine, move, lambda *_, m=move: (
            moves.append(m) if threading.current_thread() is me else None))
    assert [tuple(r) for r in store.stream_views(query, 20)] == listed
    assert moves == ["checkout", "checkin"]
    # stopped early: the connection goes back to the pool as the loop ends, and on
    # PostgreSQL its named cursor is closed (never left for the garbage collector)
    moves.clear()
    for number, _ in enumerate(store.stream_views(query, 20)):
        if number == 30:
            break
    assert moves == ["checkout", "checkin"]
    # a query over anything but the documented views is refused, however it is wrapped
    statements = schema.statements
    for other in (select(statements.c.id), select(statements.alias("s").c.id),
                  select(select(statements.c.id).subquery()),
                  select(text("SELECT id FROM statements").columns(column("id")).subquery()),
                  select(flat.c.time).where(flat.c.statement_id.in_(select(statements.c.id))),
                  select(func.count()).select_from(statements)):
        with pytest.raises(ValueError, match="documented views only"):
            list(store.stream_views(other))
    # the views aliased, grouped in a subquery, joined to themselves: read
    grouped = (select(flat.c.actor_id, func.min(flat.c.statement_id).label("first"))
               .group_by(flat.c.actor_id).subquery())
    again = flat.alias("again")
    joined = (select(grouped.c.actor_id, again.c.time)
              .select_from(grouped.join(again, again.c.statement_id == grouped.c.first)))
    assert len(list(store.stream_views(joined))) == 7
    # a column of no table (COUNT(*)'s star) is no table read
    assert list(store.stream_views(select(func.count()).select_from(flat))) == [(230,)]


def test_a_snapshot_reads_on_after_a_stream_stopped_early_or_failed(store: SqlStore) -> None:
    """A streamed read stopped early, or failing half-way (a value PostgreSQL cannot
    convert, met after the first chunks), leaves the report's snapshot readable: the
    next reads see what they saw before. Its parameters (an expanded IN list, a bound
    time) are those a plain select binds."""
    _fill(store, 230)
    actors = sorted({r["actor_id"] for r in store.select_views(select(flat.c.actor_id))})
    some = actors[1:3]
    query = (select(flat.c.statement_id, flat.c.actor_id)
             .where(flat.c.actor_id.in_(some), flat.c.time >= "2024-01-01T08:01:00.000Z")
             .order_by(flat.c.time, flat.c.statement_id))
    expected = [tuple(r.values()) for r in store.select_views(query)]
    assert len(expected) > 40 and {r[1] for r in expected} == set(some)
    with store.snapshot() as reads:
        for number, _ in enumerate(reads.stream_views(query, 5)):
            if number == 12:
                break
        assert [tuple(r) for r in reads.stream_views(query, 7)] == expected
        if store.engine.dialect.name == "postgresql":
            late = case((flat.c.time > "2024-01-01T08:03:00.000Z",
                         cast(flat.c.actor_id, Integer)))
            failing = select(flat.c.statement_id, late).order_by(flat.c.time)
            with pytest.raises(DBAPIError, match="invalid input syntax"):
                for _ in reads.stream_views(failing, 10):
                    pass
        assert [tuple(r) for r in reads.stream_views(query, 7)] == expected
        assert len(reads.select_views(query)) == len(expected)


def test_sqlite_sorts_with_helper_threads_on_every_connection(store: SqlStore) -> None:
    """A report's GROUP BY or ORDER BY over the whole store may use helper threads, on
    every connection of the pool (the readers' and the writer's); the other pragmas hold."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("a pragma of SQLite")
    _fill(store, 30)
    expected = min(os.cpu_count() or 1, 4)
    with store.engine.connect() as first, store.engine.connect() as second:
        for conn in (first, second):
            assert conn.execute(text("PRAGMA threads")).scalar() == expected
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA page_size")).scalar() == 4096
    # a grouped read of the flat view sorts with them and reads the same
    grouped = (select(flat.c.actor_id, func.count()).group_by(flat.c.actor_id)
               .order_by(flat.c.actor_id))
    assert [tuple(r.values()) for r in store.select_views(grouped)] == [
        (f"mbox:mailto:l{i}@example.org", 5 if i < 2 else 4) for i in range(7)]
