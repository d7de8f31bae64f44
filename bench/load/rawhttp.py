"""A lean HTTP/1.1 client for the class at human pace (bench/load/hotpaths.py).

httpx spent about 3.5 ms of the generator's CPU on each saved answer, which on this 2-core machine
is as much as the server's work for it: at 2,000 paced participants the generator, not lokalatih,
decided the result. This client sends prepared bytes over a few kept-alive connections and reads
the status line, the headers and a Content-Length body, and nothing else: about a tenth of that.

A participant's wait for a free connection is part of their latency, as in `loadgen.Browser`. A
request that goes out on a connection the server has just closed (a worker recycled by
`max_requests`) is sent once more on a new connection, and counted, as a browser would.
"""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlsplit


class ConnectionClosed(Exception):
    """The server closed the connection before a whole response came back."""


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(request)
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.close()
            raise ConnectionClosed() from error
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, keep = 0, True
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                keep = False
        body = await self.reader.readexactly(length) if length else b""
        if not keep:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Pool:
    """`size` kept-alive connections to one server, shared by every participant."""

    def __init__(self, base_url: str, size: int):
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.idle: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(size):
            self.idle.put_nowait(Connection(self.host, self.port))

    def post_json(self, path: str, payload: dict, headers: dict[str, str]) -> bytes:
        body = json.dumps(payload, separators=(",", ":")).encode()
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}", "", ""]
        return "\r\n".join(lines).encode("latin-1") + body

    async def send(self, stats, label: str, request: bytes, expect=(200,)) -> int | None:
        """Send `request`; record its latency from the moment the participant wanted it."""
        began = time.perf_counter()
        connection = await self.idle.get()
        try:
            for attempt in (1, 2):
                try:
                    status, _ = await connection.exchange(request)
                    break
                except ConnectionClosed:
                    if attempt == 1:
                        stats.resent += 1
                        continue
                    stats.add(label, time.perf_counter() - began, False, "connection closed")
                    return None
                except OSError as error:
                    connection.close()
                    stats.add(label, time.perf_counter() - began, False, repr(error))
                    return None
        finally:
            self.idle.put_nowait(connection)
        stats.add(label, time.perf_counter() - began, status in expect, f"{status} {label}")
        return status

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().close()
