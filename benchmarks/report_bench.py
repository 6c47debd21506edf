"""Every ``mirco report`` kind and format over a large store, beside the floor: one full
scan of ``mirco_statements_flat``.

    python benchmarks/report_bench.py [--statements 1000000] [--batch 5000] [--quick]
        [--per-kind] [--only completions,items:language] [--db sqlite:////path/lrs.sqlite3]
        [--db postgresql://postgres@127.0.0.1/test]

Without ``--db``, runs on a fresh SQLite file and a fresh schema of
``postgresql://postgres@127.0.0.1:5432/test`` (skipped if it does not answer). A store
holding fewer than ``--statements`` statements is first filled with statements of the
mirco xAPI profile (:mod:`profile_load`: pre-tests, lessons, final test attempts, 5
languages, 12 institutions in 6 countries, a learner registry); ``lrs_scale.py --keep``
leaves stores this benchmark can reuse.

The statements are stored through the store's write path (validation, the grouped
writer) in batches of ``--batch`` (5,000: a million in minutes, not HTTP).

Each report (every kind of the registry, each with its groupings, rendered in every
format) runs in a child process of its own, so that its peak memory (RSS) is its own:
printed beside its time and its ratio to the floor. ``--per-kind`` (for the long runs at
a million) builds each kind × ``--by`` once in its own child and renders it in every
format there: the time is the build, each format's rendering is printed beside it, and
the peak RSS covers them all. ``--quick``: 20,000 statements. Targets: a report ≤ 3× the
floor and under 5 s at 1,000,000 statements, memory flat as the store grows. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import lrs_scale
import profile_load
from sqlalchemy import select, text

from mirco_lms.lrs.store import open_report_source, open_store
from mirco_lms.lrs.store.reads import flat
from mirco_lms.lrs.store.views import VIEW
from mirco_lms.reports import kinds
from mirco_lms.reports.render import FORMATS, render_text
from mirco_lms.reports.run import build_report

TARGET_RATIO = 3.0
TARGET_SECONDS = 5.0


def in_child(work: Callable[[], Any]) -> tuple[float, float, str]:
    """Run ``work`` in a forked child: (seconds, the child's peak RSS in MiB, error)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        error = ""
        start = time.perf_counter()
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - reported, the benchmark goes on
            error = f"{type(exc).__name__}: {exc}"[:200]
        seconds = time.perf_counter() - start
        os.write(write, f"{seconds}\n{error}".encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    _, _, usage = os.wait4(pid, 0)
    seconds, error = answer.split("\n", 1) if answer else ("nan", "the child died")
    return float(seconds), usage.ru_maxrss / 1024, error


def floor(url: str) -> None:
    """One full scan of the flattened view, every row read and dropped — streamed as the
    reports read (``ReportSource.stream_views``: the same cursor and settings)."""
    source = open_report_source(url)
    for _ in source.stream_views(select(*flat.c), 5000):
        pass
    source.close()


def report(url: str, kind: str, by: str | None, fmt: str, course: str | None) -> None:
    source = open_report_source(url)
    try:
        spec = kinds.parse_spec(kind, by=by, course=course)
        text_out = render_text(build_report(source, spec), fmt)
        assert text_out
    finally:
        source.close()


def report_all_formats(url: str, kind: str, by: str | None, formats: tuple[str, ...],
                       course: str | None, write: int) -> None:
    """Build once, render in every format; writes the timings to the pipe ``write``."""
    source = open_report_source(url)
    try:
        spec = kinds.parse_spec(kind, by=by, course=course)
        start = time.perf_counter()
        built = build_report(source, spec)
        times = [time.perf_counter() - start]
        for fmt in formats:
            start = time.perf_counter()
            assert render_text(built, fmt)
            times.append(time.perf_counter() - start)
    finally:
        source.close()
    os.write(write, (" ".join(f"{t:.4f}" for t in times) + "\n").encode())


ONLY: set[str] = set()
"""``--only``: the cases to run (``kind`` or ``kind:by``); empty: all."""


def cases() -> list[tuple[str, str | None]]:
    """Every kind, alone and with each grouping it offers (those ``--only`` names)."""
    found: list[tuple[str, str | None]] = []
    for kind in kinds.all_kinds():
        found.append((kind.name, None))
        found += [(kind.name, by) for by in kind.by]
    if ONLY:
        found = [(k, b) for k, b in found if (f"{k}:{b}" if b else k) in ONLY]
    return found


def run(url: str, total: int, formats: tuple[str, ...], *, batch: int = 5000,
        per_kind: bool = False) -> list[tuple[str, float, float]]:
    store = open_store(url)
    name = "SQLite" if store.is_sqlite else "PostgreSQL"
    have = store.count()
    if have < total:
        print(f"\n== {name}: loading {total - have:,} statements in batches of {batch:,} …",
              flush=True)
        # in a child, so that this process (whose pages the reports' children share)
        # stays small
        took, peak, error = in_child(
            lambda: profile_load.load(open_store(url), total - have, batch=batch))
        print(f"  loaded in {took:.0f} s ({(total - have) / took:,.0f} statements/s), "
              f"peak RSS {peak:.0f} MiB {error}")
    if not store.is_sqlite:
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    count = store.count()
    store.close()
    course = f"{profile_load.dataset.BASE}/{profile_load.COURSES[0]}"
    print(f"\n== {name}: {count:,} statements ({url})")
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds, rss, error = in_child(lambda: floor(url))
    print(f"  floor: full scan of {VIEW}: {seconds:6.2f} s  peak RSS {rss:6.0f} MiB "
          f"(this process: {base_rss:.0f} MiB)")
    figures = [("floor", seconds, rss)]
    if per_kind:
        return figures + _per_kind(url, seconds, formats, course)
    print(f"  {'report':<30}{'format':<8}{'seconds':>9}{'× floor':>9}{'peak RSS':>10}  verdict")
    for kind, by in cases():
        for fmt in formats:
            label = kind + (f" --by {by}" if by else "")
            # progress is for one course or institution: the first course's
            wanted = course if kind == "progress" else None
            took, peak, error = in_child(
                lambda k=kind, b=by, f=fmt, c=wanted: report(url, k, b, f, c))
            ratio = took / seconds
            verdict = "ok" if ratio <= TARGET_RATIO and took < TARGET_SECONDS else "OVER"
            print(f"  {label:<30}{fmt:<8}{took:9.2f}{ratio:9.2f}{peak:8.0f} MiB  "
                  f"{error or verdict}", flush=True)
            figures.append((f"{label} {fmt}", took, peak))
    return figures


def _per_kind(url: str, floor_seconds: float, formats: tuple[str, ...],
              course: str) -> list[tuple[str, float, float]]:
    figures = []
    print(f"  {'report':<30}{'build s':>9}{'× floor':>9}{'peak RSS':>10}  verdict   "
          + "  ".join(f"{f} s" for f in formats))
    for kind, by in cases():
        label = kind + (f" --by {by}" if by else "")
        wanted = course if kind == "progress" else None
        read, write = os.pipe()
        took, peak, error = in_child(
            lambda k=kind, b=by, c=wanted, w=write: report_all_formats(  # type: ignore[misc]
                url, k, b, formats, c, w))
        os.close(write)
        with os.fdopen(read) as pipe:
            answer = pipe.read().split()
        build = float(answer[0]) if answer else took
        ratio = build / floor_seconds
        verdict = "ok" if ratio <= TARGET_RATIO and build < TARGET_SECONDS else "OVER"
        renders = "  ".join(f"{float(t):.3f}" for t in answer[1:])
        print(f"  {label:<30}{build:9.2f}{ratio:9.2f}{peak:8.0f} MiB  {error or verdict:<8}  "
              f"{renders}", flush=True)
        figures.append((label, build, peak))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", action="append", help="a store URL (repeatable)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="formats to render (default: all)")
    parser.add_argument("--batch", type=int, default=5000,
                        help="statements per write when filling a store")
    parser.add_argument("--quick", action="store_true",
                        help="20,000 statements (a check that everything runs)")
    parser.add_argument("--per-kind", action="store_true",
                        help="one child per kind and --by, rendering every format")
    parser.add_argument("--only", default="",
                        help="comma-separated cases to run: kind or kind:by (default: all)")
    args = parser.parse_args(argv)
    ONLY.update(c for c in args.only.split(",") if c)
    if args.quick:
        args.statements = min(args.statements, 20_000)
    formats = tuple(args.formats.split(","))
    urls = list(args.db or [])
    folder = schema = None
    if not urls:
        folder = tempfile.mkdtemp(prefix="mirco-report-bench-")
        urls.append(f"sqlite:///{folder}/lrs.sqlite3")
        schema = lrs_scale._fresh_schema()
        if schema:
            urls.append(f"{lrs_scale.PG}?options=-csearch_path%3D{schema}")
    print(f"report_bench: {args.statements:,} statements, cores {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.1f}; targets ≤ {TARGET_RATIO}× the floor, "
          f"< {TARGET_SECONDS} s")
    try:
        for url in urls:
            run(url, args.statements, formats, batch=args.batch, per_kind=args.per_kind)
    finally:
        if folder:
            shutil.rmtree(folder)
        if schema:
            lrs_scale._drop_schema(schema)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
