"""The report columns and the packed JSON (migration 6): the views read columns filled
when a statement is stored instead of parsing its JSON at every read, and the JSON is
kept packed — with every view row, every statement and every GET unchanged."""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lrs_support import write_as_schema
from sqlalchemy import text

from mirco_lms.lrs import transfer
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import (
    SqlStore,
    StatementQuery,
    open_store,
    report_columns,
    schema,
    statistics,
    views,
)
from mirco_lms.lrs.store.packing import DICTIONARY_1, pack, unpack
from mirco_lms.lrs.store.registry import upsert_learners
from mirco_lms.lrs.store.report_columns import plain_values
from mirco_lms.lrs.validation.transform import normalize_statement
from mirco_lms.xapi import profile as p


def _dataset() -> ModuleType:
    name, path = "reports_dataset", Path(__file__).parents[1] / "reports" / "reports_dataset.py"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


dataset = _dataset()
EXT = p.EXTENSIONS
SESSION = "https://example.org/mirco/sessions/rs-2024-03"
TRAINEE = {"objectType": "Agent", "account": {"homePage": dataset.HOME, "name": "t9"},
           "name": "Trainee Nine"}
CLASSROOM = [
    {"actor": TRAINEE, "verb": {"id": p.ATTENDED},
     "object": {"id": SESSION, "definition": {"type": p.MEETING}},
     "timestamp": "2024-03-05T09:00:00Z",
     "context": {"language": "mk", "contextActivities": {
         "grouping": [{"id": f"{dataset.BASE}/c1"}], "category": [{"id": p.CATEGORY_V2}]},
         "extensions": {f"{EXT}delivery": "in-person", f"{EXT}session": SESSION,
                        f"{EXT}institution": "MVR", f"{EXT}country": "mk",
                        f"{EXT}outcomes": ["LO1", "ЛО2 \"q\"\n"]}}},
    {"actor": TRAINEE, "verb": {"id": p.PASSED},
     "object": {"id": f"{dataset.BASE}/c1/final", "definition": {"type": p.ASSESSMENT}},
     "timestamp": "2024-03-06T15:00:00Z",
     "result": {"score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}, "success": True},
     "context": {"contextActivities": {"grouping": [{"id": f"{dataset.BASE}/c1"}]},
                 "extensions": {f"{EXT}delivery": "blended", f"{EXT}session": SESSION,
                                f"{EXT}assessment": "final", f"{EXT}attempt": 2,
                                f"{EXT}outcomes": ["LO1", 7, "LO2"]}}},
]
ODD = [  # values of other types and out of range: the columns keep what the view gave
    {"actor": TRAINEE, "verb": {"id": p.TERMINATED}, "timestamp": "2024-03-07T10:00:00Z",
     "object": {"id": f"{dataset.BASE}/c1", "definition": {"type": p.COURSE}},
     "result": {"duration": "P999999999999Y", "score": {"raw": 2e16}, "response": "a[,]b"},
     "context": {"extensions": {f"{EXT}attempt": 99999999999, f"{EXT}module-version": 3,
                                f"{EXT}outcomes": "LO9", f"{EXT}unit": {"a": 1}}}},
    {"actor": TRAINEE, "verb": {"id": p.INITIALIZED}, "timestamp": "2024-03-07T11:00:00Z",
     "object": {"id": f"{dataset.BASE}/c1", "definition": {"type": p.COURSE}},
     "result": {"duration": "P13M"},  # PostgreSQL: a year and a month
     "context": {"contextActivities": {"category": [{"id": p.CATEGORY_V1}]},
                 "extensions": {f"{EXT}country": "rs", f"{EXT}institution": "X",
                                f"{EXT}attempt": 1.5, f"{EXT}outcomes": {"k": "LO3"}}}},
    {"actor": TRAINEE, "verb": {"id": p.PASSED}, "timestamp": "2024-03-07T12:00:00Z",
     "object": {"id": f"{dataset.BASE}/c1/final", "definition": {"type": p.ASSESSMENT}},
     "result": {"score": {"scaled": 1e-301, "raw": 0}, "success": True, "duration": "PT1,5S"},
     "context": {"contextActivities": {"category": [
         {"id": p.CATEGORY_V2, "definition": {"name": {"en": p.CATEGORY_V1}}}]},
         "extensions": {f"{EXT}country": "šr", f"{EXT}attempt": 1.0}}},
]
PLAIN_ODD = [  # plain values at the edges of what Python computes itself
    {"actor": TRAINEE, "verb": {"id": p.ANSWERED}, "timestamp": "2024-03-07T13:00:00Z",
     "object": {"id": f"{dataset.BASE}/c1/final/q1",
                "definition": {"type": p.INTERACTION}},
     "result": {"score": {"scaled": -1, "raw": 1e15, "min": -1e15, "max": 1.0000000000000002e15},
                "success": False, "completion": False, "response": ""},
     "context": {"language": "sr-Latn", "contextActivities": {
         "parent": [{"id": f"{dataset.BASE}/c1/final"}],
         "category": [{"id": p.CATEGORY_V1, "objectType": "Activity"}]},
         "extensions": {f"{EXT}attempt": 1000000, f"{EXT}outcomes": "LO4",
                        f"{EXT}provider-country": "mE", f"{EXT}country": None}}},
    {"actor": TRAINEE, "verb": {"id": p.ANSWERED}, "timestamp": "2024-03-07T14:00:00Z",
     "object": {"id": f"{dataset.BASE}/c1/final/q2"},
     "result": {"score": {"scaled": 0.1, "raw": 0.30000000000000004}, "duration": "P52W"},
     "context": {"extensions": {f"{EXT}attempt": 1000001, f"{EXT}outcomes": []}}},
    {"actor": TRAINEE, "verb": {"id": "urn:mirco:verb:paused"},
     "timestamp": "2024-03-07T15:00:00Z", "object": {"id": f"{dataset.BASE}/c1"}},
    *({"actor": TRAINEE, "verb": {"id": p.TERMINATED}, "timestamp": "2024-03-07T15:00:00Z",
       "object": {"id": f"{dataset.BASE}/c1"}, "result": {"duration": duration}}
      for duration in ("PT31557600S", "PT31557601S", "P365DT6H", "PT1H2M3.45S", "PT0.1S",
                       "P0D", "PT99999999S")),
]

for _s in [*CLASSROOM, *PLAIN_ODD, *ODD]:
    _s["id"] = str(uuid.uuid4())


def fill(store: SqlStore, stmts: list[dict[str, Any]]) -> None:
    """The data set: the reports' learners (one of their statements voided), classroom
    statements, odd ones, and the learner registry."""
    writes.save_statements(store, writes.Batch(copy.deepcopy(stmts)), dataset.SUBMITTER,
                           "1.0.3")
    void = {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, stmts[3]["id"])),
            "actor": TRAINEE, "verb": {"id": p.VOIDED}, "timestamp": "2024-04-01T08:00:00Z",
            "object": {"objectType": "StatementRef", "id": stmts[3]["id"]}}
    writes.save_statements(store, writes.Batch([void]), dataset.SUBMITTER, "1.0.3")
    upsert_learners(store, dataset.registry())


