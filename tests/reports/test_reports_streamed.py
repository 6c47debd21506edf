"""The reports stream the view and reduce it as they go (``reports/scan.py``) instead of
holding every row: on a generated store of a few hundred learners (the benchmark's
profile statements, plus learners whose statements carry outcomes) every kind and grouping
gives exactly what the row-by-row computation gives (enrolments from rows, first attempts
from rows, outcomes per statement), on SQLite and PostgreSQL; and a report never
materializes the store's rows (it streams, and holds far less than a full read does)."""

from __future__ import annotations

import collections
import copy
import importlib.util
import itertools
import sys
import threading
import tracemalloc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import test_reports_outcomes as outcome_data
from sqlalchemy import Select, event

from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.lrs.store.registry import Learner, upsert_learners
from mirco_lms.reports import (
    aggregate,
    completions,
    gain,
    items,
    kinds,
    outcomes,
    progress,
    scan,
    summary,
)
from mirco_lms.reports.data import definitions, fetch, fetch_outcomes
from mirco_lms.reports.enrolments import enrolments
from mirco_lms.reports.kind import Parts, ReportContext
from mirco_lms.reports.run import build_report
from mirco_lms.reports.spec import ReportSpec
from mirco_lms.xapi import profile as p

_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "profile_load.py"
LEARNERS = 160
COURSES = ("migration-human-rights", "smuggling-of-migrants", "asylum-procedures",
           "border-management", "outcome course")
FACTS = ("actor_id", "course_id", "name", "language", "institution", "country", "unit",
         "delivery", "session", "first_time", "last_time", "completed_time",
         "completion_modes", "passed", "failed", "final_score", "pretest_score",
         "time_on_task_minutes", "hours_to_complete", "last_page")


def _profile_load() -> Any:
    name = "mirco_profile_load"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _BENCH)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def generated(store: SqlStore) -> SqlStore:
    """Profile statements of LEARNERS learners (4 courses, 5 languages, 12 institutions,
    repeated attempts, a registry), and the outcome test's learners."""
    load = _profile_load()
    stmts: list[dict[str, Any]] = []
    for index in range(LEARNERS):
        stmts += load.learner_statements(index, load.random.Random(index))
    writes.save_statements(store, writes.Batch(stmts), load.dataset.SUBMITTER, "1.0.3")
    upsert_learners(store, load.registry(LEARNERS))
    writes.save_statements(store, writes.Batch(outcome_data.data_set()),
                           outcome_data.SUBMITTER, "1.0.3")
    upsert_learners(store, [Learner(f"account:{outcome_data.HOME}|{k}", k, None, k, "Police",
                                    c, None) for k, c in outcome_data.COUNTRY.items()])
    return store


def _specs(kind: str, course: str) -> Iterator[tuple[ReportSpec, str | None]]:
    found = kinds.get(kind)
    for by in (None, *found.by):
        if kind == "progress":
            yield kinds.parse_spec(kind, course=course, by=by), course
            yield kinds.parse_spec(kind, institution="MUP", by=by), None
            continue
        yield kinds.parse_spec(kind, by=by), None
        yield kinds.parse_spec(kind, course=course, by=by), course
    yield kinds.parse_spec(kind, language="sr", since="2024-01-02", until="2024-01-20",
                           country="RS", course=course if kind == "progress" else None), (
        course if kind == "progress" else None)


