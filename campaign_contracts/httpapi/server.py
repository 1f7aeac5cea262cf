"""Serving the sandbox (and the proxy) with uvicorn on a socket bound beforehand."""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

STARTUP_TIMEOUT_SECONDS = 10.0
# Allocations (less deallocations) between two collections of the youngest objects.
GC_THRESHOLD = 20_000


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: any free port).

    Bound here rather than by uvicorn so that a busy port is a one-line error and a free port
    is known before serving. IPPROTO_TCP must be named: asyncio sets TCP_NODELAY only on
    sockets whose protocol says TCP, and without it every answer on a kept-alive connection
    waits ~40 ms (Nagle's algorithm against the client's delayed ACK).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


def tune_garbage_collector() -> None:
    """For a server's process, once its app is built: what it keeps for good (the documents,
    their compiled validators) is left out of every collection from now on, and the youngest
    objects are collected every GC_THRESHOLD allocations rather than 700. Requests make little
    cyclic garbage, and each collection held up every request in flight: in the proxy with
    --record, about 0.15 s of every 12,000 exchanges and a tenth of its requests/s
    (benchmarks/proxy_http.py)."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, middle, old)


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def serve_in_thread(app: ASGIApp, host: str = "127.0.0.1", **options: Any) -> Iterator[str]:
    """Serve `app` on a free port of `host` in a background thread; yield its base URL.

    `options` are uvicorn.Config's, over these defaults: no access log, no lifespan."""
    sock = listening_socket(host, 0)
    settings = {"log_level": "warning", "access_log": False, "lifespan": "off", **options}
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.01)
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
