"""Statement queries at scale, on SQLite and PostgreSQL: every filter (and since / until
windows, ascending, paging) returns what a plain filter over all the statements returns,
and each is read in the order of an index, never by sorting or scanning every statement."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from lrs_support import statement
from sqlalchemy import text

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, StatementQuery
from mirco_lms.lrs.store.queries import _direct_query, lookup_keys, seq_window
from mirco_lms.lrs.validation import rules

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "t"}},
    credential_key="k1",
)
AGENTS = [{"mbox": f"mailto:l{i}@example.org"} for i in range(4)]
VERBS = [f"http://adlnet.gov/expapi/verbs/{v}" for v in ("completed", "answered", "passed")]
ACTIVITIES = [f"https://example.org/mirco/c{i}" for i in range(4)]
REGISTRATIONS = [str(uuid.UUID(int=i + 1, version=4)) for i in range(3)]


def _random_statement(rng: random.Random) -> dict[str, Any]:
    context: dict[str, Any] = {
        "contextActivities": {"parent": [{"id": rng.choice(ACTIVITIES)}]},
    }
    if rng.random() < 0.7:
        context["registration"] = rng.choice(REGISTRATIONS)
    if rng.random() < 0.3:
        context["instructor"] = rng.choice(AGENTS)
    return statement(
        actor=rng.choice(AGENTS), verb={"id": rng.choice(VERBS)},
        object={"objectType": "Activity", "id": rng.choice(ACTIVITIES)}, context=context,
    )


def _agents_of(data: dict[str, Any]) -> set[str]:
    found = {rules.required_ifi(data["actor"])}
    if "instructor" in data.get("context", {}):
        found.add(rules.required_ifi(data["context"]["instructor"]))
    return found


def _matches(data: dict[str, Any], stored: str, q: StatementQuery) -> bool:
    """The xAPI filter rules, written out plainly (no StatementRefs in this data)."""
    context = data.get("context", {})
    related = {data["object"]["id"]} | {
        a["id"] for group in context.get("contextActivities", {}).values() for a in group}
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    return all((
        q.agent is None or (q.agent in _agents_of(data) if q.related_agents
                            else q.agent == rules.required_ifi(data["actor"])),
        q.verb is None or data["verb"]["id"] == q.verb,
        q.activity is None or (q.activity in related if q.related_activities
                               else data["object"]["id"] == q.activity),
        q.registration is None or context.get("registration") == q.registration,
        q.since is None or moment > q.since,
        q.until is None or moment <= q.until,
    ))


def _fill(store: SqlStore, rng: random.Random) -> list[tuple[str, str, dict[str, Any]]]:
    for _ in range(6):
        batch = [_random_statement(rng) for _ in range(rng.randint(5, 25))]
        writes.save_statements(store, writes.Batch(batch), SUBMITTER, "1.0.3")
    everything = store.query(StatementQuery(limit=1000, ascending=True)).statements
    return [(s.id, s.stored, s.data) for s in everything]


def _random_query(rng: random.Random, stored: list[str]) -> StatementQuery:
    def moment() -> datetime:
        return datetime.fromisoformat(rng.choice(stored).replace("Z", "+00:00"))

    q = StatementQuery(limit=rng.choice([1, 3, 7, 50]), ascending=rng.random() < 0.5)
    if rng.random() < 0.4:
        q = replace(q, agent=rules.required_ifi(rng.choice(AGENTS)),
                    related_agents=rng.random() < 0.5)
    if rng.random() < 0.4:
        q = replace(q, verb=rng.choice(VERBS))
    if rng.random() < 0.4:
        q = replace(q, activity=rng.choice(ACTIVITIES), related_activities=rng.random() < 0.5)
    if rng.random() < 0.3:
        q = replace(q, registration=rng.choice(REGISTRATIONS))
    if rng.random() < 0.5:
        q = replace(q, since=moment())
    if rng.random() < 0.5:
        q = replace(q, until=moment())
    return q


def test_every_filter_window_and_order_returns_what_a_plain_filter_does(store: SqlStore) -> None:
    rng = random.Random(21)
    rows = _fill(store, rng)
    stored = [s for _, s, _ in rows]
    for _ in range(150):
        q = _random_query(rng, stored)
        expected = [sid for sid, when, data in rows if _matches(data, when, q)]
        if not q.ascending:
            expected.reverse()
        got: list[str] = []
        page = store.query(q)
        got += [s.id for s in page.statements]
        assert len(page.statements) <= q.limit
        while page.more is not None:
            page = store.query(page.more)
            got += [s.id for s in page.statements]
        assert got == expected, q


def test_a_window_between_two_stored_instants_is_exact(store: SqlStore) -> None:
    rows = _fill(store, random.Random(5))
    stored = [s for _, s, _ in rows]
    at = [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stored]
    ids = [sid for sid, _, _ in rows]
    q = StatementQuery(limit=1000, ascending=True)
    assert [s.id for s in store.query(replace(q, since=at[10], until=at[20])).statements] == \
        ids[11:21]
    assert store.query(replace(q, since=at[20], until=at[10])).statements == []
    assert store.query(replace(q, since=at[-1])).statements == []
    assert [s.id for s in store.query(replace(q, until=at[0])).statements] == ids[:1]


PLANNED = {
    "all": StatementQuery(),
    "agent": StatementQuery(agent=rules.required_ifi(AGENTS[0])),
    "verb": StatementQuery(verb=VERBS[0]),
    "activity": StatementQuery(activity=ACTIVITIES[0]),
    "related activity": StatementQuery(activity=ACTIVITIES[0], related_activities=True),
    "registration": StatementQuery(registration=REGISTRATIONS[0]),
    "until": StatementQuery(until=datetime(2100, 1, 1)),
    "since+until ascending": StatementQuery(
        since=datetime(2000, 1, 1), until=datetime(2100, 1, 1), ascending=True),
    "verb+until": StatementQuery(verb=VERBS[1], until=datetime(2100, 1, 1)),
}


def _plan(store: SqlStore, q: StatementQuery) -> str:
    with store.engine.connect() as conn:
        if not store.is_sqlite:
            # a tiny table is best read whole and sorted: make that the last resort, so
            # the plan shows whether an index can give the rows in order
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                conn.execute(text(f"SET {setting} = off"))
        window = seq_window(conn, q, 10**9)
        keys = lookup_keys(conn, q)
        assert keys is not None, q
        sql = _direct_query(q, window, keys).limit(q.limit + 1).compile(
            dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if store.is_sqlite else "EXPLAIN "
        return "\n".join(str(r[-1]) for r in conn.execute(text(prefix + str(sql))))


def test_each_typical_filter_reads_an_index_in_order_without_sorting(store: SqlStore) -> None:
    _fill(store, random.Random(3))
    for name, q in PLANNED.items():
        plan = _plan(store, q)
        if store.is_sqlite:
            assert "TEMP B-TREE" not in plan, (name, plan)
            assert "SCAN statements" not in plan, (name, plan)
            assert "USING" in plan, (name, plan)
        else:
            assert "Sort" not in plan, (name, plan)
            assert "Index" in plan, (name, plan)
            assert "Seq Scan" not in plan, (name, plan)
