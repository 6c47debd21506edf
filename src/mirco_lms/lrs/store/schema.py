"""The collector's tables (SQLAlchemy Core) and their numbered migrations.

Each migration is a function of a connection that moves the schema from version ``n - 1``
to ``n``; ``schema_version`` records the applied versions. A fresh database runs them all;
an existing one runs the missing ones, in order, inside one transaction. Migrations that
create views run frozen SQL files (``migrations/v<n>_<dialect>.sql``), so that a later
change of :mod:`mirco_lms.lrs.store.views` cannot change what an old step did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from mirco_lms.errors import ConfigError

log = logging.getLogger(__name__)
metadata = MetaData()

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
    Column("full", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_statements_stored", statements.c.stored_us)
Index("ix_statements_verb", statements.c.verb_id, statements.c.seq)
Index("ix_statements_activity", statements.c.object_activity_id, statements.c.seq)
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

# The index tables are their own index: one B-tree keyed (agent or activity, seq), with
# no rowid table beside it on SQLite.
statement_agents = Table(
    "statement_agents",
    metadata,
    Column("ifi", Text, primary_key=True),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("is_primary", Boolean, nullable=False),
    sqlite_with_rowid=False,
)

statement_activities = Table(
    "statement_activities",
    metadata,
    Column("activity_id", Text, primary_key=True),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("is_primary", Boolean, nullable=False),
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
)
"""The learner registry: who learners are (imported from CSV), keyed like ``actor_ifi``."""
Index("ix_learners_institution", learners.c.institution)

V1_TABLES = [
    statements,
    statement_agents,
    statement_activities,
    attachments,
    documents,
    activities,
    credentials,
]


def _v1_initial(conn: Connection) -> None:
    """The first schema: statements with their index tables, attachments, documents,
    activity definitions and credentials."""
    metadata.create_all(conn, tables=V1_TABLES)


def frozen_sql(version: int, dialect: str) -> list[str]:
    """The SQL statements of migration ``version`` on ``dialect`` (``sqlite`` or
    ``postgresql``), as written when that migration was released."""
    name = f"v{version}_{'sqlite' if dialect == 'sqlite' else 'postgresql'}.sql"
    source = resources.files("mirco_lms.lrs.store").joinpath("migrations", name)
    body = source.read_text(encoding="utf-8")
    return [part.strip() for part in body.split("\n;\n") if _is_sql(part)]


def _is_sql(part: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("--") for line in part.splitlines())


def _run_frozen(conn: Connection, version: int) -> None:
    for statement in frozen_sql(version, conn.dialect.name):
        conn.execute(text(statement))


def _v3_analytics(conn: Connection) -> None:
    """The learner registry and the analysts' view mirco_statements_flat."""
    metadata.create_all(conn, tables=[learners])
    _run_frozen(conn, 3)


def _v4_provider_outcomes_ranges(conn: Connection) -> None:
    """The views read profile v2: the learner's institution and country apart from the
    provider's, a view of outcome ids, and out-of-range values as NULL."""
    _run_frozen(conn, 4)


def _v2_leaner_indexes(conn: Connection) -> None:
    """Fewer B-trees per statement: no actor index (agent queries use statement_agents),
    a partial StatementRef index, index tables keyed by (agent|activity, seq)."""
    if "ix_statements_actor" not in {ix["name"] for ix in inspect(conn).get_indexes("statements")}:
        return  # created by _v1_initial from the current tables: already lean
    conn.execute(text("DROP INDEX ix_statements_actor"))
    conn.execute(text("DROP INDEX ix_statements_ref"))
    next(ix for ix in statements.indexes if ix.name == "ix_statements_ref").create(conn)
    for table, key in ((statement_agents, "ifi"), (statement_activities, "activity_id")):
        old = f"{table.name}_v1"
        conn.execute(text(f"DROP INDEX ix_{table.name}"))
        conn.execute(text(f"ALTER TABLE {table.name} RENAME TO {old}"))
        table.create(conn)
        conn.execute(
            text(
                f"INSERT INTO {table.name} ({key}, seq, is_primary) "
                f"SELECT {key}, seq, is_primary FROM {old}"
            )
        )
        conn.execute(text(f"DROP TABLE {old}"))


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_initial),
    (2, _v2_leaner_indexes),
    (3, _v3_analytics),
    (4, _v4_provider_outcomes_ranges),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc()))
    return int(found.scalar() or 0)


def migrate(conn: Connection) -> list[int]:
    """Apply the missing migrations inside the caller's transaction; returns the applied."""
    metadata.create_all(conn, tables=[schema_version])
    version = current_version(conn)
    if version > LATEST:
        raise ConfigError(
            f"the database has schema version {version}, newer than this mirco ({LATEST})",
            hint="upgrade mirco before using this database",
        )
    applied = []
    for number, step in MIGRATIONS:
        if number > version:
            log.info("applying LRS schema migration %d (%s)", number, step.__doc__ or step.__name__)
            step(conn)
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
