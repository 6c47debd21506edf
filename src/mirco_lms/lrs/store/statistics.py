"""Planner statistics that keep up with the writes (PostgreSQL).

PostgreSQL plans from statistics that autovacuum refreshes at its next round; right
after a large load over HTTP its GETs can take 10–100× longer until then. The store's
writer counts what it stores and, once the statements grew by :data:`FRACTION` (and at
least :data:`AT_LEAST`) since the last refresh, runs ``ANALYZE`` on them in a thread of
its own, outside the writers' lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
AT_LEAST = 5_000
FRACTION = 0.2


class StatisticsKeeper:
    """Counts stored statements and calls ``refresh`` (in a thread) when they grew enough;
    ``count`` gives the store's size the first time it is needed."""

    def __init__(self, refresh: Callable[[], None], count: Callable[[], int]) -> None:
        self._refresh = refresh
        self._count = count
        self._known: int | None = None
        self._pending = 0
        self._running: threading.Thread | None = None
        self._lock = threading.Lock()

    def stored(self, statements: int) -> None:
        if not statements:
            return
        with self._lock:
            if self._known is None:
                self._known = self._count()
            self._pending += statements
            if self._pending < max(AT_LEAST, FRACTION * self._known):
                return
            if self._running is not None and self._running.is_alive():
                return
            self._known += self._pending
            self._pending = 0
            self._running = threading.Thread(target=self._run, name="mirco-analyze",
                                             daemon=True)
            self._running.start()

    def _run(self) -> None:
        try:
            self._refresh()
        except Exception:  # noqa: BLE001 - statistics are an optimisation: log, go on
            log.warning("refreshing the planner statistics failed", exc_info=True)

    def wait(self) -> None:
        """Wait for a refresh under way (tests, and closing the store)."""
        running = self._running
        if running is not None:
            running.join()
