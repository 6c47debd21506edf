"""Schema migrations of the collector: a database of an older version is brought up to
date in place, keeping every statement findable."""

from __future__ import annotations

import pytest
from lrs_support import statement
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from mirco_lms.lrs import service
from mirco_lms.lrs.store import SqlStore, StatementQuery, open_store, schema, views

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
        conn.execute(text("DROP VIEW IF EXISTS mirco_statement_outcomes"))  # version 4
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


HOSTILE = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.test", "name": "x"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated"},
    "object": {"id": MODULE, "definition": {"type": "http://adlnet.gov/expapi/activities/course"}},
    "result": {"duration": "P999999999999Y"},
    "context": {"extensions": {"https://w3id.org/xapi/mirco/extensions/attempt": 99999999999,
                               "https://w3id.org/xapi/mirco/extensions/outcomes": ["LO1"]}},
}
V1_PROVIDER = {
    "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.test", "name": "y"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/initialized"},
    "object": {"id": MODULE, "definition": {"type": "http://adlnet.gov/expapi/activities/course"}},
    "context": {"contextActivities": {"category": [{"id": "https://w3id.org/xapi/mirco/v1"}]},
                "extensions": {"https://w3id.org/xapi/mirco/extensions/country": "RS"}},
}


def _make_v3(store: SqlStore) -> None:
    """Turn a fresh database back into schema version 3 (the views as first released)."""
    with store.engine.begin() as conn:
        for drop in views.drop_views_sql():
            conn.execute(text(drop))
        for sql in schema.frozen_sql(3, conn.dialect.name):
            conn.execute(text(sql))
        conn.execute(text("DELETE FROM schema_version WHERE version > 3"))


def test_v3_database_gets_the_new_views(db_url: str) -> None:
    """Migration 4 re-creates the views in place: provider columns, the outcomes view, and
    out-of-range values as NULL (on PostgreSQL the version-3 view cannot even be read with
    such a statement stored)."""
    store = open_store(db_url)
    service.save_statements(store, service.Batch([HOSTILE, V1_PROVIDER]), SUBMITTER, "1.0.3")
    _make_v3(store)
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            with pytest.raises(DBAPIError):
                conn.execute(text("SELECT * FROM mirco_statements_flat")).all()
        else:
            old = conn.execute(text("SELECT country FROM mirco_statements_flat "
                                    "WHERE country IS NOT NULL")).scalars().all()
            assert old == ["RS"]  # version 3 took the provider's country for the learner's
    store.close()

    migrated = open_store(db_url)
    with migrated.engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST == 4
        rows = conn.execute(text("SELECT * FROM mirco_statements_flat "
                                 "ORDER BY verb")).mappings().all()
        outcomes = conn.execute(text("SELECT outcome FROM mirco_statement_outcomes")).all()
    assert tuple(rows[0]) == views.COLUMNS
    first, last = rows
    assert (first["verb"], first["country"], first["provider_country"]) == (
        "initialized", None, "RS")
    assert (last["attempt"], last["duration_seconds"]) == (None, None)
    assert [tuple(o) for o in outcomes] == [("LO1",)]
    migrated.close()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_latest_migration_creates_the_current_views(dialect: str) -> None:
    """A fresh database and a migrated one have the same views: the newest migration's
    frozen SQL is what views.py writes today (a change of views.py needs a new migration)."""
    frozen = schema.frozen_sql(schema.LATEST, dialect)
    assert frozen[-2:] == views.create_views_sql(dialect)
