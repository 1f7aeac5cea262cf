"""A stand-in vendor with exactly four deviations from the documents, each of which evidence
must suggest once, whatever recorded the traffic (a contract run, or the proxy):

- an undeclared response field: every Engage campaign carries `priority`;
- an undocumented status: Engage's delete answers 200, not its documented 202;
- an assumption contradicted: IntelSend's list ignores its (assumed) `status` filter;
- an operation that accepts what the document forbids: Engage's campaign action answers 200
  to any signed request whose body is not `{"action": "publish" | "run"}`.

Everything else is the sandbox's. Served by a real HTTP server on loopback.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import Scope

from tests.support.evidence_stand_in import ENGAGE_PREFIX, INTELSEND_PREFIX, StandIn

ACTION_PATH = re.compile(rf"{ENGAGE_PREFIX}/[^/]+/action")
ACTIONS = {"publish", "run"}
STATUSES = {"DRAFT", "BUILD", "SENDING", "SENT", "FAILED"}
# The edit each deviation asks for: (kind, API, pointer).
SUGGESTIONS = {
    ("undocumented", "engage", "/components/schemas/Campaign/properties"),
    ("undocumented", "engage", "/paths/~1_rest~1v2~1campaigns~1{id}/delete/responses"),
    ("contradicted", "intelsend", "/paths/~1api~1campaign/get/parameters/2"),
    ("lenient", "engage", "/paths/~1_rest~1v2~1campaigns~1{id}~1action/post"),
}


def _valid_action(body: bytes) -> bool:
    try:
        sent = json.loads(body)
    except ValueError:
        return False
    return isinstance(sent, dict) and set(sent) == {"action"} and sent["action"] in ACTIONS


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope["headers"]}


class DeviatingVendor(StandIn):
    def shortcut(self, scope: Scope, body: bytes) -> tuple[int, bytes] | None:
        signed = b"authorization" in _headers(scope)
        if (
            scope["method"] == "POST"
            and ACTION_PATH.fullmatch(scope["path"])
            and signed
            and not _valid_action(body)
        ):
            return 200, b"true"
        return None

    def request(self, scope: Scope, body: bytes) -> tuple[Scope, bytes]:
        if scope["method"] == "GET" and scope["path"] == INTELSEND_PREFIX:
            # A valid status is dropped (ignored); an invalid one still reaches the sandbox,
            # which refuses it as the document says.
            query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = [(k, v) for k, v in query if not (k == "status" and v in STATUSES)]
            scope = {**scope, "query_string": urlencode(kept).encode("latin-1")}
        return scope, body

    def answer(self, scope: Scope, status: int, body: Any) -> tuple[int, Any]:
        if not scope["path"].startswith(ENGAGE_PREFIX):
            return status, body
        if scope["method"] == "DELETE" and status == 202:
            status = 200
        for item in body if isinstance(body, list) else [body]:
            if isinstance(item, dict) and "_id" in item:
                item["priority"] = "normal"
        return status, body
