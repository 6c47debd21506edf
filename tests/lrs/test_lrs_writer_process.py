"""The statement writer process that the workers of a SQLite LRS share
(:mod:`mirco_lms.lrs.store.writer_process`): a real process on a Unix socket, fed by
stores opened with ``writer=`` as the workers open theirs."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from lrs_support import statement

from mirco_lms.errors import Conflict, XapiValidationError
from mirco_lms.lrs.http.server import listens, run_writer
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, open_store
from mirco_lms.lrs.store.writer_process import (
    HEADER,
    WriterUnavailable,
    _answer,
    frame,
    unframe,
)

pytestmark = pytest.mark.slow

SUBMITTER = writes.Submitter(authority={"mbox": "mailto:lrs@example.org"})
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


class Writer:
    """A writer process on ``path``, as the supervisor of ``mirco lrs serve`` starts it."""

    def __init__(self, db: str, path: str) -> None:
        self.db, self.path = db, path
        self.process: Any = None

    def start(self) -> Writer:
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(target=run_writer, args=(self.db, self.path, os.getpid()))
        self.process.start()
        deadline = time.monotonic() + 30
        while not listens(self.path):
            assert self.process.is_alive(), "the writer process died at start"
            assert time.monotonic() < deadline, "the writer did not listen within 30 s"
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(10)


@pytest.fixture
def socket_path(tmp_path: Path) -> str:
    return str(tmp_path / "writer.sock")


@pytest.fixture
def writer(sqlite_url: str, socket_path: str) -> Iterator[Writer]:
    open_store(sqlite_url).close()  # created and migrated before the writer starts
    process = Writer(sqlite_url, socket_path).start()
    yield process
    process.stop()


@pytest.fixture
def worker(sqlite_url: str, socket_path: str, writer: Writer) -> Iterator[SqlStore]:
    """A store as a worker opens it: its statements go to the writer process."""
    store = open_store(sqlite_url, writer=socket_path)
    yield store
    store.close()


def save(store: SqlStore, *stmts: dict[str, Any]) -> list[str]:
    return writes.save_statements(
        store, writes.Batch([dict(s) for s in stmts]), SUBMITTER, "1.0.3"
    )


def test_statements_of_many_threads_are_each_stored_once(worker, sqlite_url) -> None:
    sent: list[str] = []
    lock = threading.Lock()

    def post() -> None:
        for _ in range(20):
            ids = save(worker, *(statement(id=str(uuid.uuid4())) for _ in range(5)))
            with lock:
                sent.extend(ids)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reader = open_store(sqlite_url)
    try:
        assert reader.count() == len(sent) == 800
        assert all(reader.get(i, voided=False) is not None for i in sent[::37])
    finally:
        reader.close()


def test_a_broken_rule_reaches_the_worker_whole(worker) -> None:
    """Errors of the LRS's rules cross the socket with their status, message and hint."""
    first = statement(id=str(uuid.uuid4()))
    save(worker, first)
    other = statement(id=first["id"], verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    with pytest.raises(Conflict) as conflict:
        save(worker, other)
    assert conflict.value.status == 409
    assert first["id"] in conflict.value.message and conflict.value.hint

    voiding = statement(
        id=str(uuid.uuid4()),
        verb={"id": VOIDED},
        object={"objectType": "StatementRef", "id": first["id"]},
    )
    save(worker, voiding)
    again = statement(
        verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voiding["id"]}
    )
    with pytest.raises(XapiValidationError) as invalid:
        save(worker, again)
    assert (invalid.value.path, invalid.value.rule) == ("$.object.id", "no-voiding-of-voiding")
    assert worker.get(first["id"], voided=True) is not None


def test_without_a_writer_a_write_is_a_503_at_once(sqlite_url, tmp_path) -> None:
    store = open_store(sqlite_url, writer=str(tmp_path / "nobody.sock"))
    try:
        started = time.monotonic()
        with pytest.raises(WriterUnavailable) as unavailable:
            save(store, statement())
        assert time.monotonic() - started < 2
        assert (
            unavailable.value.status == 503 and "same statement ids" in unavailable.value.hint
        )
        assert store.count() == 0
    finally:
        store.close()


def test_a_worker_finds_the_next_writer_when_one_dies(worker, writer, sqlite_url, socket_path):
    save(worker, statement(id=str(uuid.uuid4())))
    os.kill(writer.process.pid, signal.SIGKILL)
    writer.process.join(10)
    with pytest.raises(WriterUnavailable):  # the dead writer's socket file is still there
        save(worker, statement(id=str(uuid.uuid4())))
    replacement = Writer(sqlite_url, socket_path).start()
    try:
        kept = str(uuid.uuid4())
        assert save(worker, statement(id=kept)) == [kept]
        assert worker.get(kept, voided=False) is not None
    finally:
        worker.close()  # else the replacement, stopping, waits for this worker to go
        replacement.stop()


def test_a_stopping_writer_answers_until_its_workers_have_gone(worker, writer) -> None:
    save(worker, statement(id=str(uuid.uuid4())))
    writer.process.terminate()  # SIGTERM, as at the end of `mirco lrs serve`
    time.sleep(0.3)
    assert writer.process.is_alive()
    kept = str(uuid.uuid4())
    assert save(worker, statement(id=kept)) == [kept]
    worker.close()  # the worker goes: the writer has no one left to answer
    writer.process.join(10)
    assert writer.process.exitcode == 0
    assert not os.path.exists(writer.path)


def test_messages_are_read_whole_however_the_bytes_arrive() -> None:
    stream = b"".join(frame(n, pickle.dumps({"n": n, "pad": "x" * n})) for n in (1, 2, 300))
    buffer = bytearray()
    read: list[tuple[int, Any]] = []
    for start in range(0, len(stream), 7):  # in pieces that cut headers and pickles
        buffer += stream[start : start + 7]
        read.extend(unframe(buffer))
    assert [(n, body["n"]) for n, body in read] == [(1, 1), (2, 2), (300, 300)]
    assert not buffer
    partial = bytearray(stream[: HEADER.size + 3])
    assert list(unframe(partial)) == [] and len(partial) == HEADER.size + 3


def _outcome(error: BaseException) -> tuple[Any, BaseException]:
    """What the worker reads of a unit that failed with ``error``."""
    future: Future[Any] = Future()
    future.set_exception(error)
    return pickle.loads(_answer(future))


def test_errors_other_than_the_lrs_rules_become_server_errors_that_name_them() -> None:
    _value, conflict = _outcome(Conflict("taken", hint="send a new id"))
    assert isinstance(conflict, Conflict)
    assert (conflict.message, conflict.hint) == ("taken", "send a new id")
    _value, failed = _outcome(sqlite3.OperationalError("disk I/O error"))
    assert isinstance(failed, RuntimeError)
    assert "OperationalError: disk I/O error" in str(failed)


def test_an_unreadable_answer_fails_the_request_instead_of_leaving_it_waiting(tmp_path) -> None:
    """A writer that answers garbage: the caller gets a 503, the connection is dropped."""
    import socket

    from mirco_lms.lrs.store.writer_process import RemoteWriter

    path = str(tmp_path / "garbage.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def answer_garbage() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(1 << 16)
            conn.sendall(frame(1, b"not a pickle"))
            conn.recv(1)  # until the worker hangs up

    thread = threading.Thread(target=answer_garbage)
    thread.start()
    remote = RemoteWriter(path)
    try:
        future = remote.submit(len)  # any picklable unit of work
        with pytest.raises(WriterUnavailable):
            future.result(timeout=10)
        assert remote.sock is None
    finally:
        remote.stop()
        thread.join(10)
        listener.close()
