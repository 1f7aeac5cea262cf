"""The sandbox application: every registered vendor and the control plane on one port."""

from __future__ import annotations

import logging
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox import control
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.errors import error_body
from campaign_contracts.sandbox.operations import Services, json_response, sandbox_failure
from campaign_contracts.sandbox.state import SandboxState
from campaign_contracts.sandbox.storage import Storage, open_storage
from campaign_contracts.sandbox.vendors import vendor_package

logger = logging.getLogger("sandbox")


def create_app(config: SandboxConfig | None = None, storage: Storage | None = None) -> Starlette:
    """A sandbox accepting the credentials of `config`, over `storage` (default: the --state
    file of `config`, or empty memory)."""
    config = config or SandboxConfig()
    state = SandboxState(config, storage or open_storage(config.state))
    for backend in state.backends.values():
        backend.ids.reseed_unless_seeded(config.seed)
    packages = {name: vendor_package(entry) for name, entry in APIS.items()}
    vendors = tuple(
        packages[name].vendor(state.apis[name], config, state.backends[name]) for name in state.apis
    )
    services = Services(state.storage, state.faults, state.journal, config.max_body_bytes)
    routes = [
        route
        for vendor in vendors
        for route in vendor.routes(
            packages[vendor.api.name].handlers(state.backends[vendor.api.name], config), services
        )
    ]
    tenant_ids = {vendor.api.name: vendor.tenant_ids for vendor in vendors}
    routes += control.control_routes(state, tenant_ids)

    async def http_error(request: Request, exc: Exception) -> Response:
        """Unknown paths (404) and wrong methods (405, with Allow) in the shape of the API
        the path belongs to."""
        assert isinstance(exc, HTTPException)
        path = request.url.path
        if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            allowed = (exc.headers or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {path}; allowed: {allowed}"
        else:
            message = f"No such path: {path}"
        for vendor in vendors:
            if path.startswith(vendor.path_prefix):
                return vendor.error_response(exc.status_code, message, headers=exc.headers)
        body = error_body(exc.status_code, message)
        return json_response(exc.status_code, body, exc.headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        # Operations catch their own failures; this is the last resort for everything else.
        logger.error("unexpected failure on %s %s", request.method, request.url.path)
        shape = next(
            (v.error_body for v in vendors if request.url.path.startswith(v.path_prefix)),
            error_body,
        )
        return sandbox_failure(exc, shape)

    app = Starlette(
        routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error}
    )
    # `/_rest/v2/campaigns` and `/_rest/v2/campaigns/` are two operations, and an unknown path
    # is a JSON 404, not a redirect.
    app.router.redirect_slashes = False
    # What the start-up banner shows (campaign_contracts/sandbox/cli.py).
    app.state.vendors = vendors
    # The state itself, for what runs in the same process (benchmarks/sandbox_scale.py).
    app.state.sandbox = state
    return app
