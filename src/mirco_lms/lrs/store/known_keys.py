"""The keys of ``identifiers`` a store's writers have seen committed, kept in memory.

Every group of statements needs the key of each agent IFI, activity IRI and verb IRI it
carries (schema 7): one query per group, two more when some values are new. The same
learners, verbs and activities come back group after group, so most of those lookups
find what an earlier group found.

A value's key never changes once committed (nothing updates or deletes ``identifiers``),
so a writer may remember it. Only keys of committed transactions are remembered
(:meth:`SqlStatementWriter.committed <mirco_lms.lrs.store.writer.SqlStatementWriter>`):
a key added by a unit rolled back to its savepoint, or by a transaction that failed, never
enters. The memory is bounded (least recently used values leave first), so it stays flat
however many learners the store holds; a value it no longer holds is looked up again.
Several processes on one database each keep their own: a key committed by one is the
same for all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping

DEFAULT_LIMIT = 100_000
"""Values remembered (about 15 MiB): every learner and activity of a large region."""


class KnownKeys:
    """A bounded, thread-safe map of identifier value → committed key."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._keys: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, values: Collection[str]) -> dict[str, int]:
        """The remembered keys of ``values`` (those it holds), now the most recently used."""
        found: dict[str, int] = {}
        with self._lock:
            keys = self._keys
            for value in values:
                key = keys.get(value)
                if key is not None:
                    keys.move_to_end(value)
                    found[value] = key
        return found

    def add(self, keys: Mapping[str, int]) -> None:
        """Remember ``keys`` (committed), forgetting the least recently used past the limit."""
        if not keys:
            return
        with self._lock:
            known = self._keys
            known.update(keys)
            for value in keys:
                known.move_to_end(value)
            while len(known) > self.limit:
                known.popitem(last=False)
