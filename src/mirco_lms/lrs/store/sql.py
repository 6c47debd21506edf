"""The SQL store: one implementation on SQLAlchemy Core for SQLite and PostgreSQL.

Durability: SQLite runs in WAL mode with ``synchronous=FULL``: every commit fsyncs the
write-ahead log before ``COMMIT`` returns, so a statement acknowledged to a client
survives a killed process and a power cut. PostgreSQL commits are durable by default
(``synchronous_commit=on``).

Writers are serialized (SQLite ``BEGIN IMMEDIATE``; a transaction-level advisory lock on
PostgreSQL), and ``seq`` and ``stored`` are assigned under that lock, so both grow
strictly with commit order. That is what makes ``more`` pages stable: a continuation only
looks at sequence numbers up to the newest one visible when the first page was read.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from mirco_lms.errors import ConfigError
from mirco_lms.lrs.store import schema
from mirco_lms.lrs.store.base import (
    Credential,
    Document,
    DocumentKey,
    StatementPage,
    StatementQuery,
    StoredStatement,
)
from mirco_lms.lrs.store.clock import iso
from mirco_lms.lrs.store.documents import SqlDocumentWriter
from mirco_lms.lrs.store.group_commit import GroupCommit
from mirco_lms.lrs.store.known_keys import KnownKeys
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.queries import replace_query, run_query, statement_columns
from mirco_lms.lrs.store.reads import SqlReportReads
from mirco_lms.lrs.store.statistics import StatisticsKeeper
from mirco_lms.lrs.store.writelock import WriterLock
from mirco_lms.lrs.store.writer import SqlStatementWriter
from mirco_lms.lrs.store.writer_process import RemoteWriter

log = logging.getLogger(__name__)
T = TypeVar("T")
S = schema.statements
AG = schema.statement_agents
AC = schema.statement_activities
LOCK_KEY = 0x6D6972636F  # "mirco": the seed of the PostgreSQL advisory lock serializing writers
PG_WRITER_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema(), {key}))"
"""The writers' lock of one store: advisory locks belong to the whole database, so the key
is the store's schema hashed with :data:`LOCK_KEY` — stores in other schemas of the same
database (each institution's, a test's) do not wait for each other's writes."""


