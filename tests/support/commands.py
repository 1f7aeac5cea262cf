"""Programs the tests run, and stdlib HTTP servers they stand up, on this machine."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def run(
    *command: str | Path, cwd: Path, timeout: float | None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`command` run in `cwd`, its output captured as text, whatever its exit code."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def run_module(
    *args: str | Path, cwd: Path, timeout: float, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m ARGS` with this interpreter, as `run` runs a command."""
    return run(sys.executable, "-m", *args, cwd=cwd, timeout=timeout, env=env)


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """A stdlib HTTP server with `handler` on a free loopback port, in a thread, until the
    block ends: its base URL, without a trailing slash."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
