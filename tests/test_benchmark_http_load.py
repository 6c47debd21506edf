"""The benchmarks' load generator (benchmarks/http_load.py) against a scripted HTTP server:
keep-alive, the three ways an answer's body ends, and reconnecting after a close."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import http_load  # noqa: E402
from http_load import Load  # noqa: E402

ANSWERS = {
    b"/length": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"/chunked": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\nTrailer: t\r\n\r\n"
    ),
    b"/empty": b"HTTP/1.1 204 No Content\r\n\r\n",
    b"/close": b"HTTP/1.1 201 Created\r\nConnection: close\r\n\r\nhello",
    b"/bad": b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
}


def _serve(conn: socket.socket, seen: list[bytes]) -> None:
    buffer = b""
    with conn:
        while True:
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = next(
                (int(v) for n, _, v in (h.partition(b":") for h in lines[1:])
                 if n.lower() == b"content-length"),
                0,
            )  # fmt: skip
            while len(buffer) < length:
                buffer += conn.recv(65536)
            seen.append(head + b"\r\n\r\n" + buffer[:length])
            buffer = buffer[length:]
            path = lines[0].split(b" ")[1].split(b"?")[0].removeprefix(b"/api")
            conn.sendall(ANSWERS[path])
            if path == b"/close":
                return


@pytest.fixture
def server() -> Iterator[tuple[str, list[bytes], list[int]]]:
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []
    connections: list[int] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(1)
            threading.Thread(target=_serve, args=(conn, seen), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api", seen, connections
    listener.close()


@pytest.mark.parametrize("path", ["/length", "/chunked", "/empty"])
def test_answers_are_read_whole_on_kept_alive_connections(server, path) -> None:
    url, seen, connections = server
    load = Load(url, auth=("key", "secret"), headers={"X-Experience-API-Version": "1.0.3"})
    result = load.run([load.request("POST", path, b'{"a": 1}')], total=30, concurrency=3)
    assert result.errors == 0 and result.requests == 30
    assert sum(result.statuses.values()) == 30
    assert len(connections) == 3
    assert seen[0].startswith(f"POST /api{path} HTTP/1.1\r\n".encode())
    assert b"Authorization: Basic a2V5OnNlY3JldA==\r\n" in seen[0]
    assert b"X-Experience-API-Version: 1.0.3\r\n" in seen[0]
    assert seen[0].endswith(b'Content-Length: 8\r\n\r\n{"a": 1}')
    status, body = load.fetch(load.request("GET", path))
    assert body == (b"" if path == "/empty" else b"hello")


def test_a_closed_connection_is_opened_again(server) -> None:
    url, _seen, connections = server
    load = Load(url)
    result = load.run([load.request("GET", "/close", params={"q": "1 2"})], 4, 1)
    assert result.statuses == {201: 4} and len(connections) == 4


def test_other_statuses_count_as_errors_and_latencies_are_kept(server) -> None:
    url, _seen, _connections = server
    load = Load(url)
    requests = [load.request("GET", "/bad"), load.request("GET", "/length")]
    result = load.run(requests, 10, 1, latencies=True)
    assert result.errors == 5 and result.statuses == {500: 5, 200: 5}
    assert len(result.latencies_ms) == 10 and result.client_cpu_us > 0


def test_runs_where_an_event_loop_is_already_running() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def caller() -> int:  # e.g. Playwright's sync driver in the same process
        return http_load._run_loop(answer())

    result: list[int] = []  # a thread of its own: this process may run a loop already
    thread = threading.Thread(target=lambda: result.append(asyncio.run(caller())))
    thread.start()
    thread.join()
    assert result == [42]
