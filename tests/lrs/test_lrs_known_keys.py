"""The identifier keys the writers remember (:mod:`mirco_lms.lrs.store.known_keys`): a
value's key is looked up once, only committed keys are remembered, and the statements'
index rows always point at the right identifier — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import Future, wait
from typing import Any

import pytest
from lrs_support import statement

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore, StatementQuery, open_store
from mirco_lms.lrs.store.group_commit import GroupCommit
from mirco_lms.lrs.store.known_keys import KnownKeys
from mirco_lms.lrs.store.writer import SqlStatementWriter
from mirco_lms.lrs.validation.agents import agent_ifi

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "tests"}},
    credential_key="k1",
)


def learner(name: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": "https://lms.test", "name": name}}


def by(name: str) -> dict[str, Any]:
    return statement(id=str(uuid.uuid4()), actor=learner(name))


def save(store: SqlStore, *stmts: dict[str, Any]) -> None:
    writes.save_statements(store, writes.Batch([dict(s) for s in stmts]), SUBMITTER, "1.0.3")


def ids_by(store: SqlStore, name: str) -> set[str]:
    page = store.query(StatementQuery(agent=agent_ifi(learner(name)), limit=100))
    return {s.id for s in page.statements}


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The values of every lookup in ``identifiers``, one list per query."""
    seen: list[list[str]] = []
    rows = SqlStatementWriter.rows

    def recording(self: SqlStatementWriter, template: str, params: Any = ()) -> list[Any]:
        if "FROM identifiers" in template:
            seen.append(list(params))
        return rows(self, template, params)

    monkeypatch.setattr(SqlStatementWriter, "rows", recording)
    yield seen


def test_known_keys_are_bounded_and_forget_the_least_recently_used() -> None:
    known = KnownKeys(limit=3)
    known.add({"a": 1, "b": 2, "c": 3})
    assert known.get(["a", "z"]) == {"a": 1}  # "a" is now the most recently used
    known.add({"d": 4})
    assert len(known) == 3
    assert known.get(["a", "b", "c", "d"]) == {"a": 1, "c": 3, "d": 4}
    with pytest.raises(ValueError, match="at least 1"):
        KnownKeys(limit=0)


def test_a_value_is_looked_up_once(store: SqlStore, looked_up: list[list[str]]) -> None:
    save(store, by("ana"))
    assert any(agent_ifi(learner("ana")) in values for values in looked_up)
    looked_up.clear()
    save(store, by("ana"))  # the same learner, verb and activity: nothing to look up
    assert looked_up == []
    save(store, by("ana"), by("ben"))  # only the new learner is looked up
    assert {v for values in looked_up for v in values} == {agent_ifi(learner("ben"))}
    assert len(ids_by(store, "ana")) == 3 and len(ids_by(store, "ben")) == 1


def _unit(stmt: dict[str, Any], fails: bool = False) -> Any:
    def work(tx: SqlStatementWriter) -> str:
        [stamp] = tx.clock(1)
        tx.insert([writes._stamp(writes._prepare(stmt, SUBMITTER, "1.0.3"), stamp)])
        if fails:
            raise ValueError("this unit fails after writing")
        return str(stmt["id"])

    return work


def _commit(store: SqlStore, *units: Any) -> list[Future[Any]]:
    group = GroupCommit(store)
    futures: list[Future[Any]] = [Future() for _ in units]
    try:
        group.commit(list(zip(units, futures, strict=True)))
    finally:
        group.stop()
    wait(futures)
    return futures


def test_keys_of_a_unit_rolled_back_are_not_remembered(store: SqlStore) -> None:
    """A unit rolled back to its savepoint takes the identifiers it added with it: their
    keys must not be remembered, or a later value given the same key (SQLite hands out
    the freed number again) would take the forgotten learner's statements."""
    kept, undone = by("kept"), by("undone")
    futures = _commit(store, _unit(kept), _unit(undone, fails=True))
    assert futures[0].result() == kept["id"]
    assert isinstance(futures[1].exception(), ValueError)
    ifi = agent_ifi(learner("undone"))
    assert store.known_keys.get([ifi]) == {}
    assert agent_ifi(learner("kept")) in store.known_keys.get([agent_ifi(learner("kept"))])
    later, again = by("later"), by("undone")
    save(store, later)
    save(store, again)
    assert ids_by(store, "later") == {later["id"]}
    assert ids_by(store, "undone") == {again["id"]}


def test_a_failed_transaction_remembers_nothing(store: SqlStore) -> None:
    lone = by("lone")
    [future] = _commit(store, _unit(lone, fails=True))
    assert isinstance(future.exception(), ValueError)
    assert store.known_keys.get([agent_ifi(learner("lone"))]) == {}
    save(store, by("other"))
    stmt = by("lone")
    save(store, stmt)
    assert ids_by(store, "lone") == {stmt["id"]}


def test_writers_of_two_processes_agree_on_every_key(db_url: str) -> None:
    """Two stores on one database (as several `mirco lrs serve` workers are), each with
    its own memory, writing shared and new learners in turn: every statement is found
    by its learner, through either store."""
    first, second = open_store(db_url), open_store(db_url)
    try:
        expected: dict[str, set[str]] = {}
        for round_ in range(4):
            for index, writer in enumerate((first, second)):
                names = ["shared", f"w{index}-r{round_}", f"w{1 - index}-r{round_}"]
                stmts = [by(name) for name in names]
                save(writer, *stmts)
                for name, stmt in zip(names, stmts, strict=True):
                    expected.setdefault(name, set()).add(stmt["id"])
        for name, ids in expected.items():
            assert ids_by(first, name) == ids, name
            assert ids_by(second, name) == ids, name
    finally:
        first.close()
        second.close()
