"""The control plane under `/_sandbox/`, a prefix no vendor path can start with.

Reset state, seed the id generators, inject faults, read the journal; and, under
`/_sandbox/<api>/`, each API's own extras (its package's `control_routes`), which drive what
only the vendor's own systems do.
"""

from __future__ import annotations

import base64
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from http import HTTPStatus
from typing import Any

from jsonschema_rs import Draft202012Validator
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import first_error, parse_json
from campaign_contracts.sandbox import inspector
from campaign_contracts.sandbox.errors import (
    InvalidTransition,
    LimitReached,
    StateError,
    UnknownCampaign,
    error_body,
)
from campaign_contracts.sandbox.faults import Fault
from campaign_contracts.sandbox.operations import (
    json_response,
    method_dispatch,
    read_body,
    sandbox_failure,
)
from campaign_contracts.sandbox.state import SandboxState
from campaign_contracts.sandbox.vendors import vendor_control_routes

logger = logging.getLogger("sandbox")

PREFIX = "/_sandbox"
FAULT_KINDS = ("status", "latencyMs", "drop")
STATE_ERROR_STATUSES: Mapping[type[StateError], int] = {
    UnknownCampaign: 404,
    InvalidTransition: 409,
    LimitReached: 429,
}
# Calls one fault may affect: enough for any test, and a fault always runs out.
MAX_FAULT_COUNT = 1_000_000


def object_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of a control body: an object with no other properties than `schema`'s."""
    return Draft202012Validator({"type": "object", "additionalProperties": False, **schema})


def as_integer(value: Any) -> Any:
    """A value its schema checked as an integer, as an int: JSON Schema's `integer` accepts
    1.0, which would otherwise be echoed, stored and compared as a float."""
    return int(value) if isinstance(value, float) else value


# null goes back to ids from system entropy.
SEED = object_validator(
    {"required": ["seed"], "properties": {"seed": {"type": ["integer", "null"]}}}
)
FAULT = object_validator(
    {
        "required": ["api", "operationId"],
        "properties": {
            "api": {"type": "string"},
            "operationId": {"type": "string"},
            "count": {"type": "integer", "minimum": 1, "maximum": MAX_FAULT_COUNT},
            "status": {
                "enum": [status.value for status in HTTPStatus if status >= HTTPStatus.BAD_REQUEST]
            },
            "latencyMs": {"type": "integer", "minimum": 1, "maximum": 60_000},
            "drop": {"const": True},
            "retryAfter": {"type": "integer", "minimum": 0, "maximum": 86_400},
        },
    }
)
# The statuses whose answers may carry Retry-After (RFC 9110, 10.2.3; RFC 6585, 4).
RETRY_AFTER_STATUSES = frozenset({HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE})

ControlHandler = Callable[[Request, Any], object]
"""Synchronous: it runs in one storage transaction, given the request and its checked body."""


