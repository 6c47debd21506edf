"""Running the collector: one uvicorn server process, or several that share the port.

Several workers each listen on their own socket bound with ``SO_REUSEPORT``, so the
kernel spreads incoming connections across them (as nginx's ``reuseport`` and
gunicorn's ``--reuse-port`` do). With one socket shared by every worker, the worker that
wakes first accepts every connection waiting — a client that opens its keep-alive
connections at once then talks to one worker while the others idle.

A supervisor process starts the workers, starts a new one when one dies, and stops them
all on SIGINT or SIGTERM; a worker also stops when its supervisor dies (even by
``kill -9``), so no orphan keeps serving the port.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from typing import Any

APP = "mirco_lms.lrs.app:create_app_from_env"
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


def serve(host: str, port: int, workers: int) -> None:
    """Serve the LRS on ``host:port`` with ``workers`` processes until stopped."""
    import uvicorn

    access_logging()
    if workers == 1:
        uvicorn.run(APP, host=host, port=port, **UVICORN_OPTIONS)
        return
    _check_free(host, port)
    Supervisor(host, port, workers).run()


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
    """Starts ``workers`` server processes, replaces any that dies, stops them on a signal."""

    def __init__(self, host: str, port: int, workers: int) -> None:
        self.host, self.port, self.workers = host, port, workers
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[Any] = []
        self.stopping = False

    def run(self) -> None:
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.processes = [self._start() for _ in range(self.workers)]
            while not self.stopping:
                wait([p.sentinel for p in self.processes], timeout=1.0)
                for index, process in enumerate(self.processes):
                    if not process.is_alive() and not self.stopping:
                        log.warning(
                            "LRS worker %s exited (code %s); starting another",
                            process.pid,
                            process.exitcode,
                        )
                        time.sleep(RESTART_PAUSE)
                        self.processes[index] = self._start()
        finally:
            self._shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _start(self) -> Any:
        process = self.context.Process(
            target=run_worker, args=(self.host, self.port, os.getpid()), daemon=True
        )
        process.start()
        return process

    def _stop(self, _signum: int, _frame: Any) -> None:
        self.stopping = True

    def _shutdown(self) -> None:
        self.stopping = True
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        deadline = time.monotonic() + 30
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def run_worker(host: str, port: int, parent: int) -> None:
    """One server process: its own ``SO_REUSEPORT`` socket on ``host:port``."""
    import uvicorn

    _die_with(parent)
    access_logging()
    sock = reuse_port_socket(host, port)
    config = uvicorn.Config(APP, host=host, port=port, **UVICORN_OPTIONS)
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
