"""The HAR 1.2 writer: sanitized entries appended to files that stay valid JSON."""

from __future__ import annotations

import base64
import collections
import datetime
import json
import logging
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

from campaign_contracts.recording.origins import ORIGIN_FIELD, TRY_FIELD
from campaign_contracts.recording.sanitize import CapturedExchange, Headers, Sanitizer

# What follows the last entry; each new entry is written over it, then it is written again.
TRAILER = b"\n]}}\n"
HAR_VERSION = "1.2"
# A status's reason phrase; a status of no standard's has none.
PHRASES = {status.value: status.phrase for status in HTTPStatus}


def _creator() -> dict[str, str]:
    try:
        version = metadata.version("campaign-contracts")
    except metadata.PackageNotFoundError:
        version = "0"
    return {"name": "campaign-contracts", "version": version}


def _records(pairs: Any) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _cookies(headers: Headers, header_name: str) -> list[dict[str, str]]:
    cookies = []
    set_cookie = header_name == "set-cookie"
    for name, value in headers:
        if name.lower() != header_name:
            continue
        for pair in value.split(";")[:1] if set_cookie else value.split(";"):
            cookie, equals, cookie_value = pair.strip().partition("=")
            if equals:
                cookies.append({"name": cookie, "value": cookie_value.strip()})
    return cookies


def _content(body: bytes) -> dict[str, Any]:
    """HAR text of `body`: itself when UTF-8, else base64."""
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(body).decode("ascii"), "encoding": "base64"}


def _header(headers: Headers, name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def har_entry(exchange: CapturedExchange) -> dict[str, Any]:
    """The HAR entry of an (already sanitized) exchange."""
    started = datetime.datetime.fromtimestamp(exchange.started, datetime.UTC)
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": exchange.http_version,
        "cookies": _cookies(exchange.request_headers, "cookie"),
        "headers": _records(exchange.request_headers),
        "queryString": _records(parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True))
        if "?" in exchange.url
        else [],
        "headersSize": -1,
        "bodySize": len(exchange.request_body or b""),
    }
    if exchange.request_body:
        request["postData"] = {
            "mimeType": _header(exchange.request_headers, "content-type"),
            **_content(exchange.request_body),
        }
    content: dict[str, Any] = {
        "size": len(exchange.response_body or b""),
        "mimeType": _header(exchange.response_headers, "content-type"),
    }
    if exchange.response_body is not None:
        content.update(_content(exchange.response_body))
    response = {
        "status": exchange.status,
        "statusText": PHRASES.get(exchange.status, ""),
        "httpVersion": exchange.http_version if exchange.status else "",
        "cookies": _cookies(exchange.response_headers, "set-cookie"),
        "headers": _records(exchange.response_headers),
        "content": content,
        "redirectURL": _header(exchange.response_headers, "location"),
        "headersSize": -1,
        "bodySize": len(exchange.response_body or b""),
    }
    elapsed = round(exchange.elapsed_ms, 3)
    entry: dict[str, Any] = {
        "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": elapsed,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
    }
    if exchange.comment:
        entry["comment"] = exchange.comment
    if exchange.origin:
        entry[ORIGIN_FIELD] = exchange.origin
    if exchange.attempt > 1:
        entry[TRY_FIELD] = exchange.attempt
    return entry


# json.dumps's own quoting of a string (ensure_ascii=False), the quotes included.
_quote: Callable[[str], str] = json.encoder.encode_basestring


def _json_records(records: list[dict[str, str]]) -> str:
    return (
        "["
        + ", ".join(
            f'{{"name": {_quote(item["name"])}, "value": {_quote(item["value"])}}}'
            for item in records
        )
        + "]"
    )


def _json_pairs(pairs: Headers) -> str:
    return (
        "["
        + ", ".join(
            f'{{"name": {_quote(name)}, "value": {_quote(value)}}}' for name, value in pairs
        )
        + "]"
    )


