"""A legitimate client's latency while others flood the LRS with wrong secrets.

    python benchmarks/auth_flood.py [--threads 60] [--seconds 10] [--cache-seconds 5]

Starts ``mirco lrs serve`` (one worker, fresh SQLite) on a free port of 127.0.0.1 with
a public write key and an analyst's read key, then measures the median and 95th
percentile latency of the analyst's ``GET /xapi/statements?limit=1``: first alone, then
while ``--threads`` threads send statements with the public key and wrong secrets as
fast as they can. It prints both, the ratio, and what the flood got back (401/429).
``--cache-seconds 0`` makes every legitimate request check its secret again.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import lrs_bench
from lrs_local import wait_until_up

MIRCO = [sys.executable, "-m", "mirco_lms"]


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def _credential(db: str, name: str, scope: str) -> dict[str, str]:
    made = subprocess.run(
        [*MIRCO, "lrs", "credentials", "add", name, "--scope", scope, "--json", "--db", db],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(made.stdout)


def _latencies(url: str, header: str, seconds: float) -> list[float]:
    out: list[float] = []
    headers = {"Authorization": header, "X-Experience-API-Version": "1.0.3"}
    with httpx.Client(headers=headers, timeout=30) as client:
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            started = time.perf_counter()
            r = client.get(f"{url}/statements", params={"limit": "1"})
            out.append(time.perf_counter() - started)
            assert r.status_code == 200, r.text
            time.sleep(0.02)
    return out


def _flood(url: str, key: str, stop: threading.Event, codes: Counter[int]) -> None:
    body = {
        "actor": {"mbox": "mailto:x@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "https://example.org/a"},
    }
    with httpx.Client(timeout=30) as client:
        n = 0
        while not stop.is_set():
            n += 1
            headers = {
                "Authorization": _basic(key, f"wrong-{threading.get_ident()}-{n}"),
                "X-Experience-API-Version": "1.0.3",
            }
            try:
                codes[client.post(f"{url}/statements", json=body, headers=headers).status_code] += 1
            except httpx.HTTPError:
                codes[0] += 1


def _flood_process(url: str, key: str, threads: int, seconds: float) -> Counter[int]:
    stop, codes = threading.Event(), Counter[int]()
    flooders = [
        threading.Thread(target=_flood, args=(url, key, stop, codes)) for _ in range(threads)
    ]
    for thread in flooders:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in flooders:
        thread.join()
    return codes


def _summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[int(len(ms) * 0.95) - 1] if len(ms) >= 20 else ms[-1]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms ({len(ms)} requests)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--cache-seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mirco-auth-flood-") as folder:
        db = f"sqlite:///{folder}/lrs.sqlite3"
        public = _credential(db, "package", "statements/write")
        analyst = _credential(db, "analyst", "all/read")
        port = lrs_bench.free_port()
        url = f"http://127.0.0.1:{port}/xapi"
        log = Path(folder) / "server.log"
        env = {**os.environ, "MIRCO_CREDENTIAL_CACHE_SECONDS": str(args.cache_seconds)}
        with log.open("wb") as out:
            server = subprocess.Popen(
                [*MIRCO, "lrs", "serve", "--db", db, "--port", str(port)],
                stdout=out, stderr=subprocess.STDOUT, env=env,
            )
        try:
            wait_until_up(url, server, log)
            legit = _basic(analyst["key"], analyst["secret"])
            alone = _latencies(url, legit, args.seconds)
            # the flood runs in a process of its own: its threads do not hold this
            # process's GIL while the legitimate request is timed
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                flood = pool.apply_async(_flood_process, (url, public["key"], args.threads,
                                                          args.seconds + 1.0))
                time.sleep(1.0)
                during = _latencies(url, legit, args.seconds)
                codes = flood.get()
        finally:
            server.terminate()
            server.wait(10)
    print(f"legitimate request alone:          {_summary(alone)}")
    print(f"during a {args.threads}-thread wrong-secret flood: {_summary(during)}")
    print(f"ratio of medians: {statistics.median(during) / statistics.median(alone):.1f}x")
    print(f"flood answers: {dict(sorted(codes.items()))}")


if __name__ == "__main__":
    main()