def every_statement() -> list[dict[str, Any]]:
    stmts, _wrong = dataset.statements()
    return [*stmts, *CLASSROOM, *PLAIN_ODD, *ODD]


def view_columns(store: SqlStore) -> list[str]:
    """The flat view's columns a store of its schema has (an older one has fewer)."""
    with store.engine.connect() as conn:
        held = set(conn.execute(text(f"SELECT * FROM {views.VIEW} LIMIT 0")).keys())
    return [c for c in views.COLUMNS if c in held]


def snapshot(store: SqlStore, *, with_stored: bool = True,
             columns: list[str] | None = None) -> dict[str, Any]:
    """Every row of both views (the flat view's ``columns``, else all it has), and every
    statement a GET returns (by id)."""
    listed = ", ".join(c for c in columns or view_columns(store) if with_stored or c != "stored")
    with store.engine.connect() as conn:
        flat = conn.execute(text(f"SELECT {listed} FROM {views.VIEW} "
                                 "ORDER BY statement_id")).all()
        outcomes = conn.execute(text(f"SELECT * FROM {views.OUTCOMES_VIEW} "
                                     "ORDER BY statement_id, outcome")).all()
    got = {s.id: s.data for s in store.iter_statements(StatementQuery(limit=0))}
    if not with_stored:
        for data in got.values():
            data.pop("stored")
    return {"flat": [tuple(r) for r in flat], "outcomes": [tuple(r) for r in outcomes],
            "statements": got}


