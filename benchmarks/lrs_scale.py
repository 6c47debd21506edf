"""The collector's store at scale, on SQLite and PostgreSQL side by side: ingest rate as
the store grows, bytes per statement, and the latency and query plan of every GET filter.

    python benchmarks/lrs_scale.py [--statements 1000000] [--step 100000]
        [--db sqlite:////path/lrs.sqlite3] [--db postgresql://postgres@127.0.0.1/test]
        [--schema NAME] [--keep] [--http 2,4 [--http-statements 30000]]

Without ``--db``, runs on a fresh SQLite file in a temporary folder and on a fresh schema
of ``postgresql://postgres@127.0.0.1:5432/test`` (skipped if it does not answer). A store
that already holds ``--statements`` statements is not loaded again (``--keep`` keeps the
temporary ones and prints their URLs, for ``report_bench.py --db``).

Statements follow the mirco xAPI profile (:mod:`profile_load`), stored in batches of 100
through the store's own write path (validation and grouped commits, no HTTP). Every
``--step`` statements it prints the ingest rate of that step, its ratio to the first
step, and this process's RSS. At the end: the store's bytes per statement and their ratio
to the statements' own JSON size, then each filter's p50 / p95 over 40 queries drawn at
random and the plan the database chose for it (``EXPLAIN``); on PostgreSQL the server's
write settings, the WAL and checkpoints of the load, and the GETs again after ``VACUUM
(ANALYZE)`` (as autovacuum leaves the store). Figures are printed, never asserted; the
targets are printed beside them.

``--http 2,4`` then runs POST and GET over HTTP with ``mirco lrs serve --workers 2`` and
``--workers 4``, on SQLite and on PostgreSQL side by side (``lrs_local.py --compare 2,4
--postgres``, each on a fresh store of ``--http-statements`` statements).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import profile_load
from sqlalchemy import text

from mirco_lms.lrs.store import SqlStore, StatementQuery, open_store
from mirco_lms.lrs.store.packing import unpack
from mirco_lms.lrs.store.queries import _direct_query, lookup_keys, seq_window
from mirco_lms.xapi import profile as p

PG = "postgresql://postgres@127.0.0.1:5432/test"
TARGET_GET_P95_MS = 20.0
TARGET_INGEST_SAG = 0.20
TARGET_BYTES_RATIO = 1.5
QUERIES = 40


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ingest(store: SqlStore, total: int, step: int) -> list[tuple[int, float, float]]:
    """Load ``total`` statements; (stored, statements/s of the step, RSS) every ``step``."""
    curve: list[tuple[int, float, float]] = []

    def progress(done: int, seconds: float) -> None:
        rate = step / seconds
        curve.append((done, rate, rss_mib()))
        first = curve[0][1]
        print(f"  {done:>9,} stored  {rate:8,.0f} statements/s  "
              f"({rate / first:4.2f}× the first step)  RSS {curve[-1][2]:6.0f} MiB", flush=True)

    start = time.perf_counter()
    profile_load.load(store, total, every=step, progress=progress)
    print(f"  loaded {total:,} in {time.perf_counter() - start:.0f} s")
    return curve


def storage(store: SqlStore) -> tuple[int, float, list[tuple[str, int]]]:
    """The store's bytes (database files, or the collector's relations with their indexes
    and TOAST), the mean size of the statements' JSON (unpacked, from about 2,000 of them)
    and where the bytes go: each table and index, largest first (``identifiers``, the
IFIs and IRIs the index tables refer to, is printed however small)."""
    stride = max(1, store.count() // 2000)
    with store.engine.connect() as conn:
        sample = conn.execute(text(f'SELECT "full" FROM statements WHERE seq % {stride} = 0'))
        sizes = [len(unpack(v).encode()) for (v,) in sample]
        mean_json = sum(sizes) / max(len(sizes), 1)
        if store.is_sqlite:
            pages = conn.execute(text("PRAGMA page_count")).scalar() or 0
            size = int(pages) * int(conn.execute(text("PRAGMA page_size")).scalar() or 0)
            parts = conn.execute(text(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")).all()
        else:
            size = int(conn.execute(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
            )).scalar() or 0)
            parts = conn.execute(text(
                "SELECT c.relname, pg_relation_size(c.oid) + CASE WHEN c.reltoastrelid = 0 "
                "THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') "
                "ORDER BY 2 DESC")).all()
    return size, mean_json, [(str(name), int(b or 0)) for name, b in parts]


def samples(store: SqlStore) -> dict[str, list[Any]]:
    """Values to filter on, drawn from the stored statements, and the rarest stored verb."""
    stride = max(1, store.count() // 1000)  # about 1,000 statements, spread evenly
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT actor_ifi, object_activity_id, registration, stored_us FROM statements "
            f"WHERE seq % {stride} = 0"
        )).all()
        rarest = conn.execute(text(
            "SELECT verb_id, count(*) FROM statements GROUP BY verb_id ORDER BY 2, 1 LIMIT 1"
        )).first()
    if rarest is not None:
        print(f"rarest verb: {rarest[0]} ({rarest[1]:,} statements)")
    return {
        "agent": [r[0] for r in rows], "activity": [r[1] for r in rows],
        "registration": [r[2] for r in rows],
        "stored": sorted(r[3] for r in rows),
        "rare verb": [rarest[0] if rarest is not None else p.SUSPENDED],
    }


def _moment(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def filters(
    values: dict[str, list[Any]], rng: random.Random
) -> dict[str, Callable[[], StatementQuery]]:
    """Each typical filter as a maker of random queries."""
    stored = values["stored"]

    def pick(key: str) -> Any:
        return rng.choice(values[key])

    def agent_json() -> str:
        ifi = pick("agent")
        home, name = ifi.removeprefix("account:").split("|", 1)
        return json.dumps({"account": {"homePage": home, "name": name}})

    def window(width: int) -> tuple[datetime, datetime]:
        start = rng.randrange(0, max(1, len(stored) - width))
        return _moment(stored[start]), _moment(stored[min(len(stored) - 1, start + width)])

    q = StatementQuery(limit=10)
    return {
        "all (newest)": lambda: q,
        "agent": lambda: replace(q, agent=pick("agent")),
        "agent related": lambda: replace(q, agent=pick("agent"), related_agents=True),
        "verb": lambda: replace(q, verb=rng.choice([p.ANSWERED, p.PASSED, p.TERMINATED])),
        "verb rare": lambda: replace(q, verb=pick("rare verb")),
        "activity": lambda: replace(q, activity=pick("activity")),
        "activity related": lambda: replace(q, activity=pick("activity"), related_activities=True),
        "agent+verb": lambda: replace(q, agent=pick("agent"), verb=p.EXPERIENCED),
        "registration": lambda: replace(q, registration=pick("registration")),
        "since": lambda: replace(q, since=window(1)[0]),
        "until": lambda: replace(q, until=window(1)[1]),
        "until ascending": lambda: replace(q, until=window(1)[1], ascending=True),
        "since+until narrow": lambda: replace(q, since=window(2)[0], until=window(2)[1]),
        "since+until wide": lambda: (lambda w: replace(q, since=w[0], until=w[1]))(
            window(len(stored) // 2)),
        "verb+until": lambda: replace(q, verb=p.COMPLETED, until=window(1)[1]),
        "agent+since ascending": lambda: replace(
            q, agent=pick("agent"), since=window(1)[0], ascending=True),
        "activity+since+until": lambda: (lambda w: replace(
            q, activity=pick("activity"), since=w[0], until=w[1]))(window(len(stored) // 3)),
        "registration+ascending": lambda: replace(
            q, registration=pick("registration"), ascending=True),
        "more (page 2)": lambda: q,
    }


def latency(store: SqlStore, make: Callable[[], StatementQuery], second_page: bool,
            ) -> tuple[float, float]:
    times = []
    for _ in range(QUERIES):
        query = make()
        if second_page:
            query = store.query(query).more or query
        start = time.perf_counter()
        store.query(query)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def plan(store: SqlStore, query: StatementQuery) -> str:
    """The database's plan of a filter's main query (one line per step)."""
    with store.engine.connect() as conn:
        bound = int(conn.execute(text("SELECT max(seq) FROM statements")).scalar() or 0)
        window = seq_window(conn, query, bound)
        keys = lookup_keys(conn, query)
        if keys is None:
            return "      (a value never stored: no query)"
        compiled = _direct_query(query, window, keys).limit(query.limit + 1).compile(
            dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if store.is_sqlite else "EXPLAIN "
        rows = conn.execute(text(prefix + str(compiled))).all()
    lines = [str(r[-1]) for r in rows]
    return "\n".join(f"      {line}" for line in lines)


SERVER_SETTINGS = ("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression",
                   "synchronous_commit", "autovacuum")
"""The PostgreSQL settings a write-heavy load depends on, printed with its figures."""


def server_counters(store: SqlStore) -> dict[str, int] | None:
    """PostgreSQL's cumulative WAL and checkpoint counters (the whole server's), or None
    (SQLite, or a server that keeps them elsewhere)."""
    if store.is_sqlite:
        return None
    with store.engine.connect() as conn:
        try:
            wal = conn.execute(text("SELECT wal_bytes, wal_fpi FROM pg_stat_wal")).one()
            checkpoints = conn.execute(text(
                "SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter")).one()
        except Exception:  # noqa: BLE001 - PostgreSQL 17 moved them to pg_stat_checkpointer
            return None
    return {"wal_bytes": int(wal[0]), "fpi": int(wal[1]), "timed": int(checkpoints[0]),
            "requested": int(checkpoints[1])}


def print_server(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(:names) "
            "ORDER BY name"), {"names": list(SERVER_SETTINGS)}).all()
    print("server:", ", ".join(f"{name} {value}" for name, value in rows))


def print_server_delta(before: dict[str, int] | None, after: dict[str, int] | None,
                       count: int) -> None:
    if before is None or after is None:
        return
    wal = after["wal_bytes"] - before["wal_bytes"]
    print(f"  WAL {wal / 2**30:.1f} GiB ({wal / max(count, 1):,.0f} bytes/statement), "
          f"{after['fpi'] - before['fpi']:,} full-page images, checkpoints "
          f"{after['timed'] - before['timed']} timed / {after['requested'] - before['requested']}"
          f" requested (the server's counters: other databases' work is counted too)")


def get_figures(store: SqlStore, figures: dict[str, Any], key: str) -> None:
    """Each filter's p50 / p95 into ``figures[key]``, printed with its plan."""
    rng = random.Random(7)
    makers = filters(samples(store), rng)
    print(f"GET filters, {QUERIES} queries each (target p95 < {TARGET_GET_P95_MS:.0f} ms):")
    figures[key] = {}
    for label, make in makers.items():
        p50, p95 = latency(store, make, second_page=label.startswith("more"))
        figures[key][label] = (p50, p95)
        verdict = "ok" if p95 < TARGET_GET_P95_MS else "OVER"
        print(f"  {label:<24} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {verdict}")
        print(plan(store, make()))


