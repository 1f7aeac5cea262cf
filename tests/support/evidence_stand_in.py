"""A stand-in vendor: the sandbox, answering differently from the documents in known ways.

Each difference is one a real vendor could show and the evidence report must name:

- `COMPLETED`: IntelSend lists a campaign that is sending as `COMPLETED`, outside the
  `CampaignStatus` enum;
- `priority`: every Engage campaign object carries a field the schema does not declare;
- `modifiedBy` missing: Engage campaigns whose name has "promo" lack this required field;
- `lastExecuted: null`: the quirk (an empty string for a campaign that never ran) is gone;
- lenient validation: Engage create accepts a numeric `campaignName` (the document says
  string, so a 422 is assumed);
- the undocumented 429 comes from the sandbox's fault control (`inject_429`).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from campaign_contracts.recording.origins import SANDBOX_FAULT_HEADER

ENGAGE_PREFIX = "/_rest/v2/campaigns"
INTELSEND_PREFIX = "/api/campaign"


def _engage_campaign(item: Any) -> None:
    if not isinstance(item, dict) or "_id" not in item:
        return
    item["priority"] = "normal"
    if item.get("lastExecuted") == "":
        item["lastExecuted"] = None
    if "promo" in str(item.get("campaignName", "")).lower():
        item.pop("modifiedBy", None)


def rewrite_answer(path: str, body: Any) -> Any:
    if path.startswith(ENGAGE_PREFIX):
        for item in body if isinstance(body, list) else [body]:
            _engage_campaign(item)
    elif path.startswith(INTELSEND_PREFIX) and isinstance(body, dict):
        listed = body.get("result")
        for campaign in listed if isinstance(listed, list) else []:
            if campaign.get("status") == "SENDING":
                campaign["status"] = "COMPLETED"
    return body


def rewrite_request(method: str, path: str, body: bytes) -> bytes:
    """Engage create takes a number as `campaignName`, as if it were text."""
    if method != "POST" or path != ENGAGE_PREFIX:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict) and isinstance(data.get("campaignName"), int):
        data["campaignName"] = str(data["campaignName"])
        return json.dumps(data).encode()
    return body


class StandIn:
    """ASGI middleware over a sandbox app; the control plane (`/_sandbox/`) is untouched.

    Each request passes `shortcut` (an answer of the stand-in's own, or None), then `request`
    (what reaches the sandbox), and the sandbox's answer passes `answer`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def shortcut(self, scope: Scope, body: bytes) -> tuple[int, bytes] | None:
        return None

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        return scope, rewrite_request(scope["method"], scope["path"], body)

    def answer(self, scope: Scope, status: int, body: Any) -> tuple[int, Any]:
        return status, rewrite_answer(scope["path"], body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox/"):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        own = self.shortcut(scope, b"".join(chunks))
        if own is not None:
            opening: Message = {"type": "http.response.start", "status": own[0], "headers": []}
            await _send(send, opening, own[1], b"application/json")
            return
        scope, body = self.request(scope, b"".join(chunks))
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        start: Message = {}
        answer = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            else:
                answer.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        content = b"".join(answer)
        # What is not JSON (an empty 202 body, say) passes unchanged.
        status: int = start["status"]
        with contextlib.suppress(ValueError):
            status, changed = self.answer(scope, status, json.loads(content))
            content = json.dumps(changed).encode()
        await _send(send, {**start, "status": status}, content)


async def _send(send: Send, start: Message, content: bytes, media_type: bytes = b"") -> None:
    # A vendor's own 429 is not marked as the sandbox's injected fault.
    hidden = {b"content-length", SANDBOX_FAULT_HEADER.lower().encode()}
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in hidden]
    headers.append((b"content-length", str(len(content)).encode()))
    if media_type:
        headers.append((b"content-type", media_type))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def inject_429(base_url: str) -> None:
    """The next Engage list answers 429, which no operation of the document lists."""
    fault = {"api": "engage", "operationId": "listCampaigns", "status": 429}
    httpx.post(f"{base_url}/_sandbox/faults", json=fault).raise_for_status()
