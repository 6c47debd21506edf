"""``mirco lrs serve --workers N``: N server processes under a supervisor, each on its own
``SO_REUSEPORT`` socket, so that the kernel spreads connections across them; on SQLite,
one more process writes the statements of them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lrs_support import Auth, add_credential, statement

from live_server import SRC, LiveServer, free_port
from mirco_lms.lrs.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture
def served(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, Auth]]:
    store = open_store(sqlite_url)
    auth = add_credential(store, "live", "all")
    store.close()
    server = LiveServer(sqlite_url, tmp_path / "server.log", workers=2).start()
    _wait_for_workers(server, 2)  # start() returns once one answers
    yield server, auth
    server.stop()


@pytest.fixture
def two_workers(served: tuple[LiveServer, Auth]) -> LiveServer:
    return served[0]


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _workers(server: LiveServer) -> list[int]:
    """The supervisor's children that listen on the server's port."""
    assert server.proc is not None
    return [p for p in _children(server.proc.pid) if _sockets(p, server.port, "0A")]


def _wait_for_workers(server: LiveServer, count: int, *, without: int = 0) -> list[int]:
    """The server's listening workers, once there are ``count`` and ``without`` is not one."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = _workers(server)
        if len(workers) == count and without not in workers:
            return workers
        time.sleep(0.2)
    pytest.fail(f"not {count} workers: {_workers(server)}")


def _writers(server: LiveServer) -> list[int]:
    """The supervisor's other children, but multiprocessing's resource tracker."""
    assert server.proc is not None
    workers = _workers(server)
    return [
        p
        for p in _children(server.proc.pid)
        if p not in workers and b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()
    ]


def _sockets(pid: int, port: int, state: str) -> int:
    """Sockets of ``pid`` on local ``port`` in TCP ``state`` (01 established, 0A listen)."""
    try:
        inodes = {
            os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1]
            for fd in os.listdir(f"/proc/{pid}/fd")
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:[")
        }
    except (FileNotFoundError, ProcessLookupError):
        return 0
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == state and fields[9] in inodes:
                count += 1
    return count


def _answers(url: str, timeout: float = 1) -> bool:
    try:
        return httpx.get(f"{url}/about", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def test_connections_opened_at_once_are_spread_over_the_workers(two_workers) -> None:
    workers = _workers(two_workers)
    assert len(workers) == 2
    clients = [httpx.Client(timeout=10) for _ in range(16)]
    try:
        for client in clients:  # 16 keep-alive connections, each accepted by a worker
            assert client.get(f"{two_workers.url}/about").status_code == 200
        held = [_sockets(pid, two_workers.port, "01") for pid in workers]
        assert sum(held) == 16 and all(held), held  # one worker alone: p = 2**-15
    finally:
        for client in clients:
            client.close()


def test_a_dead_worker_is_replaced(two_workers) -> None:
    """The new worker listens once its app is loaded: from then on, every new connection
    (whichever worker the kernel hands it to) is answered at once."""
    first, _second = _workers(two_workers)
    os.kill(first, signal.SIGKILL)
    _wait_for_workers(two_workers, 2, without=first)
    # a worker loading its app takes about a second; a loaded one answers in milliseconds
    assert all(_answers(two_workers.url, timeout=0.5) for _ in range(8))  # p(both) = 1 - 2**-7


def test_a_dead_statement_writer_is_replaced(served) -> None:
    """Writes answer 503 (with Retry-After) until the new writer listens, then succeed."""
    server, auth = served
    [writer] = _writers(server)
    sid = str(uuid.uuid4())
    answers: list[int] = []
    with httpx.Client(headers=auth.headers(**{"Content-Type": "application/json"})) as client:
        assert client.post(f"{server.url}/statements", json=statement()).status_code == 200
        os.kill(writer, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            put = client.put(
                f"{server.url}/statements", params={"statementId": sid}, json=statement()
            )
            answers.append(put.status_code)
            if put.status_code == 503:
                assert put.headers["Retry-After"] == "1"
                assert "same statement ids" in put.json()["hint"]
            if put.status_code == 204 and writer not in _writers(server):
                break
            time.sleep(0.05)
        assert set(answers) <= {204, 503} and answers[-1] == 204, answers
        assert len(_writers(server)) == 1
        got = client.get(f"{server.url}/statements", params={"statementId": sid})
        assert got.status_code == 200 and got.json()["id"] == sid


def test_workers_stop_when_the_supervisor_is_killed(two_workers) -> None:
    assert two_workers.proc is not None
    workers = _workers(two_workers) + _writers(two_workers)
    assert len(workers) == 3
    os.kill(two_workers.proc.pid, signal.SIGKILL)  # the supervisor alone, not its group
    two_workers.proc.wait(10)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.2)
    assert not any(_sockets(p, two_workers.port, "0A") for p in workers)
    assert not _answers(two_workers.url)


def test_a_port_in_use_is_a_clear_error(sqlite_url: str) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run(
            [sys.executable, "-m", "mirco_lms", "lrs", "serve", "--db", sqlite_url]
            + ["--port", str(port), "--workers", "2"],
            env={**os.environ, "PYTHONPATH": SRC},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