def normalize_url(url: str) -> str:
    """``postgresql://`` → ``postgresql+psycopg://``; anything but SQLite or PostgreSQL is an
    error naming the URL."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith(("sqlite://", "postgresql+psycopg://")):
        return url
    raise ConfigError(
        f"unsupported database URL {url!r}",
        hint="use sqlite:///absolute/path.db or postgresql://user@host/db",
    )


def open_store(url: str, *, writer: str | None = None) -> SqlStore:
    """Open (creating and migrating if needed) the store at ``url``; ``writer``: the
    socket of the writer process that writes its statements (see :mod:`.writer_process`),
    instead of a thread of this process."""
    return SqlStore(url, writer=writer)


class SqlStore(SqlReportReads):
    """Statements, attachments, documents, activities and credentials in one database
    (and, for reports, a :class:`~mirco_lms.lrs.store.reads.ReportSource`)."""

    def __init__(self, url: str, *, writer: str | None = None) -> None:
        self.url = normalize_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise ConfigError(f"invalid database URL {url!r}: {exc}") from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.mark = "?" if self.is_sqlite else "%s"
        """The driver's placeholder in SQL text run on raw cursors."""
        self._lock: WriterLock | None = None
        self.known_keys = KnownKeys()
        """The identifier keys its writers have seen committed (:mod:`.known_keys`)."""
        if self.is_sqlite:
            self.engine = _sqlite_engine(self.url, parsed.database)
            self._lock = WriterLock(str(Path(str(parsed.database)).expanduser()))
        else:
            self.engine = create_engine(self.url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        self._statistics = (
            None if self.is_sqlite else StatisticsKeeper(self.refresh_statistics, self.count)
        )
        self._group: GroupCommit | RemoteWriter = (
            GroupCommit(self) if writer is None else RemoteWriter(writer)
        )
        try:
            with self._begin_write() as conn:
                schema.migrate(conn)
        except OperationalError as exc:
            raise ConfigError(
                f"cannot open the LRS database {_safe(parsed)}: {exc.orig}",
                hint="check --db / MIRCO_DB and that the database server is running",
            ) from exc

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def _begin_write(self) -> Iterator[Connection]:
        with self._writer_turn(), self.engine.connect() as conn:
            conn = conn.execution_options(mirco_write=True)
            with conn.begin():
                if not self.is_sqlite:
                    conn.execute(text(PG_WRITER_LOCK.format(key=":k")), {"k": LOCK_KEY})
                yield conn

    @contextmanager
    def _begin_read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[SqlStatementWriter]:
        raw = self.engine.raw_connection()
        try:
            with self.raw_transaction(raw) as cursor:
                writer = SqlStatementWriter(cursor, self.mark, known=self.known_keys)
                yield writer
            writer.committed()
        finally:
            raw.close()

    def writer_connection(self) -> Any:
        """A DB-API connection of the pool for a long-lived statement writer (SQLite: with
        :data:`SQLITE_WRITER_PRAGMAS`)."""
        raw = self.engine.raw_connection()
        if self.is_sqlite:
            cursor = raw.cursor()
            for pragma in SQLITE_WRITER_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
        return raw

    @contextmanager
    def raw_transaction(self, raw: Any) -> Iterator[Any]:
        """A write transaction on a DB-API connection of the engine's pool: a cursor
        after ``BEGIN IMMEDIATE`` (SQLite) or the writers' advisory lock (PostgreSQL);
        committed when the block ends, rolled back if it raises."""
        with self._writer_turn():
            cursor = raw.cursor()
            try:
                if self.is_sqlite:
                    cursor.execute("BEGIN IMMEDIATE")
                else:
                    cursor.execute(PG_WRITER_LOCK.format(key="%s"), (LOCK_KEY,))
                yield cursor
            except BaseException:
                raw.rollback()
                raise
            else:
                raw.commit()
            finally:
                cursor.close()

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """SQLite: wait for the writers' lock (see :mod:`.writelock`). PostgreSQL's
        writers queue on an advisory lock inside their transaction instead."""
        if self._lock is None:
            yield
        else:
            with self._lock.hold():
                yield

    def transact(self, work: Callable[[SqlStatementWriter], T]) -> T:
        """Run ``work`` in a write transaction and return its result once committed.

        Concurrent calls are grouped: one writer thread runs every waiting unit of work in
        one transaction, each inside its own savepoint (a unit that raises is rolled back
        alone and its caller gets the error), and commits once — so N concurrent requests
        share one fsync. Nobody gets a result before the commit is durable.
        """
        return self._group.submit(work).result()

    def submit(self, work: Callable[[SqlStatementWriter], T]) -> Future[T]:
        """As :meth:`transact`, without waiting for the commit."""
        return self._group.submit(work)

    @contextmanager
    def documents(self) -> Iterator[SqlDocumentWriter]:
        with self._begin_write() as conn:
            yield SqlDocumentWriter(conn)

    # --- statements ---------------------------------------------------------------------

    def query(self, query: StatementQuery) -> StatementPage:
        through = _read_start()
        with self._begin_read() as conn:
            newest = conn.execute(
                select(S.c.seq, S.c.stored).order_by(S.c.seq.desc()).limit(1)
            ).first()
            bound = (
                query.bound_seq if query.bound_seq is not None else (newest.seq if newest else 0)
            )
            rows = run_query(conn, query, bound)
        more = None
        if len(rows) > query.limit:
            rows = rows[: query.limit]
            more = replace_query(query, after_seq=rows[-1].seq, bound_seq=bound)
        return StatementPage(
            statements=[_stored(r) for r in rows],
            more=more,
            consistent_through=max(newest.stored, through) if newest else through,
        )

    def iter_statements(
        self, query: StatementQuery, batch: int = 1000
    ) -> Iterator[StoredStatement]:
        page_query: StatementQuery | None = replace_query(query, limit=batch, ascending=True)
        while page_query is not None:
            page = self.query(page_query)
            yield from page.statements
            page_query = page.more

    def get(self, statement_id: str, *, voided: bool) -> StoredStatement | None:
        with self._begin_read() as conn:
            row = conn.execute(statement_columns().where(S.c.id == statement_id)).first()
        if row is None or bool(row.voided) != voided:
            return None
        return _stored(row)

    def consistent_through(self) -> str | None:
        through = _read_start()
        with self._begin_read() as conn:
            newest = conn.execute(select(S.c.stored).order_by(S.c.seq.desc()).limit(1)).scalar()
        return max(newest, through) if newest else through

    def count(self) -> int:
        with self._begin_read() as conn:
            return int(conn.execute(select(func.count()).select_from(S)).scalar() or 0)

    def stored(self, statements: int) -> None:
        """After a commit of ``statements``: PostgreSQL's statistics are refreshed once
        the statements grew enough (:mod:`.statistics`)."""
        if self._statistics is not None:
            self._statistics.stored(statements)

    def refresh_statistics(self) -> None:
        """PostgreSQL: ``ANALYZE`` every table of the store, so that the next GETs get
        index plans at once instead of after autovacuum's next round (on a store filled
        moments before, agent / verb / activity reads took 30–180 ms at p95 instead of
        1–3) — and so that the writers' own prepared lookups are planned again for the
        tables' present size: planned while ``identifiers`` was nearly empty, the key
        lookup kept scanning the whole table (4 ms per group of statements at 20,000
        identifiers, 0.02 ms with the index). SQLite plans without statistics: nothing
        to do."""
        if self.is_sqlite:
            return
        tables = ", ".join(t.name for t in schema.metadata.sorted_tables)
        with self.engine.connect() as conn, conn.begin():
            conn.execute(text(f"ANALYZE {tables}"))

    def attachments(self, sha2s: Collection[str]) -> dict[str, tuple[str, bytes]]:
        if not sha2s:
            return {}
        table = schema.attachments
        with self._begin_read() as conn:
            rows = conn.execute(select(table).where(table.c.sha2.in_(list(sha2s)))).all()
        return {r.sha2: (r.content_type, bytes(r.content)) for r in rows}

    def activity(self, activity_id: str) -> dict[str, Any] | None:
        table = schema.activities
        with self._begin_read() as conn:
            raw = conn.execute(select(table.c.definition).where(table.c.id == activity_id)).scalar()
        return json.loads(raw) if raw is not None else None

    # --- documents ----------------------------------------------------------------------

    def get_document(self, key: DocumentKey) -> Document | None:
        with self._begin_read() as conn:
            return SqlDocumentWriter(conn).get(key)

    def document_ids(self, key: DocumentKey, since: datetime | None) -> list[str]:
        with self._begin_read() as conn:
            return SqlDocumentWriter(conn).ids(key, since)

    # --- credentials --------------------------------------------------------------------

    def add_credential(self, credential: Credential) -> None:
        table = schema.credentials
        with self._begin_write() as conn:
            taken = conn.execute(select(table.c.key).where(table.c.name == credential.name)).first()
            if taken is not None:
                raise ConfigError(
                    f"a credential named {credential.name!r} already exists",
                    hint="choose another name, or revoke the old one and use a new name",
                )
            conn.execute(
                insert(table).values(
                    key=credential.key,
                    name=credential.name,
                    secret_hash=credential.secret_hash,
                    scopes=" ".join(credential.scopes),
                    created=credential.created,
                    revoked=credential.revoked,
                )
            )

    def credential(self, key: str) -> Credential | None:
        table = schema.credentials
        with self._begin_read() as conn:
            row = conn.execute(select(table).where(table.c.key == key)).first()
        return _credential(row) if row is not None else None

    def credentials(self) -> list[Credential]:
        table = schema.credentials
        with self._begin_read() as conn:
            rows = conn.execute(select(table).order_by(table.c.created, table.c.name)).all()
        return [_credential(r) for r in rows]

    def revoke_credential(self, key: str) -> bool:
        table = schema.credentials
        with self._begin_write() as conn:
            done = conn.execute(update(table).where(table.c.key == key).values(revoked=True))
            return bool(done.rowcount)

    def rehash_credential(self, key: str, old_hash: str, new_hash: str) -> bool:
        table = schema.credentials
        with self._begin_write() as conn:
            done = conn.execute(
                update(table)
                .where(table.c.key == key, table.c.secret_hash == old_hash)
                .values(secret_hash=new_hash)
            )
            return bool(done.rowcount)

    def close(self) -> None:
        self._group.stop()
        if self._statistics is not None:
            self._statistics.wait()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.close()


# --- helpers -----------------------------------------------------------------------------

SQLITE_PRAGMAS = (
    # a new database's pages are 4 KiB (SQLite's default, said here so that it holds):
    # every commit writes each page it changed to the WAL, and in a large store each new
    # key of a random-key index (statement id, registration) lands on a page of its own —
    # with 16 KiB pages ingest fell to 0.6x its first rate by 300,000 statements, with
    # 4 KiB it holds (0.83-1.09x to 1,000,000), for 0.91x the JSON's size instead of
    # 0.83x. Set before anything is written (an existing file keeps its page size: see
    # docs/scale.md to convert one).
    "page_size=4096",
    "journal_mode=WAL",
    "synchronous=FULL",  # every commit reaches the disk before the LRS answers
    "busy_timeout=60000",
    # checkpoint every ~40 MB of WAL instead of 4 MB: the pages a stream of statements
    # dirties over and over (random-key indexes) are copied back to the database once
    "wal_autocheckpoint=10000",
    "journal_size_limit=67108864",  # and the WAL file is cut back to 64 MB after
    # a large sort (a report's GROUP BY or ORDER BY over the whole store) may use helper
    # threads: at 1,000,000 statements a report's grouped read takes a quarter less time
    f"threads={min(os.cpu_count() or 1, 4)}",
)
"""Pragmas of every SQLite connection of the LRS."""
SQLITE_WRITER_PRAGMAS = ("cache_size=-65536", "temp_store=MEMORY")
"""Pragmas of the statement writer's own connection: a 64 MB page cache (SQLite's
default is 2 MB) keeps the indexes' hot pages as the store grows; its savepoints keep
their journal in memory (by default one past 64 KiB spills to a temporary file, created,
written and deleted at every grouped commit)."""


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if not database or database == ":memory:":
        raise ConfigError(
            "an in-memory SQLite database cannot be shared by the LRS",
            hint="use sqlite:///absolute/path.db",
        )
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 60}, pool_size=8, max_overflow=16
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("mirco_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _read_start() -> str:
    """The instant a read begins: every statement acknowledged before it (committed, so
    in the read's snapshot) is visible to the read — the ``Consistent-Through`` promise
    (xAPI 1.0.3 §7.2.3). Taken before the snapshot, so it never over-promises."""
    return iso(time.time_ns() // 1000)


def _safe(parsed: Any) -> str:
    return str(parsed.render_as_string(hide_password=True))


def _stored(row: Any) -> StoredStatement:
    return StoredStatement(
        seq=row.seq,
        id=row.id,
        stored=row.stored,
        raw=unpack(row.full),
        voided=bool(row.voided),
        credential_key=row.credential_key,
    )


def _credential(row: Any) -> Credential:
    return Credential(
        key=row.key,
        name=row.name,
        secret_hash=row.secret_hash,
        scopes=tuple(row.scopes.split()),
        created=row.created,
        revoked=bool(row.revoked),
    )
