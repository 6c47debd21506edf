"""Benchmark any xAPI LRS: POST throughput, GET latency, and (``--ceiling``) what the same
machine can do without the LRS in the way.

    python benchmarks/lrs_bench.py http://127.0.0.1:8100/xapi KEY SECRET \
        [--statements 100000] [--ceiling --db sqlite:////path/lrs.sqlite3] [--server-pid PID]
        [--ingest 1000000]

Figures are printed, never asserted; the targets (for SQLite on one machine) are printed
beside them, with the server's CPU time per statement (``--server-pid``), which the load
of a shared machine disturbs less than wall-clock rates. ``--ingest N`` stores N more
statements and prints the server's memory every 100,000, to show it stays flat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

AGENTS = [f"mailto:learner{i}@example.org" for i in range(1000)]
VERBS = [
    f"http://adlnet.gov/expapi/verbs/{v}"
    for v in (
        "completed",
        "attempted",
        "passed",
        "failed",
        "answered",
        "experienced",
        "launched",
        "initialized",
        "terminated",
        "progressed",
    )
]
ACTIVITIES = [f"https://example.org/mirco/module{i // 10}/lesson{i % 10}" for i in range(200)]
TARGETS = {
    "batch100": 5000.0,  # statements/s, batches of 100
    "single_c8": 1000.0,  # statements/s, one per request, concurrency 8
    "get_p95_ms": 20.0,
}


def make_statement(rng: random.Random, with_id: bool = False) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "actor": {"objectType": "Agent", "mbox": rng.choice(AGENTS)},
        "verb": {"id": rng.choice(VERBS), "display": {"en-US": "did"}},
        "object": {
            "objectType": "Activity",
            "id": rng.choice(ACTIVITIES),
            "definition": {"name": {"en-US": "Lesson"}},
        },
        "result": {
            "score": {"scaled": round(rng.random(), 2)},
            "success": rng.random() > 0.3,
            "completion": True,
            "duration": "PT5M",
        },
        "context": {
            "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "contextActivities": {"parent": [{"id": "https://example.org/mirco/course"}]},
        },
        "timestamp": datetime.now(UTC).isoformat(),
    }
    if with_id:
        stmt["id"] = str(uuid.uuid4())
    return stmt


def rss_kb(pid: int | None) -> int | None:
    """Resident memory of a process and its children (uvicorn workers), in kB."""
    if pid is None:
        return None
    total = 0
    pids = [pid] + _children(pid)
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    found = [int(p) for p in out.split()]
    return found + [c for p in found for c in _children(p)]


def post_throughput(
    url: str, auth: tuple[str, str], total: int, batch: int, concurrency: int, seed: int
) -> tuple[float, int]:
    """Statements per second POSTing ``total`` statements in batches at ``concurrency``."""
    requests_per_thread = max(1, total // batch // concurrency)
    errors = [0]

    def worker(index: int) -> None:
        rng = random.Random(seed * 100 + index)
        bodies = [
            json.dumps([make_statement(rng) for _ in range(batch)]).encode()
            for _ in range(min(requests_per_thread, 50))
        ]
        with httpx.Client(auth=auth, headers=_headers(), timeout=120) as client:
            for n in range(requests_per_thread):
                r = client.post(f"{url}/statements", content=bodies[n % len(bodies)])
                if r.status_code != 200:
                    errors[0] += 1

    started = time.perf_counter()
    _run_threads(worker, concurrency)
    elapsed = time.perf_counter() - started
    sent = requests_per_thread * concurrency * batch
    return sent / elapsed, errors[0]


def _headers() -> dict[str, str]:
    return {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def _run_threads(target: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process and its children (uvicorn workers)."""
    if pid is None:
        return None
    total = 0.0
    for p in [pid] + _children(pid):
        try:
            with open(f"/proc/{p}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def load_average() -> str:
    try:
        with open("/proc/loadavg") as avg:
            return " ".join(avg.read().split()[:3])
    except OSError:
        return "?"


def ingest(url: str, auth: tuple[str, str], total: int, pid: int | None) -> None:
    """Store ``total`` statements (batches of 100, concurrency 4), printing the rate and
    the server's memory after every 100,000."""
    step = 100_000
    print(f"Ingesting {total} statements (batches of 100, concurrency 4):")
    print(f"  {0:>9} stored   server RSS {_mib(rss_kb(pid))}")
    done = 0
    while done < total:
        chunk = min(step, total - done)
        rate, errors = post_throughput(url, auth, chunk, 100, 4, seed=done // step + 11)
        done += chunk
        print(
            f"  {done:>9} stored   server RSS {_mib(rss_kb(pid))}   {rate:6.0f} statements/s"
            + (f"  ({errors} errors)" if errors else "")
        )


def _mib(kb: int | None) -> str:
    return "?" if kb is None else f"{kb / 1024:.1f} MiB"


def count_statements(url: str, auth: tuple[str, str]) -> int:
    """Statements visible (pages of the LRS's maximum size; stops at 1,000,000)."""
    seen = 0
    with httpx.Client(auth=auth, headers=_headers(), timeout=120) as client:
        page = client.get(f"{url}/statements", params={"limit": 0, "format": "ids"}).json()
        base = url.split("/xapi")[0] if "/xapi" in url else url
        while True:
            seen += len(page["statements"])
            if not page.get("more") or seen >= 1_000_000:
                return seen
            more = page["more"]
            page = client.get(more if more.startswith("http") else base + more).json()


def get_latencies(url: str, auth: tuple[str, str], since: str) -> dict[str, tuple[float, float]]:
    rng = random.Random(7)
    queries: dict[str, Callable[[], dict[str, str]]] = {
        "agent": lambda: {"agent": json.dumps({"mbox": rng.choice(AGENTS)})},
        "verb": lambda: {"verb": rng.choice(VERBS)},
        "activity": lambda: {"activity": rng.choice(ACTIVITIES)},
        "since": lambda: {"since": since},
        "agent+verb": lambda: {
            "agent": json.dumps({"mbox": rng.choice(AGENTS)}),
            "verb": rng.choice(VERBS),
        },
        "related activity": lambda: {
            "activity": "https://example.org/mirco/course",
            "related_activities": "true",
        },
    }
    out = {}
    with httpx.Client(auth=auth, headers=_headers(), timeout=60) as client:
        for name, make in queries.items():
            times = []
            for _ in range(200):
                params = {**make(), "limit": "25"}
                started = time.perf_counter()
                r = client.get(f"{url}/statements", params=params)
                times.append((time.perf_counter() - started) * 1000)
                assert r.status_code == 200, r.text
            times.sort()
            out[name] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return out


def ceiling_store(db: str, total: int) -> tuple[float, float]:
    """(service-level statements/s without HTTP, raw inserts/s of prepared rows) into ``db``."""
    from mirco_lms.lrs import service
    from mirco_lms.lrs.store import open_store

    store = open_store(db)
    rng = random.Random(99)
    submitter = service.Submitter(
        authority={"objectType": "Agent", "account": {"homePage": "http://bench", "name": "bench"}},
        credential_key="bench",
    )
    batches = [[make_statement(rng) for _ in range(100)] for _ in range(total // 100)]
    started = time.perf_counter()
    for batch in batches:
        service.save_statements(store, service.Batch(batch), submitter, "1.0.3")
    service_rate = total / (time.perf_counter() - started)
    prepared = []
    for batch in batches:
        stmts = [dict(s, id=str(uuid.uuid4())) for s in batch]
        prepared.append([service._prepare(s, 0, submitter, "1.0.3") for s in stmts])
    started = time.perf_counter()
    for records in prepared:
        with store.write() as tx:
            for record, us in zip(records, tx.clock(len(records)), strict=True):
                record.stored_us = us
            tx.insert(records)
    raw_rate = total / (time.perf_counter() - started)
    store.close()
    return service_rate, raw_rate


HELLO = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'["ok"]'})
"""


def hello_world_rate(total: int, concurrency: int) -> float:
    """Requests/s of a hello-world ASGI app on the same uvicorn stack (one worker)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        HELLO + f"\nimport uvicorn\nuvicorn.run(app, host='127.0.0.1', port={port}, "
        "access_log=False, log_level='warning')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        body = json.dumps(make_statement(random.Random(1))).encode()
        per_thread = total // concurrency

        def worker(_index: int) -> None:
            with httpx.Client(timeout=30) as client:
                for _ in range(per_thread):
                    client.post(f"http://127.0.0.1:{port}/", content=body)

        started = time.perf_counter()
        _run_threads(worker, concurrency)
        return per_thread * concurrency / (time.perf_counter() - started)
    finally:
        proc.terminate()
        proc.wait()


def _verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="xAPI endpoint, e.g. http://127.0.0.1:8100/xapi")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument(
        "--statements",
        type=int,
        default=100_000,
        help="statements stored before measuring GET latency (default 100000)",
    )
    parser.add_argument(
        "--ceiling", action="store_true", help="also measure raw inserts and a hello-world ASGI app"
    )
    parser.add_argument("--db", help="the server's SQLite URL (for --ceiling raw inserts)")
    parser.add_argument("--server-pid", type=int, help="server PID, to print its memory")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="shrink the POST runs (0.1 = 10%%)"
    )
    parser.add_argument(
        "--ingest",
        type=int,
        metavar="N",
        help="only ingest N statements, printing server memory every 100000 (--server-pid)",
    )
    args = parser.parse_args(argv)
    url, auth = args.url.rstrip("/"), (args.user, args.password)
    n = lambda x: max(100, int(x * args.scale))  # noqa: E731

    print(f"LRS benchmark against {url} (load average {load_average()})")
    if args.ingest:
        ingest(url, auth, args.ingest, args.server_pid)
        return
    rss_before = rss_kb(args.server_pid)
    results: dict[str, float] = {}
    for batch, concurrency, total in (
        (100, 1, n(20_000)),
        (100, 8, n(40_000)),
        (1, 1, n(2_000)),
        (1, 8, n(4_000)),
    ):
        cpu_before = cpu_seconds(args.server_pid)
        rate, errors = post_throughput(
            url, auth, total, batch, concurrency, seed=batch + concurrency
        )
        results[f"post b{batch} c{concurrency}"] = rate
        cpu = ""
        if cpu_before is not None:
            sent = max(1, total // batch // concurrency) * concurrency * batch
            used = (cpu_seconds(args.server_pid) or 0) - cpu_before
            cpu = f"   server CPU {used / sent * 1e6:6.0f} us/statement"
        print(
            f"  POST batch {batch:>3} x concurrency {concurrency}: {rate:8.0f} statements/s"
            + cpu
            + (f"  ({errors} errors)" if errors else "")
        )
    best_batch = max(results["post b100 c1"], results["post b100 c8"])
    print(
        f"  target batch 100: >= {TARGETS['batch100']:.0f}/s -> "
        f"{_verdict(best_batch, TARGETS['batch100'])} "
        f"({best_batch / TARGETS['batch100']:.2f} of target)"
    )
    print(
        f"  target one per request at c8: >= {TARGETS['single_c8']:.0f}/s -> "
        f"{_verdict(results['post b1 c8'], TARGETS['single_c8'])} "
        f"({results['post b1 c8'] / TARGETS['single_c8']:.2f} of target)"
    )

    stored = count_statements(url, auth)
    if stored < args.statements:
        missing = args.statements - stored
        print(f"  filling: {stored} stored, adding {missing} (batches of 500, concurrency 4)")
        rate, _ = post_throughput(url, auth, missing, 500, 4, seed=4242)
        print(f"  POST batch 500 x concurrency 4: {rate:8.0f} statements/s")
    stored = count_statements(url, auth)
    rss_after = rss_kb(args.server_pid)
    if rss_before is not None:
        print(
            f"  server RSS: {rss_before / 1024:.1f} MiB before, {rss_after / 1024:.1f} MiB after "
            f"ingesting (target: flat)"
        )

    since = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    rate, _ = post_throughput(url, auth, 1000, 100, 1, seed=5)  # some statements after `since`
    print(f"GET latency with {stored} statements stored (limit 25, 200 requests each):")
    for name, (p50, p95) in get_latencies(url, auth, since).items():
        verdict = _verdict(p95, TARGETS["get_p95_ms"], False)
        print(
            f"  {name:<17} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
            f"(target p95 < {TARGETS['get_p95_ms']:.0f} ms: {verdict})"
        )

    if args.ceiling:
        print("Ceilings on this machine:")
        if args.db and args.db.startswith("sqlite"):
            service_rate, raw_rate = ceiling_store(args.db, n(20_000))
            print(f"  service + store, no HTTP (batches of 100): {service_rate:8.0f} statements/s")
            print(f"  raw inserts of prepared rows (batches of 100): {raw_rate:8.0f} statements/s")
            print(f"  ratio LRS batch-100 / raw inserts: {best_batch / raw_rate:.2f}")
            print(f"  ratio LRS batch-100 / service without HTTP: {best_batch / service_rate:.2f}")
        else:
            print("  (raw insert ceiling needs --db sqlite:///... of the server's database)")
        hello = hello_world_rate(n(4_000), 8)
        print(f"  hello-world ASGI on uvicorn (1 worker, concurrency 8): {hello:8.0f} requests/s")
        print(f"  ratio LRS one-per-request c8 / hello-world: {results['post b1 c8'] / hello:.2f}")
        print(
            f"  ratio target one-per-request c8 / hello-world: {TARGETS['single_c8'] / hello:.2f}"
        )
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
