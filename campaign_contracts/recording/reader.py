"""Reading HAR 1.2 recordings one entry at a time.

A week of recorded traffic is hundreds of megabytes: `ijson` (its C backend where it is built)
parses `log.entries` as a stream, so only one entry is ever in memory. `read_har` yields each
entry as a `RecordedExchange`; `merged` interleaves several files in the order the exchanges
started.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import heapq
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import ijson  # type: ignore[import-untyped]  # it ships no type hints

from campaign_contracts.recording.origins import (
    ORIGIN_FIELD,
    SANDBOX_FAULT_HEADER,
    Origin,
    origin_of,
)

ENTRIES = "log.entries.item"
# The status HAR gives an exchange that got no answer, its reason in the entry's comment.
NO_ANSWER = 0

EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


class HarError(ValueError):
    """A file that is not a HAR recording; the message is one line naming the file."""


class NotJson:
    """The body of an exchange that has none, or one that is not JSON."""

    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON = NotJson()


def _json(text: str | None) -> Any:
    if not text:
        return NOT_JSON
    try:
        return json.loads(text)
    except ValueError:
        return NOT_JSON


@dataclass(frozen=True)
class RecordedExchange:
    """One recorded request and its answer, and where it was recorded (file, 0-based index)."""

    file: str
    index: int
    started: str
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_text: str | None
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_text: str | None
    # What produced it (`_origin`; application when the entry does not say).
    origin: Origin = Origin.APPLICATION

    @property
    def where(self) -> str:
        """`file#index`, how a report points at the exchange."""
        return f"{self.file}#{self.index}"

    @cached_property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @cached_property
    def query(self) -> dict[str, str]:
        """The query string's parameters (the last value of a repeated name)."""
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))

    @cached_property
    def request_json(self) -> Any:
        """The request body as JSON, or NOT_JSON."""
        return _json(self.request_text)

    @cached_property
    def response_json(self) -> Any:
        """The answer's body as JSON, or NOT_JSON."""
        return _json(self.response_text)

    @property
    def answered(self) -> bool:
        """Whether the answer is the server's own: not none (status 0), nor one the sandbox's
        fault control injected (`X-Sandbox-Fault`), which says nothing of how it behaves."""
        return self.status != NO_ANSWER and self.response_header(SANDBOX_FAULT_HEADER) is None

    def request_header(self, name: str) -> str | None:
        return _header(self.request_headers, name)

    def response_header(self, name: str) -> str | None:
        return _header(self.response_headers, name)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), None)


def _headers(message: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(header["name"]), str(header["value"])) for header in message.get("headers") or ()
    )


def _content_text(content: Mapping[str, Any] | None) -> str | None:
    """The text of a HAR `content` or `postData`, decoded when HAR says it is base64."""
    if not content or content.get("text") is None:
        return None
    text = str(content["text"])
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return text


def _exchange(file: str, index: int, entry: Any) -> RecordedExchange:
    try:
        request, response = entry["request"], entry["response"]
        return RecordedExchange(
            file=file,
            index=index,
            started=str(entry.get("startedDateTime", "")),
            method=str(request["method"]).upper(),
            url=str(request["url"]),
            request_headers=_headers(request),
            request_text=_content_text(request.get("postData")),
            status=int(response["status"]),
            response_headers=_headers(response),
            response_text=_content_text(response.get("content")),
            origin=origin_of(entry.get(ORIGIN_FIELD)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise HarError(f"{file}: not HAR: entry {index} has no {error}") from None


def _has_entries(path: Path) -> bool:
    """Whether the file has a `log.entries` array (read until it is found)."""
    with path.open("rb") as stream:
        return any(
            prefix == "log.entries" and event == "start_array"
            for prefix, event, _ in ijson.parse(stream)
        )


def read_har(path: Path | str) -> Iterator[RecordedExchange]:
    """Every entry of the HAR file at `path`, in the file's order; HarError if it is not HAR."""
    path = Path(path)
    name = str(path)
    count = 0
    try:
        with path.open("rb") as stream:
            for count, entry in enumerate(ijson.items(stream, ENTRIES, use_float=True), 1):
                yield _exchange(name, count - 1, entry)
        if not count and not _has_entries(path):
            raise HarError(f"{name}: not HAR: no log.entries array")
    except OSError as error:
        raise HarError(f"{name}: {error.strerror}") from None
    except ijson.JSONError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise HarError(f"{name}: not HAR: not JSON ({reason})") from None


def read_hars(paths: Iterable[Path | str]) -> Iterator[RecordedExchange]:
    """Every entry of each file, one file after the other."""
    for path in paths:
        yield from read_har(path)


def _started(exchange: RecordedExchange) -> datetime.datetime:
    """When the exchange started: HAR's ISO 8601 time, in any offset; the earliest time when
    the entry has none or an unreadable one (it then keeps its place in its file)."""
    try:
        moment = datetime.datetime.fromisoformat(exchange.started)
    except ValueError:
        return EARLIEST
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def merged(paths: Iterable[Path | str]) -> Iterator[RecordedExchange]:
    """Every entry of the files in the order the exchanges started, each file read as a
    stream; entries of one time keep their files' order."""
    return heapq.merge(*(read_har(path) for path in paths), key=_started)
