"""Turns a vendor's OpenAPI operations and thin handlers into Starlette routes.

Every operation call runs the same steps: injected fault, authentication, parameters, body,
handler (one storage transaction), answer with the operation's documented success status, and
an entry in the journal. Every failure becomes the vendor's own error body, with the message
the vendor documents for that operation and status when its docs print one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from os.path import commonpath
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaign_contracts.httpapi.encoding import encode_json
from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import ApiDocument, CompiledOperation, SpecError
from campaign_contracts.recording.origins import SANDBOX_FAULT_HEADER
from campaign_contracts.sandbox.errors import LimitReached, StateError
from campaign_contracts.sandbox.faults import DroppedConnection, Fault, FaultRegistry
from campaign_contracts.sandbox.generators import utc_timestamp
from campaign_contracts.sandbox.journal import Journal
from campaign_contracts.sandbox.storage import Storage

logger = logging.getLogger("sandbox")

JSON_MEDIA_TYPE = "application/json"
# Marks an answer as the sandbox's own failure, never the vendor's: the contract suite fails
# the run on any answer that carries it.
SANDBOX_ERROR_HEADER = "X-Sandbox-Error"
# What Starlette's URL escapes of a request's path.
URL_PATH_ESCAPES = str.maketrans({"?": "%3F", "#": "%23", "\\": "%5C"})


def json_response(
    status: int, payload: object, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(encode_json(payload), status, headers, JSON_MEDIA_TYPE)


def sandbox_failure(error: Exception, error_body: Callable[[int, str], object]) -> Response:
    """A 500 in the caller's error shape that says the sandbox failed, and names the exception
    in `X-Sandbox-Error` (never an operation's documented 500, which a bug would pass for)."""
    kind = type(error).__name__
    message = f"Sandbox failure ({kind}): a bug of the sandbox, not an answer of the vendor"
    return json_response(500, error_body(500, message), {SANDBOX_ERROR_HEADER: kind})


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"The request body is larger than the limit of {limit} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; ApiError 413 as soon as it exceeds `limit` bytes (never buffered whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class Call:
    """What a handler gets: the tenant the credentials name, the checked body and parameters."""

    tenant: str
    body: Any
    params: Mapping[str, Any]


Handler = Callable[[Call], object]
"""Synchronous on purpose: a handler runs in one storage transaction, which must not yield to
the event loop, so each state change is atomic with respect to every other request."""

Authenticator = Callable[[Request, CompiledOperation], str]
"""The tenant the request's credentials name, or ApiError 401."""


ErrorBody = Callable[[int, str], object]
"""The vendor's error body for a status code and a message."""


@dataclass(frozen=True)
class Services:
    """What every operation shares: the state's storage, pending faults, the journal."""

    storage: Storage
    faults: FaultRegistry
    journal: Journal
    max_body_bytes: int


@dataclass(frozen=True)
class Vendor:
    """One imitated API: its document, error body shape, authentication and error statuses."""

    api: ApiDocument
    error_body: ErrorBody
    authenticate: Authenticator
    state_error_statuses: Mapping[type[StateError], int]
    # A tenant's public id (journal, inspector, `?tenant=`) by its credential-derived key:
    # never the credential itself.
    tenant_ids: Mapping[str, str]
    # How the start-up banner shows the accepted credentials, one line each.
    credential_lines: tuple[str, ...] = ()
    # Operations whose errors take another shape than the API's (Engage's sign-in).
    operation_error_bodies: Mapping[str, ErrorBody] = field(default_factory=dict)

    @property
    def path_prefix(self) -> str:
        """The start every path of the API shares (`/_rest`, `/api/campaign`)."""
        return str(commonpath([operation.path for operation in self.api.operations.values()]))

    def error_response(
        self,
        status: int,
        message: str,
        operation: CompiledOperation | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """The vendor's error body; the vendor's own words when its docs print a message.

        401 keeps the sandbox's message: the docs' only 401 samples are a schema placeholder
        ("string") and one generic line, and saying why a token was refused helps more.
        """
        return json_response(status, self.error_payload(status, message, operation), headers)

    def error_payload(
        self, status: int, message: str, operation: CompiledOperation | None
    ) -> object:
        body = self.error_body
        if operation is not None:
            body = self.operation_error_bodies.get(operation.operation_id, body)
            if status != HTTPStatus.UNAUTHORIZED:
                message = operation.documented_messages.get(status, message)
        return body(status, message)

    def routes(self, handlers: Mapping[str, Handler], services: Services) -> list[Route]:
        """One route per path of the document, dispatching on the method to the handlers."""
        operations = self.api.operations
        if set(handlers) != set(operations):
            raise SpecError(
                self.api.name,
                f"the sandbox implements {sorted(map(str, handlers))}, the"
                f" document's operationIds are {sorted(map(str, operations))}",
            )
        by_path: dict[str, dict[str, Callable[[Request], Any]]] = {}
        for operation_id, operation in operations.items():
            endpoint = self._endpoint(operation, handlers[operation_id], services)
            by_path.setdefault(operation.path, {})[operation.method] = endpoint
        return [method_dispatch(path, endpoints) for path, endpoints in by_path.items()]

    def _endpoint(
        self, operation: CompiledOperation, handler: Handler, services: Services
    ) -> Callable[[Request], Any]:
        def journal(
            request: Request,
            tenant: str | None,
            request_body: bytes | None,
            status: int | None,
            answer: bytes | None,
        ) -> None:
            services.journal.record(
                {
                    "time": utc_timestamp(),
                    "api": self.api.name,
                    "tenant": None if tenant is None else self.tenant_ids.get(tenant, tenant),
                    "operationId": operation.operation_id,
                    "method": request.method,
                    # What request.url's path and query say, without parsing a whole URL
                    # (a tenth of a list call's time).
                    "path": request.scope["path"].translate(URL_PATH_ESCAPES),
                    "query": request.scope["query_string"].decode("latin-1"),
                    "status": status,
                },
                request_body,
                answer,
            )

        async def endpoint(request: Request) -> Response:
            api, operation_id = self.api.name, operation.operation_id
            fault = (
                await services.storage.change(partial(services.faults.take, api, operation_id))
                if services.faults.due(api, operation_id)
                else None
            )
            if fault is not None:
                response = await self._apply_fault(fault, operation)
                if response is not None:
                    # A fault answers before authentication; the journal still says whose call
                    # it answered when the credentials name a tenant.
                    try:
                        tenant = self.authenticate(request, operation)
                    except ApiError:
                        tenant = None
                    status = None if fault.drop else response.status_code
                    await services.storage.change(
                        partial(journal, request, tenant, None, status, None)
                    )
                    return response
            tenant = request_body = None
            # Whose words an error answer uses where the docs print a message for its status.
            documented: CompiledOperation | None = operation
            try:
                tenant = self.authenticate(request, operation)
                # Parsing the query string costs as much as validating a body: only if needed.
                params = (
                    operation.parse_parameters(request.query_params, request.path_params)
                    if operation.parameters
                    else {}
                )
                body = None
                if operation.has_body:
                    raw = await read_body(request, services.max_body_bytes)
                    # What the journal shows of a body that does not parse: its text.
                    request_body = encode_json(raw.decode(errors="replace"))
                    body = operation.parse_body(raw, request.headers.get("content-type"))
                    request_body = encode_json(body)
                call = Call(tenant, body, params)
                status = operation.success_status

                # The answer is encoded inside the state change and the error handling: a
                # payload that cannot be encoded is a sandbox failure and changes nothing. A
                # change (or a read) and its journal entry commit together.
                def change() -> bytes:
                    encoded = encode_json(handler(call))
                    journal(request, tenant, request_body, status, encoded)
                    return encoded

                encoded = await services.storage.change(change)
                return Response(encoded, status, media_type=JSON_MEDIA_TYPE)
            except ApiError as error:
                status, message = error.status, error.message
            except LimitReached as error:
                # The sandbox's own limit, not a vendor failure: its message says which.
                status, message, documented = (
                    self.state_error_statuses[LimitReached],
                    str(error),
                    None,
                )
            except StateError as error:
                status, message = self.state_error_statuses[type(error)], str(error)
            except Exception as error:
                # A sandbox bug: logged for us, answered in the vendor's shape for the caller.
                logger.exception("%s %s failed", self.api.name, operation.operation_id)
                await services.storage.change(
                    partial(journal, request, tenant, request_body, 500, None)
                )
                return sandbox_failure(error, self.error_body)
            answer = encode_json(self.error_payload(status, message, documented))
            await services.storage.change(
                partial(journal, request, tenant, request_body, status, answer)
            )
            return Response(answer, status, media_type=JSON_MEDIA_TYPE)

        return endpoint

    async def _apply_fault(self, fault: Fault, operation: CompiledOperation) -> Response | None:
        """The response the fault replaces the real one with; None to carry on, maybe later."""
        if fault.drop:
            return DroppedConnection()
        if fault.latency_ms is not None:
            await asyncio.sleep(fault.latency_ms / 1000)
            return None
        status = fault.status or HTTPStatus.INTERNAL_SERVER_ERROR
        message = f"Injected fault: {status} {HTTPStatus(status).phrase}"
        headers = {SANDBOX_FAULT_HEADER: "injected"}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        return self.error_response(status, message, operation, headers)


def method_dispatch(path: str, endpoints: Mapping[str, Callable[[Request], Any]]) -> Route:
    """A route answering every method of `path`, so a wrong method lists all of them in Allow."""
    if len(endpoints) == 1:
        ((method, endpoint),) = endpoints.items()
        return Route(path, endpoint, methods=[method])

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        response: Response = await endpoints[method](request)
        return response

    return Route(path, dispatch, methods=list(endpoints))