def vacuum(store: SqlStore) -> float:
    """PostgreSQL: ``VACUUM (ANALYZE)`` the statements and their index tables (what
    autovacuum does in its own time after a load); the seconds it took."""
    start = time.perf_counter()
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) statements, statement_agents, statement_activities"))
    return time.perf_counter() - start


def run(url: str, total: int, step: int) -> dict[str, Any]:
    store = open_store(url)
    name = "SQLite" if store.is_sqlite else "PostgreSQL"
    print(f"\n== {name}: {url}")
    figures: dict[str, Any] = {"name": name}
    have = store.count()
    if not store.is_sqlite:
        print_server(store)
    if have < total:
        counters = server_counters(store)
        print(f"ingest, batches of 100 (target: every step within "
              f"{TARGET_INGEST_SAG:.0%} of the first):")
        curve = ingest(store, total - have, step)
        figures["curve"] = curve
        if curve:
            worst = min(rate for _, rate, _ in curve) / curve[0][1]
            print(f"  slowest step / first: {worst:.2f}  RSS {curve[0][2]:.0f} → "
                  f"{curve[-1][2]:.0f} MiB")
        print_server_delta(counters, server_counters(store), total - have)
    store.refresh_statistics()  # what `mirco lrs import` does after a bulk load
    count = store.count()
    size, mean_json, parts = storage(store)
    per = size / max(count, 1)
    figures.update(count=count, bytes=per, ratio=per / mean_json)
    print(f"storage: {count:,} statements, {size / 2**20:,.0f} MiB, {per:,.0f} bytes/statement, "
          f"statement JSON {mean_json:,.0f} bytes: {per / mean_json:.2f}× "
          f"(target ≤ {TARGET_BYTES_RATIO}×)")
    for name, part in parts:
        if part >= size / 200 or name.startswith("identifiers"):
            print(f"  {name:<32} {part / max(count, 1):8,.0f} bytes/statement")
    get_figures(store, figures, "get")
    if not store.is_sqlite:
        print(f"\nafter VACUUM (ANALYZE) ({vacuum(store):.0f} s): the store as autovacuum "
              "leaves it once done")
        get_figures(store, figures, "get vacuumed")
    store.close()
    return figures


