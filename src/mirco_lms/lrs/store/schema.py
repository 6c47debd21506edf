"""The collector's tables (SQLAlchemy Core) and their numbered migrations.

Each migration moves the schema from version ``n - 1`` to ``n`` by running its frozen SQL
(``migrations/v<n>_<dialect>.sql``, the statements as released, never edited), so that a
later change of the tables here or of :mod:`mirco_lms.lrs.store.views` cannot change what
an old step did. ``schema_version`` records the applied versions. A fresh database runs
them all; an existing one runs the missing ones, in order, inside one transaction.

The tables below describe the newest schema for the queries; a test checks that they
match what the migrations create.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Double,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeEngine

from mirco_lms.errors import ConfigError
from mirco_lms.lrs.store import views

log = logging.getLogger(__name__)
metadata = MetaData()

_PG_REPORT_TYPES: dict[str, TypeEngine[Any]] = {
    "attempt": Integer(), "score_scaled": Double(), "score_raw": Double(),
    "score_min": Double(), "score_max": Double(), "success": Boolean(),
    "completion": Boolean(), "profile_v1": Boolean(), "outcomes": JSONB(),
    "duration_seconds": Double(),
}


def _report_type(name: str) -> TypeEngine[Any]:
    """A report column's type: on SQLite none (declared BLOB: no affinity, so each value
    keeps the type ``json_extract`` gave it, as the view returned it before); on
    PostgreSQL the type of the expression that fills it."""
    typed: TypeEngine[Any] = _PG_REPORT_TYPES.get(name, Text())
    return typed.with_variant(LargeBinary(), "sqlite")


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied", String(40), nullable=False),
)

statements = Table(
    "statements",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("id", String(36), nullable=False, unique=True),
    Column("stored", String(40), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("actor_ifi", Text),
    Column("verb_id", Text, nullable=False),
    Column("object_activity_id", Text),
    Column("object_statement_ref", String(36)),
    Column("registration", String(36)),
    Column("timestamp", String(40)),
    Column("voided", Boolean, nullable=False, default=False),
    Column("is_voiding", Boolean, nullable=False, default=False),
    Column("credential_key", String(64)),
    Column("full", Text().with_variant(LargeBinary(), "postgresql"), nullable=False),
    *(Column(name, _report_type(name)) for name in views.REPORT_COLUMNS[:-2]),
    *(Column(name, Text) for name in views.TIME_COLUMNS),
    Column("verb_key", Integer),
    Column("object_key", Integer),
    Column("duration_seconds", _report_type("duration_seconds")),
    Column("verb", _report_type("verb")),
    sqlite_autoincrement=True,
)
"""``full``: the statement JSON, packed (:mod:`~mirco_lms.lrs.store.packing`; SQLite
keeps the TEXT declaration of earlier versions and holds the packed BLOB in it). Then
the report columns (:data:`~mirco_lms.lrs.store.views.REPORT_COLUMNS`), read from the
JSON when the statement is stored, and its times as the views show them
(:data:`~mirco_lms.lrs.store.views.TIME_COLUMNS`). Last ``verb_key`` and ``object_key``:
``verb_id`` and ``object_activity_id`` in :data:`identifiers`, what the verb and activity
filters read (the text columns stay for the views); then ``duration_seconds`` and
``verb``, the last report columns (added by migration 8)."""
Index("ix_statements_stored", statements.c.stored_us)
Index("ix_statements_verb", statements.c.verb_key, statements.c.seq)
Index("ix_statements_activity", statements.c.object_key, statements.c.seq)
Index("ix_statements_registration", statements.c.registration, statements.c.seq)
# few statements refer to another: a partial index costs the others nothing
_REFERS = statements.c.object_statement_ref.is_not(None)
Index(
    "ix_statements_ref",
    statements.c.object_statement_ref,
    sqlite_where=_REFERS,
    postgresql_where=_REFERS,
)
Index("ix_statements_credential", statements.c.credential_key, statements.c.seq)

identifiers = Table(
    "identifiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Text, nullable=False, unique=True),
)
"""Every agent IFI, activity IRI and verb IRI of the statements, once: the index tables
and the verb and activity indexes hold its integer ``id`` instead of the text (on
PostgreSQL each index table is a heap and a B-tree, and kept the text twice)."""

# The index tables are their own index: one B-tree keyed (agent or activity, seq), with
# no rowid table beside it on SQLite. ``seq`` comes first in the row: PostgreSQL pads an
# integer followed by a bigint to 16 bytes.
statement_agents = Table(
    "statement_agents",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("agent_key", Integer, nullable=False),
    Column("is_primary", Boolean, nullable=False),
    PrimaryKeyConstraint("agent_key", "seq"),
    sqlite_with_rowid=False,
)

statement_activities = Table(
    "statement_activities",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("activity_key", Integer, nullable=False),
    Column("is_primary", Boolean, nullable=False),
    PrimaryKeyConstraint("activity_key", "seq"),
    sqlite_with_rowid=False,
)

attachments = Table(
    "attachments",
    metadata,
    Column("sha2", String(128), primary_key=True),
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("activity_id", Text, primary_key=True),
    Column("agent_ifi", Text, primary_key=True),
    Column("registration", String(36), primary_key=True),
    Column("doc_id", Text, primary_key=True),
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("etag", String(80), nullable=False),
    Column("updated", String(40), nullable=False),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("definition", Text, nullable=False),
)

credentials = Table(
    "credentials",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("secret_hash", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created", String(40), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

learners = Table(
    "learners",
    metadata,
    Column("actor_ifi", Text, primary_key=True),
    Column("account", Text),
    Column("email", Text),
    Column("name", Text),
    Column("institution", Text),
    Column("country", String(2)),
    Column("unit", Text),
    Column("updated", String(40), nullable=False),
    Column("gender", Text),
)
"""The learner registry: who learners are (imported from CSV), keyed like ``actor_ifi``."""
Index("ix_learners_institution", learners.c.institution)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("course", Text, nullable=False),
    Column("language", String(35), nullable=False),
    Column("start_date", String(10), nullable=False),
    Column("end_date", String(10), nullable=False),
    Column("venue", Text),
    Column("delivery", String(20), nullable=False),
    Column("updated", String(40), nullable=False),
)
"""Classroom sessions: a course module given on dates, at a venue, in one delivery mode."""

session_trainers = Table(
    "session_trainers",
    metadata,
    Column("session_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
)
"""The trainers of each session, in the order given."""

certificates = Table(
    "certificates",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("actor_ifi", Text, nullable=False),
    Column("course_id", Text, nullable=False),
    Column("learner_name", Text, nullable=False),
    Column("course_name", Text, nullable=False),
    Column("language", String(35), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("achieved", String(40), nullable=False),
    Column("issued", String(40), nullable=False),
    Column("session_id", Text),
    Column("verify_url", Text, nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("public_jwk", Text, nullable=False),
    Column("badge", Text, nullable=False),
    Column("revoked", String(40)),
    Column("revoked_reason", Text),
)
"""Issued certificates (``mirco certificates``): one per learner and course; looked up
by the SHA-256 of the verification code."""
Index("ux_certificates_achievement", certificates.c.actor_ifi, certificates.c.course_id,
      unique=True)
Index("ix_certificates_course", certificates.c.course_id, certificates.c.issued)

certificate_evidence = Table(
    "certificate_evidence",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("statement_id", String(36), primary_key=True),
    Column("role", String(20), nullable=False),
)
"""The statements a certificate rests on (its ``completed`` and ``passed``)."""


def frozen_sql(version: int, dialect: str) -> list[str]:
    """The SQL statements of migration ``version`` on ``dialect`` (``sqlite`` or
    ``postgresql``), as written when that migration was released."""
    name = f"v{version}_{'sqlite' if dialect == 'sqlite' else 'postgresql'}.sql"
    source = resources.files("mirco_lms.lrs.store").joinpath("migrations", name)
    body = source.read_text(encoding="utf-8")
    return [part.strip() for part in body.split("\n;\n") if _is_sql(part)]


def _is_sql(part: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("--") for line in part.splitlines())


MIGRATIONS: list[tuple[int, str]] = [
    (1, "the first schema: statements with their index tables, attachments, documents, "
        "activity definitions and credentials"),
    (2, "fewer B-trees per statement: no actor index, a partial StatementRef index, "
        "index tables keyed by (agent|activity, seq)"),
    (3, "the learner registry and the analysts' view mirco_statements_flat"),
    (4, "the views read profile v2: the learner's institution and country apart from the "
        "provider's, a view of outcome ids, out-of-range values as NULL"),
    (5, "classroom sessions and their trainers, the learners' gender, issued certificates "
        "and the statements they rest on, the views' delivery and session_id columns"),
    (6, "the report columns, read from each statement's JSON when it is stored instead of "
        "at every read of the views; the JSON packed (PostgreSQL: bytea)"),
    (7, "integer keys: agent IFIs, activity and verb IRIs kept once in identifiers; the "
        "index tables and the verb and activity indexes on their keys"),
    (8, "the duration in seconds and the verb's last segment stored with each statement; "
        "the flat view one SELECT "
        "over the statements' columns, computing only the columns a query reads"),
    (9, "the time columns and the duration in seconds converted by the validator's own "
        "grammar when a statement is stored; those the databases' functions misread or "
        "left NULL filled"),
    (10, "the flat view's outcomes column: the outcome ids a statement carries, as JSON, "
         "beside the statement's other columns"),
    (11, "SQLite's flat view reads the activity definition and the learner registry only "
         "for a statement lacking the value, not joined to every statement"),
]
"""Every migration: its version and what it does. Its SQL is ``migrations/v<n>_<dialect>.sql``."""
LATEST = MIGRATIONS[-1][0]


def fill_time_columns(conn: Connection) -> int:
    """Migration 9's step in Python: the time columns of the statements whose timestamp
    (or ``stored``) the database's date function could not read, converted as the
    writer converts them now (:func:`~.views.utc_text`). Returns the statements filled."""
    found = conn.execute(text(
        'SELECT seq, "timestamp", stored FROM statements '
        "WHERE time_utc IS NULL OR stored_utc IS NULL")).all()
    if found:
        conn.execute(
            text("UPDATE statements SET time_utc = :time, stored_utc = :stored WHERE seq = :seq"),
            [{"seq": seq, "time": views.utc_text(timestamp), "stored": views.utc_text(stored)}
             for seq, timestamp, stored in found])
    return len(found)


def fill_durations(conn: Connection) -> int:
    """Migration 9's second step: ``duration_seconds`` as defined in Python now
    (:func:`~.views.seconds_of`) where the SQL expressions of migration 8 and the writers
    before gave another value — a comma before the fraction (SQLite read the digits after
    it, PostgreSQL nothing), twelve months (a year of 365.25 days on PostgreSQL), more
    than six decimals (PostgreSQL's microseconds). Returns the statements changed."""
    found = conn.execute(text(
        "SELECT seq, duration, duration_seconds FROM statements "
        "WHERE duration IS NOT NULL OR duration_seconds IS NOT NULL")).all()
    changed = [{"seq": seq, "seconds": seconds} for seq, duration, held in found
               if (seconds := views.seconds_of(duration)) != held]
    if changed:
        conn.execute(text("UPDATE statements SET duration_seconds = :seconds WHERE seq = :seq"),
                     changed)
    return len(changed)


_FILLS: dict[int, tuple[Callable[[Connection], int], ...]] = {
    9: (fill_time_columns, fill_durations)}
"""Steps in Python that follow a migration's frozen SQL (data the SQL cannot compute)."""


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc()))
    return int(found.scalar() or 0)


def migrate(conn: Connection, upto: int = LATEST) -> list[int]:
    """Apply the missing migrations up to version ``upto`` inside the caller's transaction;
    returns the applied."""
    metadata.create_all(conn, tables=[schema_version])
    version = current_version(conn)
    if version > LATEST:
        raise ConfigError(
            f"the database has schema version {version}, newer than this mirco ({LATEST})",
            hint="upgrade mirco before using this database",
        )
    applied = []
    for number, summary in MIGRATIONS:
        if version < number <= upto:
            log.info("applying LRS schema migration %d (%s)", number, summary)
            for statement in frozen_sql(number, conn.dialect.name):
                conn.execute(text(statement))
            for fill in _FILLS.get(number, ()):
                fill(conn)
            conn.execute(
                schema_version.insert().values(
                    version=number, applied=datetime.now(UTC).isoformat()
                )
            )
            applied.append(number)
    return applied


def drop_all(conn: Connection) -> None:
    """Remove every table of the collector (tests only)."""
    conn.execute(text("DROP VIEW IF EXISTS mirco_statement_outcomes"))
    conn.execute(text("DROP VIEW IF EXISTS mirco_statements_flat"))
    metadata.drop_all(conn)
    conn.execute(text("SELECT 1"))
