"""Running the collector: one uvicorn server process, or several that share the port.

Several workers each listen on their own socket bound with ``SO_REUSEPORT``, so the
kernel spreads incoming connections across them (as nginx's ``reuseport`` and
gunicorn's ``--reuse-port`` do). With one socket shared by every worker, the worker that
wakes first accepts every connection waiting — a client that opens its keep-alive
connections at once then talks to one worker while the others idle.

A supervisor process starts the workers, starts a new one when one dies, and stops them
all on SIGINT or SIGTERM; a worker also stops when its supervisor dies (even by
``kill -9``), so no orphan keeps serving the port.

On SQLite, the supervisor also starts the one process that writes the statements of every
worker (:mod:`.store.writer_process`), and starts another if it dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from multiprocessing.connection import wait
from typing import Any

APP = "mirco_lms.lrs.http.app:create_app_from_env"
"""The ASGI app factory every server process loads (settings come from ``MIRCO_*``)."""
UVICORN_OPTIONS: dict[str, Any] = {
    "factory": True,
    "access_log": False,  # the app writes its own structured access log
    "log_level": "warning",
    "log_config": None,
}
RESTART_PAUSE = 1.0
"""Seconds between restarts of a worker that keeps dying (a crash loop does not spin)."""
PR_SET_PDEATHSIG = 1

log = logging.getLogger(__name__)


WRITER_START_SECONDS = 60.0
"""How long the supervisor waits for a new writer process to listen."""


def serve(host: str, port: int, workers: int, db: str | None = None) -> None:
    """Serve the LRS on ``host:port`` with ``workers`` processes until stopped; with
    several on the SQLite database ``db``, one more process writes their statements."""
    import uvicorn

    access_logging()
    if workers == 1:
        uvicorn.run(APP, host=host, port=port, **UVICORN_OPTIONS)
        return
    _check_free(host, port)
    Supervisor(host, port, workers, writer_db=db if db and _is_sqlite(db) else None).run()


def _is_sqlite(url: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name() == "sqlite"


def access_logging() -> None:
    """The access log (one JSON line per request, see :mod:`.app`) on stderr."""
    access = logging.getLogger("mirco_lms.lrs.access")
    if access.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


class Supervisor:
    """Starts ``workers`` server processes (and, with ``writer_db``, the statement writer
    process they share), replaces any that dies, stops them on a signal."""

    def __init__(self, host: str, port: int, workers: int, writer_db: str | None = None) -> None:
        self.host, self.port, self.workers = host, port, workers
        self.writer_db = writer_db
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[Any] = []
        self.writer: Any = None
        self.writer_socket = ""
        self.stopping = False

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        socket_dir = None
        try:
            if self.writer_db:
                socket_dir = tempfile.mkdtemp(prefix="mirco-lrs-")  # only this user enters
                self.writer_socket = os.path.join(socket_dir, "writer.sock")
                os.environ["MIRCO_LRS_WRITER"] = self.writer_socket  # for the workers
                self.writer = self._start_writer()
            self.processes = [self._start() for _ in range(self.workers)]
            while not self.stopping:
                everyone = [*self.processes, *([self.writer] if self.writer else [])]
                wait([p.sentinel for p in everyone], timeout=1.0)
                if self.writer is not None and not self.writer.is_alive() and not self.stopping:
                    self._before_restart(self.writer, "statement writer")
                    self.writer = self._start_writer()
                for index, process in enumerate(self.processes):
                    if not process.is_alive() and not self.stopping:
                        self._before_restart(process, "worker")
                        self.processes[index] = self._start()
        finally:
            self._shutdown()
            if socket_dir is not None:
                os.environ.pop("MIRCO_LRS_WRITER", None)
                shutil.rmtree(socket_dir, ignore_errors=True)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _before_restart(self, process: Any, role: str) -> None:
        """Log that ``process`` died, and pause (a crash loop does not spin)."""
        log.warning(
            "LRS %s %s exited (code %s); starting another", role, process.pid, process.exitcode
        )
        time.sleep(RESTART_PAUSE)

    def _start(self) -> Any:
        process = self.context.Process(
            target=run_worker, args=(self.host, self.port, os.getpid()), daemon=True
        )
        process.start()
        return process

    def _start_writer(self) -> Any:
        """Start the statement writer; return once it listens (or has died: it is
        replaced like a worker, and meanwhile writes are answered 503)."""
        process = self.context.Process(
            target=run_writer, args=(self.writer_db, self.writer_socket, os.getpid()), daemon=True
        )
        process.start()
        deadline = time.monotonic() + WRITER_START_SECONDS
        while not listens(self.writer_socket) and process.is_alive():
            if time.monotonic() > deadline or self.stopping:
                break
            time.sleep(0.02)
        return process

    def _stop(self, _signum: int, _frame: Any) -> None:
        self.stopping = True

    def _shutdown(self) -> None:
        """Stop the workers (each finishes the requests under way), then the writer."""
        self.stopping = True
        _terminate(self.processes)
        _terminate([self.writer] if self.writer is not None else [])


def listens(path: str) -> bool:
    """Whether a process accepts connections on the Unix socket ``path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def _terminate(processes: list[Any]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests under way
    deadline = time.monotonic() + 30
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()


def run_writer(db: str, path: str, parent: int) -> None:
    """The statement writer process: listens on the Unix socket ``path``."""
    from mirco_lms.lrs.store.sql import SqlStore
    from mirco_lms.lrs.store.writer_process import WriterServer

    _die_with(parent)
    store = SqlStore(db)
    server = WriterServer(store, path)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, server.stop)
    try:
        server.serve()
    finally:
        store.close()


def run_worker(host: str, port: int, parent: int) -> None:
    """One server process: its own ``SO_REUSEPORT`` socket on ``host:port``, opened once
    the app is loaded (the kernel hands a listening socket its share of the connections at
    once: a worker that listened while it still loaded would keep them waiting)."""
    import uvicorn

    _die_with(parent)
    access_logging()
    config = uvicorn.Config(APP, host=host, port=port, **UVICORN_OPTIONS)
    config.load()  # the app factory: settings, the store
    sock = reuse_port_socket(host, port)
    uvicorn.Server(config).run(sockets=[sock])


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` that other processes may bind too."""
    family, kind, proto, _name, address = _address(host, port)
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _check_free(host: str, port: int) -> None:
    """Fail as a lone server would when ``host:port`` is taken: ``SO_REUSEPORT`` would
    otherwise let the workers share the port with another server of the same user."""
    family, kind, proto, _name, address = _address(host, port)
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)  # raises OSError (address already in use)


def _address(host: str, port: int) -> Any:
    """The first TCP address ``host:port`` resolves to, for a listening socket."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]


def _die_with(parent: int) -> None:
    """Ask Linux to send this process SIGTERM when its parent dies; elsewhere, nothing."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)
