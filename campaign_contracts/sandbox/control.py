"""The control plane under `/_sandbox/`, a prefix no vendor path can start with.

Reset state, seed the id generators, inject faults, and drive what only the vendors' own
systems do: put an Engage campaign into `Error`, finish an IntelSend delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from jsonschema_rs import Draft202012Validator
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaign_contracts.sandbox.errors import (
    ApiError,
    InvalidTransition,
    StateError,
    UnknownCampaign,
    error_body,
)
from campaign_contracts.sandbox.faults import Fault
from campaign_contracts.sandbox.intelsend.state import FINAL_STATUSES
from campaign_contracts.sandbox.operations import (
    json_response,
    method_dispatch,
    read_body,
    sandbox_failure,
)
from campaign_contracts.sandbox.state import SandboxState
from campaign_contracts.sandbox.validation import first_error, parse_json

logger = logging.getLogger("sandbox")

PREFIX = "/_sandbox"
FAULT_KINDS = ("status", "latencyMs", "drop")
STATE_ERROR_STATUSES: Mapping[type[StateError], int] = {
    UnknownCampaign: 404,
    InvalidTransition: 409,
}
# Calls one fault may affect: enough for any test, and a fault always runs out.
MAX_FAULT_COUNT = 1_000_000


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({"type": "object", "additionalProperties": False, **schema})


def _integer(value: Any) -> Any:
    """A value its schema checked as an integer, as an int: JSON Schema's `integer` accepts
    1.0, which would otherwise be echoed, stored and compared as a float."""
    return int(value) if isinstance(value, float) else value


# null goes back to ids from system entropy.
SEED = _validator({"required": ["seed"], "properties": {"seed": {"type": ["integer", "null"]}}})
QUIRKS = _validator({"properties": {"listSingleObject": {"type": "boolean"}}})
FINISH = _validator({"properties": {"status": {"enum": list(FINAL_STATUSES)}}})
CONTACT_LIST = _validator(
    {
        "required": ["name", "contacts"],
        "properties": {"name": {"type": "string"}, "contacts": {"type": "integer", "minimum": 0}},
    }
)
FAULT = _validator(
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
        },
    }
)

ControlHandler = Callable[[Request], Awaitable[object]]


def _endpoint(handler: ControlHandler, success_status: int = 200) -> Callable[..., Any]:
    async def endpoint(request: Request) -> Response:
        try:
            # Encoded inside the error handling, as the vendors' operations do.
            return json_response(success_status, await handler(request))
        except ApiError as error:
            return json_response(error.status, error_body(error.status, error.message))
        except StateError as error:
            status = STATE_ERROR_STATUSES[type(error)]
            return json_response(status, error_body(status, str(error)))
        except Exception as error:
            logger.exception("control %s %s failed", request.method, request.url.path)
            return sandbox_failure(error, error_body)

    return endpoint


def control_routes(state: SandboxState, max_body_bytes: int) -> list[Route]:
    """The control plane's routes, over the sandbox's state."""
    apis, backends, faults = state.apis, state.backends, state.faults
    engage, intelsend = state.engage, state.intelsend

    async def body(request: Request, validator: Draft202012Validator, *, optional: bool) -> Any:
        raw = await read_body(request, max_body_bytes)
        if optional and not raw.strip():
            return {}
        document = parse_json(raw, request.headers.get("content-type"))
        error = first_error(validator, document, "body")
        if error is not None:
            raise ApiError(422, error)
        return document

    def chosen_apis(request: Request) -> list[str]:
        api = request.query_params.get("api")
        if api is None:
            return list(apis)
        if api not in apis:
            raise ApiError(422, f"api must be one of {', '.join(apis)}, not {api!r}")
        return [api]

    async def health(request: Request) -> object:
        return {"status": "ok", "apis": list(apis)}

    async def reset(request: Request) -> object:
        names = chosen_apis(request)
        for name in names:
            backends[name].reset()
            faults.clear(name)
        return {"reset": names}

    async def seed(request: Request) -> object:
        value = _integer((await body(request, SEED, optional=False))["seed"])
        for backend in backends.values():
            backend.ids.reseed(value)
        return {"seed": value}

    async def add_fault(request: Request) -> object:
        spec = await body(request, FAULT, optional=False)
        kinds = [kind for kind in FAULT_KINDS if kind in spec]
        if len(kinds) != 1:
            raise ApiError(422, f"give exactly one of {', '.join(FAULT_KINDS)}")
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
            remaining=_integer(spec.get("count", 1)),
            status=_integer(spec.get("status")),
            latency_ms=_integer(spec.get("latencyMs")),
            drop=spec.get("drop", False),
        )
        faults.add(fault)
        return fault.to_json()

    async def list_faults(request: Request) -> object:
        return [fault.to_json() for fault in faults.pending()]

    async def clear_faults(request: Request) -> object:
        names = chosen_apis(request)
        for name in names:
            faults.clear(name)
        return {"cleared": names}

    async def engage_quirks(request: Request) -> object:
        if request.method == "PUT":
            switches = await body(request, QUIRKS, optional=False)
            engage.list_single_object = switches.get("listSingleObject", engage.list_single_object)
        return {"listSingleObject": engage.list_single_object}

    async def engage_error(request: Request) -> object:
        return engage.mark_error(request.path_params["id"])

    async def intelsend_finish(request: Request) -> object:
        status = (await body(request, FINISH, optional=True)).get("status", FINAL_STATUSES[0])
        return intelsend.finish(request.path_params["id"], status)

    async def intelsend_contact_list(request: Request) -> object:
        contact_list = await body(request, CONTACT_LIST, optional=False)
        contact_list["contacts"] = _integer(contact_list["contacts"])
        intelsend.register_contact_list(
            request.path_params["id"], contact_list["name"], contact_list["contacts"]
        )
        return {"_id": request.path_params["id"], **contact_list}

    return [
        Route(f"{PREFIX}/health", _endpoint(health), methods=["GET"]),
        Route(f"{PREFIX}/reset", _endpoint(reset), methods=["POST"]),
        Route(f"{PREFIX}/seed", _endpoint(seed), methods=["POST"]),
        method_dispatch(
            f"{PREFIX}/faults",
            {
                "POST": _endpoint(add_fault, 201),
                "GET": _endpoint(list_faults),
                "DELETE": _endpoint(clear_faults),
            },
        ),
        Route(f"{PREFIX}/engage/quirks", _endpoint(engage_quirks), methods=["GET", "PUT"]),
        Route(f"{PREFIX}/engage/campaigns/{{id}}/error", _endpoint(engage_error), methods=["POST"]),
        Route(
            f"{PREFIX}/intelsend/campaigns/{{id}}/finish",
            _endpoint(intelsend_finish),
            methods=["POST"],
        ),
        Route(
            f"{PREFIX}/intelsend/contact-lists/{{id}}",
            _endpoint(intelsend_contact_list),
            methods=["PUT"],
        ),
    ]
