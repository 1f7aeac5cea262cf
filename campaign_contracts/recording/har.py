"""The HAR 1.2 writer: sanitized entries appended to files that stay valid JSON."""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import threading
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
        with self._lock:
            sanitized = self.sanitizer.sanitize(exchange)
            data = json.dumps(har_entry(sanitized), ensure_ascii=False).encode()
            stream = self._file
            if stream is None or (
                self.rotate_every is not None and self._entries >= self.rotate_every
            ):
                stream = self._next_file()
            stream.seek(-len(TRAILER), 2)
            stream.write((b",\n" if self._entries else b"\n") + data + TRAILER)
            stream.flush()
            self._entries += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