class ControlPlane:
    """The control plane's routes over the sandbox's state, behind its guard."""

    def __init__(self, state: SandboxState, tenant_ids: Mapping[str, Mapping[str, str]]) -> None:
        self.state = state
        self.config = state.config
        # API → tenant key (what the credentials name) → the tenant's public id.
        self.tenant_ids = tenant_ids

    def refusal(self, request: Request, *, token_needed: bool = True) -> Response | None:
        """The answer refusing this control request, or None to let it through.

        A page in a browser can send a POST without a preflight (no body, no custom header),
        so any Origin not allowed is refused; a shared sandbox's token keeps others out.
        """
        origin = request.headers.get("origin")
        if origin is not None and origin.rstrip("/") not in self.config.allow_origins:
            message = (
                f"Control requests from pages of {origin} are refused; start the sandbox with"
                f" --allow-origin {origin} to allow them"
            )
            return json_response(403, error_body(403, message))
        token = self.config.control_token
        if token_needed and token is not None and not _authorized(request, token):
            return json_response(
                401,
                error_body(401, "The control plane needs Authorization: Bearer <control token>"),
                {"WWW-Authenticate": 'Basic realm="campaign-sandbox control plane"'},
            )
        return None

    def endpoint(
        self,
        handler: ControlHandler,
        validator: Draft202012Validator | None = None,
        *,
        optional: bool = False,
        success_status: int = 200,
        token_needed: bool = True,
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            refused = self.refusal(request, token_needed=token_needed)
            if refused is not None:
                return refused
            try:
                document = None
                if validator is not None:
                    document = await self.body(request, validator, optional=optional)

                # Encoded inside the state change and the error handling, as the vendors'
                # operations do.
                def change() -> Response:
                    return json_response(success_status, handler(request, document))

                return await self.state.storage.change(change)
            except ApiError as error:
                return json_response(error.status, error_body(error.status, error.message))
            except StateError as error:
                status = STATE_ERROR_STATUSES[type(error)]
                return json_response(status, error_body(status, str(error)))
            except Exception as error:
                logger.exception("control %s %s failed", request.method, request.url.path)
                return sandbox_failure(error, error_body)

        return endpoint

    async def body(
        self, request: Request, validator: Draft202012Validator, *, optional: bool
    ) -> Any:
        raw = await read_body(request, self.config.max_body_bytes)
        if optional and not raw.strip():
            return {}
        document = parse_json(raw, request.headers.get("content-type"))
        error = first_error(validator, document, "body")
        if error is not None:
            raise ApiError(422, error)
        return document

    def chosen_apis(self, request: Request) -> list[str]:
        apis = self.state.apis
        api = request.query_params.get("api")
        if api is None:
            return list(apis)
        if api not in apis:
            raise ApiError(422, f"api must be one of {', '.join(apis)}, not {api!r}")
        return [api]

    def tenant_key(self, api: str, tenant: str) -> str | None:
        """The tenant `tenant` names in `api` (by public id, or by the key itself)."""
        ids = self.tenant_ids[api]
        if tenant in ids:
            return tenant
        return next((key for key, public in ids.items() if public == tenant), None)

    def public_tenant(self, tenant: str) -> str:
        """A tenant named by key or public id, as the journal names it (its public id)."""
        for ids in self.tenant_ids.values():
            if tenant in ids:
                return ids[tenant]
        return tenant

    # The endpoints, each running in one transaction.

    def health(self, request: Request, body: Any) -> object:
        return {"status": "ok", "apis": list(self.state.apis)}

    def reset(self, request: Request, body: Any) -> object:
        names = self.chosen_apis(request)
        tenant = request.query_params.get("tenant")
        if tenant is None:
            for name in names:
                self.state.backends[name].reset()
                self.state.faults.clear(name)
                self.state.journal.clear(api=name)
            return {"reset": names}
        keys = {name: self.tenant_key(name, tenant) for name in names}
        found = [name for name, key in keys.items() if key is not None]
        if not found:
            raise ApiError(422, f"no tenant {tenant!r} in {', '.join(names)}")
        for name in found:
            key = keys[name]
            assert key is not None
            self.state.backends[name].reset_tenant(key)
            self.state.journal.clear(api=name, tenant=self.tenant_ids[name][key])
        return {"reset": found, "tenant": tenant}

    def seed(self, request: Request, body: Any) -> object:
        value = as_integer(body["seed"])
        for backend in self.state.backends.values():
            backend.ids.reseed(value)
        return {"seed": value}

    def add_fault(self, request: Request, spec: Any) -> object:
        apis = self.state.apis
        kinds = [kind for kind in FAULT_KINDS if kind in spec]
        if len(kinds) != 1:
            raise ApiError(422, f"give exactly one of {', '.join(FAULT_KINDS)}")
        if "retryAfter" in spec and spec.get("status") not in RETRY_AFTER_STATUSES:
            raise ApiError(422, "retryAfter goes with a status of 429 or 503")
        if spec["api"] not in apis:
            raise ApiError(422, f"api must be one of {', '.join(apis)}, not {spec['api']!r}")
        operations = apis[spec["api"]].operations
        if spec["operationId"] not in operations:
            raise ApiError(
                422,
                f"{spec['api']} has no operation {spec['operationId']!r};"
                f" it has {', '.join(operations)}",
            )
        fault = Fault(
            api=spec["api"],
            operation_id=spec["operationId"],
            remaining=as_integer(spec.get("count", 1)),
            status=as_integer(spec.get("status")),
            latency_ms=as_integer(spec.get("latencyMs")),
            drop=spec.get("drop", False),
            retry_after=as_integer(spec.get("retryAfter")),
        )
        self.state.faults.add(fault)
        return fault.to_json()

    def list_faults(self, request: Request, body: Any) -> object:
        return [fault.to_json() for fault in self.state.faults.pending()]

    def clear_faults(self, request: Request, body: Any) -> object:
        names = self.chosen_apis(request)
        for name in names:
            self.state.faults.clear(name)
        return {"cleared": names}

    def requests(self, request: Request, body: Any) -> object:
        query = request.query_params
        unknown = sorted(set(query) - set(JOURNAL_FILTERS))
        if unknown:
            raise ApiError(
                422, f"unknown filter {unknown[0]!r}; filters: {', '.join(JOURNAL_FILTERS)}"
            )
        api = self.chosen_apis(request)[0] if "api" in query else None
        tenant = query.get("tenant")
        return self.state.journal.entries(
            api=api,
            operation_id=query.get("operationId"),
            tenant=None if tenant is None else self.public_tenant(tenant),
            status=_positive(query, "status"),
            limit=_positive(query, "limit"),
        )

    def clear_requests(self, request: Request, body: Any) -> object:
        self.state.journal.clear()
        return {"cleared": "requests"}

    async def inspector_page(self, request: Request) -> Response:
        refused = self.refusal(request)
        if refused is not None:
            return refused
        page = await self.state.storage.change(
            partial(inspector.render, self.state, self.tenant_ids)
        )
        return HTMLResponse(page, headers=inspector.HEADERS)

    def routes(self) -> list[Route]:
        endpoint = self.endpoint
        routes = [
            Route(f"{PREFIX}/", self.inspector_page, methods=["GET"]),
            Route(f"{PREFIX}/health", endpoint(self.health, token_needed=False), methods=["GET"]),
            Route(f"{PREFIX}/reset", endpoint(self.reset), methods=["POST"]),
            Route(f"{PREFIX}/seed", endpoint(self.seed, SEED), methods=["POST"]),
            method_dispatch(
                f"{PREFIX}/faults",
                {
                    "POST": endpoint(self.add_fault, FAULT, success_status=201),
                    "GET": endpoint(self.list_faults),
                    "DELETE": endpoint(self.clear_faults),
                },
            ),
            method_dispatch(
                f"{PREFIX}/requests",
                {"GET": endpoint(self.requests), "DELETE": endpoint(self.clear_requests)},
            ),
        ]
        for name, extras in vendor_control_routes().items():
            routes += extras(self.state.backends[name], self, f"{PREFIX}/{name}")
        return routes


JOURNAL_FILTERS = ("api", "operationId", "tenant", "status", "limit")


def _positive(query: Mapping[str, str], name: str) -> int | None:
    text = query.get(name)
    if text is None:
        return None
    if not (text.isdigit() and int(text) > 0):
        raise ApiError(422, f"{name} must be a positive integer, not {text!r}")
    return int(text)


def _authorized(request: Request, token: str) -> bool:
    """`Authorization: Bearer <token>`, or Basic with the token as password (which a browser
    asks for when the inspector page answers 401)."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            credentials = base64.b64decode(credentials, validate=True).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return False
    elif scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(credentials.encode(), token.encode())


def control_routes(
    state: SandboxState, tenant_ids: Mapping[str, Mapping[str, str]] | None = None
) -> list[Route]:
    """The control plane's routes, over the sandbox's state."""
    return ControlPlane(state, tenant_ids or {name: {} for name in state.apis}).routes()