def _by_rows(source: ReportSource, spec: ReportSpec, course: str | None) -> Parts:
    """The report as it was computed before streaming: every row in a list, enrolments
    and attempts grouped from the rows, the outcomes of every statement."""
    rows = fetch(source, spec, course, verbs=kinds.get(spec.kind).verbs)
    found = enrolments(rows)
    one = course is not None
    if spec.kind in ("completions", "gain") and spec.by == "outcome":
        of = fetch_outcomes(source, spec, course)
        carried = outcomes.carried_by_rows(found, of)
        scores = outcomes.scores_by_rows(found, of)
        if spec.kind == "completions":
            return Parts((outcomes.completions_table(found, carried, scores, one),),
                         completions.charts(found), ())
        summary_table, learners, *rest = outcomes.gain_tables(found, carried, scores, one)
        return Parts((summary_table, learners, *rest), gain.charts(summary_table, learners), ())
    if spec.kind == "completions":
        return Parts((completions.table(found, spec.by),), completions.charts(found), ())
    if spec.kind == "gain":
        tables = gain.tables(found, spec.by)
        return Parts(tables, gain.charts(*tables), ())
    if spec.kind == "progress":
        registry = source.learners(institution=spec.institution, country=spec.country)
        table = progress.table(found, registry, course)
        return Parts((table,), progress.charts(table), ())
    if spec.kind == "summary":
        tables = summary.tables(found, source.learners(institution=spec.institution,
                                                       country=spec.country))
        return Parts(tables, summary.charts(tables[1]), ())
    assert spec.kind == "items"
    questions = {r.question_id for r in rows if r.question_id}
    general = definitions(source, questions)
    languages = ({r.language for r in rows if r.language}
                 if spec.by == "language" or spec.language else set())
    by_language = {lang: source.sent_definitions(questions, lang) for lang in languages}

    def definition_of(question: str, language: str | None) -> dict[str, Any]:
        return by_language.get(language or "", {}).get(question) or general.get(question, {})

    attempts = items.first_attempts(rows)
    if spec.by == "outcome":
        whole = items.table(attempts, None, definition_of, spec.language)
        assessed = outcomes.questions_by_rows(rows, fetch_outcomes(source, spec, course))
        return Parts((outcomes.items_table(whole, assessed, one),), items.charts(whole), ())
    table = items.table(attempts, spec.by, definition_of, spec.language)
    return Parts((table,), items.charts(table), ())


def _facts(found: Iterable[Any]) -> list[dict[str, Any]]:
    return [{name: getattr(e, name) for name in FACTS} for e in found]


def test_streamed_enrolment_figures_are_the_rows(generated: SqlStore) -> None:
    load = _profile_load()
    specs = [(ReportSpec("completions"), None),
             (ReportSpec("completions", course="x"), outcome_data.IDS.module),
             (ReportSpec("completions", course="x"), f"{load.dataset.BASE}/{load.COURSES[1]}"),
             (kinds.parse_spec("completions", language="sr", country="RS"), None),
             (kinds.parse_spec("completions", since="2024-01-03", until="2024-01-09"), None)]
    with_outcomes = 0
    for spec, iri in specs:
        rows = fetch(generated, spec, iri)
        old = enrolments(rows)
        new = scan.enrolment_figures(generated, spec, iri)
        assert len(new) > 3
        assert _facts(new) == _facts(old)
        assert any(e.final_score is not None and e.pretest_score is not None for e in new)
        # --by outcome, aggregated: the same figures, the outcomes each enrolment
        # carries, and the scores per outcome its attempts give
        joined, scores = aggregate.outcome_figures(generated, spec, iri, aggregate.FACTS)
        assert _facts(joined) == _facts(old)
        of = fetch_outcomes(generated, spec, iri)
        assert ({(e.actor_id, e.course_id): e.outcomes for e in joined}
                == outcomes.carried_by_rows(old, of))
        expected = {key: found for key, found in outcomes.scores_by_rows(old, of).items()
                    if found}
        assert {key: found for key, found in scores.items() if found} == expected
        with_outcomes += sum(len(found) for found in scores.values())
    assert with_outcomes > 10


