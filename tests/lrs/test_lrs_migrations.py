"""Schema migrations of the collector: a database created by every earlier released schema
is brought up to date in place, keeping every statement findable, and ends with the schema
that the tables of :mod:`mirco_lms.lrs.store.schema` describe."""

from __future__ import annotations

import copy
import functools
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from lrs_support import statement, write_as_schema
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    MetaData,
    Table,
    Text,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, StatementQuery, open_store, queries, schema, views

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


@pytest.mark.parametrize("version", RELEASED)
def test_a_database_of_every_released_schema_is_migrated(
    db_url: str, version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database created and filled at ``version`` (by that version's frozen steps only)
    is migrated to the newest schema and keeps answering by agent, activity and view."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=version))
        write_as_schema(patch, version)
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


AGENTS = [{"mbox": f"mailto:l{i}@example.org"} for i in range(3)]
VERBS = [f"http://adlnet.gov/expapi/verbs/{v}" for v in ("completed", "answered", "passed")]
ACTIVITIES = [f"https://example.org/mirco/c{i}" for i in range(3)]
REGISTRATIONS = [str(uuid.UUID(int=i + 1, version=4)) for i in range(2)]


def _statements() -> list[dict[str, Any]]:
    """Statements over a few agents, verbs, activities and registrations, with instructors,
    parents, a StatementRef and (stored after them) one voided statement."""
    out = []
    for i in range(24):
        context: dict[str, Any] = {
            "contextActivities": {"parent": [{"id": ACTIVITIES[(i + 1) % 3]}]},
            "registration": REGISTRATIONS[i % 2],
        }
        if i % 4 == 0:
            context["instructor"] = AGENTS[(i + 2) % 3]
        out.append(statement(
            id=str(uuid.UUID(int=1000 + i, version=4)), actor=AGENTS[i % 3],
            verb={"id": VERBS[i % 3]}, object={"id": ACTIVITIES[i % 3]}, context=context))
    out.append(statement(id=str(uuid.UUID(int=2000, version=4)), actor=AGENTS[0],
                         object={"objectType": "StatementRef", "id": out[4]["id"]}))
    return out


def _queries(stored: list[str]) -> list[StatementQuery]:
    """Every filter, alone and combined, with since / until windows, ascending and pages."""
    at = [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stored]
    ifi = "mbox:mailto:l1@example.org"
    plain = [
        StatementQuery(), StatementQuery(agent=ifi),
        StatementQuery(agent=ifi, related_agents=True), StatementQuery(verb=VERBS[1]),
        StatementQuery(activity=ACTIVITIES[2]),
        StatementQuery(activity=ACTIVITIES[2], related_activities=True),
        StatementQuery(registration=REGISTRATIONS[0]),
        StatementQuery(agent=ifi, verb=VERBS[1], since=at[3], until=at[20]),
        StatementQuery(activity=ACTIVITIES[0], related_activities=True, until=at[15]),
        StatementQuery(since=at[5], ascending=True),
        StatementQuery(agent="mbox:mailto:nobody@example.org"),
        StatementQuery(verb="http://example.org/never-sent"),
    ]
    return [q for base in plain for q in (base, replace(base, limit=4),
                                          replace(base, limit=3, ascending=not base.ascending))]


def _answers(store: SqlStore, queries: list[StatementQuery]) -> list[list[str]]:
    """The ids each query returns, page after page."""
    out = []
    for q in queries:
        page, ids = store.query(q), []
        ids += [s.id for s in page.statements]
        while page.more is not None:
            page = store.query(page.more)
            ids += [s.id for s in page.statements]
        out.append(ids)
    return out


def _tables(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    """What the statements, their index rows (with their IFI / IRI text) and the views
    hold, in a form both schemas give."""
    columns = [c.name for c in schema.statements.columns
               if not c.name.endswith("_key")
               and c.name not in ("duration_seconds", "verb")]  # since 7, 8
    quoted = ", ".join(f'"{c}"' for c in columns)
    flat = ", ".join(f'"{c}"' for c in views.COLUMNS if c != "outcomes")  # since 10
    agents = ("SELECT i.value, a.seq, a.is_primary FROM statement_agents a "
              "JOIN identifiers i ON i.id = a.agent_key")
    activities = ("SELECT i.value, a.seq, a.is_primary FROM statement_activities a "
                  "JOIN identifiers i ON i.id = a.activity_key")
    with store.engine.connect() as conn:
        if schema.current_version(conn) < 7:
            agents = "SELECT ifi, seq, is_primary FROM statement_agents"
            activities = "SELECT activity_id, seq, is_primary FROM statement_activities"
        return {
            "statements": [tuple(r) for r in conn.execute(
                text(f"SELECT {quoted} FROM statements ORDER BY seq"))],
            "agents": sorted(tuple(r) for r in conn.execute(text(agents))),
            "activities": sorted(tuple(r) for r in conn.execute(text(activities))),
            "flat": [tuple(r) for r in conn.execute(
                text(f"SELECT {flat} FROM mirco_statements_flat ORDER BY statement_id"))],
        }


def _read_as_schema_6(patch: pytest.MonkeyPatch) -> None:
    """Make the statement queries read schema 6's tables: the index tables and the verb
    and activity filters on the IFI / IRI text (the same queries, other column names)."""
    md = MetaData()
    text_of = {"verb_key": "verb_id", "object_key": "object_activity_id"}
    statements = Table("statements", md, *(
        Column(text_of.get(c.name, c.name), c.type, key=c.name)
        for c in schema.statements.columns if c.name not in text_of.values()))
    agents = Table("statement_agents", md, Column("seq", BigInteger),
                   Column("ifi", Text, key="agent_key"), Column("is_primary", Boolean))
    activities = Table("statement_activities", md, Column("seq", BigInteger),
                       Column("activity_id", Text, key="activity_key"),
                       Column("is_primary", Boolean))
    patch.setattr(queries, "S", statements)
    patch.setattr(queries, "AG", agents)
    patch.setattr(queries, "AC", activities)
    patch.setattr(queries, "lookup_keys",
                  lambda _conn, q: queries.Keys(q.agent, q.verb, q.activity))


def test_migration_7_keeps_every_row_and_answer(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version 6 store (index tables keyed by text) holds the same statements, index
    rows and view rows after migration 7, and every GET (filters, windows, order, pages,
    values never stored) answers as it did; voided statements stay voided."""
    stmts = _statements()
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=6))
        write_as_schema(patch, 6)
        _read_as_schema_6(patch)
        old = open_store(db_url)
        writes.save_statements(old, writes.Batch(copy.deepcopy(stmts[:12])), SUBMITTER,
                               "1.0.3")
        writes.save_statements(old, writes.Batch(copy.deepcopy(stmts[12:])), SUBMITTER,
                               "1.0.3")
        void = statement(id=str(uuid.UUID(int=3000, version=4)), actor=AGENTS[2],
                         verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                         object={"objectType": "StatementRef", "id": stmts[7]["id"]})
        writes.save_statements(old, writes.Batch([void]), SUBMITTER, "1.0.3")
        stored = [s.stored for s in old.query(StatementQuery(limit=1000, ascending=True))
                  .statements]
        asked = _queries(stored)
        before, answers = _tables(old), _answers(old, asked)
        old.close()
    migrated = open_store(db_url)
    try:
        with migrated.engine.connect() as conn:
            assert schema.current_version(conn) == schema.LATEST
            [(keys,)] = conn.execute(text("SELECT count(*) FROM identifiers"))
        assert keys == 3 + 3 + 4 + 1  # agents, activities, verbs, the authority
        assert _tables(migrated) == before
        assert _answers(migrated, asked) == answers
        assert [] not in answers[:3] and answers[-6:] == [[]] * 6
        assert migrated.get(stmts[7]["id"], voided=True) is not None
        assert migrated.get(stmts[7]["id"], voided=False) is None
        [added] = writes.save_statements(migrated, writes.Batch([statement(
            actor=AGENTS[1], verb={"id": VERBS[1]}, object={"id": ACTIVITIES[2]})]),
            SUBMITTER, "1.0.3")
        newest = migrated.query(StatementQuery(agent="mbox:mailto:l1@example.org",
                                               verb=VERBS[1], activity=ACTIVITIES[2]))
        assert newest.statements[0].id == added
    finally:
        migrated.close()