def _fresh_schema() -> str | None:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                             autocommit=True, connect_timeout=3) as conn:
            schema = f"mirco_scale_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE SCHEMA "{schema}"')
            return schema
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: the run is SQLite only
        print(f"PostgreSQL skipped: {exc}")
        return None


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--step", type=int, default=100_000)
    parser.add_argument("--db", action="append", help="a store URL (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary stores")
    parser.add_argument("--http", metavar="A,B",
                        help="then POST and GET over HTTP with these worker counts")
    parser.add_argument("--http-statements", type=int, default=30_000)
    args = parser.parse_args(argv)
    urls = list(args.db or [])
    folder = schema = None
    if not urls:
        folder = tempfile.mkdtemp(prefix="mirco-lrs-scale-")
        urls.append(f"sqlite:///{folder}/lrs.sqlite3")
        schema = _fresh_schema()
        if schema:
            urls.append(f"{PG}?options=-csearch_path%3D{schema}")
    print(f"lrs_scale: {args.statements:,} statements, cores {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.1f}")
    results = [run(url, args.statements, args.step) for url in urls]
    if len(results) > 1:
        print("\nside by side (p95 ms):")
        names = [r["name"] for r in results]
        print(f"  {'filter':<24}" + "".join(f"{n:>12}" for n in names))
        for label in results[0]["get"]:
            print(f"  {label:<24}" + "".join(f"{r['get'][label][1]:12.2f}" for r in results)
                  + "".join(f"{r['get vacuumed'][label][1]:12.2f} (vacuumed)"
                            for r in results if "get vacuumed" in r))
        print(f"  {'bytes/statement':<24}" + "".join(f"{r['bytes']:12,.0f}" for r in results))
        print(f"  {'× statement JSON':<24}" + "".join(f"{r['ratio']:12.2f}" for r in results))
    if args.http:
        import lrs_local

        print(f"\n== over HTTP: mirco lrs serve --workers {args.http}, SQLite and PostgreSQL")
        counts = [int(part) for part in args.http.split(",")]
        lrs_local.compare(counts, ["--statements", str(args.http_statements)], postgres=True)
    if args.keep or not folder:
        print("\nstores:", *urls, sep="\n  ")
    else:
        shutil.rmtree(folder)
        if schema:
            _drop_schema(schema)
    return results


def _drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                         autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