@pytest.mark.parametrize("kind", ["completions", "gain", "items", "progress", "summary"])
def test_every_grouping_gives_what_the_rows_give(generated: SqlStore, kind: str) -> None:
    course = outcome_data.IDS.module
    load = _profile_load()
    first = f"{load.dataset.BASE}/{load.COURSES[0]}"
    checked = 0
    turn = 0
    for spec, iri in _specs(kind, course):
        if iri is not None:
            turn += 1
            iri = first if turn % 2 else iri  # a profile course, or the outcome course
        found = kinds.get(kind)
        built = found.build(ReportContext(generated, spec, None, iri, found.verbs))
        expected = _by_rows(generated, spec, iri)
        assert built.tables == expected.tables, (spec, iri)
        assert built.charts == expected.charts, (spec, iri)
        checked += sum(len(t.rows) for t in built.tables)
    assert checked > 50


_SLOTS = {"name": ("name",), "language": ("language",), "institution": ("institution",),
          "country": ("country",), "unit": ("unit",), "session": ("session",),
          "delivery": ("deliveries",), "last_page": ("last_page",),
          "first_time": ("first_time",), "last_time": ("last_time",),
          "completed_time": ("completed_time",), "completion_modes": ("completion_modes",),
          "passed": ("passed",), "failed": ("passed", "_any_failed"),
          "final_score": ("final_score",), "pretest_score": ("pretest_score",),
          "time_on_task_minutes": ("durations",),
          "hours_to_complete": ("completed_time", "first_time")}
"""The :class:`~scan.Figures` slots each fact is read from."""


