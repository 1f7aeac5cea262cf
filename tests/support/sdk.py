"""Helpers of the SDK tests: a stand-in server's state, faults, and one scenario for both the
sync and the async client."""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import engage_client
import httpx
import intelsend_client
from starlette.responses import Response

from campaign_contracts.sandbox.config import (
    DEFAULT_ENGAGE_TOKEN,
    DEFAULT_INTELSEND_SESSION,
    DEFAULT_INTELSEND_USER,
)


class Sandbox(Protocol):
    """The `sandbox` fixture of tests/conftest.py: a running sandbox, reset for the test."""

    @property
    def base_url(self) -> str: ...


@dataclass
class StandIn:
    """A real HTTP server on loopback that answers each request with the next queued answer
    (a 200 `[]` once they run out) and records what it was asked."""

    base_url: str = ""
    answers: deque[Response] = field(default_factory=deque)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def answer(self, status: int, content: str, media_type: str = "application/json") -> None:
        self.answers.append(Response(content, status_code=status, media_type=media_type))


def add_fault(base_url: str, **fault: object) -> None:
    httpx.post(f"{base_url}/_sandbox/faults", json=fault).raise_for_status()


def pending_faults(base_url: str) -> list[dict[str, object]]:
    faults: list[dict[str, object]] = httpx.get(f"{base_url}/_sandbox/faults").json()
    return faults


class Blocking:
    """An async client (or part of one) driven like the sync one: every awaitable it returns
    runs to its end on the test's event loop, an async iterator is read whole. The SDK tests
    thus run one scenario through both `EngageClient` and `AsyncEngageClient`."""

    def __init__(self, target: object, runner: asyncio.Runner) -> None:
        self._target = target
        self._runner = runner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return Blocking(value, self._runner) if name == "campaigns" else value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if inspect.isawaitable(result):
                return self._runner.run(_awaited(result))
            if isinstance(result, AsyncIterator):
                return iter(self._runner.run(_collected(result)))
            return result

        return call


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


async def _collected(iterator: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in iterator]


def make_client(kind: str, sync_class: Any, async_class: Any, **kwargs: Any) -> Iterator[Any]:
    """A client of `kind` ("sync" or "async"), closed after the test."""
    if kind == "sync":
        with sync_class(**kwargs) as client:
            yield client
        return
    with asyncio.Runner() as runner:
        client = async_class(**kwargs)
        try:
            yield Blocking(client, runner)
        finally:
            runner.run(client.aclose())


def engage_client_of(kind: str, base_url: str, **options: Any) -> Iterator[Any]:
    """An Engage client of `kind` as the sandbox's default tenant, unless `options` say else."""
    yield from make_client(
        kind,
        engage_client.EngageClient,
        engage_client.AsyncEngageClient,
        base_url=base_url,
        **({"token": DEFAULT_ENGAGE_TOKEN} | options),
    )


def intelsend_client_of(kind: str, base_url: str, **options: Any) -> Iterator[Any]:
    """An IntelSend client of `kind` as the sandbox's default user, unless `options` say else."""
    defaults = {"session_token": DEFAULT_INTELSEND_SESSION, "user_id": DEFAULT_INTELSEND_USER}
    yield from make_client(
        kind,
        intelsend_client.IntelSendClient,
        intelsend_client.AsyncIntelSendClient,
        base_url=base_url,
        **(defaults | options),
    )
