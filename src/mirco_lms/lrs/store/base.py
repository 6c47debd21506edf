"""The storage interface of the collector: typed queries in, typed pages out.

One SQL implementation (:mod:`.sql`) serves SQLite and PostgreSQL; the contract test suite
in ``tests/lrs/test_lrs_store.py`` runs against both. Writes happen inside a
:class:`StatementWriter` / :class:`DocumentWriter` unit of work: everything done through it
is committed in one transaction or not at all, and writers are serialized so that
``stored`` and the insertion sequence grow together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class StatementQuery:
    """The filters of ``GET /statements`` (already parsed and validated)."""

    agent: str | None = None
    """IFI of an Agent or identified Group (see ``xapi.agent_ifi``)."""
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    """Only statements stored strictly after this instant."""
    until: datetime | None = None
    """Only statements stored at or before this instant."""
    limit: int = 100
    """Page size (already capped by the service)."""
    ascending: bool = False
    format: str = "exact"
    """``exact``, ``ids`` or ``canonical`` — applied by the service, kept for ``more``."""
    attachments: bool = False
    """Answer with attachment data (multipart) — applied by the service, kept for ``more``."""
    authority_key: str | None = None
    """Only statements stored with this credential (scope ``statements/read/mine``)."""
    after_seq: int | None = None
    """Continuation: the last sequence number of the previous page."""
    bound_seq: int | None = None
    """Continuation: the highest sequence visible when the first page was read, so that
    statements stored later never shift pages."""

    @property
    def has_filters(self) -> bool:
        """Whether the query filters on the statement's content (not only on time)."""
        return any(v is not None for v in (self.agent, self.verb, self.activity, self.registration))


@dataclass(frozen=True)
class StoredStatement:
    """A statement as stored: the full JSON plus the columns the LRS keeps beside it."""

    seq: int
    id: str
    stored: str
    raw: str
    """The full statement JSON: as sent, plus the properties the LRS sets."""
    voided: bool = False
    credential_key: str | None = None
    """The key of the credential that stored it."""

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.raw)
        return data


@dataclass(frozen=True)
class StatementPage:
    """One page of a statement query."""

    statements: list[StoredStatement]
    more: StatementQuery | None
    """The query that returns the next page, or None on the last page."""
    consistent_through: str | None = None
    """``stored`` of the newest statement visible to this query (ISO 8601), or None."""


@dataclass
class StatementRecord:
    """A statement ready to insert, with its index rows (built by the service)."""

    id: str
    raw: str
    stored: str
    stored_us: int
    actor_ifi: str | None
    verb_id: str
    object_activity_id: str | None
    object_statement_ref: str | None
    registration: str | None
    timestamp: str | None
    voided: bool
    is_voiding: bool
    credential_key: str | None
    agents: list[tuple[str, bool]] = field(default_factory=list)
    """(IFI, primary) — primary means actor or object."""
    activities: list[tuple[str, bool]] = field(default_factory=list)
    """(activity id, primary) — primary means the statement's object."""
    report: tuple[Any, ...] | None = None
    """Its report columns' values when they are plain (see
    :mod:`~mirco_lms.lrs.store.report_columns`); None: the database reads them from the
    JSON."""


@dataclass(frozen=True)
class Document:
    """A state, activity profile or agent profile document."""

    content: bytes
    content_type: str
    etag: str
    updated: str
    """ISO 8601 time of the last change."""


@dataclass(frozen=True)
class DocumentKey:
    """Where a document lives: ``kind`` is ``state``, ``activity_profile`` or
    ``agent_profile``; unused parts are empty strings."""

    kind: str
    doc_id: str
    activity_id: str = ""
    agent_ifi: str = ""
    registration: str = ""


@dataclass(frozen=True)
class Credential:
    """An API key of the LRS (the secret is only kept hashed)."""

    key: str
    name: str
    secret_hash: str
    scopes: tuple[str, ...]
    created: str
    revoked: bool = False


class StatementWriter(Protocol):
    """A write transaction on statements (one per request or import batch)."""

    def find(self, ids: Collection[str]) -> dict[str, StoredStatement]: ...
    def voiding_targets(self, ids: Collection[str]) -> set[str]:
        """Those of ``ids`` that a stored voiding statement already targets."""
        ...

    def is_voiding(self, ids: Collection[str]) -> set[str]:
        """Those of ``ids`` that are stored voiding statements."""
        ...

    def clock(self, count: int) -> list[int]:
        """``count`` strictly increasing ``stored`` instants (µs), later than any stored."""
        ...

    def insert(self, records: Sequence[StatementRecord]) -> None: ...
    def void(self, ids: Collection[str]) -> None: ...
    def put_attachments(self, payloads: Mapping[str, tuple[str, bytes]]) -> None:
        """sha2 → (content type, bytes)."""
        ...

    def activity_definitions(self, ids: Collection[str]) -> dict[str, dict[str, Any]]: ...
    def put_activity_definitions(self, definitions: Mapping[str, dict[str, Any]]) -> None: ...


class DocumentWriter(Protocol):
    def get(self, key: DocumentKey) -> Document | None: ...
    def put(self, key: DocumentKey, doc: Document) -> None: ...
    def delete(self, key: DocumentKey) -> None: ...
    def delete_all(self, key: DocumentKey) -> int:
        """Deletes every document sharing ``key`` except ``doc_id`` (state: all stateIds)."""
        ...


class StatementStore(Protocol):
    """Everything the collector keeps: statements, attachments, documents, activities,
    credentials."""

    def write(self) -> AbstractContextManager[StatementWriter]: ...
    def transact(self, work: Callable[[StatementWriter], T]) -> T:
        """Run ``work`` in a write transaction (possibly grouped with concurrent ones);
        returns its result after the commit."""
        ...

    def submit(self, work: Callable[[StatementWriter], T]) -> Future[T]:
        """As :meth:`transact` without waiting: the future is done once the commit is
        durable (or holds the error)."""
        ...

    def documents(self) -> AbstractContextManager[DocumentWriter]: ...
    def query(self, query: StatementQuery) -> StatementPage: ...
    def get(self, statement_id: str, *, voided: bool) -> StoredStatement | None: ...
    def iter_statements(
        self, query: StatementQuery, batch: int = 1000
    ) -> Iterator[StoredStatement]:
        """Every matching statement, oldest first, read in batches (constant memory)."""
        ...

    def attachments(self, sha2s: Collection[str]) -> dict[str, tuple[str, bytes]]: ...
    def activity(self, activity_id: str) -> dict[str, Any] | None: ...
    def get_document(self, key: DocumentKey) -> Document | None: ...
    def document_ids(self, key: DocumentKey, since: datetime | None) -> list[str]: ...
    def add_credential(self, credential: Credential) -> None: ...
    def credential(self, key: str) -> Credential | None: ...
    def credentials(self) -> list[Credential]: ...
    def revoke_credential(self, key: str) -> bool: ...
    def rehash_credential(self, key: str, old_hash: str, new_hash: str) -> bool:
        """Replace the secret hash of ``key`` if it is still ``old_hash``."""
        ...

    def consistent_through(self) -> str | None: ...
    def count(self) -> int: ...
    def refresh_statistics(self) -> None:
        """Bring the query planner's statistics up to date after a bulk load."""
        ...

    def close(self) -> None: ...
