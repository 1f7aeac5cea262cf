"""TEMPORARY until campaign-proxy lands: records an app's exchanges as HAR, credentials
replaced by placeholders the way the proxy's writer does."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECRET_HEADERS = {"authorization": "token", "x-user-id": "user-id"}


class Recorder:
    def __init__(self, app: ASGIApp, path: Path) -> None:
        self.app = app
        self.path = path
        self.entries: list[dict[str, Any]] = []
        self.placeholders: dict[str, str] = {}

    def placeholder(self, api: str, kind: str, secret: str) -> str:
        if secret not in self.placeholders:
            count = sum(1 for p in self.placeholders.values() if p.startswith(f"<{api}-{kind}-"))
            self.placeholders[secret] = f"<{api}-{kind}-{count + 1}>"
        return self.placeholders[secret]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox/"):
            await self.app(scope, receive, send)
            return
        api = "engage" if scope["path"].startswith("/_rest") else "intelsend"
        started = datetime.datetime.now(datetime.UTC)
        body = b""

        async def recv() -> Message:
            nonlocal body
            message = await receive()
            body += message.get("body", b"")
            return message

        status = 0
        headers: list[tuple[str, str]] = []
        answer = b""

        async def snd(message: Message) -> None:
            nonlocal status, headers, answer
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k.decode(), v.decode()) for k, v in message.get("headers", [])]
            else:
                answer += message.get("body", b"")
            await send(message)

        await self.app(scope, recv, snd)
        request_headers = []
        for key, raw in ((k.decode(), v.decode()) for k, v in scope["headers"]):
            kind = SECRET_HEADERS.get(key.lower())
            value = raw
            if kind:
                value = self.placeholder(api, kind, raw)
            elif key.lower() == "cookie":
                name, _, secret = raw.partition("=")
                value = f"{name}={self.placeholder(api, 'cookie', secret)}"
            request_headers.append({"name": key, "value": value})
        query = scope["query_string"].decode()
        url = f"http://127.0.0.1{scope['path']}" + (f"?{query}" if query else "")
        entry: dict[str, Any] = {
            "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "request": {"method": scope["method"], "url": url, "headers": request_headers},
            "response": {
                "status": status,
                "headers": [{"name": k, "value": v} for k, v in headers],
                "content": {"text": answer.decode()},
            },
        }
        if body:
            entry["request"]["postData"] = {"mimeType": "application/json", "text": body.decode()}
        self.entries.append(entry)
        self.path.write_text(json.dumps({"log": {"version": "1.2", "entries": self.entries}}))
