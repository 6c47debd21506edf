"""One statement writer for every worker of a SQLite LRS, in a process of its own.

With ``mirco lrs serve --workers N`` on SQLite, the HTTP workers do not write statements
themselves. They check and prepare each request's statements, then hand the submission to
one writer process over a Unix socket (:class:`RemoteWriter`). The writer runs every
submission that arrived together as one group commit (:class:`~.group_commit.GroupCommit`)
and answers each once it is durable (:class:`WriterServer`).

Why a process: SQLite lets one connection write at a time. When every worker wrote, the
workers took turns on the writers' lock, and each held it longer than its work took: its
writer thread shared a GIL and two cores with the request threads of its process. Each
also dropped its page cache whenever another had written, and grouped only its own
requests. The one writer holds the lock for its own work alone, keeps its cache warm, and
puts the requests of every worker in one commit (one fsync).

Failure: when the writer process dies, the requests waiting on it are answered 503
(they may or may not be stored: a statement sent again with its id is stored once), the
supervisor starts another, and the workers connect to it on their next write.

Messages are pickles framed by their length, between processes of one server run: the
socket lives in a directory only its user can enter.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from mirco_lms.errors import MircoError, ServiceUnavailable
from mirco_lms.lrs.store.group_commit import CommitTarget, GroupCommit

if TYPE_CHECKING:
    from mirco_lms.lrs.store.writer import SqlStatementWriter

log = logging.getLogger(__name__)

T = TypeVar("T")

HEADER = struct.Struct("!IQ")
"""Each message: the length of its pickle and the request it belongs to (network order),
then the pickle — of a unit of work, or of its outcome ``(value, error)``."""
DRAIN_SECONDS = 30.0
"""How long a stopping writer keeps answering the workers still connected to it."""
SEND_BUFFER = 4 * 1024 * 1024
"""Socket send buffer of a worker: a burst of batches queues in the kernel while the
writer commits, instead of blocking the worker."""


def frame(request_id: int, payload: bytes) -> bytes:
    return HEADER.pack(len(payload), request_id) + payload


def unframe(buffer: bytearray) -> Iterator[tuple[int, Any]]:
    """The whole messages at the start of ``buffer`` as ``(request id, unpickled)``,
    removed from it as they are read."""
    start = 0
    while len(buffer) - start >= HEADER.size:
        size, request_id = HEADER.unpack_from(buffer, start)
        end = start + HEADER.size + size
        if len(buffer) < end:
            break
        yield request_id, pickle.loads(memoryview(buffer)[start + HEADER.size : end])
        start = end
    del buffer[:start]


class WriterUnavailable(ServiceUnavailable):
    """The writer process could not be reached, or went away before it answered."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            hint="send the same request again shortly, with the same statement ids (give "
            "each statement an id before sending): a statement sent again with its id is "
            "stored once, so retrying is safe even if the first attempt was stored",
        )


# --- the workers' side -------------------------------------------------------------------


