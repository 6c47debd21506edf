"""A lean HTTP/1.1 load generator for the benchmarks: asyncio on raw sockets (uvloop when
installed), keep-alive connections, requests built once as bytes.

A benchmark's client must cost far less CPU per request than the server it measures, or
on a small machine it measures itself: httpx in Python threads spends about as much per
request as a hello-world ASGI app. Here a request is one ``transport.write`` of prepared
bytes, and an answer is read by its status line and ``Content-Length`` (or chunked
transfer coding, or the connection closing). ``https://`` URLs fall back to httpx.

    load = Load("http://127.0.0.1:8100/xapi", auth=("key", "secret"))
    result = load.run([load.request("POST", "/statements", body)], total=4000, concurrency=8)
    result.rate, result.errors, result.client_cpu_us
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

try:
    import uvloop
except ImportError:  # pragma: no cover - uvloop is a dependency of mirco on Linux and macOS
    uvloop = None

T = TypeVar("T")


@dataclass(frozen=True)
class Request:
    """One prepared request: its bytes on the wire (plain HTTP) and its parts (httpx)."""

    method: str
    path: str
    """Path and query string, below the target URL's path."""
    body: bytes
    wire: bytes


@dataclass
class Result:
    """What a run measured."""

    requests: int
    seconds: float
    errors: int
    client_cpu: float
    """CPU seconds the client process spent (all of it: the loop runs in one thread)."""
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def client_cpu_us(self) -> float:
        """Client CPU per request, in microseconds."""
        return self.client_cpu / max(1, self.requests) * 1e6


class Load:
    """Sends prepared requests to one HTTP server, ``concurrency`` connections at a time."""

    def __init__(
        self,
        url: str,
        *,
        auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        ok: Sequence[int] = (200, 204),
    ) -> None:
        parts = urlsplit(url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url.rstrip("/")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        self.base_path = parts.path
        self.ok = frozenset(ok)
        self.headers = dict(headers or {})
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        netloc = parts.netloc.rsplit("@", 1)[-1]
        self.headers.setdefault("Host", netloc)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Request:
        """A request prepared once, to be sent many times."""
        target = path + ("?" + urlencode(params) if params else "")
        lines = [f"{method} {self.base_path}{target} HTTP/1.1"]
        merged = {**self.headers, **(headers or {})}
        if body or method in ("POST", "PUT"):
            merged["Content-Length"] = str(len(body))
        lines += [f"{name}: {value}" for name, value in merged.items()]
        wire = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        return Request(method, target, body, wire)

    def run(
        self,
        requests: Sequence[Request],
        total: int,
        concurrency: int,
        *,
        latencies: bool = False,
    ) -> Result:
        """Send ``total`` requests (cycling through ``requests``) over ``concurrency``
        keep-alive connections; wall time, errors and the client's own CPU time."""
        return _run_loop(self._run(requests, total, concurrency, latencies))

    async def _run(
        self, requests: Sequence[Request], total: int, concurrency: int, latencies: bool
    ) -> Result:
        per_connection = [
            total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)
        ]
        connections = [await self._connect() for _ in range(concurrency)]
        statuses: dict[int, int] = {}
        times: list[float] = []

        async def worker(index: int) -> None:
            conn = connections[index]
            offset = index * 7919  # different requests on different connections
            for n in range(per_connection[index]):
                request = requests[(offset + n) % len(requests)]
                started = time.perf_counter() if latencies else 0.0
                status, _body = await conn.send(request)
                if latencies:
                    times.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        cpu_before, started = time.process_time(), time.perf_counter()
        try:
            await asyncio.gather(*(worker(i) for i in range(concurrency)))
        finally:
            for conn in connections:
                await conn.aclose()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        errors = sum(count for status, count in statuses.items() if status not in self.ok)
        return Result(sum(per_connection), seconds, errors, cpu, statuses, times)

    async def _connect(self) -> _Connection:
        if self.tls:
            return _HttpxConnection(self)
        conn = _PlainConnection(self.host, self.port)
        await conn.open()
        return conn

    def fetch(self, request: Request) -> tuple[int, bytes]:
        """(status, body) of one request on a new connection (for setup, not measuring)."""
        return _run_loop(self._fetch(request))

    async def _fetch(self, request: Request) -> tuple[int, bytes]:
        conn = await self._connect()
        try:
            return await conn.send(request)
        finally:
            await conn.aclose()