def _json_content(body: bytes) -> str:
    """`"text": ...` (and `"encoding": "base64"`) of `body`, as _content says."""
    try:
        return f'"text": {_quote(body.decode("utf-8"))}'
    except UnicodeDecodeError:
        return f'"text": "{base64.b64encode(body).decode("ascii")}", "encoding": "base64"'


def har_entry_json(exchange: CapturedExchange) -> str:
    """`json.dumps(har_entry(exchange), ensure_ascii=False)`, the same text, written directly:
    a third of the time, which is what a recording proxy spends most of its writing on."""
    started = datetime.datetime.fromtimestamp(exchange.started, datetime.UTC)
    stamp = started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    query = (
        parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)
        if "?" in exchange.url
        else []
    )
    request_headers, response_headers = exchange.request_headers, exchange.response_headers
    request_size = len(exchange.request_body or b"")
    request = (
        f'{{"method": {_quote(exchange.method)}, "url": {_quote(exchange.url)},'
        f' "httpVersion": {_quote(exchange.http_version)},'
        f' "cookies": {_json_records(_cookies(request_headers, "cookie"))},'
        f' "headers": {_json_pairs(request_headers)}, "queryString": {_json_pairs(query)},'
        f' "headersSize": -1, "bodySize": {request_size}'
    )
    if exchange.request_body:
        mime_type = _quote(_header(request_headers, "content-type"))
        request += (
            f', "postData": {{"mimeType": {mime_type}, {_json_content(exchange.request_body)}}}'
        )
    response_size = len(exchange.response_body or b"")
    content = (
        f'{{"size": {response_size},'
        f' "mimeType": {_quote(_header(response_headers, "content-type"))}'
    )
    if exchange.response_body is not None:
        content += ", " + _json_content(exchange.response_body)
    version = exchange.http_version if exchange.status else ""
    response = (
        f'{{"status": {exchange.status}, "statusText": {_quote(PHRASES.get(exchange.status, ""))},'
        f' "httpVersion": {_quote(version)},'
        f' "cookies": {_json_records(_cookies(response_headers, "set-cookie"))},'
        f' "headers": {_json_pairs(response_headers)}, "content": {content}}},'
        f' "redirectURL": {_quote(_header(response_headers, "location"))},'
        f' "headersSize": -1, "bodySize": {response_size}}}'
    )
    elapsed = json.dumps(round(exchange.elapsed_ms, 3))
    entry = (
        f'{{"startedDateTime": "{stamp}", "time": {elapsed}, "request": {request}}},'
        f' "response": {response}, "cache": {{}},'
        f' "timings": {{"send": 0, "wait": {elapsed}, "receive": 0}}'
    )
    if exchange.comment:
        entry += f', "comment": {_quote(exchange.comment)}'
    if exchange.origin:
        entry += f', "{ORIGIN_FIELD}": {_quote(exchange.origin)}'
    if exchange.attempt > 1:
        entry += f', "{TRY_FIELD}": {exchange.attempt}'
    return entry + "}"