@pytest.mark.parametrize("kind", ["completions", "gain", "progress", "summary"])
def test_a_report_reads_no_fact_it_did_not_ask_for(
        generated: SqlStore, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each kind names the facts it reads (the view's other columns are not read): the
    slots of every other fact are removed, so reading one is an AttributeError."""
    assert set(_SLOTS) == aggregate.FACTS
    asked: list[frozenset[str]] = []

    def without_the_rest(found: list[scan.Figures], facts: Any) -> list[scan.Figures]:
        asked.append(frozenset(facts))
        kept = {slot for fact in facts for slot in _SLOTS[fact]}
        for figures in found:
            for slot in {s for slots in _SLOTS.values() for s in slots} - kept:
                delattr(figures, slot)
        return found

    aggregated = aggregate.enrolment_figures
    monkeypatch.setattr(aggregate, "enrolment_figures", lambda *a: without_the_rest(
        aggregated(*a), a[-1]))
    course = f"{_profile_load().dataset.BASE}/{_profile_load().COURSES[0]}"
    for spec, iri in _specs(kind, course):
        if spec.by == "outcome":
            continue  # reads every fact, with the attempts
        found = kinds.get(kind)
        built = found.build(ReportContext(generated, spec, None, iri, found.verbs))
        assert built.tables[0].rows
    assert asked and all(len(facts) < len(_SLOTS) for facts in asked)
    # the columns only the other facts need are not read
    counting = Counting(generated)
    build_report(counting, kinds.parse_spec(kind, course=course if kind == "progress"
                                             else None))
    assert "registration" not in counting.grouped()
    assert "question_id" not in counting.grouped()


def test_the_database_aggregates_the_figures_the_stream_folds(generated: SqlStore) -> None:
    """Every fact :mod:`.aggregate` computes is the streamed fold's, for every filter."""
    load = _profile_load()
    specs = [(ReportSpec("gain"), None),
             (ReportSpec("gain", course="x"), outcome_data.IDS.module),
             (ReportSpec("gain", course="x"), f"{load.dataset.BASE}/{load.COURSES[1]}"),
             (kinds.parse_spec("gain", language="sr", country="RS"), None),
             (kinds.parse_spec("gain", institution="MUP"), None),
             (kinds.parse_spec("gain", since="2024-01-03", until="2024-01-09"), None)]
    assert set(FACTS) == {"actor_id", "course_id", *aggregate.FACTS}
    on_task = 0
    for spec, iri in specs:
        streamed = scan.enrolment_figures(generated, spec, iri)
        aggregated = aggregate.enrolment_figures(generated, spec, iri, aggregate.FACTS)
        assert len(streamed) > 3
        assert _facts(aggregated) == _facts(streamed)
        assert any(e.pretest_score is not None and e.final_score is not None
                   for e in aggregated)
        on_task += sum(1 for e in aggregated if e.time_on_task_minutes)
        # the summary's mean gain is the gain report's
        whole = gain.summarize("all", aggregated)
        assert gain.mean_gain(aggregated) == (whole["n"], whole["mean_gain"])
    assert on_task > 10
    with pytest.raises(ValueError, match="no such enrolment facts"):
        aggregate.enrolment_figures(generated, ReportSpec("gain"), None, {"score"})


class Counting:
    """A ReportSource that counts the rows each read hands over."""

    def __init__(self, source: SqlStore) -> None:
        self.source = source
        self.listed: list[int] = []
        self.selected: list[str] = []
        self.queries: list[str] = []
        self.tally: collections.Counter[str] = collections.Counter()
        self.tallying = threading.Lock()  # companions count in threads of their own

    def count(self, what: str) -> None:
        with self.tallying:
            self.tally[what] += 1

    @property
    def streamed(self) -> int:
        return self.tally["streamed"]

    def select_views(self, query: Select[Any]) -> list[dict[str, Any]]:
        found = self.source.select_views(query)
        self.listed.append(len(found))
        self.selected.append(str(query))
        return found

    def grouped(self) -> str:
        """The grouped read of the enrolments (read at once: a row per enrolment)."""
        found = [q for q in self.selected if "GROUP BY mirco_statements_flat.actor_id, " in q]
        assert len(found) == 1, self.selected
        return found[0]

    def stream_views(self, query: Select[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
        self.queries.append(str(query))
        # batches small beside this store (as 2,000 are beside a large one)
        for row in self.source.stream_views(query, 100):
            self.count("streamed")
            yield row

    def learners(self, *, institution: str | None = None,
                 country: str | None = None) -> list[Learner]:
        return self.source.learners(institution=institution, country=country)

    def stored_definitions(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self.source.stored_definitions(ids)

    def sent_definitions(self, ids: Iterable[str],
                         language: str | None = None) -> dict[str, dict[str, Any]]:
        return self.source.sent_definitions(ids, language)

    @contextmanager
    def snapshot(self, readers: int = 1) -> Iterator[Counting]:
        with self.source.snapshot(readers) as reads:
            store, self.source = self.source, reads  # type: ignore[assignment]
            try:
                yield self
            finally:
                self.source = store

    def companions(self) -> list[Counting]:
        """Each companion of the snapshot, counted (and meddled with) as this one is."""
        found = []
        for other in self.source.companions():
            twin = copy.copy(self)  # the same lists, tally and lock
            twin.source = other  # type: ignore[assignment]
            found.append(twin)
        return found

    def close(self) -> None:
        pass


def test_reports_stream_and_hold_less_than_the_rows(generated: SqlStore) -> None:
    total = generated.count()
    enrolled = len({(r.actor_id, r.course_id) for r in fetch(generated, ReportSpec("completions"),
                                                             None)})
    load = _profile_load()
    first = f"{load.dataset.BASE}/{load.COURSES[0]}"
    for kind in ("completions", "gain", "items", "progress", "summary"):
        for by in (None, *kinds.get(kind).by):
            course = first if kind == "progress" else None
            counting = Counting(generated)
            report = build_report(counting, kinds.parse_spec(kind, by=by, course=course))
            assert report.main.rows
            # no read hands over a list longer than the enrolments (the grouped read), the
            # courses (resolving --course) or one row (is it empty?)
            assert max(counting.listed, default=0) <= enrolled, (kind, by)
            in_order = ("mirco_statements_flat.time, mirco_statements_flat.stored, "
                        "mirco_statements_flat.statement_id")
            if kind != "items":
                # aggregated by the database: one grouped read, a row per enrolment, read
                # at once; completions then stream the sessions' durations, --by outcome
                # the tests' answers (and the sessions among them), enrolment by
                # enrolment — each in an order without ties
                grouped, queries = counting.grouped(), counting.queries
                assert len(queries) == (kind == "completions" or by == "outcome"), (
                    kind, by, queries)
                assert all(q.endswith(in_order) for q in queries), queries
                if by == "outcome":
                    # the answers are read beside the grouped read, in a thread of their own
                    assert "mirco_statements_flat.outcomes" in grouped
                    answers = [q for q in queries if "mirco_statements_flat.assessment IN" in q]
                    assert len(answers) == 1, queries
                    # completions' session durations stream by in the same read
                    ended = "mirco_statements_flat.duration_seconds IS NOT NULL" in answers[0]
                    assert ended == (kind == "completions"), answers[0]
                    assert answers[0].endswith(
                        "ORDER BY mirco_statements_flat.actor_id, "
                        f"mirco_statements_flat.course_id, {in_order}"), answers[0]
                elif kind != "completions":
                    assert counting.streamed == 0, (kind, by)
                continue
            # every statement the report reads streams by
            assert counting.streamed > (100 if course else total // 5), (kind, by)
            # one read of the statements, in an order without ties: every run folds
            # them alike
            ordered = [q for q in counting.queries if "ORDER BY" in q]
            assert len(ordered) == 1, (kind, by, counting.queries)
            assert ordered[0].endswith(f"ORDER BY {in_order}"), ordered[0]
    # what reads the statements holds per-learner state, not rows: well under what the
    # statements' rows alone take in memory (the statistics on it are per learner too)
    spec = ReportSpec("completions")
    small = Counting(generated)
    tracemalloc.start()
    try:
        rows = fetch(generated, spec, None)
        _, whole = tracemalloc.get_traced_memory()
        del rows
        peaks = {}
        for name, read in (
            ("figures", lambda: scan.enrolment_figures(small, spec, None)),
            ("outcomes", lambda: aggregate.outcome_figures(small, spec, None,
                                                           aggregate.FACTS)[0]),
            ("attempts", lambda: scan.first_attempts(small, spec, None, set(), set())),
        ):
            read()  # once first: compiled queries
            tracemalloc.reset_peak()
            start, _ = tracemalloc.get_traced_memory()
            kept = read()
            peaks[name] = tracemalloc.get_traced_memory()[1] - start
            assert kept
    finally:
        tracemalloc.stop()
    assert max(peaks.values()) < whole / 2, (peaks, whole)


def test_aggregated_delivery_modes_keep_separators_and_skip_empty_values(
        store: SqlStore) -> None:
    """The delivery modes, joined by the database, come back as written — a value
    holding the separator or an escape, an empty one skipped — as the fold gives them."""
    load = _profile_load()
    modes = ("in-person, Skopje", "50%2C online", "", p.ELEARNING, "blended,")
    stmts: list[dict[str, Any]] = []
    for index in range(12):
        for number, stmt in enumerate(load.learner_statements(index, load.random.Random(index))):
            extensions = stmt.setdefault("context", {}).setdefault("extensions", {})
            extensions[p.EXT_DELIVERY] = modes[(index + number) % len(modes)]
            stmts.append(stmt)
    writes.save_statements(store, writes.Batch(stmts), load.dataset.SUBMITTER, "1.0.3")
    streamed = scan.enrolment_figures(store, ReportSpec("summary"), None)
    aggregated = aggregate.enrolment_figures(store, ReportSpec("summary"), None,
                                             aggregate.FACTS)
    seen = {m for e in aggregated for m in e.deliveries | e.completion_modes}
    assert {"in-person, Skopje", "50%2C online", "blended,", p.ELEARNING} <= seen
    assert "" not in seen
    wanted = ("actor_id", "course_id", "delivery", "completion_modes", "completed_time")
    assert ([{f: getattr(e, f) for f in wanted} for e in aggregated]
            == [{f: getattr(e, f) for f in wanted} for e in streamed])
    assert any(len(e.completion_modes) > 0 for e in aggregated)


_NEWCOMERS = itertools.count(10_000)
"""The learners :class:`Meddling` stores, each new (numbered apart from the others)."""


class Meddling(Counting):
    """A ReportSource on a store being written: as each read begins, another learner's
    whole enrolment is stored."""

    def __init__(self, source: SqlStore) -> None:
        super().__init__(source)
        self.store = source

    @property
    def added(self) -> int:
        return self.tally["added"]

    def meddle(self) -> None:
        load = _profile_load()
        index = len(load.COURSES) * next(_NEWCOMERS)  # in the first course
        self.count("added")
        stmts = load.learner_statements(index, load.random.Random(index))
        writes.save_statements(self.store, writes.Batch(stmts), load.dataset.SUBMITTER,
                               "1.0.3")

    def select_views(self, query: Select[Any]) -> list[dict[str, Any]]:
        found = super().select_views(query)
        self.meddle()
        return found

    def stream_views(self, query: Select[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
        meddled = False
        for row in super().stream_views(query, size):
            yield row
            if not meddled:
                meddled = True
                self.meddle()
        if not meddled:
            self.meddle()

    def learners(self, *, institution: str | None = None,
                 country: str | None = None) -> list[Learner]:
        found = super().learners(institution=institution, country=country)
        self.meddle()
        return found


@pytest.mark.parametrize("kind", ["completions", "gain", "items", "progress", "summary",
                                  "scenarios", "evaluation"])
def test_a_report_reads_one_state_of_a_store_being_written(generated: SqlStore,
                                                           kind: str) -> None:
    """Every read of a report sees the store as the first saw it: whole enrolments stored
    between two reads (as a collector under load stores them) are in none of its figures,
    never in some — the second read of an aggregated report looked up an enrolment the
    first had not seen."""
    load = _profile_load()
    for by in (None, *kinds.get(kind).by):
        course = {"course": load.COURSES[0]} if kind == "progress" else {}
        spec = kinds.parse_spec(kind, by=by, **course)
        plain = build_report(generated, spec, activity_base=load.dataset.BASE)
        count = generated.count()
        meddling = Meddling(generated)
        report = build_report(meddling, spec, activity_base=load.dataset.BASE)
        assert meddling.added >= 1 and generated.count() > count, (kind, by)
        assert report.tables == plain.tables, (kind, by)
        assert report.notes == plain.notes, (kind, by)
        assert report.charts == plain.charts, (kind, by)
    # the next report sees what was stored
    spec = kinds.parse_spec(kind, **course)
    plain = build_report(generated, spec, activity_base=load.dataset.BASE)
    Meddling(generated).meddle()
    again = build_report(generated, spec, activity_base=load.dataset.BASE)
    assert again.tables != plain.tables or kind in ("scenarios", "evaluation"), kind


def test_by_outcome_reads_in_two_threads_what_it_reads_in_one(generated: SqlStore) -> None:
    """``--by outcome`` reads the tests' answers in a thread of its own, through a
    companion of the report's snapshot, beside the grouped read: the same figures and
    scores as both reads one after the other."""
    threads: set[str] = set()

    def noting(*_: Any) -> None:
        threads.add(threading.current_thread().name)

    for spec in (ReportSpec("gain", by="outcome"),
                 kinds.parse_spec("completions", by="outcome", language="sr")):
        alone = aggregate.outcome_figures(generated, spec, None, aggregate.FACTS)
        assert alone[1] and any(e.outcomes for e in alone[0])
        event.listen(generated.engine, "before_cursor_execute", noting)
        try:
            with generated.snapshot(readers=2) as reads:
                assert len(reads.companions()) == 1
                together = aggregate.outcome_figures(reads, spec, None, aggregate.FACTS)
        finally:
            event.remove(generated.engine, "before_cursor_execute", noting)
        assert _facts(together[0]) == _facts(alone[0])
        assert [e.outcomes for e in together[0]] == [e.outcomes for e in alone[0]]
        assert together[1] == alone[1]
        assert any(name.startswith("mirco-report") for name in threads), threads
