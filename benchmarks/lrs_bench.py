"""Benchmark any xAPI LRS: POST throughput, GET latency, and (``--ceiling``) what the same
machine can do without the LRS in the way.

    python benchmarks/lrs_bench.py http://127.0.0.1:8100/xapi KEY SECRET \
        [--statements 100000] [--ceiling --db sqlite:////path/lrs.sqlite3] [--server-pid PID]
        [--ingest 1000000]

Figures are printed, never asserted; the targets (for SQLite on one machine) are printed
beside them, with the server's CPU time per statement (``--server-pid``), which the load
of a shared machine disturbs less than wall-clock rates. ``--ingest N`` stores N more
statements and prints the server's memory every 100,000, to show it stays flat.

The load comes from :mod:`http_load` (asyncio on raw sockets, keep-alive, requests built
once): its own CPU per request is printed beside the server's, and should stay a small
fraction of it — else the benchmark measures its client.
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
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from http_load import Load

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
    load: Load, total: int, batch: int, concurrency: int, seed: int
) -> tuple[float, int, float]:
    """(statements/s, failed requests, client CPU µs per statement) POSTing ``total``
    statements in batches at ``concurrency``."""
    count = max(1, total // batch)
    rng = random.Random(seed)
    bodies = [
        load.request(
            "POST",
            "/statements",
            json.dumps([make_statement(rng) for _ in range(batch)]).encode(),
        )
        for _ in range(min(count, 200))
    ]
    result = load.run(bodies, count, concurrency)
    return result.rate * batch, result.errors, result.client_cpu_us / batch


def _headers() -> dict[str, str]:
    return {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def lrs_load(url: str, auth: tuple[str, str]) -> Load:
    return Load(url, auth=auth, headers=_headers())


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


def ingest(load: Load, total: int, pid: int | None) -> None:
    """Store ``total`` statements (batches of 100, concurrency 4), printing the rate and
    the server's memory after every 100,000."""
    step = 100_000
    print(f"Ingesting {total} statements (batches of 100, concurrency 4):")
    print(f"  {0:>9} stored   server RSS {_mib(rss_kb(pid))}")
    done = 0
    while done < total:
        chunk = min(step, total - done)
        rate, errors, _ = post_throughput(load, chunk, 100, 4, seed=done // step + 11)
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


def get_latencies(load: Load, since: str) -> dict[str, tuple[float, float, float]]:
    """Per typical filtered query: (p50 ms, p95 ms, client CPU µs per request), one
    request at a time."""
    rng = random.Random(7)
    until = datetime.now(UTC).isoformat().replace("+00:00", "Z")
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
        "until": lambda: {"until": until},
        "since+until": lambda: {"since": since, "until": until},
        "verb+until asc": lambda: {
            "verb": rng.choice(VERBS), "until": until, "ascending": "true",
        },
    }
    out = {}
    for name, make in queries.items():
        requests = [
            load.request("GET", "/statements", params={**make(), "limit": "25"}) for _ in range(200)
        ]
        result = load.run(requests, len(requests), 1, latencies=True)
        assert result.errors == 0, f"GET statements ({name}) answered {result.statuses}"
        times = sorted(result.latencies_ms)
        out[name] = (
            statistics.median(times),
            times[int(len(times) * 0.95) - 1],
            result.client_cpu_us,
        )
    return out


