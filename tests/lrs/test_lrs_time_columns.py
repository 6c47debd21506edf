"""The time columns (``time_utc``, ``stored_utc``: the views' ``time`` and ``stored``) for
every timestamp form the validator accepts, on both databases: each statement is stored
(PostgreSQL's date parser refused some and failed the batch) with its instant in UTC,
milliseconds truncated (SQLite's left some NULL, invisible to a report's period); and
migration 9 fills the columns an older writer left NULL. Likewise the duration in
seconds, bound from Python on both paths of the writer."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import pytest
from lrs_support import statement
from sqlalchemy import select, text

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, open_store, schema
from mirco_lms.lrs.store.reads import flat
from mirco_lms.lrs.store.report_columns import plain_values
from mirco_lms.lrs.store.views import utc_text
from mirco_lms.lrs.validation.common import parse_timestamp
from mirco_lms.lrs.validation.rules import normalize_statement

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
    credential_key="k1",
)
FORMS = {
    "20151118T121700Z": "2015-11-18T12:17:00.000Z",  # basic
    "2015-11-18T12": "2015-11-18T12:00:00.000Z",  # hour only, no zone: UTC
    "20151118T12": "2015-11-18T12:00:00.000Z",
    "2015-11-18T1217": "2015-11-18T12:17:00.000Z",
    "2015-11-18T12:17": "2015-11-18T12:17:00.000Z",
    "2015-11-18T12:17:00,25Z": "2015-11-18T12:17:00.250Z",  # a comma before the fraction
    "2015-11-18T12:17:00.1239Z": "2015-11-18T12:17:00.123Z",  # truncated, not rounded
    "2015-11-18T12:17:59.9999Z": "2015-11-18T12:17:59.999Z",
    "2015-11-18T12:17:00.123456+00:00": "2015-11-18T12:17:00.123Z",
    "2015-11-18T12:17:00+02:00": "2015-11-18T10:17:00.000Z",
    "2015-11-18T00:30:00-05:30": "2015-11-18T06:00:00.000Z",
    "2015-12-31T23:30:00-01:00": "2016-01-01T00:30:00.000Z",
}


def test_utc_text_is_the_instant_in_milliseconds() -> None:
    for form, expected in FORMS.items():
        assert utc_text(form) == expected, form
    assert utc_text(None) is None
    assert utc_text("yesterday") is None
    # the reports' period bounds compare with it as the instants do
    moment = datetime(2015, 11, 18, 12, 17, 0, 123999, tzinfo=UTC)
    assert utc_text(moment.isoformat()) == "2015-11-18T12:17:00.123Z"
    # the plain UTC forms (sliced, not parsed) give what the parser gives
    for fraction in ("", ".5", ".05", ".123", ".1239", ".999999999"):
        for zone in ("", "Z", "+00:00", "+00", "+0000"):
            for clock in ("00:00:00", "23:59:59", "12:07:30"):
                form = f"2024-02-29T{clock}{fraction}{zone}"
                moment = parse_timestamp(form)
                assert utc_text(form) == (f"{moment:%Y-%m-%dT%H:%M:%S}."
                                          f"{moment.microsecond // 1000:03d}Z"), form


def test_every_accepted_timestamp_form_is_stored_with_its_instant(store: SqlStore) -> None:
    made = [statement(timestamp=form) for form in FORMS]
    ids = writes.save_statements(store, writes.Batch(made), SUBMITTER, "1.0.3")
    rows = store.select_views(select(flat.c.statement_id, flat.c.time, flat.c.stored))
    times = {r["statement_id"]: r["time"] for r in rows}
    assert [times[i] for i in ids] == list(FORMS.values())
    assert all(len(r["stored"]) == 24 and r["stored"].endswith("Z") for r in rows)
    # a report's period finds them
    found = store.select_views(select(flat.c.statement_id).where(
        flat.c.time >= "2015-11-18T12:00:00.000Z", flat.c.time < "2015-11-18T12:17:01.000Z"))
    assert len(found) == 8


def test_migration_9_fills_the_time_columns_an_older_writer_left_empty(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(schema, "migrate", functools.partial(schema.migrate, upto=8))
        old = open_store(sqlite_url)
        ids = writes.save_statements(
            old, writes.Batch([statement(timestamp=form) for form in FORMS]), SUBMITTER,
            "1.0.3")
        with old.engine.begin() as conn:
            # what schema 8's writer (SQLite's strftime) stored for the forms it could not
            # read
            conn.execute(text("UPDATE statements SET time_utc = NULL WHERE \"timestamp\" "
                              "IN ('20151118T121700Z', '2015-11-18T12', '20151118T12')"))
            conn.execute(text("UPDATE statements SET stored_utc = NULL WHERE seq = 1"))
            assert schema.current_version(conn) == 8
        old.close()
    migrated = open_store(sqlite_url)
    with migrated.engine.connect() as conn:
        assert schema.current_version(conn) == schema.LATEST
        assert conn.execute(text("SELECT count(*) FROM statements WHERE time_utc IS NULL "
                                 "OR stored_utc IS NULL")).scalar() == 0
    rows = migrated.select_views(select(flat.c.statement_id, flat.c.time))
    times = {r["statement_id"]: r["time"] for r in rows}
    assert [times[i] for i in ids] == list(FORMS.values())
    migrated.close()


def test_durations_are_their_seconds_on_both_paths_of_the_writer(store: SqlStore) -> None:
    """``duration_seconds`` is bound from Python for the statements whose report values
    Python computes and for those the database reads from the JSON (a non-ASCII country
    code sends one there), on both databases alike."""
    country = "https://w3id.org/xapi/mirco/extensions/country"
    # first, one without a duration: PostgreSQL must not take its NULL for text
    made: list[tuple[dict[str, object], float | None]] = [
        (statement(context={"extensions": {country: "rš"}}), None)]
    for duration, seconds in (("PT1,5M", 90.0), ("PT1,5S", 1.5), ("P12M", 31_104_000.0),
                              ("PT1.123456789S", 1.123456789), ("PT1H", 3600.0)):
        for code in ("RS", "rš"):
            made.append((statement(result={"duration": duration}, context={
                "extensions": {country: code}}), seconds))
    paths = [plain_values(normalize_statement(m)) is None for m, _ in made]
    assert paths == [True] + [False, True] * 5  # each duration by both paths
    # the first alone: PostgreSQL types the bound column by its values, all NULL there
    ids = writes.save_statements(store, writes.Batch([made[0][0]]), SUBMITTER, "1.0.3")
    ids += writes.save_statements(store, writes.Batch([m for m, _ in made[1:]]), SUBMITTER,
                                  "1.0.3")
    rows = store.select_views(select(flat.c.statement_id, flat.c.duration_seconds))
    found = {r["statement_id"]: r["duration_seconds"] for r in rows}
    assert [found[i] for i in ids] == [seconds for _, seconds in made]
