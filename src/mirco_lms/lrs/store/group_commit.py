"""The statement writer of a store: one thread, one connection, commits in groups.

Statement writes from every request of a server process are queued to one thread that
takes what has arrived, runs it in one transaction on its own connection, and then
answers every waiting request. Concurrent clients share commits (and their fsync); a unit
that breaks an xAPI rule fails alone and the others are committed without it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from mirco_lms.errors import MircoError
from mirco_lms.lrs.store.known_keys import KnownKeys
from mirco_lms.lrs.store.writer import SqlStatementWriter

log = logging.getLogger(__name__)

T = TypeVar("T")


class CommitTarget(Protocol):
    """What a group commit needs of the store it writes to (the SQL store has it)."""

    mark: str
    """The DB-API parameter mark of its dialect (``?`` or ``%s``)."""
    known_keys: KnownKeys
    """The identifier keys its writers have seen committed."""

    def writer_connection(self) -> Any:
        """A DB-API connection of its own, kept by the writer thread."""

    def raw_transaction(self, raw: Any) -> AbstractContextManager[Any]:
        """A cursor in one transaction on ``raw``: committed on exit, rolled back on error."""

    def stored(self, statements: int) -> None:
        """Told after each commit how many statements it stored."""


class GroupCommit:
    """One writer thread that commits concurrent units of work together.

    The thread keeps one DB-API connection of the pool for its whole life (no checkout,
    reset or SQLAlchemy result objects per request); a connection whose transaction
    failed is closed and replaced by a fresh one for the next group.
    """

    MAX_UNITS = 64

    def __init__(self, store: CommitTarget) -> None:
        self.store = store
        self.queue: queue.SimpleQueue[tuple[Callable[[Any], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self._raw: Any = None

    def submit(self, work: Callable[[SqlStatementWriter], T]) -> Future[T]:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="mirco-lrs-writer", daemon=True
                )
                self.thread.start()
        future: Future[T] = Future()
        self.queue.put((work, future))
        return future

    def stop(self) -> None:
        with self.lock:
            if self.thread is not None:
                self.queue.put(None)
                self.thread.join(30)
                self.thread = None
            else:  # units were committed by a caller's thread (:meth:`commit`)
                self._drop_connection(invalidate=False)

    def _run(self) -> None:
        try:
            while True:
                first = self.queue.get()
                if first is None:
                    return
                units = [first]
                while len(units) < self.MAX_UNITS:
                    try:
                        unit = self.queue.get_nowait()
                    except queue.Empty:
                        break
                    if unit is None:
                        self.queue.put(None)
                        break
                    units.append(unit)
                self.commit(units)
        finally:
            self._drop_connection(invalidate=False)

    def _connection(self) -> Any:
        if self._raw is None:
            self._raw = self.store.writer_connection()
        return self._raw

    def _drop_connection(self, *, invalidate: bool) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            try:
                if invalidate:
                    raw.invalidate()
                else:
                    raw.close()
            except Exception:  # noqa: BLE001 - a broken connection is dropped either way
                log.debug("dropping the writer's connection failed", exc_info=True)

    def commit(self, units: list[tuple[Callable[[Any], Any], Future[Any]]]) -> None:
        """Run ``units`` in one transaction on this writer's connection and settle their
        futures once it is committed (the writer thread calls this; so does the writer
        process of several workers, :mod:`.writer_process`)."""
        # a caller that gave up (its future cancelled before the write began) is skipped;
        # from here on its future cannot be cancelled
        units = [(work, future) for work, future in units if future.set_running_or_notify_cancel()]
        if not units:
            return
        if self._commit_together(units):
            return
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        futures = [future for _work, future in units]
        try:
            with self.store.raw_transaction(self._connection()) as cursor:
                writer = SqlStatementWriter(cursor, self.store.mark, known=self.store.known_keys)
                if len(units) == 1:  # alone: its error rolls back the whole transaction
                    work, future = units[0]
                    outcomes.append((future, work(writer), None))
                    units = []
                for work, future in units:
                    # plain SQL savepoints: a unit that raises is rolled back alone
                    cursor.execute("SAVEPOINT mirco_unit")
                    mark = writer.unit_begins()
                    try:
                        outcomes.append((future, work(writer), None))
                    except Exception as exc:  # noqa: BLE001 - handed to the waiting caller
                        cursor.execute("ROLLBACK TO SAVEPOINT mirco_unit")
                        writer.forget_since(mark)
                        outcomes.append((future, None, exc))
                    cursor.execute("RELEASE SAVEPOINT mirco_unit")
            writer.committed()
            inserted = writer.inserted
        except Exception as exc:  # noqa: BLE001 - the commit failed: every caller gets it
            if not _is_rule_error(exc):
                self._drop_connection(invalidate=True)
            for future in futures:
                future.set_exception(exc)
            return
        _settle(outcomes)
        self.store.stored(inserted)

    def _commit_together(self, units: list[tuple[Callable[[Any], Any], Future[Any]]]) -> bool:
        """Units whose work can run as one (the same ``run_together``, such as statement
        submissions: one lookup and one insert for all) run so, in one transaction; True
        once their callers have their outcomes. False when they cannot — or when that
        raised (not a rule of theirs: those are outcomes): the transaction is rolled back
        and the caller runs the units one at a time, so the one at fault fails alone."""
        together = getattr(units[0][0], "run_together", None)
        if together is None or len(units) == 1:
            return False
        if any(getattr(work, "run_together", None) is not together for work, _future in units):
            return False
        try:
            with self.store.raw_transaction(self._connection()) as cursor:
                writer = SqlStatementWriter(cursor, self.store.mark, known=self.store.known_keys)
                errors = together(writer, [work for work, _f in units])
            writer.committed()
        except Exception:  # noqa: BLE001 - retried unit by unit, which finds the one at fault
            log.debug("a group of writes failed together; retrying one by one", exc_info=True)
            self._drop_connection(invalidate=True)
            return False
        _settle([(future, None, error) for (_w, future), error in zip(units, errors, strict=True)])
        self.store.stored(writer.inserted)
        return True


def _settle(outcomes: list[tuple[Future[Any], Any, BaseException | None]]) -> None:
    for future, value, error in outcomes:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)


def _is_rule_error(exc: BaseException) -> bool:
    """An error of the LRS's rules (400, 409…), raised by a unit of work: the connection
    is fine. Anything else may have left it broken."""
    return isinstance(exc, MircoError)
