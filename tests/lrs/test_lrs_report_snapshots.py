"""A report's snapshot shared by several connections (``snapshot(readers=…)``,
``companions()``): every companion reads the very state the snapshot's own reads see,
whatever is committed while they are opened or while they read — on SQLite (the first
reads taken while a write transaction holds the writers back) and PostgreSQL (an exported
snapshot). Where SQLite cannot hold the writers back in time, the report reads alone."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from lrs_support import statement
from sqlalchemy import event, func, select

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, reads
from mirco_lms.lrs.store.reads import ReportSource, flat

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
    credential_key="k1",
)
COUNT = select(func.count().label("n")).select_from(flat)


def _fill(store: SqlStore, count: int) -> None:
    writes.save_statements(store, writes.Batch([statement() for _ in range(count)]),
                           SUBMITTER, "1.0.3")


def _counted(source: ReportSource) -> int:
    return int(source.select_views(COUNT)[0]["n"])


def test_companions_read_the_state_of_the_snapshot(store: SqlStore) -> None:
    _fill(store, 10)
    with store.snapshot(readers=3) as snapshot:
        others = snapshot.companions()
        assert len(others) == 2
        _fill(store, 5)  # committed after the snapshot began, before any of it read
        with ThreadPoolExecutor(2) as pool:
            beside = list(pool.map(_counted, others))
        assert [_counted(snapshot), *beside] == [10, 10, 10]
        _fill(store, 5)
        assert [_counted(s) for s in (snapshot, *others)] == [10, 10, 10]
    assert _counted(store) == 20
    with store.snapshot() as alone:  # one reader: no companion
        assert alone.companions() == ()
    assert store.companions() == ()  # outside a snapshot


def test_a_postgresql_companion_plans_no_workers_of_its_own(store: SqlStore) -> None:
    """The report's threads are its parallelism: on PostgreSQL a companion's reads plan
    no parallel workers, the snapshot's own reads keep the server's setting, and the
    setting ends with the report's transactions."""
    if store.is_sqlite:
        pytest.skip("PostgreSQL's parallel plans")
    setting = select(func.current_setting("max_parallel_workers_per_gather").label("n"))
    server = store.select_views(setting)[0]["n"]
    assert server != "0"
    with store.snapshot(readers=2) as snapshot:
        [other] = snapshot.companions()
        assert snapshot.select_views(setting)[0]["n"] == server
        assert other.select_views(setting)[0]["n"] == "0"
    assert store.select_views(setting)[0]["n"] == server


@pytest.fixture
def committed_while_opening(store: SqlStore) -> Iterator[threading.Event]:
    """A statement stored from another thread just as the snapshot's first companion is
    opened (its first read on SQLite, its import of the snapshot on PostgreSQL), given
    half a second to commit before the companion goes on; set once it is committed."""
    done = threading.Event()
    seen = {"markers": 0}

    def store_one() -> None:
        _fill(store, 1)
        done.set()

    def before(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if "sqlite_master" not in sql and "SET TRANSACTION SNAPSHOT" not in sql:
            return
        seen["markers"] += 1
        # SQLite: the snapshot's own first read is the first marker, a companion's the
        # second; PostgreSQL: the first companion's import is the first
        if seen["markers"] == (2 if store.is_sqlite else 1):
            threading.Thread(target=store_one, daemon=True).start()
            done.wait(0.5)

    event.listen(store.engine, "before_cursor_execute", before)
    yield done
    event.remove(store.engine, "before_cursor_execute", before)


def test_a_statement_committed_while_companions_open_is_in_none_of_them(
    store: SqlStore, committed_while_opening: threading.Event
) -> None:
    _fill(store, 4)
    with store.snapshot(readers=2) as snapshot:
        (other,) = snapshot.companions()
        assert (_counted(snapshot), _counted(other)) == (4, 4)
    assert committed_while_opening.wait(10)
    assert _counted(store) == 5


def test_companions_agree_while_a_writer_commits(store: SqlStore) -> None:
    _fill(store, 3)
    stop = threading.Event()

    def writing() -> None:
        while not stop.is_set():
            _fill(store, 2)

    writer = threading.Thread(target=writing, daemon=True)
    writer.start()
    seen = []
    try:
        for _ in range(20):
            with store.snapshot(readers=2) as snapshot:
                (other,) = snapshot.companions()
                first = _counted(snapshot)
                seen.append(first)
                assert _counted(other) == first
    finally:
        stop.set()
        writer.join()
    assert seen[-1] > seen[0]  # the writer did commit between the snapshots


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_reads_alone_when_the_writers_cannot_be_held_back(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(store, 3)
    monkeypatch.setattr(reads, "_PIN_WAIT_MS", 50)
    holder = sqlite3.connect(store.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go
    try:
        with store.snapshot(readers=2) as snapshot:
            assert snapshot.companions() == ()
            assert _counted(snapshot) == 3
    finally:
        holder.rollback()
        holder.close()
    # the connections that tried went back to the pool waiting as long as before
    with store.engine.connect() as a, store.engine.connect() as b, \
            store.engine.connect() as c:
        waits = {int(x.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
                 for x in (a, b, c)}
    assert waits == {60000}
    _fill(store, 1)
    with store.snapshot(readers=2) as snapshot:
        assert len(snapshot.companions()) == 1
        assert _counted(snapshot.companions()[0]) == 4


def test_a_snapshot_that_cannot_be_shared_is_read_alone(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sharing fails with a database error in the snapshot's own transaction (on
    PostgreSQL that ends the transaction): the report reads alone, in a new one."""
    _fill(store, 2)

    @contextmanager
    def failing(engine: Any, conn: Any, count: int) -> Iterator[list[Any]]:
        conn.exec_driver_sql("SELECT no_such_column FROM statements")
        yield []

    monkeypatch.setattr(reads, "_companions", failing)
    with store.snapshot(readers=2) as snapshot:
        assert snapshot.companions() == ()
        _fill(store, 1)
        assert _counted(snapshot) == 3
        assert _counted(snapshot) == 3