class RemoteWriter:
    """Hands units of work to the writer process at ``path``: what
    :class:`~.group_commit.GroupCommit` does in one process, across processes.

    One connection per worker process, opened on first use and again after the writer
    restarted; a thread of its own reads the answers and settles the callers' futures."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.sock: socket.socket | None = None
        self.pending: dict[int, Future[Any]] = {}
        self.last_id = 0

    def submit(self, work: Callable[[SqlStatementWriter], T]) -> Future[T]:
        future: Future[T] = Future()
        payload = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
        with self.lock:
            try:
                sock = self.sock or self._connect()
            except OSError as exc:
                future.set_exception(
                    WriterUnavailable(f"the statement writer is not running ({exc.strerror})")
                )
                return future
            self.last_id += 1
            self.pending[self.last_id] = future
            future.set_running_or_notify_cancel()  # sent: the caller can no longer cancel it
            try:
                sock.sendall(frame(self.last_id, payload))
            except OSError:
                self._lost(sock)
        return future

    def stop(self) -> None:
        with self.lock:
            if self.sock is not None:
                self._lost(self.sock)

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
            sock.connect(self.path)
        except OSError:
            sock.close()
            raise
        self.sock = sock
        threading.Thread(
            target=self._receive, args=(sock,), name="mirco-lrs-writer-answers", daemon=True
        ).start()
        return sock

    def _receive(self, sock: socket.socket) -> None:
        buffer = bytearray()
        try:
            while chunk := sock.recv(1 << 16):
                buffer += chunk
                for request_id, (value, error) in unframe(buffer):
                    with self.lock:
                        future = self.pending.pop(request_id, None)
                    if future is None:
                        continue
                    if error is not None:
                        future.set_exception(error)
                    else:
                        future.set_result(value)
        except OSError:
            pass  # closed: by the writer going away, or by stop()
        except Exception:  # noqa: BLE001 - an answer that cannot be read ends the connection
            log.exception("unreadable answer from the statement writer; reconnecting")
        with self.lock:
            self._lost(sock)

    def _lost(self, sock: socket.socket) -> None:
        """``sock`` is closed; the callers still waiting on it get a 503 (call with
        ``self.lock`` held)."""
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        if self.sock is not sock:
            return
        self.sock = None
        waiting, self.pending = self.pending, {}
        for future in waiting.values():
            future.set_exception(
                WriterUnavailable(
                    "the statement writer stopped before it answered: the statements of "
                    "this request may or may not have been stored"
                )
            )


# --- the writer's side -------------------------------------------------------------------


class WriterServer:
    """The writer process's loop: reads the units of work every connected worker sends,
    runs those that arrived together as one group commit on ``store``, answers each.

    One thread does it all — reading, writing to the database, answering — so nothing in
    the process competes with the write for its GIL."""

    def __init__(self, store: CommitTarget, path: str) -> None:
        self.group = GroupCommit(store)
        self.path = path
        self.stopping = False
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[socket.socket, bytearray] = {}
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # a socket left by a writer that was killed
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(128)
        self.selector.register(self.listener, selectors.EVENT_READ)

    def serve(self) -> None:
        """Answer until :meth:`stop`; then until every worker has gone, or
        :data:`DRAIN_SECONDS` have passed."""
        deadline = None
        try:
            while self.buffers or not self.stopping:
                if self.stopping and deadline is None:
                    deadline = time.monotonic() + DRAIN_SECONDS
                    self._close_listener()
                if deadline is not None and time.monotonic() > deadline:
                    break
                units = self._read(self.selector.select(timeout=0.5))
                for start in range(0, len(units), self.group.MAX_UNITS):
                    self._run(units[start : start + self.group.MAX_UNITS])
        finally:
            self._close_listener()
            for sock in list(self.buffers):
                self._drop(sock)
            self.selector.close()
            self.group.stop()

    def stop(self, *_signal: Any) -> None:
        self.stopping = True

    def _read(self, events: list[tuple[selectors.SelectorKey, int]]) -> list[Any]:
        units: list[tuple[socket.socket, int, Any]] = []
        for key, _mask in events:
            sock: socket.socket = key.fileobj  # type: ignore[assignment]
            if sock is self.listener:
                self._accept()
                continue
            try:
                chunk = sock.recv(1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self._drop(sock)
                continue
            buffer = self.buffers[sock]
            buffer += chunk
            try:
                units.extend((sock, request_id, work) for request_id, work in unframe(buffer))
            except Exception:  # noqa: BLE001 - a worker that sends garbage is cut off
                log.exception("unreadable message from an LRS worker; closing its connection")
                self._drop(sock)
        return units

    def _run(self, units: list[tuple[socket.socket, int, Any]]) -> None:
        futures: list[Future[Any]] = [Future() for _unit in units]
        self.group.commit([(work, f) for (_s, _i, work), f in zip(units, futures, strict=True)])
        for (sock, request_id, _work), future in zip(units, futures, strict=True):
            if sock not in self.buffers:
                continue  # that worker went away; it told its callers already
            try:
                sock.sendall(frame(request_id, _answer(future)))
            except OSError:
                self._drop(sock)

    def _accept(self) -> None:
        try:
            sock, _address = self.listener.accept()
        except OSError:
            return
        self.buffers[sock] = bytearray()
        self.selector.register(sock, selectors.EVENT_READ)

    def _drop(self, sock: socket.socket) -> None:
        if self.buffers.pop(sock, None) is not None:
            self.selector.unregister(sock)
        sock.close()

    def _close_listener(self) -> None:
        if self.listener.fileno() != -1:
            self.selector.unregister(self.listener)
            self.listener.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)


def _answer(future: Future[Any]) -> bytes:
    """The pickled outcome ``(value, error)`` of a unit of work, as the worker can read
    it: the LRS's own errors as they are (their status and message reach the client),
    anything else — or one that would not unpickle — as a 500 that names it."""
    error = future.exception()
    if error is None:
        return pickle.dumps((future.result(), None), pickle.HIGHEST_PROTOCOL)
    if isinstance(error, MircoError):
        answer = pickle.dumps((None, error), pickle.HIGHEST_PROTOCOL)
        try:
            pickle.loads(answer)  # what fails, fails here: the worker could not read it
        except Exception:  # noqa: BLE001 - an error that does not survive the trip
            log.debug("an LRS error does not pickle", exc_info=True)
        else:
            return answer
    failed = RuntimeError(f"the statement writer failed: {type(error).__name__}: {error}")
    return pickle.dumps((None, failed), pickle.HIGHEST_PROTOCOL)
