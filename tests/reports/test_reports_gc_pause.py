"""Reports are built with CPython's cyclic garbage collector paused
(:func:`~mirco_lms.reports.run.cycle_collection_paused`), and it runs again however the
build ends, whichever thread ends last."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from reports_dataset import BASE, C1, C2
from sqlalchemy import Select

from mirco_lms.lrs.store import SqlStore
from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.reports import kinds
from mirco_lms.reports.run import build_report, cycle_collection_paused


class Watching:
    """A ReportSource that notes, at each read, whether the collector runs."""

    def __init__(self, source: ReportSource, seen: list[bool] | None = None,
                 fail: bool = False) -> None:
        self.source = source
        self.seen = [] if seen is None else seen
        self.fail = fail

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)

    def select_views(self, query: Select[Any]) -> list[dict[str, Any]]:
        self.seen.append(gc.isenabled())
        if self.fail:
            raise RuntimeError("the database went away")
        return self.source.select_views(query)

    def stream_views(self, query: Select[Any], size: int = 2000) -> Iterator[Sequence[Any]]:
        self.seen.append(gc.isenabled())
        if self.fail:
            raise RuntimeError("the database went away")
        yield from self.source.stream_views(query, size)

    @contextmanager
    def snapshot(self, readers: int = 1) -> Iterator[Watching]:
        with self.source.snapshot(readers) as reads:
            yield Watching(reads, self.seen, self.fail)

    def companions(self) -> list[Watching]:
        return [Watching(c, self.seen, self.fail) for c in self.source.companions()]


@pytest.fixture
def collecting() -> Iterator[None]:
    """The collector runs before the test and after it, whatever the test did."""
    gc.enable()
    yield
    gc.enable()


@pytest.mark.parametrize("kind", kinds.names())
def test_every_kind_reads_with_the_collector_paused_then_resumes_it(
    loaded: SqlStore, collecting: None, kind: str
) -> None:
    spec = kinds.parse_spec(kind, **({"course": C2} if kind == "progress" else {}))
    watching = Watching(loaded)
    report = build_report(watching, spec, activity_base=BASE, project_modules=[C1, C2])
    assert watching.seen and not any(watching.seen), kind
    assert gc.isenabled()
    again = build_report(loaded, spec, activity_base=BASE, project_modules=[C1, C2])
    assert report.tables == again.tables, kind
    # the dataset holds no branching scenario and no evaluation survey
    assert any(t.rows for t in report.tables) or kind in ("scenarios", "evaluation"), kind


def test_the_collector_resumes_when_a_build_fails(loaded: SqlStore, collecting: None) -> None:
    watching = Watching(loaded, fail=True)
    with pytest.raises(RuntimeError, match="went away"):
        build_report(watching, kinds.parse_spec("completions"))
    assert watching.seen == [False]
    assert gc.isenabled()


def test_builds_in_several_threads_share_one_pause(collecting: None) -> None:
    entered, leave_first, first_left = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with cycle_collection_paused():
            entered.set()
            leave_first.wait(10)
        first_left.set()

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(10)
    with cycle_collection_paused():
        seen.append(gc.isenabled())
        leave_first.set()
        assert first_left.wait(10)
        seen.append(gc.isenabled())  # the first build has ended, this one has not
    thread.join(10)
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused(collecting: None) -> None:
    gc.disable()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