def ceiling_store(db: str, total: int) -> dict[str, float]:
    """Statements/s into ``db`` without HTTP: through the service and store (batches of
    100), and raw inserts of the same prepared rows with plain ``sqlite3`` and the
    server's pragmas, in transactions of 100 and one per transaction."""
    from mirco_lms.lrs.resources import statement_writes as writes
    from mirco_lms.lrs.store import open_store

    store = open_store(db)
    rng = random.Random(99)
    submitter = writes.Submitter(
        authority={"objectType": "Agent", "account": {"homePage": "http://bench", "name": "bench"}},
        credential_key="bench",
    )
    batches = [[make_statement(rng) for _ in range(100)] for _ in range(total // 100)]
    started = time.perf_counter()
    for batch in batches:
        writes.save_statements(store, writes.Batch(batch), submitter, "1.0.3")
    rates = {"service": total / (time.perf_counter() - started)}
    store.close()
    records = [
        writes._stamp(writes._prepare(dict(s, id=str(uuid.uuid4())), submitter, "1.0.3"), 0)
        for batch in batches
        for s in batch
    ]
    path = db.split("sqlite:///", 1)[1]
    rates["raw100"] = raw_sqlite_rate(path, records[: len(records) // 2], 100)
    single = records[len(records) // 2 :][: max(100, len(records) // 10)]
    rates["raw1"] = raw_sqlite_rate(path, single, 1)
    return rates


def raw_sqlite_rate(path: str, records: list[Any], per_transaction: int) -> float:
    """Rows/s inserting prepared statement records (with their index rows and the keys of
    their IFIs and IRIs) into the LRS's tables with the ``sqlite3`` module and the pragmas
    of the server's statement writer."""
    import sqlite3

    from mirco_lms.lrs.store.sql import SQLITE_PRAGMAS, SQLITE_WRITER_PRAGMAS
    from mirco_lms.lrs.store.writer import INSERTED

    conn = sqlite3.connect(path, isolation_level=None, timeout=60)
    for pragma in (*SQLITE_PRAGMAS, *SQLITE_WRITER_PRAGMAS):
        conn.execute(f"PRAGMA {pragma}")
    insert = f"INSERT INTO statements ({INSERTED}) VALUES ({', '.join(['?'] * 16)})"
    started = time.perf_counter()
    for start in range(0, len(records), per_transaction):
        chunk = records[start : start + per_transaction]
        conn.execute("BEGIN IMMEDIATE")
        seq = conn.execute("SELECT max(seq) FROM statements").fetchone()[0] or 0
        us = conn.execute("SELECT max(stored_us) FROM statements").fetchone()[0] or 0
        keys = _raw_keys(conn, chunk)
        rows, agents, acts = [], [], []
        for n, rec in enumerate(chunk, start=1):
            rows.append(
                (
                    seq + n, rec.id, rec.stored, us + n, rec.actor_ifi, rec.verb_id,
                    rec.object_activity_id, rec.object_statement_ref, rec.registration,
                    rec.timestamp, rec.voided, rec.is_voiding, rec.credential_key, rec.raw,
                    keys[rec.verb_id], keys.get(rec.object_activity_id),
                )
            )  # fmt: skip
            agents += [(seq + n, keys[ifi], primary) for ifi, primary in rec.agents]
            acts += [(seq + n, keys[act], primary) for act, primary in rec.activities]
        conn.executemany(insert, rows)
        conn.executemany("INSERT INTO statement_agents VALUES (?, ?, ?)", agents)
        conn.executemany("INSERT INTO statement_activities VALUES (?, ?, ?)", acts)
        conn.execute("COMMIT")
    rate = len(records) / (time.perf_counter() - started)
    conn.close()
    return rate


def _raw_keys(conn: Any, records: list[Any]) -> dict[str, int]:
    """The keys in ``identifiers`` of every IFI and IRI of ``records``, adding new ones."""
    values = {rec.verb_id for rec in records}
    for rec in records:
        values.update(v for v, _primary in [*rec.agents, *rec.activities])
        if rec.object_activity_id is not None:
            values.add(rec.object_activity_id)
    marks = ", ".join(["?"] * len(values))
    lookup = f"SELECT value, id FROM identifiers WHERE value IN ({marks})"
    found = dict(conn.execute(lookup, list(values)).fetchall())
    conn.executemany("INSERT INTO identifiers (value) VALUES (?)",
                     [(v,) for v in values - found.keys()])
    return dict(conn.execute(lookup, list(values)).fetchall())


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


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hello_world_rate(total: int, concurrency: int) -> tuple[float, float]:
    """(requests/s, client CPU µs per request) of a hello-world ASGI app on the same
    uvicorn stack (one worker; httptools and uvloop, as ``mirco lrs serve``)."""
    port = free_port()
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
        load = Load(f"http://127.0.0.1:{port}", headers={"Content-Type": "application/json"})
        load.run([load.request("POST", "/", body)], 200, concurrency)  # warm up
        result = load.run([load.request("POST", "/", body)], total, concurrency)
        return result.rate, result.client_cpu_us
    finally:
        proc.terminate()
        proc.wait()


def _verdict(value: float, target: float, higher_is_better: bool = True) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark; returns the figures by name (``post b100 c8`` statements/s,
    ``get p95 agent`` ms, ...)."""
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
    load = lrs_load(url, auth)
    n = lambda x: max(100, int(x * args.scale))  # noqa: E731

    print(f"LRS benchmark against {url} (load average {load_average()})")
    if args.ingest:
        ingest(load, args.ingest, args.server_pid)
        return {}
    # warm up: the server checks the credential once (a slow hash by design) and opens
    # its database, before anything is timed
    status, _ = load.fetch(load.request("GET", "/statements", params={"limit": "1"}))
    if status != 200:
        sys.exit(f"GET {url}/statements answered {status}: check the URL and credentials")
    rss_before = rss_kb(args.server_pid)
    results: dict[str, float] = {}
    for batch, concurrency, total in (
        (100, 1, n(20_000)),
        (100, 8, n(40_000)),
        (1, 1, n(2_000)),
        (1, 8, n(4_000)),
    ):
        cpu_before = cpu_seconds(args.server_pid)
        rate, errors, client_us = post_throughput(
            load, total, batch, concurrency, seed=batch + concurrency
        )
        results[f"post b{batch} c{concurrency}"] = rate
        cpu = f"   client CPU {client_us:5.0f}"
        if cpu_before is not None:
            sent = max(1, total // batch) * batch
            used = (cpu_seconds(args.server_pid) or 0) - cpu_before
            cpu = f"   server CPU {used / sent * 1e6:6.0f}" + cpu
        print(
            f"  POST batch {batch:>3} x concurrency {concurrency}: {rate:8.0f} statements/s"
            + cpu
            + " us/statement"
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
        batches = -(-missing // 500)  # whole batches, at least the number missing
        rate, _, _ = post_throughput(load, batches * 500, 500, 4, seed=4242)
        print(f"  POST batch 500 x concurrency 4: {rate:8.0f} statements/s")
    stored = count_statements(url, auth)
    rss_after = rss_kb(args.server_pid)
    if rss_before is not None:
        print(
            f"  server RSS: {rss_before / 1024:.1f} MiB before, {rss_after / 1024:.1f} MiB after "
            f"ingesting (target: flat)"
        )

    since = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    post_throughput(load, 1000, 100, 1, seed=5)  # some statements after `since`
    print(f"GET latency with {stored} statements stored (limit 25, 200 requests each):")
    for name, (p50, p95, client_us) in get_latencies(load, since).items():
        results[f"get p95 {name}"] = p95
        verdict = _verdict(p95, TARGETS["get_p95_ms"], False)
        print(
            f"  {name:<17} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
            f"(target p95 < {TARGETS['get_p95_ms']:.0f} ms: {verdict})   "
            f"client CPU {client_us:4.0f} us/request"
        )

    if args.ceiling:
        print("Ceilings on this machine:")
        if args.db and args.db.startswith("sqlite"):
            rates = ceiling_store(args.db, n(20_000))
            print(
                f"  service + store, no HTTP (batches of 100): {rates['service']:8.0f} statements/s"
            )
            print(f"  raw sqlite3 inserts, 100 per transaction:  {rates['raw100']:8.0f} rows/s")
            print(f"  raw sqlite3 inserts, 1 per transaction:    {rates['raw1']:8.0f} rows/s")
            print(f"  ratio LRS batch-100 / raw inserts of 100: {best_batch / rates['raw100']:.2f}")
            print(
                f"  ratio LRS batch-100 / service without HTTP: {best_batch / rates['service']:.2f}"
            )
            print(
                f"  ratio LRS one-per-request c8 / raw inserts of 1: "
                f"{results['post b1 c8'] / rates['raw1']:.2f}"
            )
        else:
            print("  (raw insert ceiling needs --db sqlite:///... of the server's database)")
        hello, client_us = hello_world_rate(n(20_000), 8)
        print(
            f"  hello-world ASGI on uvicorn (1 worker, concurrency 8): {hello:8.0f} requests/s"
            f"   client CPU {client_us:4.0f} us/request"
        )
        print(f"  ratio LRS one-per-request c8 / hello-world: {results['post b1 c8'] / hello:.2f}")
        print(
            f"  ratio target one-per-request c8 / hello-world: {TARGETS['single_c8'] / hello:.2f}"
        )
    print(f"load average at the end: {load_average()}")
    return results


if __name__ == "__main__":
    main()