@pytest.mark.parametrize("version", [5, 7])
def test_migrations_6_and_8_keep_every_view_row_and_statement(
    db_url: str, version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version 5 store (written as version 5 wrote: JSON text, the views parsing it)
    and a version 7 store (the flat view parsing each duration) answer the same view
    rows, outcomes and statements after the migrations as before — but the durations
    the SQL misread, which migration 9 gives their value (``views.seconds_of``)."""
    stmts = every_statement()
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=version))
        write_as_schema(patch, version)
        old = open_store(db_url)
        fill(old, stmts)
        held = view_columns(old)
        before = snapshot(old)
        old.close()
    migrated = open_store(db_url)
    try:
        with migrated.engine.connect() as conn:
            assert schema.current_version(conn) == schema.LATEST
            durations = dict(conn.execute(text("SELECT id, duration FROM statements")).all())
            # migration 10's column: each statement's outcome ids, as the outcomes view
            # lists them
            carried = conn.execute(text(f"SELECT statement_id, outcomes FROM {views.VIEW} "
                                        "WHERE outcomes IS NOT NULL")).all()
        after = snapshot(migrated, columns=held)
    finally:
        migrated.close()
    assert "outcomes" not in held
    listed = sorted((i, o) for i, text_ in carried for o in views.outcome_ids(text_))
    # SQLite's outcomes view listed an object's values ({"k": "LO3"}) until migration 10
    assert listed == [r for r in sorted(before["outcomes"]) if r[1] != "LO3"]
    assert listed == after["outcomes"]
    assert len(before["flat"]) == len(stmts) - 1  # the voided one is left out
    assert ("LO1",) in {r[1:] for r in before["outcomes"]}
    at = views.COLUMNS.index("duration_seconds")
    redefined = [(*r[:at], views.seconds_of(durations[r[0]]), *r[at + 1 :])
                 for r in before["flat"]]
    assert after == {**before, "flat": redefined, "outcomes": listed}
    # the data set holds durations the SQL misread on this database
    assert redefined != before["flat"]


@pytest.fixture
def other_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty store on the same database system as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/other.sqlite3"
        return
    import psycopg

    name = f"mirco_test_{uuid.uuid4().hex[:12]}"
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=test"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield db_url.split("?", 1)[0] + f"?options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def test_the_data_set_takes_both_paths_of_the_writer() -> None:
    """Python computes the plain statements' report values, the database reads the
    others' (the test below checks both against migration 6's expressions)."""
    stmts = every_statement()
    plain = {s["id"] for s in stmts if plain_values(normalize_statement(copy.deepcopy(s)))}
    assert {s["id"] for s in ODD}.isdisjoint(plain)
    assert {s["id"] for s in [*CLASSROOM[:1], *PLAIN_ODD]} <= plain
    assert len(plain) == len(stmts) - len(ODD) - 1  # CLASSROOM[1]: an outcome that is a number


def test_the_writer_fills_the_report_columns_as_migration_6_did(
    db_url: str, other_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same statements stored by today's writer (columns filled from the bound JSON,
    the JSON packed) and by version 5's (then migrated) give the same report columns,
    the same view rows and the same statements."""
    stmts = every_statement()
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=5))
        write_as_schema(patch, 5)
        old = open_store(db_url)
        fill(old, stmts)
        old.close()
    migrated = open_store(db_url)
    fresh = open_store(other_url)
    try:
        fill(fresh, stmts)
        assert snapshot(fresh, with_stored=False) == snapshot(migrated, with_stored=False)
        columns = ", ".join([*views.REPORT_COLUMNS, "time_utc"])
        reads = f"SELECT id, {columns} FROM statements WHERE NOT is_voiding ORDER BY id"
        with fresh.engine.connect() as a, migrated.engine.connect() as b:
            written, backfilled = a.execute(text(reads)).all(), b.execute(text(reads)).all()
            packed = a.execute(text('SELECT "full" FROM statements')).scalars().all()
            plain = b.execute(text('SELECT "full" FROM statements')).scalars().all()
        assert len(written) == len(stmts)
        assert [tuple(r) for r in written] == [tuple(r) for r in backfilled]
        by_id = {r[0]: r for r in written}
        attended = by_id[CLASSROOM[0]["id"]]._mapping
        assert (attended["delivery"], attended["session_id"], attended["country"]) == (
            "in-person", SESSION, "MK")
        assert all(bytes(v)[:1] == b"\x01" for v in packed)  # packed (format 1)
        assert all(unpack(v).startswith("{") for v in plain)  # version 5's, kept as they were
        assert sum(len(bytes(v)) for v in packed) * 3 < sum(len(unpack(v)) for v in plain)
    finally:
        fresh.close()
        migrated.close()


