"""One writer at a time on a SQLite database, across threads and server processes.

SQLite lets one connection write at a time; a connection that finds the database locked
waits in its busy handler, which sleeps and retries (1, 2, 5, 10… up to 100 ms at a
time). With several ``mirco lrs serve`` workers taking turns many times a second, those
sleeps, not the writes, would set the pace — and a rare writer (a document, a credential)
could lose every race until its timeout. So writers queue on a lock file beside the
database instead: ``flock`` hands the lock to the next waiter as soon as it is free, in
the kernel, and the lock dies with its process (a ``kill -9`` leaves nothing to clean).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriterLock:
    """The writers' lock of the SQLite database at ``database`` (a file path)."""

    SUFFIX = "-writer.lock"

    def __init__(self, database: str) -> None:
        self.path = database + self.SUFFIX
        self._threads = threading.Lock()  # flock excludes processes; this, threads
        self._fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._threads:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
