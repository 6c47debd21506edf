"""``mirco_statements_flat`` on SQLite and PostgreSQL: columns, JSON fields, durations,
voiding, the registry fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reports_dataset import HOME, SUBMITTER
from sqlalchemy import text

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.registry import Learner, upsert_learners
from mirco_lms.lrs.store.views import COLUMNS, VIEW
from mirco_lms.xapi import profile as p

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "analytics.md"


def _stmt(duration: str | None = None, **extensions: object) -> dict:
    stmt: dict = {
        "actor": {"account": {"homePage": HOME, "name": "u7"}},
        "verb": {"id": p.TERMINATED},
        "object": {"id": "https://example.org/mirco/m1", "definition": {"type": p.COURSE}},
        "context": {"extensions": {p.EXTENSIONS + k.replace("_", "-"): v
                                   for k, v in extensions.items()}},
        "timestamp": "2024-03-01T10:00:00.5+02:00",
    }
    if duration:
        stmt["result"] = {"duration": duration}
    return stmt


def _rows(store: SqlStore) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(f"SELECT * FROM {VIEW}")).mappings()]


def test_columns_are_the_documented_ones(store: SqlStore) -> None:
    writes.save_statements(store, writes.Batch([_stmt()]), SUBMITTER, "1.0.3")
    [row] = _rows(store)
    assert tuple(row) == COLUMNS
    documented = DOCS.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert re.search(rf"`{column}`", documented), column


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [("PT45M", 2700), ("PT1H30M5.5S", 5405.5), ("P1DT2H", 93600), ("P2W", 1209600),
     ("PT0.25S", 0.25), ("P1M", 2592000), ("PT90S", 90)],
)
def test_durations_in_seconds(store: SqlStore, duration: str, seconds: float) -> None:
    writes.save_statements(store, writes.Batch([_stmt(duration)]), SUBMITTER, "1.0.3")
    [row] = _rows(store)
    assert row["duration_seconds"] == pytest.approx(seconds)


def test_time_is_utc_and_extensions_and_registry_fill_in(store: SqlStore) -> None:
    writes.save_statements(store, writes.Batch([
        _stmt(country="rs", attempt=2, assessment="final", module_version="1.2.0"),
    ]), SUBMITTER, "1.0.3")
    upsert_learners(store, [Learner(f"account:{HOME}|u7", "u7", None, "Vesna", "MUP", "ME",
                                    "Unit 3")])
    [row] = _rows(store)
    assert row["time"] == "2024-03-01T08:00:00.500Z"
    assert row["country"] == "RS"  # the statement's own country wins over the registry
    assert row["institution"] == "MUP" and row["unit"] == "Unit 3"  # from the registry
    assert row["actor_name"] == "Vesna"
    assert (row["attempt"], row["assessment"], row["module_version"]) == (2, "final", "1.2.0")
    assert row["course_id"] == "https://example.org/mirco/m1"  # object is the course
    assert row["verb"] == "terminated" and row["actor_id"] == f"account:{HOME}|u7"


def test_voided_and_voiding_statements_are_left_out(store: SqlStore) -> None:
    [sid] = writes.save_statements(store, writes.Batch([_stmt()]), SUBMITTER, "1.0.3")
    writes.save_statements(store, writes.Batch([{
        "actor": {"account": {"homePage": HOME, "name": "admin"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": sid},
    }]), SUBMITTER, "1.0.3")
    assert _rows(store) == []


def test_a_non_integer_attempt_is_null_not_an_error(store: SqlStore) -> None:
    writes.save_statements(store, writes.Batch([_stmt(attempt="two")]), SUBMITTER, "1.0.3")
    [row] = _rows(store)
    assert row["attempt"] is None


@pytest.mark.parametrize("category", [p.CATEGORY_V1, p.CATEGORY_V2])
def test_the_learners_country_is_never_the_providers(store: SqlStore, category: str) -> None:
    """Profile v1 put [project]'s country in `country`; v2 puts it in `provider-country`.
    Either way the view's learner columns come from the registry, the provider's apart."""
    stmt = _stmt()
    stmt["context"]["contextActivities"] = {"category": [{"id": category}]}
    if category == p.CATEGORY_V1:
        stmt["context"]["extensions"] = {p.EXT_INSTITUTION: "Centre", p.EXT_COUNTRY: "RS"}
    else:
        stmt["context"]["extensions"] = {p.EXT_PROVIDER_INSTITUTION: "Centre",
                                         p.EXT_PROVIDER_COUNTRY: "rs"}
    writes.save_statements(store, writes.Batch([stmt]), SUBMITTER, "1.0.3")
    upsert_learners(store, [Learner(f"account:{HOME}|u7", "u7", None, "Vesna", "MUP", "MK",
                                    None)])
    [row] = _rows(store)
    assert (row["institution"], row["country"]) == ("MUP", "MK")
    assert (row["provider_institution"], row["provider_country"]) == ("Centre", "RS")


def test_the_definition_and_the_registry_fill_in_where_a_statement_is_silent(
        store: SqlStore) -> None:
    """A statement without its object's type takes the type of the activity's stored
    definition; one without the learner's name or country takes the registry's; one of a
    learner the registry does not know has none. The same values whether the view's rows
    are read one by one, grouped or sorted."""
    silent = _stmt()
    silent["object"] = {"id": "https://example.org/mirco/m1"}  # no definition
    silent["timestamp"] = "2024-03-01T11:00:00Z"
    stranger = _stmt(country="mk")
    stranger["actor"] = {"account": {"homePage": HOME, "name": "u8"}}
    writes.save_statements(store, writes.Batch([_stmt(), silent, stranger]), SUBMITTER,
                           "1.0.3")
    upsert_learners(store, [Learner(f"account:{HOME}|u7", "u7", None, "Vesna", "MUP", "ME",
                                    "Unit 3")])
    rows = _rows(store)
    assert len(rows) == 3
    assert {r["object_type"] for r in rows} == {p.COURSE}
    assert {r["course_id"] for r in rows} == {"https://example.org/mirco/m1"}
    seen = {(r["actor_id"], r["actor_name"], r["country"], r["institution"], r["unit"])
            for r in rows}
    assert seen == {(f"account:{HOME}|u7", "Vesna", "ME", "MUP", "Unit 3"),
                    (f"account:{HOME}|u8", None, "MK", None, None)}
    grouped = text(f"SELECT actor_id, course_id, min(object_type), min(actor_name), "
                   f"min(country), min(institution), max(unit), count(*) FROM {VIEW} "
                   "GROUP BY actor_id, course_id ORDER BY actor_id")
    with store.engine.connect() as conn:
        found = [tuple(r) for r in conn.execute(grouped)]
        ordered = [tuple(r) for r in conn.execute(text(
            f"SELECT object_type, actor_name, country FROM {VIEW} ORDER BY time, actor_id"))]
    module = "https://example.org/mirco/m1"
    assert found == [(f"account:{HOME}|u7", module, p.COURSE, "Vesna", "ME", "MUP", "Unit 3", 2),
                     (f"account:{HOME}|u8", module, p.COURSE, None, "MK", None, None, 1)]
    assert ordered == [(p.COURSE, "Vesna", "ME"), (p.COURSE, None, "MK"),
                       (p.COURSE, "Vesna", "ME")]
