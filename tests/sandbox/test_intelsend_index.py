"""IntelSend's list through its indexes gives what a scan of every campaign gives: any mix of
creates, draft edits that change channels, builds and sends, any filters and page, on both
storages; and a state file written before the channel index gets one."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_contracts.documents import pointer
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.errors import InvalidTransition
from campaign_contracts.sandbox.intelsend import state as intelsend_state
from campaign_contracts.sandbox.intelsend.state import (
    CHANNEL_INDEX,
    CHANNELS,
    STATUSES,
    IntelSendBackend,
    ListQuery,
)
from campaign_contracts.sandbox.storage import NEWEST_FIRST, MemoryStorage, SqliteStorage, Storage

USERS = ("u1", "u2")
FIRST_DAY = date(2026, 1, 1)
channel_sets = st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3, unique=True)
# (user, what to do, channels, days the clock moves on first)
steps = st.lists(
    st.tuples(
        st.sampled_from(USERS),
        st.sampled_from(["create", "edit", "build", "send"]),
        channel_sets,
        st.integers(0, 2),
    ),
    max_size=40,
)
days = st.none() | st.integers(0, 30).map(lambda n: (FIRST_DAY + timedelta(n)).isoformat())
queries = st.builds(
    ListQuery,
    page=st.integers(1, 4),
    limit=st.integers(1, 7),
    status=st.none() | st.sampled_from(STATUSES[:3]),
    channel=st.none() | st.sampled_from(CHANNELS),
    start_date=days,
    end_date=days,
)


def request(channels: list[str]) -> dict[str, Any]:
    settings = {channel: {"templateId": "t", "version": 1} for channel in channels}
    return {"name": "n", "channel": channels, "settings": settings, "contactListId": []}


class Clock:
    def __init__(self) -> None:
        self.day = FIRST_DAY

    def __call__(self) -> str:
        return f"{self.day.isoformat()}T12:00:00.000Z"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(intelsend_state, "utc_timestamp", clock)
    return clock


def storages() -> Iterator[Storage]:
    yield MemoryStorage()
    with tempfile.TemporaryDirectory() as folder:
        yield SqliteStorage(Path(folder) / "state.db")


def play(backend: IntelSendBackend, clock: Clock, script: list[Any]) -> None:
    clock.day = FIRST_DAY
    for user, action, channels, later in script:
        clock.day += timedelta(later)
        campaigns = backend.storage.records(backend.kind, user, order=NEWEST_FIRST)
        if action == "create" or not campaigns:
            backend.save(user, request(channels))
            continue
        campaign = campaigns[len(channels) % len(campaigns)]
        # A step out of order is the backend's 409 and changes nothing.
        with contextlib.suppress(InvalidTransition):
            if action == "edit":
                backend.save(user, {**request(channels), "campaignId": campaign["campaignId"]})
            else:
                getattr(backend, action)(user, campaign["campaignId"])


def scanned(backend: IntelSendBackend, user: str, query: ListQuery) -> dict[str, Any]:
    everything = backend.storage.records(backend.kind, user, order=NEWEST_FIRST)
    matching = [campaign for campaign in everything if query.matches(campaign)]
    first = (query.page - 1) * query.limit
    return {
        "result": matching[first : first + query.limit],
        "meta": {"count": len(matching), "page": query.page, "limit": query.limit},
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=steps, asked=st.lists(queries, min_size=1, max_size=8))
def test_an_indexed_page_is_the_page_a_scan_finds(
    clock: Clock, script: list[Any], asked: list[ListQuery]
) -> None:
    for storage in storages():
        backend = IntelSendBackend(storage)
        play(backend, clock, script)
        for user in USERS:
            for query in asked:
                assert backend.page(user, query) == scanned(backend, user, query), query


def test_a_state_file_without_the_channel_index_gets_one(clock: Clock, tmp_path: Path) -> None:
    backend = IntelSendBackend(SqliteStorage(tmp_path / "state.db"))
    play(backend, clock, [("u1", "create", ["sms"], 1), ("u1", "create", ["email", "sms"], 1)])
    backend.storage.clear(CHANNEL_INDEX)  # as a file of the previous version has it
    reopened = IntelSendBackend(SqliteStorage(tmp_path / "state.db"))
    query = ListQuery(page=1, limit=10, channel="sms")
    assert reopened.page("u1", query) == scanned(reopened, "u1", query)
    assert reopened.page("u1", query)["meta"]["count"] == 2


def test_the_channels_are_the_documents() -> None:
    document = APIS["intelsend"].load()
    channel = document.node_at(pointer("components", "schemas", "Channel"))
    assert tuple(channel["enum"]) == CHANNELS


@pytest.mark.parametrize("filters", [{"channel": "sms"}, {"start_date": "2026-01-01"}])
def test_a_page_far_past_the_end_is_empty(clock: Clock, filters: dict[str, str]) -> None:
    backend = IntelSendBackend(MemoryStorage())
    play(backend, clock, [("u1", "create", ["sms"], 0)])
    page = backend.page("u1", ListQuery(page=10**30, limit=10**30, **filters))
    assert (page["result"], page["meta"]["count"]) == ([], 1)