HOSTILE_DURATIONS = [
    "PT1H2M3.45S", "PT0.1S", "PT0.000001S", "PT1.123456789S", "PT3723.45S", "P4W", "P1W1D",
    "P1.5W", "PT1.5H", "P7DT23H59M59.999999S", "PT31557600S", "PT31557600.000001S",
    "P365DT6H", "P1Y", "P12M", "P13M", "P1.5Y", "P1Y1M", "P999999999999Y", "PT99999999S",
    "P99999999W", "PT999999999S", "-PT1S", "P-1D", "PT", "P", "P1DT", "PT1H1H", "PT1S\n",
    "PT1,5S", "PT\u0663S", "pt1s", " PT1S", "PT1SX", "PTS", "P1D1W", "", "xyz",
    "P" + "1" * 70 + "D", "PT" + "9" * 30 + "S", "P0D", "PT0S", "PT00000001S",
]
"""Durations of every shape, most of which the validator refuses (older rows and other
writers may still hold them)."""
SECONDS = {
    "PT1H2M3.45S": 3723.45, "PT1.123456789S": 1.123456789, "P4W": 2_419_200.0,
    "P1.5W": 907_200.0, "PT1.5H": 5400.0, "PT1,5S": 1.5, "PT1,5M": 90.0, "P1Y": 31_557_600.0,
    "P12M": 31_104_000.0, "P1.5Y": None, "P365DT6H": 31_557_600.0, "PT31557600.000001S": None,
    "P0D": 0.0, "PT0S": 0.0, "PT00000001S": 1.0, "P1DT2H": 93_600.0,
    "P1W1D": None, "PT": None, "P": None, "P1DT": None, "PT1S\n": None, "PT\u0663S": None,
    "pt1s": None, "-PT1S": None, "P-1D": None, "PT1H1H": None, " PT1S": None, "": None,
}
"""``duration_seconds`` by its definition (since schema 9): every form the validator
accepts, a year of 365.25 days and a month of 30, at most a year; None for the rest."""
READ_BY_SQL = ["PT1H2M3.45S", "PT0.1S", "PT0.000001S", "PT3723.45S", "P4W", "PT1.5H",
               "P7DT23H59M59.999999S", "PT31557600S", "PT31557600.000001S", "P365DT6H",
               "P1Y", "P13M", "P1Y1M", "PT99999999S", "P0D", "PT0S", "PT00000001S"]
"""Forms the SQL expressions of migration 8 read right on both databases."""


def test_duration_seconds_is_defined_for_every_form() -> None:
    for duration, seconds in SECONDS.items():
        assert views.seconds_of(duration) == seconds, duration
    assert views.seconds_of(None) is None
    for duration in HOSTILE_DURATIONS:  # never an error
        assert views.seconds_of(duration) is None or views.seconds_of(duration) >= 0


def test_python_gives_the_seconds_the_sql_gave_where_it_read_them(db_url: str) -> None:
    """Where migration 8's expressions read a duration right, the definition in Python
    gives the same value, to the bit (a statement stored before keeps its figures)."""
    store = open_store(db_url)
    dialect = store.engine.dialect.name
    expression = views.duration_seconds(views.flavour(dialect), "CAST(:d AS TEXT)")
    try:
        with store.engine.connect() as conn:
            for duration in READ_BY_SQL:
                [(by_sql,)] = conn.execute(text(f"SELECT {expression}"), {"d": duration})
                by_python = report_columns._seconds(duration)
                assert by_python == by_sql, duration
                assert by_python is None or isinstance(by_sql, float), duration
    finally:
        store.close()


