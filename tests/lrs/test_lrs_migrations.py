"""Schema migrations of the collector: a database of an older version is brought up to
date in place, keeping every statement findable."""

from __future__ import annotations

from lrs_support import statement
from sqlalchemy import inspect, text

from mirco_lms.lrs import service
from mirco_lms.lrs.store import SqlStore, StatementQuery, open_store, schema

SUBMITTER = service.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
)
BOB = {"objectType": "Agent", "mbox": "mailto:bob@example.org"}
MODULE = "https://example.org/mirco/m1"

V1_SIDE_TABLES = """
CREATE TABLE statement_agents (seq BIGINT NOT NULL, ifi TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL);
CREATE INDEX ix_statement_agents ON statement_agents (ifi, seq);
CREATE TABLE statement_activities (seq BIGINT NOT NULL, activity_id TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL);
CREATE INDEX ix_statement_activities ON statement_activities (activity_id, seq);
CREATE INDEX ix_statements_actor ON statements (actor_ifi, seq);
CREATE INDEX ix_statements_ref ON statements (object_statement_ref);
"""


def _make_v1(store: SqlStore) -> None:
    """Turn a fresh database back into schema version 1, keeping its rows."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP VIEW IF EXISTS mirco_statements_flat"))  # added by version 3
        conn.execute(text("DROP TABLE IF EXISTS learners"))
        agents = conn.execute(text("SELECT seq, ifi, is_primary FROM statement_agents")).all()
        acts = conn.execute(
            text("SELECT seq, activity_id, is_primary FROM statement_activities")
        ).all()
        for name in ("statement_agents", "statement_activities"):
            conn.execute(text(f"DROP TABLE {name}"))
        conn.execute(text("DROP INDEX ix_statements_ref"))
        for ddl in V1_SIDE_TABLES.split(";"):
            if ddl.strip():
                conn.execute(text(ddl))
        for table, rows in (("statement_agents", agents), ("statement_activities", acts)):
            key = "ifi" if table == "statement_agents" else "activity_id"
            for row in rows:
                conn.execute(
                    text(f"INSERT INTO {table} (seq, {key}, is_primary) VALUES (:s, :k, :p)"),
                    {"s": row[0], "k": row[1], "p": row[2]},
                )
        conn.execute(text("DELETE FROM schema_version WHERE version > 1"))


def test_v1_database_is_migrated_and_keeps_answering(db_url: str) -> None:
    """Migration 2 (leaner indexes) rebuilds the index tables of a version-1 database."""
    store = open_store(db_url)
    [first] = service.save_statements(
        store, service.Batch([statement(actor=BOB)]), SUBMITTER, "1.0.3"
    )
    ref = statement(object={"objectType": "StatementRef", "id": first})
    service.save_statements(store, service.Batch([ref]), SUBMITTER, "1.0.3")
    _make_v1(store)
    store.close()

    migrated = open_store(db_url)
    with migrated.engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST
        names = {ix["name"] for ix in inspect(conn).get_indexes("statements")}
        assert "ix_statements_actor" not in names and "ix_statements_ref" in names
        pk = inspect(conn).get_pk_constraint("statement_agents")["constrained_columns"]
        assert pk == ["ifi", "seq"]
    by_agent = migrated.query(StatementQuery(agent="mbox:mailto:bob@example.org"))
    assert [s.id for s in by_agent.statements][-1] == first
    related = migrated.query(StatementQuery(activity=MODULE, related_activities=True))
    assert first in {s.id for s in related.statements}
    more = service.save_statements(
        migrated, service.Batch([statement(actor=BOB)]), SUBMITTER, "1.0.3"
    )
    again = migrated.query(StatementQuery(agent="mbox:mailto:bob@example.org"))
    assert more[0] in {s.id for s in again.statements}
    migrated.close()