class HarWriter:
    """Appends exchanges of one API to `<directory>/<stem>.har`, sanitized by `sanitizer`.

    With `rotate_every`, each file holds at most that many entries, named
    `<stem>-0001.har`, `<stem>-0002.har`, ... Thread-safe: the contract run records from
    Schemathesis's threads and its own.
    """

    def __init__(
        self,
        directory: Path,
        stem: str,
        sanitizer: Sanitizer,
        *,
        rotate_every: int | None = None,
    ) -> None:
        self.directory = directory
        self.stem = stem
        self.sanitizer = sanitizer
        self.rotate_every = rotate_every
        self.paths: list[Path] = []
        self._file: IO[bytes] | None = None
        self._entries = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Begin the first file now, so that a run without exchanges still leaves one."""
        with self._lock:
            if self._file is None:
                self._next_file()

    def _next_file(self) -> IO[bytes]:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.rotate_every is None:
            path = self.directory / f"{self.stem}.har"
        else:
            path = self.directory / f"{self.stem}-{len(self.paths) + 1:04d}.har"
        stream = path.open("w+b")
        head = {"log": {"version": HAR_VERSION, "creator": _creator(), "pages": []}}
        # The head without its closing brackets, then the entries' list.
        stream.write(json.dumps(head)[:-2].encode() + b', "entries": [' + TRAILER)
        stream.flush()
        self.paths.append(path)
        self._file = stream
        self._entries = 0
        return stream

    def write(self, exchange: CapturedExchange) -> None:
        """Sanitize `exchange` and append it; the file is complete HAR again on return."""
        self.write_many([exchange])

    def write_many(self, exchanges: Sequence[CapturedExchange]) -> None:
        """Sanitize `exchanges` and append them, in order, with one write per file; the files
        are complete HAR again on return."""
        with self._lock:
            pending: list[bytes] = []
            for exchange in exchanges:
                sanitized = self.sanitizer.sanitize(exchange)
                data = har_entry_json(sanitized).encode()
                if self._file is None or (
                    self.rotate_every is not None
                    and self._entries + len(pending) >= self.rotate_every
                ):
                    self._append(pending)
                    pending = []
                    self._next_file()
                pending.append(data)
            self._append(pending)

    def _append(self, entries: list[bytes]) -> None:
        stream = self._file
        if not entries or stream is None:
            return
        stream.seek(-len(TRAILER), 2)
        joined = b",\n".join(entries)
        stream.write((b",\n" if self._entries else b"\n") + joined + TRAILER)
        stream.flush()
        self._entries += len(entries)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class BackgroundHarWriter:
    """A HarWriter fed by a thread of its own, so that building, sanitizing and writing an
    entry is off the path of the answer (the proxy's `--record`).

    Handing an exchange over is appending it to a list: no lock taken, no thread woken. The
    thread wakes every `interval` seconds and writes whatever is pending, with one write per
    file (at 1,000 exchanges a second, one write of 100 entries instead of 100 writes, and no
    wake-up of a thread per exchange, which cost the event loop as much as the writing).
    Pending exchanges are bounded (`max_pending`): past that many, `write` wakes the thread and
    waits for it rather than drop one. `close` writes everything pending, then closes the
    file: an exchange handed over before `close` is in the file after it.
    """

    def __init__(
        self, writer: HarWriter, *, interval: float = 0.1, max_pending: int = 10_000
    ) -> None:
        self.writer = writer
        self.interval = interval
        self.max_pending = max_pending
        self._pending: collections.deque[Callable[[], CapturedExchange]] = collections.deque()
        self._wake = threading.Event()
        self._written = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(
            target=self._run, name=f"har-writer {writer.stem}", daemon=True
        )
        self._thread.start()

    @property
    def paths(self) -> list[Path]:
        return self.writer.paths

    def write(self, exchange: CapturedExchange) -> None:
        self.write_later(lambda: exchange)

    def write_later(self, make: Callable[[], CapturedExchange]) -> None:
        """Hand over the exchange that `make` builds (in the writer's thread)."""
        if self._closing:
            raise RuntimeError(f"{self.writer.stem}: the recording is closed")
        self._pending.append(make)
        if len(self._pending) > self.max_pending:
            with self._written:
                self._wake.set()
                self._written.wait_for(lambda: len(self._pending) <= self.max_pending)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            closing = self._closing
            self._write_pending()
            if closing:
                return

    def _write_pending(self) -> None:
        logger = logging.getLogger("campaign-proxy")
        exchanges = []
        while self._pending:
            make = self._pending.popleft()
            try:
                exchanges.append(make())
            except Exception:  # one bad exchange must not end the recording
                logger.exception("%s: could not record an exchange", self.writer.stem)
        try:
            self.writer.write_many(exchanges)
        except Exception:
            logger.exception("%s: could not record %d exchanges", self.writer.stem, len(exchanges))
        with self._written:
            self._written.notify_all()

    def close(self) -> None:
        """Write every exchange pending, then close the file."""
        self._closing = True
        if self._thread.is_alive():
            self._wake.set()
            self._thread.join()
        self.writer.close()
