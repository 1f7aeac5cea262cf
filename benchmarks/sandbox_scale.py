"""Sandbox cost against history: latency of an IntelSend list page (10 campaigns, unfiltered,
filtered by status and by channel), an Engage get by id and an IntelSend create, once the tenant has
100, 10,000 and 100,000 campaigns, in memory and with --state (SQLite). In process: each
request goes through the whole ASGI app (fault check, authentication, validation, the
storage transaction, the journal), not through a socket. Targets at 100,000 campaigns: list
page p50 at most 2 ms in memory, 5 ms with --state."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from benchmarks._results import record
from campaign_contracts.httpapi.encoding import encode_json
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import (
    DEFAULT_ENGAGE_TOKEN,
    DEFAULT_INTELSEND_SESSION,
    DEFAULT_INTELSEND_USER,
    build_config,
)

SIZES = (100, 10_000, 100_000)
CAMPAIGN = {
    "name": "bench",
    "channel": ["sms"],
    "settings": {"sms": {"shortCode": "1", "templateId": "t", "version": 1}},
    "contactListId": [],
}
# Every fifth campaign is an email campaign: the channel filter's matches.
EMAIL_CAMPAIGN = {
    **CAMPAIGN,
    "channel": ["email"],
    "settings": {"email": {"fromEmail": "a@b.c", "templateId": "t", "version": 1}},
}
TARGET_P50_MS = {"memory": 2.0, "--state": 5.0}
HEADERS = [
    (b"x-user-id", DEFAULT_INTELSEND_USER.encode()),
    (b"cookie", f"__Secure-next-auth.session-token={DEFAULT_INTELSEND_SESSION}".encode()),
    (b"authorization", DEFAULT_ENGAGE_TOKEN.encode()),
    (b"content-type", b"application/json"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scale-sizes",
        default=",".join(map(str, SIZES)),
        help="campaign counts to measure at (comma-separated)",
    )
    parser.add_argument("--scale-calls", type=int, default=500, help="timed calls per figure")
    # `nox -s bench` hands the same arguments to every benchmark script.
    return parser.parse_known_args()[0]


async def call(app: Starlette, method: str, path: str, query: str = "", body: bytes = b"") -> int:
    """One request through the ASGI app; its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [*HEADERS, (b"content-length", str(len(body)).encode())],
        "server": ("127.0.0.1", 8080),
        "client": ("127.0.0.1", 50000),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a disconnect never comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def fill(app: Starlette, count: int) -> str:
    """Bring the default tenants to `count` campaigns of each API, in bulk (one transaction,
    not one request each); the id of an Engage campaign in the middle."""
    state = app.state.sandbox
    with state.storage.transaction():
        have = state.intelsend.count(DEFAULT_INTELSEND_USER)
        for number in range(have, count):
            campaign = {**(EMAIL_CAMPAIGN if number % 5 == 0 else CAMPAIGN), "name": f"b {number}"}
            state.intelsend.save(DEFAULT_INTELSEND_USER, campaign)
            if number % 3 == 0:  # a third of them built: the status filter's matches
                newest = state.intelsend.newest(DEFAULT_INTELSEND_USER, 1)[0]
                state.intelsend.build(DEFAULT_INTELSEND_USER, newest["campaignId"])
            created = state.engage.create(DEFAULT_ENGAGE_TOKEN, {"campaignName": f"bench {number}"})
            if number == count // 2:
                middle: str = created["_id"]
    return middle if count > have else state.engage.newest(DEFAULT_ENGAGE_TOKEN, 1)[0]["_id"]


def get_by_id(app: Starlette, campaign_id: str) -> Awaitable[int]:
    return call(app, "GET", "/_rest/v2/campaigns/", f"id={campaign_id}")


def timed(calls: int, request: Callable[[], Awaitable[int]]) -> tuple[float, float]:
    """p50 and p99 in ms of `calls` calls of `request` (each checked to answer 2xx)."""
    loop = asyncio.new_event_loop()
    samples = []
    try:
        for _ in range(calls):
            start = time.perf_counter()
            status = loop.run_until_complete(request())
            samples.append((time.perf_counter() - start) * 1000)
            if not 200 <= status < 300:  # noqa: PLR2004
                raise SystemExit(f"sandbox_scale: a timed call answered {status}")
    finally:
        loop.close()
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def measure(
    label: str, app: Starlette, sizes: list[int], calls: int, rows: list[list[str]]
) -> dict[int, float]:
    """Print the figures of one storage and add them to `rows`; the list page's p50 at each
    size."""
    page_p50 = {}
    create = encode_json(CAMPAIGN)
    for size in sizes:
        start = time.perf_counter()
        engage_id = fill(app, size)
        filled = time.perf_counter() - start
        figures = {
            "list page": timed(calls, lambda: call(app, "GET", "/api/campaign", "limit=10")),
            "list page, status=BUILD": timed(
                calls, lambda: call(app, "GET", "/api/campaign", "limit=10&status=BUILD")
            ),
            "list page, channel=email": timed(
                calls, lambda: call(app, "GET", "/api/campaign", "limit=10&channel=email")
            ),
            "Engage get by id": timed(calls, partial(get_by_id, app, engage_id)),
            # Last: each adds a campaign, so the size grows by `calls`.
            "create": timed(calls, lambda: call(app, "POST", "/api/campaign", body=create)),
        }
        for name, (p50, p99) in figures.items():
            print(
                f"  {label:<9} {size:>7} campaigns  {name:<24} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
            )
            rows.append([f"{size:,}", name, label, f"{p50:.2f} ms", f"{p99:.2f} ms"])
        print(f"  {label:<9} {size:>7} campaigns  (filled in {filled:.1f} s)", flush=True)
        page_p50[size] = figures["list page"][0]
    return page_p50


def main() -> None:
    args = parse_args()
    sizes = sorted(int(size) for size in args.scale_sizes.split(","))
    print(f"sandbox_scale: {args.scale_calls} calls per figure, in process", flush=True)
    results = {}
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        for label, state in (("memory", None), ("--state", Path(scratch) / "state.db")):
            app = create_app(build_config(state=state, max_campaigns=max(sizes) * 2))
            results[label] = measure(label, app, sizes, args.scale_calls, rows)
    largest = sizes[-1]
    notes = [
        f"{args.scale_calls} calls per figure;"
        f" each storage beside the other, each size beside {sizes[0]:,}."
    ]
    for label, page_p50 in results.items():
        target = TARGET_P50_MS[label]
        met = "met" if page_p50[largest] <= target else "MISSED"
        notes.append(
            f"List page p50 at {largest:,} campaigns, {label}: {page_p50[largest]:.2f} ms"
            f" (target ≤ {target:.0f} ms at 100,000: {met})."
        )
        print(f"  {notes[-1]}")
    # Sizes side by side: each call's figures at every size and storage, one after the other.
    rows.sort(key=lambda row: (row[1], row[2] != "memory", int(row[0].replace(",", ""))))
    record("sandbox_scale", ("campaigns", "call", "storage", "p50", "p99"), rows, notes)


if __name__ == "__main__":
    main()
