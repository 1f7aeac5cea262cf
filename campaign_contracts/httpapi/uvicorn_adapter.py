"""Every reach into uvicorn beyond its documented API, in one place.

uvicorn documents `uvicorn.run`, `Config` and `Server`; the sandbox needs two things more:

- closing the current request's connection without an answer (the drop fault): ASGI gives an
  application no way to, so `current_connection` reads the transport from uvicorn's request
  cycle, whose `run_asgi` coroutine is the task running the app (true for both of uvicorn's
  HTTP/1.1 implementations, on asyncio's loop or uvloop's, whose transports are not asyncio
  classes);
- worker processes on a socket bound beforehand (`--workers`): `serve_workers` runs uvicorn's
  own supervisor, `uvicorn.supervisors.Multiprocess`, as `uvicorn.run(workers=N)` does inside.

tests/httpapi/test_uvicorn_adapter.py fails loudly, naming this module, when an upgrade of
uvicorn moves either; tests/sandbox/test_drop_fault.py covers every HTTP implementation and loop.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Protocol, cast

import uvicorn
from uvicorn.supervisors import Multiprocess


class Connection(Protocol):
    def close(self) -> None: ...


class UvicornChanged(RuntimeError):
    """uvicorn no longer works the way this adapter relies on."""


def current_connection() -> Connection:
    """The transport uvicorn serves the current request on; UvicornChanged if there is none
    (not served by uvicorn, or a uvicorn that keeps its transport elsewhere)."""
    task = asyncio.current_task()
    frame = getattr(task.get_coro() if task else None, "cr_frame", None)
    cycle = frame.f_locals.get("self") if frame is not None else None
    transport = getattr(cycle, "transport", None)
    if not callable(getattr(transport, "close", None)):
        raise UvicornChanged(
            "the drop fault needs the app served by uvicorn, whose request cycle keeps the"
            f" connection as `self.transport` of the task's coroutine ({__name__})"
        )
    return cast(Connection, transport)


def serve_workers(config: uvicorn.Config, sock: socket.socket) -> None:
    """Serve `config` (its `workers`, its app a factory) with worker processes on `sock`,
    until a signal stops the supervisor."""
    Multiprocess(config, sockets=[sock]).run()
