"""Run :mod:`lrs_bench` against a ``mirco lrs serve`` of its own, on a fresh SQLite file.

    python benchmarks/lrs_local.py [--workers N] [lrs_bench options…]
    python benchmarks/lrs_local.py --compare 1,2 [lrs_bench options…]

Creates a database in a temporary folder, adds a credential, starts the server with
``--workers N`` (default: the cores this process may use) on a free port of 127.0.0.1,
runs ``lrs_bench.py URL KEY SECRET --ceiling --db … --server-pid …`` with any further
options given (``--statements``, ``--scale``, ``--ingest N``), and stops the server.

``--compare 1,2`` runs the benchmark (without the ceilings) once per worker count, each on
a fresh database, and prints their POST statements/s and GET p95 side by side with the
ratio of the second to the first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import lrs_bench

MIRCO = [sys.executable, "-m", "mirco_lms"]


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/about", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    sys.exit("the server did not answer within 60 s")


def run(workers: int, rest: list[str], *, ceiling: bool) -> dict[str, float]:
    """The benchmark's figures against ``--workers workers`` on a fresh database."""
    with tempfile.TemporaryDirectory(prefix="mirco-lrs-bench-") as folder:
        db = f"sqlite:///{folder}/lrs.sqlite3"
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
            print(f"mirco lrs serve --workers {workers} on a fresh SQLite database")
            return lrs_bench.main(
                [url, credential["key"], credential["secret"], "--server-pid", str(server.pid)]
                + (["--ceiling", "--db", db] if ceiling and "--ingest" not in rest else [])
                + rest
            )
        finally:
            server.terminate()
            server.wait(60)


def compare(counts: list[int], rest: list[str]) -> None:
    """Run once per worker count; print the figures side by side."""
    figures = [run(count, rest, ceiling=False) for count in counts]
    first, second = counts
    print(f"\n--workers {first} against --workers {second} (SQLite):")
    print(f"  {'figure':<24} {first:>12} {second:>12}   ratio {second}/{first}")
    for name in figures[0]:
        a, b = figures[0][name], figures[1][name]
        unit = "ms" if name.startswith("get") else "/s"
        print(f"  {name + ' ' + unit:<24} {a:12.1f} {b:12.1f}   {b / a if a else 0:.2f}")


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
        help="two worker counts (e.g. 1,2): run both, print the figures side by side",
    )
    args, rest = parser.parse_known_args()
    if args.compare:
        counts = [int(part) for part in args.compare.split(",")]
        if len(counts) != 2:
            parser.error("--compare takes two worker counts, e.g. 1,2")
        compare(counts, rest)
    else:
        run(args.workers, rest, ceiling=True)


if __name__ == "__main__":
    main()
