"""The HAR 1.2 writer: sanitized entries appended to files that stay valid JSON."""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlsplit

from campaign_contracts.recording.sanitize import Exchange, Headers, Sanitizer

# What follows the last entry; each new entry is written over it, then it is written again.
TRAILER = b"\n]}}\n"
HAR_VERSION = "1.2"


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


def har_entry(exchange: Exchange) -> dict[str, Any]:
    """The HAR entry of an (already sanitized) exchange."""
    started = datetime.datetime.fromtimestamp(exchange.started, datetime.UTC)
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": exchange.http_version,
        "cookies": _cookies(exchange.request_headers, "cookie"),
        "headers": _records(exchange.request_headers),
        "queryString": _records(parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)),
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
    phrase = ""
    if exchange.status:
        with contextlib.suppress(ValueError):  # a status of no standard's
            phrase = HTTPStatus(exchange.status).phrase
    response = {
        "status": exchange.status,
        "statusText": phrase,
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
    return entry


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

    def write(self, exchange: Exchange) -> None:
        """Sanitize `exchange` and append it; the file is complete HAR again on return."""
        self.write_many([exchange])

    def write_many(self, exchanges: Sequence[Exchange]) -> None:
        """Sanitize `exchanges` and append them, in order, with one write per file; the files
        are complete HAR again on return."""
        with self._lock:
            pending: list[bytes] = []
            for exchange in exchanges:
                sanitized = self.sanitizer.sanitize(exchange)
                data = json.dumps(har_entry(sanitized), ensure_ascii=False).encode()
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
    """A HarWriter fed from a queue by a thread of its own, so that building, sanitizing and
    writing an entry is off the path of the answer (the proxy's `--record`).

    Whatever is queued when the thread wakes is written at once, with one write per file.
    The queue is bounded (`max_pending`): once that many exchanges wait, `write` waits for
    room rather than drop one. `close` writes everything queued, then closes the file: an
    exchange handed over before `close` is in the file after it.
    """

    def __init__(self, writer: HarWriter, *, max_pending: int = 10_000) -> None:
        self.writer = writer
        self._queue: queue.Queue[Callable[[], Exchange] | None] = queue.Queue(max_pending)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"har-writer {writer.stem}", daemon=True
        )
        self._thread.start()

    @property
    def paths(self) -> list[Path]:
        return self.writer.paths

    def write(self, exchange: Exchange) -> None:
        self.write_later(lambda: exchange)

    def write_later(self, make: Callable[[], Exchange]) -> None:
        """Queue the exchange that `make` builds (in the writer's thread)."""
        self._queue.put(make)

    def _run(self) -> None:
        logger = logging.getLogger("campaign-proxy")
        done = False
        while not done:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            done = None in batch
            exchanges = []
            for make in batch:
                if make is None:
                    continue
                try:
                    exchanges.append(make())
                except Exception:  # one bad exchange must not end the recording
                    logger.exception("%s: could not record an exchange", self.writer.stem)
            try:
                self.writer.write_many(exchanges)
            except Exception:
                logger.exception("%s: could not record %d exchanges", self.writer.stem, len(batch))

    def close(self) -> None:
        """Write every exchange queued, then close the file."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self.writer.close()
