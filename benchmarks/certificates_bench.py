"""Issuing certificates: how long for a cohort, and what a verification lookup costs.

    python benchmarks/certificates_bench.py [--learners 200] [--db URL]

Stores the statements of ``--learners`` learners who completed and passed a module (and
as many who failed it) in a fresh SQLite file (or ``--db``), makes a signing key, then
prints: the time to find who qualifies, to issue every certificate (records, signed
badges, PDFs), per certificate, the mean PDF size, the time of a second run (nothing to
issue), and the median time of the verification lookup for known and for unknown codes
with their ratio (the page must not tell them apart by timing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mirco_lms.certificates import eligibility, keys, records
from mirco_lms.certificates.issue import Request, issue
from mirco_lms.certificates.settings import CertificateSettings
from mirco_lms.lrs.resources import statement_writes as writes
from mirco_lms.lrs.store import open_store
from mirco_lms.xapi import profile as p

BASE = "https://example.org/mirco"
COURSE = f"{BASE}/bench-course"
SUBMITTER = writes.Submitter(
    authority={"objectType": "Agent", "account": {"homePage": "http://lrs.test", "name": "b"}},
)


def _statement(n: int, verb: str, when: datetime, **result: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Learner {n:05d}",
                  "account": {"homePage": "https://lms.example.org", "name": f"u{n}"}},
        "verb": {"id": verb},
        "object": {"id": COURSE, "definition": {"type": p.COURSE,
                                                "name": {"en": "Bench course"}}},
        "context": {"language": "en", "contextActivities": {"grouping": [{"id": COURSE}]}},
        "timestamp": when.isoformat(),
        **({"result": result} if result else {}),
    }


def _cohort(learners: int) -> list[dict[str, Any]]:
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    out = []
    for n in range(2 * learners):
        when = start + timedelta(minutes=n)
        passed = n % 2 == 0
        out.append(_statement(n, p.INITIALIZED, when))
        out.append(_statement(n, p.PASSED if passed else p.FAILED, when + timedelta(hours=1),
                              success=passed, score={"scaled": 0.9 if passed else 0.4}))
        out.append(_statement(n, p.COMPLETED, when + timedelta(hours=2), completion=True))
    return out


def _median_us(action: Any, codes: list[str]) -> float:
    times = []
    for code in codes:
        started = time.perf_counter()
        action(code)
        times.append((time.perf_counter() - started) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(args.db or f"sqlite:///{folder / 'lrs.sqlite3'}")
        writes.save_statements(store, writes.Batch(_cohort(args.learners)), SUBMITTER, "1.0.3")
        keys.generate(folder / "keys")
        settings = CertificateSettings(folder / "keys", "https://lrs.example.org", "Centre")
        request = Request(COURSE, out=folder / "out")

        started = time.perf_counter()
        rule, found = eligibility.eligible(store, store.engine, COURSE)
        eligible_s = time.perf_counter() - started
        started = time.perf_counter()
        first = issue(store, request, settings)
        issue_s = time.perf_counter() - started
        started = time.perf_counter()
        second = issue(store, request, settings)
        again_s = time.perf_counter() - started

        codes = [c.code for c in first.issued]
        unknown = [records.new_code() for _ in codes]
        known_us = _median_us(lambda c: records.lookup(store, c), codes)
        unknown_us = _median_us(lambda c: records.lookup(store, c), unknown)
        sizes = [path.stat().st_size for path in (folder / "out").glob("*.pdf")]
        store.close()
    count = len(first.issued)
    print(f"{2 * args.learners} learners, {count} qualify (rule {rule}; {len(found)} found)")
    print(f"find who qualifies:   {eligible_s * 1000:8.1f} ms")
    print(f"issue {count:5d}:          {issue_s:8.2f} s  ({issue_s / max(count, 1) * 1000:.1f} ms "
          f"per certificate, PDF included)")
    print(f"mean PDF size:        {statistics.mean(sizes) / 1024:8.1f} KiB")
    print(f"issue again:          {again_s:8.2f} s  ({len(second.already)} already issued, "
          f"{len(second.issued)} new)")
    print(f"lookup known code:    {known_us:8.0f} µs (median)")
    print(f"lookup unknown code:  {unknown_us:8.0f} µs (median); ratio known/unknown "
          f"{known_us / unknown_us:.2f}")


if __name__ == "__main__":
    sys.exit(main())
