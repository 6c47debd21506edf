"""Schema migrations of the collector: a database created by every earlier released schema
is brought up to date in place, keeping every statement findable, and ends with the schema
that the tables of :mod:`mirco_lms.lrs.store.schema` describe."""

from __future__ import annotations

import functools

import pytest
from lrs_support import statement
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import StatementQuery, open_store, schema, views
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.writer import STATEMENT_COLUMNS, SqlStatementWriter

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
)
BOB = {"objectType": "Agent", "mbox": "mailto:bob@example.org"}
MODULE = "https://example.org/mirco/m1"
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
RELEASED = [number for number, _summary in schema.MIGRATIONS]


def insert_as_before_6(writer: SqlStatementWriter, rows: list[tuple[object, ...]]) -> None:
    """How the writers before migration 6 stored statements: the JSON as text, no report
    columns (``rows``: today's, the packed JSON after the version 5 columns)."""
    width = len(STATEMENT_COLUMNS.split(","))
    writer.insert_rows(f"statements ({STATEMENT_COLUMNS})",
                       [(*r[: width - 1], unpack(r[width - 1])) for r in rows])


@pytest.mark.parametrize("version", RELEASED)
def test_a_database_of_every_released_schema_is_migrated(
    db_url: str, version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database created and filled at ``version`` (by that version's frozen steps only)
    is migrated to the newest schema and keeps answering by agent, activity and view."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=version))
        if version < 6:
            patch.setattr(SqlStatementWriter, "_insert_statements", insert_as_before_6)
            patch.setattr(SqlStatementWriter, "_insert_plain", insert_as_before_6)
        old = open_store(db_url)
        [first] = writes.save_statements(
            old, writes.Batch([statement(actor=BOB)]), SUBMITTER, "1.0.3"
        )
        ref = statement(object={"objectType": "StatementRef", "id": first})
        batch = writes.Batch([ref, HOSTILE, V1_PROVIDER])
        writes.save_statements(old, batch, SUBMITTER, "1.0.3")
        with old.engine.connect() as conn:
            assert schema.current_version(conn) == version
            if version == 3 and conn.dialect.name == "postgresql":
                with pytest.raises(DBAPIError):  # version 3 cannot read an out-of-range attempt
                    conn.execute(text("SELECT * FROM mirco_statements_flat")).all()
        old.close()

    migrated = open_store(db_url)
    with migrated.engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST
        names = {ix["name"] for ix in inspect(conn).get_indexes("statements")}
        assert "ix_statements_actor" not in names and "ix_statements_ref" in names
        rows = conn.execute(text("SELECT * FROM mirco_statements_flat WHERE actor_id LIKE "
                                 "'%lms.test%' ORDER BY verb")).mappings().all()
        outcomes = conn.execute(text("SELECT outcome FROM mirco_statement_outcomes")).all()
    assert tuple(rows[0]) == views.COLUMNS
    provider, hostile = rows
    assert (provider["verb"], provider["country"], provider["provider_country"]) == (
        "initialized", None, "RS")
    assert (hostile["attempt"], hostile["duration_seconds"]) == (None, None)
    assert [tuple(o) for o in outcomes] == [("LO1",)]
    by_agent = migrated.query(StatementQuery(agent="mbox:mailto:bob@example.org"))
    assert first in {s.id for s in by_agent.statements}
    related = migrated.query(StatementQuery(activity=MODULE, related_activities=True))
    assert first in {s.id for s in related.statements}
    [more] = writes.save_statements(
        migrated, writes.Batch([statement(actor=BOB)]), SUBMITTER, "1.0.3"
    )
    again = migrated.query(StatementQuery(agent="mbox:mailto:bob@example.org"))
    assert {first, more} <= {s.id for s in again.statements}
    migrated.close()


def test_the_migrations_create_the_tables_the_queries_read(db_url: str) -> None:
    """The frozen steps, run in order, end with the tables, keys and indexes that
    :mod:`schema`'s tables describe (a change of a table needs a new migration)."""
    open_store(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            dialect = conn.dialect
            assert set(found.get_table_names()) == set(schema.metadata.tables)
            for table in schema.metadata.sorted_tables:
                columns = found.get_columns(table.name)
                assert [(c["name"], str(c["type"]), c["nullable"]) for c in columns] == [
                    (c.name, str(c.type.compile(dialect)), c.nullable) for c in table.columns
                ], table.name
                pk = found.get_pk_constraint(table.name)["constrained_columns"]
                assert pk == [c.name for c in table.primary_key.columns], table.name
                indexes = {ix["name"]: ix["column_names"] for ix in found.get_indexes(table.name)
                           if not ix.get("duplicates_constraint")}  # PostgreSQL's UNIQUE
                assert indexes == {
                    ix.name: [c.name for c in ix.columns] for ix in table.indexes
                }, table.name
                unique = {tuple(u["column_names"])
                          for u in found.get_unique_constraints(table.name)}
                expected = {(c.name,) for c in table.columns if c.unique}
                assert unique == expected, table.name
            assert set(found.get_view_names()) == {
                "mirco_statements_flat", "mirco_statement_outcomes"}
    finally:
        engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_every_migration_is_frozen_sql(dialect: str) -> None:
    """Every step is a file of SQL for each dialect, numbered without gaps."""
    assert RELEASED == list(range(1, schema.LATEST + 1))
    for number in RELEASED:
        assert schema.frozen_sql(number, dialect), number


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_latest_migration_creates_the_current_views(dialect: str) -> None:
    """A fresh database and a migrated one have the same views: the newest migration's
    frozen SQL is what views.py writes today (a change of views.py needs a new migration)."""
    frozen = schema.frozen_sql(schema.LATEST, dialect)
    assert frozen[-2:] == views.create_views_sql(dialect)