def test_python_and_sql_give_the_same_verb(db_url: str) -> None:
    """The view's ``verb`` (the IRI after its last ``/``), in Python as in SQL."""
    store = open_store(db_url)
    d = views.flavour(store.engine.dialect.name)
    try:
        with store.engine.connect() as conn:
            for verb_id in ["http://adlnet.gov/expapi/verbs/answered", "urn:mirco:verb",
                            "https://example.org/verbs/", "https://example.org/a/a/a",
                            "https://пример.срб/глаголи/одговорио", "x/x/x/", "/", "",
                            "https://example.org/v?x=a/b#c"]:
                [(by_sql,)] = conn.execute(
                    text(f"SELECT {d.last_segment('CAST(:v AS TEXT)')}"), {"v": verb_id})
                assert report_columns._last_segment(verb_id) == by_sql, verb_id
    finally:
        store.close()


@pytest.mark.parametrize("raw", [
    '{"id":"x","verb":{"id":"http://adlnet.gov/expapi/verbs/answered"}}',
    json.dumps({"name": "Ђорђе Љубић — ученик", "emoji": "🙂", "n": 1e300}, ensure_ascii=False),
    "{}",
    "{" + '"k":"' + "x" * 100_000 + '"}',
])
def test_packing_round_trips_and_reads_the_older_forms(raw: str) -> None:
    packed = pack(raw)
    assert packed[:1] == b"\x01" and unpack(packed) == raw
    assert unpack(memoryview(packed)) == raw
    assert unpack(raw) == raw and unpack(raw.encode()) == raw  # text, and PostgreSQL's bytea


def test_a_value_in_an_unknown_packing_format_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match=r"unknown packing format b'\\x07'"):
        unpack(b"\x07abc")


def test_the_dictionary_of_format_1_never_changes() -> None:
    """Statements packed in format 1 can only be unpacked with the same dictionary."""
    assert hashlib.sha256(DICTIONARY_1).hexdigest() == (
        "b4fb06ce7b6fe48549ba7be337fb4eb62074d4dc8249e097a54ccd222cb98939")


def test_a_large_import_refreshes_the_planner_statistics(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mirco lrs import`` of many statements leaves PostgreSQL's statistics current
    (an index plan for the very next GET), without waiting for autovacuum."""
    monkeypatch.setattr(transfer, "ANALYZE_AFTER", 50)
    lines = tmp_path / "statements.jsonl"
    stmts = every_statement()[:60]
    lines.write_text("\n".join(json.dumps(s) for s in stmts) + "\n", encoding="utf-8")
    store = open_store(db_url)
    try:
        before = None if store.is_sqlite else analyze_counts(store)
        report = transfer.import_jsonl(store, lines)
        assert report.stored == len(stmts)
        if before is not None:
            assert not_analyzed_since(before, analyze_counts(store)) == set()
    finally:
        store.close()


def analyze_counts(store: SqlStore) -> dict[str, int]:
    """How many times each table of the store's schema was analyzed (PostgreSQL)."""
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT relname, analyze_count FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema()")).all()
    return {str(name): int(count) for name, count in rows}


def not_analyzed_since(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """The store's tables not analyzed again between the two counts: every table the
    writers and readers query must be — the writers' prepared lookups are planned
    from these statistics, and a table last analyzed empty is scanned whole."""
    return {t.name for t in schema.metadata.sorted_tables
            if after.get(t.name, 0) <= before.get(t.name, 0)}


def test_the_writer_refreshes_postgresql_statistics_as_the_store_grows(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Statements stored over HTTP (the grouped writer) leave the statistics current once
    the store grew enough, without waiting for autovacuum's next round."""
    monkeypatch.setattr(statistics, "AT_LEAST", 50)
    store = open_store(pg_url)
    try:
        before = analyze_counts(store)
        for chunk in (every_statement()[:30], every_statement()[30:60]):
            writes.save_statements(store, writes.Batch(copy.deepcopy(chunk)),
                                   dataset.SUBMITTER, "1.0.3")
    finally:
        store.close()  # waits for a refresh under way
    store = open_store(pg_url)
    try:
        after = analyze_counts(store)
    finally:
        store.close()
    assert not_analyzed_since(before, after) == set()
