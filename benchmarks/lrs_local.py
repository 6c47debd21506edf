"""Run :mod:`lrs_bench` against a ``mirco lrs serve`` of its own, on a fresh SQLite file.

    python benchmarks/lrs_local.py [--workers N] [lrs_bench options…]
    python benchmarks/lrs_local.py --compare 1,2 [lrs_bench options…]

Creates a database in a temporary folder, adds a credential, starts the server with
``--workers N`` (default: the cores this process may use) on a free port of 127.0.0.1,
runs ``lrs_bench.py URL KEY SECRET --ceiling --db … --server-pid …`` with any further
options given (``--statements``, ``--scale``, ``--ingest N``), and stops the server.

``--compare 1,2`` runs the benchmark (without the ceilings) once per worker count, each on
a fresh database, and prints their POST statements/s and GET p95 side by side with the
ratio of the last to the first. ``--compare 2,4 --postgres`` also runs each worker count
against a fresh schema of the PostgreSQL at ``postgresql://postgres@127.0.0.1:5432/test``
(several ``mirco lrs serve`` processes on one database), beside SQLite in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import lrs_bench

MIRCO = [sys.executable, "-m", "mirco_lms"]
PG = "postgresql://postgres@127.0.0.1:5432/test"


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # a busy machine starts several workers slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/about", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("the server did not answer within 180 s")


def run(workers: int, rest: list[str], *, ceiling: bool, postgres: bool = False,
        ) -> dict[str, float]:
    """The benchmark's figures against ``--workers workers`` on a fresh database (SQLite,
    or a fresh schema of the PostgreSQL at ``PG``)."""
    with tempfile.TemporaryDirectory(prefix="mirco-lrs-bench-") as folder:
        schema = f"mirco_bench_{uuid.uuid4().hex[:8]}" if postgres else None
        db = f"sqlite:///{folder}/lrs.sqlite3"
        if schema:
            _pg(f'CREATE SCHEMA "{schema}"')
            db = f"{PG}?options=-csearch_path%3D{schema}"
        try:
            return _serve_and_run(folder, db, workers, rest, ceiling=ceiling)
        finally:
            if schema:
                _pg(f'DROP SCHEMA "{schema}" CASCADE')


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test",
                         autocommit=True) as conn:
        conn.execute(sql)


def _serve_and_run(folder: str, db: str, workers: int, rest: list[str], *, ceiling: bool,
                   ) -> dict[str, float]:
    made = subprocess.run(
        [*MIRCO, "lrs", "credentials", "add", "bench", "--scope", "all", "--json"]
        + ["--db", db],
        check=True,
        capture_output=True,
        text=True,
    )
    credential = json.loads(made.stdout)
    port = lrs_bench.free_port()
    log = Path(folder) / "server.log"
    command = [*MIRCO, "lrs", "serve", "--db", db, "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen([*command, "--workers", str(workers)], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/xapi"
    try:
        wait_until_up(url, server, log)
        kind = "SQLite" if db.startswith("sqlite") else "PostgreSQL"
        print(f"mirco lrs serve --workers {workers} on a fresh {kind} database")
        return lrs_bench.main(
            [url, credential["key"], credential["secret"], "--server-pid", str(server.pid)]
            + (["--ceiling", "--db", db] if ceiling and "--ingest" not in rest else [])
            + rest
        )
    finally:
        server.terminate()
        server.wait(60)


def compare(counts: list[int], rest: list[str], *, postgres: bool = False) -> None:
    """Run once per worker count (and database); print the figures side by side."""
    runs = [("SQLite", count, False) for count in counts]
    if postgres:
        runs += [("PostgreSQL", count, True) for count in counts]
    figures = [run(count, rest, ceiling=False, postgres=pg) for _, count, pg in runs]
    heads = [f"{'PG' if pg else 'SQLite'} w{count}" for _, count, pg in runs]
    print("\nside by side (POST statements/s, GET p95 ms; ratio: last worker count / first):")
    print(f"  {'figure':<24}" + "".join(f"{h:>12}" for h in heads))
    for name in figures[0]:
        values = [f.get(name, 0.0) for f in figures]
        unit = "ms" if name.startswith("get") else "/s"
        ratios = []
        for kind in ("SQLite", "PostgreSQL"):
            mine = [v for (k, _, _), v in zip(runs, values, strict=True) if k == kind]
            if len(mine) > 1 and mine[0]:
                ratios.append(f"{kind[:2]} {mine[-1] / mine[0]:.2f}")
        print(f"  {name + ' ' + unit:<24}" + "".join(f"{v:12.1f}" for v in values)
              + "   " + "  ".join(ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="server processes (default: the cores available)",
    )
    parser.add_argument(
        "--compare",
        metavar="A,B",
        help="worker counts (e.g. 1,2 or 2,4): run each, print the figures side by side",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"with --compare: also run each worker count on a fresh schema of {PG}",
    )
    args, rest = parser.parse_known_args()
    if args.compare:
        counts = [int(part) for part in args.compare.split(",")]
        if len(counts) < 2:
            parser.error("--compare takes worker counts, e.g. 1,2")
        compare(counts, rest, postgres=args.postgres)
    else:
        run(args.workers, rest, ceiling=True)


if __name__ == "__main__":
    main()
