"""The HAR reader: entries as a stream, several files in the order they started."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.recording.reader import NOT_JSON, HarError, merged, read_har


def entry(started: str, url: str, **response: Any) -> dict[str, Any]:
    return {
        "startedDateTime": started,
        "request": {"method": "get", "url": url, "headers": [{"name": "X-A", "value": "1"}]},
        "response": {"status": 200, "headers": [], "content": {"text": "[]"}, **response},
    }


def har(path: Path, *entries: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": list(entries)}}))
    return path


def test_an_entry_is_yielded_before_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    whole = json.dumps(
        {"log": {"entries": [entry("2026-01-01T00:00:00.000Z", "http://h/a?x=1&y=")]}}
    )
    # The file breaks after its first entry: a reader that loads it whole fails at once.
    path = tmp_path / "cut.har"
    path.write_text(whole[: whole.index("]}}")] + ", {oops")
    exchanges = read_har(path)
    first = next(exchanges)
    assert (first.method, first.path, first.query, first.where) == (
        "GET",
        "/a",
        {"x": "1", "y": ""},
        f"{path}#0",
    )
    assert first.request_header("x-a") == "1"
    assert first.response_json == []
    with pytest.raises(HarError, match=r"cut\.har: not HAR: not JSON"):
        next(exchanges)


def test_base64_bodies_are_decoded_and_empty_ones_are_not_json(tmp_path: Path) -> None:
    encoded = {"text": base64.b64encode(b'{"a": 1}').decode(), "encoding": "base64"}
    path = har(
        tmp_path / "b.har",
        entry("2026-01-01T00:00:00.000Z", "http://h/x", content=encoded),
        entry("2026-01-01T00:00:01.000Z", "http://h/y", content={}),
    )
    one, two = read_har(path)
    assert one.response_json == {"a": 1}
    assert two.response_json is NOT_JSON
    assert two.request_json is NOT_JSON


def test_files_merge_in_the_order_their_exchanges_started(tmp_path: Path) -> None:
    engage = har(
        tmp_path / "engage.har",
        entry("2026-01-01T00:00:00.000Z", "http://h/1"),
        entry("2026-01-01T00:00:02.000Z", "http://h/3"),
    )
    # The same instant as 00:00:01Z, written with another offset.
    intelsend = har(
        tmp_path / "intelsend.har", entry("2026-01-01T01:00:01.000+01:00", "http://h/2")
    )
    assert [e.path for e in merged([engage, intelsend])] == ["/1", "/2", "/3"]


def test_an_empty_recording_is_har(tmp_path: Path) -> None:
    assert list(read_har(har(tmp_path / "empty.har"))) == []
    with pytest.raises(HarError, match="No such file"):
        list(read_har(tmp_path / "missing.har"))
