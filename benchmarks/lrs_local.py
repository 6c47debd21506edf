"""Run :mod:`lrs_bench` against a ``mirco lrs serve`` of its own, on a fresh SQLite file.

    python benchmarks/lrs_local.py [--workers N] [lrs_bench options…]

Creates a database in a temporary folder, adds a credential, starts the server with
``--workers N`` (default: the cores this process may use) on a free port of 127.0.0.1,
runs ``lrs_bench.py URL KEY SECRET --ceiling --db … --server-pid …`` with any further
options given (``--statements``, ``--scale``, ``--ingest N``), and stops the server.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="server processes (default: the cores available)",
    )
    args, rest = parser.parse_known_args()
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
            server = subprocess.Popen(
                [*command, "--workers", str(args.workers)], stdout=out, stderr=out
            )
        url = f"http://127.0.0.1:{port}/xapi"
        try:
            wait_until_up(url, server, log)
            print(f"mirco lrs serve --workers {args.workers} on a fresh SQLite database")
            lrs_bench.main(
                [url, credential["key"], credential["secret"], "--server-pid", str(server.pid)]
                + ([] if "--ingest" in rest else ["--ceiling", "--db", db])
                + rest
            )
        finally:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    main()
