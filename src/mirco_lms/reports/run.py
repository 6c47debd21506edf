"""``build_report``: a :class:`ReportSpec` and a :class:`ReportSource` in, a :class:`Report`
out, made by the kind the spec names (:mod:`.kinds`)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from mirco_lms.lrs.store.reads import ReportSource
from mirco_lms.reports import kinds
from mirco_lms.reports.data import resolve_course
from mirco_lms.reports.kind import ReportContext
from mirco_lms.reports.model import Report
from mirco_lms.reports.scan import any_statement
from mirco_lms.reports.spec import ReportSpec


def build_report(
    source: ReportSource,
    spec: ReportSpec,
    *,
    activity_base: str | None = None,
    project_modules: Sequence[str] = (),
) -> Report:
    """Run the report ``spec`` asks for on ``source``.

    ``activity_base`` and ``project_modules`` (module ids of the course project) let
    ``--course`` name a module that has no statements yet. Every read sees the store as
    it was at the first (:meth:`ReportSource.snapshot`): statements stored meanwhile
    are in none of the report's figures, never in some of them."""
    kind = kinds.get(spec.kind)
    readers = kind.readers(spec) if kind.readers else 1
    with cycle_collection_paused(), source.snapshot(readers) as reads:
        course = (
            resolve_course(reads, spec.course, activity_base, project_modules)
            if spec.course else None
        )
        tables, charts, notes = kind.build(ReportContext(reads, spec, None, course, kind.verbs))
        empty = not any_statement(reads, spec, course, kind.verbs)
    if empty:
        notes = (_describe(spec), *notes)
    return Report(
        kind=spec.kind, title=kind.title, filters=spec.describe(),
        tables=tables, charts=charts if any(t.rows for t in tables) else (), notes=notes,
        generated=datetime.now(UTC).isoformat(timespec="seconds"), empty=empty,
        extra={"course_id": course} if course else {},
    )


class _Pause:
    """How many reports of this process are being built, and whether the cyclic garbage
    collector ran before the first began."""

    lock = threading.Lock()
    builds = 0
    was_enabled = False


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a report is built.

    A report over a large store holds hundreds of thousands of small objects (answers,
    attempts, enrolments) while it folds them; the collector, triggered by allocations,
    walks them again and again as they accumulate — at 1,000,000 statements 1–2.5 s of
    a 5–10 s report (``benchmarks/report_bench.py``). Reports make no reference cycles
    that must be collected meanwhile: what they drop, reference counting frees at once.
    Builds in several threads share one pause; the collector runs again (if it ran
    before) when the last ends, however it ends."""
    with _Pause.lock:
        if _Pause.builds == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.builds += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.builds -= 1
            if _Pause.builds == 0 and _Pause.was_enabled:
                gc.enable()


def _describe(spec: ReportSpec) -> str:
    filters = {k: v for k, v in spec.describe().items() if k != "by"}
    if not filters:
        return "no statements match: the store has no statements about any course yet"
    return "no statements match " + " ".join(f"{k}={v}" for k, v in filters.items())