def _run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a new event loop (uvloop when installed).

    Called where this thread already runs a loop (a notebook, Playwright's sync driver in
    the same test process), the new loop gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _new_loop(main)
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(_new_loop, main).result()


def _new_loop(main: Coroutine[Any, Any, T]) -> T:
    if uvloop is not None:
        return uvloop.run(main)
    return asyncio.run(main)


class _Connection:
    async def send(self, request: Request) -> tuple[int, bytes]:
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError


class _PlainConnection(_Connection):
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.protocol: _ResponseReader | None = None
        self.transport: asyncio.Transport | None = None

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        transport, protocol = await loop.create_connection(_ResponseReader, self.host, self.port)
        self.transport, self.protocol = transport, protocol

    async def send(self, request: Request) -> tuple[int, bytes]:
        if self.protocol is None or self.protocol.closed:
            await self.open()
        assert self.transport is not None and self.protocol is not None
        waiter = self.protocol.expect(head=request.method == "HEAD")
        self.transport.write(request.wire)
        status, body, keep_alive = await waiter
        if not keep_alive:
            self._close()
        return status, body

    async def aclose(self) -> None:
        self._close()

    def _close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.transport = self.protocol = None


class _ResponseReader(asyncio.Protocol):
    """Reads one response at a time: status line, headers, then a body framed by
    ``Content-Length``, chunked transfer coding, or the end of the connection."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.head = False
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.body_start = -1
        self.length: int | None = None
        self.chunked = False
        self.keep_alive = True

    def expect(self, *, head: bool) -> asyncio.Future[tuple[int, bytes, bool]]:
        self.waiter = asyncio.get_running_loop().create_future()
        self.head = head
        self._reset()
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            if self.body_start >= 0 and self.length is None and not self.chunked:
                self._finish(bytes(self.buffer[self.body_start :]), 0)  # body ends at close
            else:
                self.waiter.set_exception(ConnectionError("the server closed the connection"))

    def _parse(self) -> None:
        if self.waiter is None or self.waiter.done():
            return
        if self.body_start < 0 and not self._parse_head():
            return
        start = self.body_start
        if self.length is not None:
            if len(self.buffer) - start >= self.length:
                self._finish(bytes(self.buffer[start : start + self.length]), start + self.length)
        elif self.chunked:
            parsed = _dechunk(self.buffer, start)
            if parsed is not None:
                self._finish(*parsed)

    def _parse_head(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        lines = bytes(self.buffer[:end]).split(b"\r\n")
        self.status = int(lines[0][9:12])
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                self.length = int(value)
            elif name == b"transfer-encoding":
                self.chunked = b"chunked" in value.lower()
            elif name == b"connection":
                self.keep_alive = b"close" not in value.lower()
        if self.head or self.status in (204, 304) or 100 <= self.status < 200:
            self.length = 0
        self.body_start = end + 4
        return True

    def _finish(self, body: bytes, consumed: int) -> None:
        del self.buffer[:consumed]
        assert self.waiter is not None
        self.waiter.set_result((self.status, body, self.keep_alive))


def _dechunk(buffer: bytearray, start: int) -> tuple[bytes, int] | None:
    """(body, bytes consumed) of a complete chunked body at ``start``, or None."""
    body = bytearray()
    pos = start
    while True:
        line_end = buffer.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buffer[pos:line_end]).split(b";")[0], 16)
        pos = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n\r\n", pos - 2)
            return (bytes(body), trailer_end + 4) if trailer_end >= 0 else None
        if len(buffer) < pos + size + 2:
            return None
        body += buffer[pos : pos + size]
        pos += size + 2


class _HttpxConnection(_Connection):
    """The fallback for https URLs: one httpx connection per worker."""

    def __init__(self, load: Load) -> None:
        import httpx

        headers = {k: v for k, v in load.headers.items() if k.lower() != "host"}
        self.client = httpx.AsyncClient(base_url=load.url, headers=headers, timeout=120)

    async def send(self, request: Request) -> tuple[int, bytes]:
        response = await self.client.request(
            request.method, request.path, content=request.body or None
        )
        return response.status_code, response.content

    async def aclose(self) -> None:
        await self.client.aclose()
