"""The store contract: one suite, run on SQLite and on PostgreSQL (the ``store`` fixture)."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from lrs_support import statement
from sqlalchemy import select

from mirco_lms.errors import ConfigError, Conflict, XapiValidationError
from mirco_lms.lrs.auth import new_credential
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import Document, DocumentKey, SqlStore, StatementQuery, open_store, schema

SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "tests"}},
    credential_key="k1",
)
VERB2 = "http://adlnet.gov/expapi/verbs/attempted"


def save(store: SqlStore, *stmts: dict, submitter: writes.Submitter = SUBMITTER) -> list[str]:
    return writes.save_statements(store, writes.Batch(list(stmts)), submitter, "1.0.3")


def ids_of(page) -> list[str]:
    return [s.id for s in page.statements]


def test_saved_statement_comes_back_with_lrs_properties(store: SqlStore) -> None:
    sid = str(uuid.uuid4())
    [saved] = save(store, statement(id=sid))
    assert saved == sid
    got = store.get(sid, voided=False)
    assert got is not None and got.data["actor"]["mbox"] == "mailto:ana@example.org"
    assert got.data["authority"] == SUBMITTER.authority
    assert got.data["version"] == "1.0.0" and got.data["stored"].endswith("Z")
    assert got.data["timestamp"] == got.data["stored"]
    assert store.get(sid, voided=True) is None


def test_stored_grows_with_every_statement(store: SqlStore) -> None:
    save(store, *[statement() for _ in range(5)])
    save(store, statement())
    page = store.query(StatementQuery(limit=10, ascending=True))
    stored = [s.stored for s in page.statements]
    assert stored == sorted(stored) and len(set(stored)) == 6
    assert page.consistent_through is not None and page.consistent_through >= stored[-1]


def test_same_statement_again_is_a_no_op_and_a_different_one_conflicts(store: SqlStore) -> None:
    sid = str(uuid.uuid4())
    save(store, statement(id=sid))
    save(store, statement(id=sid))
    assert store.count() == 1
    other = statement(id=sid, verb={"id": VERB2})
    with pytest.raises(Conflict):
        save(store, statement(), other)
    assert store.count() == 1, "a batch with a conflict stores nothing"


def test_duplicate_ids_in_one_batch_are_rejected(store: SqlStore) -> None:
    sid = str(uuid.uuid4())
    with pytest.raises(XapiValidationError) as err:
        save(store, statement(id=sid), statement(id=sid))
    assert err.value.path == "$[1].id"
    assert store.count() == 0


def voiding(target: str) -> dict:
    return statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )


def test_voided_statement_leaves_queries_but_stays_retrievable(store: SqlStore) -> None:
    [target] = save(store, statement())
    [void_id] = save(store, voiding(target))
    assert store.get(target, voided=False) is None
    assert store.get(target, voided=True) is not None
    assert ids_of(store.query(StatementQuery())) == [void_id]


def test_voiding_before_the_target_arrives(store: SqlStore) -> None:
    target = str(uuid.uuid4())
    save(store, voiding(target))
    save(store, statement(id=target))
    assert store.get(target, voided=True) is not None


def test_a_voiding_statement_cannot_be_voided(store: SqlStore) -> None:
    [target] = save(store, statement())
    [void_id] = save(store, voiding(target))
    with pytest.raises(XapiValidationError):
        save(store, voiding(void_id))
    assert store.get(void_id, voided=False) is not None


def test_pages_cover_everything_once_and_ignore_later_inserts(store: SqlStore) -> None:
    sent = save(store, *[statement() for _ in range(7)])
    page = store.query(StatementQuery(limit=3))
    seen = ids_of(page)
    save(store, *[statement() for _ in range(4)])  # arrives between pages
    while page.more is not None:
        page = store.query(page.more)
        seen += ids_of(page)
    assert seen == list(reversed(sent))


def test_ascending_order_and_limit(store: SqlStore) -> None:
    sent = save(store, *[statement() for _ in range(4)])
    assert ids_of(store.query(StatementQuery(ascending=True, limit=2))) == sent[:2]
    assert ids_of(store.query(StatementQuery(limit=2))) == [sent[3], sent[2]]


def test_filters(store: SqlStore) -> None:
    reg = str(uuid.uuid4())
    bob = {"mbox": "mailto:bob@example.org"}
    plain = save(store, statement())[0]
    by_verb = save(store, statement(verb={"id": VERB2}))[0]
    with_context = save(
        store,
        statement(
            actor=bob,
            context={
                "registration": reg,
                "instructor": {"mbox": "mailto:ana@example.org"},
                "contextActivities": {"parent": [{"id": "https://example.org/course"}]},
            },
        ),
    )[0]
    q = StatementQuery(limit=10, ascending=True)
    assert ids_of(store.query(replace(q, verb=VERB2))) == [by_verb]
    assert ids_of(store.query(replace(q, registration=reg))) == [with_context]
    assert ids_of(store.query(replace(q, agent=_ifi(bob)))) == [with_context]
    ana = _ifi({"mbox": "mailto:ana@example.org"})
    assert ids_of(store.query(replace(q, agent=ana))) == [plain, by_verb]
    assert ids_of(store.query(replace(q, agent=ana, related_agents=True))) == [
        plain,
        by_verb,
        with_context,
    ]
    course = "https://example.org/course"
    assert ids_of(store.query(replace(q, activity=course))) == []
    assert ids_of(store.query(replace(q, activity=course, related_activities=True))) == [
        with_context
    ]


def _ifi(agent: dict) -> str:
    from mirco_lms.lrs.validation import rules

    return rules.required_ifi(agent)


def test_since_and_until_use_stored(store: SqlStore) -> None:
    first, second, third = save(store, statement(), statement(), statement())
    stored = {s.id: s.stored for s in store.query(StatementQuery()).statements}
    at = datetime.fromisoformat(stored[first].replace("Z", "+00:00"))
    until = datetime.fromisoformat(stored[second].replace("Z", "+00:00"))
    assert ids_of(store.query(StatementQuery(since=at, ascending=True))) == [second, third]
    assert ids_of(store.query(StatementQuery(until=until, ascending=True))) == [first, second]
    future = datetime.now(UTC) + timedelta(days=1)
    assert ids_of(store.query(StatementQuery(since=future))) == []


def test_statements_referring_to_matching_statements_match_the_filter(store: SqlStore) -> None:
    """xAPI 1.0.3 §2.4.7.2: a StatementRef target meeting the filter makes the referrer match."""
    [target] = save(store, statement(verb={"id": VERB2}))
    [ref] = save(store, statement(object={"objectType": "StatementRef", "id": target}))
    [ref_of_ref] = save(store, statement(object={"objectType": "StatementRef", "id": ref}))
    save(store, statement())
    found = ids_of(store.query(StatementQuery(verb=VERB2, ascending=True)))
    assert found == [target, ref, ref_of_ref]


def test_voided_target_still_makes_its_voiding_statement_match(store: SqlStore) -> None:
    [target] = save(store, statement(verb={"id": VERB2}))
    [void_id] = save(store, voiding(target))
    assert ids_of(store.query(StatementQuery(verb=VERB2))) == [void_id]


def test_read_mine_restricts_to_the_credential(store: SqlStore) -> None:
    mine = save(store, statement())[0]
    save(store, statement(), submitter=replace(SUBMITTER, credential_key="other"))
    assert ids_of(store.query(StatementQuery(authority_key="k1"))) == [mine]


def test_iter_statements_streams_everything_oldest_first(store: SqlStore) -> None:
    sent = save(store, *[statement() for _ in range(25)])
    assert [s.id for s in store.iter_statements(StatementQuery(), batch=7)] == sent


def test_attachments_and_activity_definitions(store: SqlStore) -> None:
    batch = writes.Batch([statement()], {"ab" * 32: ("text/plain", b"hello")})
    writes.save_statements(store, batch, SUBMITTER, "1.0.3")
    assert store.attachments(["ab" * 32]) == {"ab" * 32: ("text/plain", b"hello")}
    save(
        store,
        statement(
            object={
                "id": "https://example.org/mirco/m1",
                "definition": {"name": {"sr-Latn-RS": "Modul 1"}},
            }
        ),
    )
    definition = store.activity("https://example.org/mirco/m1")
    assert definition == {"name": {"en-US": "Module 1", "sr-Latn-RS": "Modul 1"}}
    save(
        store,
        statement(object={"id": "https://example.org/x", "definition": {"name": {"en": "X"}}}),
        submitter=replace(SUBMITTER, can_define=False),
    )
    assert store.activity("https://example.org/x") is None  # no define scope: not kept
    assert store.activity("https://example.org/never") is None


def test_documents(store: SqlStore) -> None:
    key = DocumentKey(
        kind="state",
        doc_id="s1",
        activity_id="https://example.org/a",
        agent_ifi="mbox:mailto:ana@example.org",
    )
    doc = Document(b'{"a":1}', "application/json", '"e1"', "2024-01-01T00:00:00.000000Z")
    with store.documents() as tx:
        tx.put(key, doc)
        tx.put(replace(key, doc_id="s2"), replace(doc, updated="2024-02-01T00:00:00.000000Z"))
    assert store.get_document(key) == doc
    assert store.document_ids(replace(key, doc_id=""), None) == ["s1", "s2"]
    since = datetime(2024, 1, 15, tzinfo=UTC)
    assert store.document_ids(replace(key, doc_id=""), since) == ["s2"]
    assert store.document_ids(replace(key, doc_id="", registration=str(uuid.uuid4())), None) == []
    with store.documents() as tx:
        assert tx.delete_all(replace(key, doc_id="")) == 2
    assert store.get_document(key) is None


def test_credentials(store: SqlStore) -> None:
    credential, _secret = new_credential("moodle", ["statements/write", "state"])
    store.add_credential(credential)
    assert store.credential(credential.key) == credential
    with pytest.raises(ConfigError):
        store.add_credential(new_credential("moodle", ["all"])[0])
    assert [c.name for c in store.credentials()] == ["moodle"]
    assert store.revoke_credential(credential.key)
    assert store.credential(credential.key).revoked
    assert not store.revoke_credential("nope")


def test_migrations_run_once(store: SqlStore) -> None:
    store.close()
    again = open_store(store.url)
    with again.engine.connect() as conn:
        versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    assert versions == [v for v, _ in schema.MIGRATIONS]
    again.close()


def test_bad_urls_are_config_errors(tmp_path) -> None:
    with pytest.raises(ConfigError):
        open_store("mysql://x@y/z")
    with pytest.raises(ConfigError):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_generated_ids_and_stored_instants_are_well_formed() -> None:
    """Data 4.4 / XAPI: ids the LRS assigns are RFC 4122 version-4 UUIDs (what clients
    such as TinCanPython accept), ordered by time; ``stored`` keeps microseconds and says
    UTC."""
    import time
    import uuid as uuid_module

    from mirco_lms.lrs.resources.statement_writes import new_ids
    from mirco_lms.lrs.store.clock import iso, to_us
    from mirco_lms.lrs.validation.common import is_uuid

    before_ms = time.time_ns() // 1_000_000
    batches = [new_ids(100) for _ in range(10)]
    made = {text for batch in batches for text in batch}
    assert len(made) == 1000 and new_ids(0) == []
    for text in made:
        parsed = uuid_module.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid_module.RFC_4122
        assert str(parsed) == text and is_uuid(text)
        assert parsed.int >> 80 >= before_ms  # the first 48 bits: Unix milliseconds
    firsts = [batch[0][:18] for batch in batches]  # time prefix of each batch
    assert firsts == sorted(firsts)
    moment = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert iso(to_us(moment)) == "2024-05-01T12:00:00.123456Z"
    assert iso(to_us(moment) + 1) == "2024-05-01T12:00:00.123457Z"


def test_grouped_units_of_work_fail_alone(store: SqlStore) -> None:
    """Concurrent writers share a transaction; a unit that fails after writing is rolled
    back to its savepoint alone and its caller gets the error; the others are stored."""
    import threading

    def unit(index: int):
        def work(tx):
            stmt = dict(statement(), id=str(uuid.uuid4()))
            [stamp] = tx.clock(1)
            tx.insert([writes._stamp(writes._prepare(stmt, SUBMITTER, "1.0.3"), stamp)])
            if index == 3:
                raise ValueError("unit 3 fails after writing")
            return stmt["id"]

        return work

    results: dict[int, object] = {}

    def run(index: int) -> None:
        try:
            results[index] = store.transact(unit(index))
        except ValueError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert isinstance(results[3], ValueError)
    saved = [v for k, v in results.items() if k != 3]
    assert store.count() == 7
    assert all(store.get(str(sid), voided=False) is not None for sid in saved)
    page = store.query(StatementQuery(limit=10, ascending=True))
    assert [s.seq for s in page.statements] == sorted({s.seq for s in page.statements})


class _Capture:
    """A store that keeps the unit of work it is handed instead of running it."""

    def submit(self, work):
        self.work = work
        return Future()


def submission(*stmts: dict, submitter: writes.Submitter = SUBMITTER) -> writes.Submission:
    capture = _Capture()
    writes.submit_statements(capture, writes.Batch([dict(s) for s in stmts]), submitter, "1.0.3")
    return capture.work


def together(store: SqlStore, *subs: writes.Submission) -> list[Exception | None]:
    return store.transact(lambda tx: writes.Submission.run_together(tx, list(subs)))


def test_submissions_written_together_see_each_other_in_order(store: SqlStore) -> None:
    """Submissions that share a commit are looked up and inserted in one pass, with the
    outcome of writing them one after the other."""
    sid, target, late = (str(uuid.uuid4()) for _ in range(3))
    first = submission(statement(id=sid), voiding(late))
    again = submission(statement(id=sid))  # the same statement: a no-op
    conflict = submission(statement(), statement(id=sid, verb={"id": VERB2}))
    stored_target = submission(statement(id=target))
    void_it = submission(voiding(target))
    arrives_voided = submission(statement(id=late))
    outcomes = together(store, first, again, conflict, stored_target, void_it, arrives_voided)
    assert [type(o).__name__ for o in outcomes] == [
        "NoneType", "NoneType", "Conflict", "NoneType", "NoneType", "NoneType"
    ]  # fmt: skip
    assert store.count() == 5, "the conflicting submission stored nothing"
    assert store.get(sid, voided=False) is not None
    assert store.get(target, voided=True) is not None, "voided by a later submission"
    assert store.get(late, voided=True) is not None, "its voiding statement came first"
    page = store.query(StatementQuery(limit=10, ascending=True))
    stored = [s.stored for s in page.statements]
    assert stored == sorted(stored) and len(set(stored)) == len(stored)


def test_a_failed_submission_leaves_its_statements_to_later_ones(store: SqlStore) -> None:
    taken, shared = str(uuid.uuid4()), str(uuid.uuid4())
    save(store, statement(id=taken))
    fails = submission(statement(id=shared), statement(id=taken, verb={"id": VERB2}))
    stores = submission(statement(id=shared, verb={"id": VERB2}))
    outcomes = together(store, fails, stores)
    assert isinstance(outcomes[0], Conflict) and outcomes[1] is None
    assert store.get(shared, voided=False).data["verb"]["id"] == VERB2


def test_voiding_a_voiding_statement_of_the_same_group_fails_alone(store: SqlStore) -> None:
    [target] = save(store, statement())
    void_id = str(uuid.uuid4())
    first = submission(dict(voiding(target), id=void_id))
    second = submission(voiding(void_id))
    outcomes = together(store, first, second)
    assert outcomes[0] is None and isinstance(outcomes[1], XapiValidationError)
    assert store.get(void_id, voided=False) is not None


def test_definitions_of_submissions_together_merge_in_order(store: SqlStore) -> None:
    act = "https://example.org/mirco/merged"

    def defining(name: dict) -> dict:
        return statement(object={"id": act, "definition": {"name": name}})

    outcomes = together(
        store,
        submission(defining({"en": "One", "sr": "Jedan"})),
        submission(defining({"en": "Uno"}), submitter=replace(SUBMITTER, can_define=False)),
        submission(defining({"mk": "Еден"})),
    )
    assert outcomes == [None, None, None]
    assert store.activity(act)["name"] == {"en": "One", "sr": "Jedan", "mk": "Еден"}


def test_a_group_that_fails_together_is_retried_one_by_one(store: SqlStore) -> None:
    """When writing units together raises (not a rule of theirs), that transaction is
    rolled back and each unit runs alone: only the one at fault fails."""
    from concurrent.futures import wait

    from mirco_lms.lrs.store.group_commit import GroupCommit

    class Unit:
        def __init__(self, stmt: dict, broken: bool = False) -> None:
            self.inner, self.broken = submission(stmt), broken

        def __call__(self, tx):
            if self.broken:
                raise RuntimeError("this unit is broken")
            return self.inner(tx)

        @staticmethod
        def run_together(tx, units):
            writes.Submission.run_together(tx, [u.inner for u in units])
            raise RuntimeError("written, then failed")

    group = GroupCommit(store)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    units = [Unit(statement(id=ids[0])), Unit(statement(id=ids[1]), broken=True)]
    units.append(Unit(statement(id=ids[2])))
    futures = [Future() for _ in units]
    try:
        group.commit(list(zip(units, futures, strict=True)))
    finally:
        group.stop()
    wait(futures)
    assert futures[0].result() is None and futures[2].result() is None
    assert isinstance(futures[1].exception(), RuntimeError)
    assert [store.get(i, voided=False) is not None for i in ids] == [True, False, True]


def test_groups_larger_than_one_query_binds_are_looked_up_in_chunks(store, monkeypatch) -> None:
    """Ids, voiding targets and rows go to the database in chunks of what a query can
    bind, however many a group of requests brings."""
    from mirco_lms.lrs.store import writer

    monkeypatch.setattr(writer, "ROW_VALUES", 3)
    [target] = save(store, statement())
    first = [statement(id=str(uuid.uuid4())) for _ in range(5)]
    save(store, *first)
    again = submission(*first, voiding(target))  # five no-ops and a voiding statement
    more = submission(*(statement() for _ in range(7)))
    assert together(store, again, more) == [None, None]
    assert store.count() == 1 + 5 + 1 + 7
    assert store.get(target, voided=True) is not None
