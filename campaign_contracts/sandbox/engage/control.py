"""Engage's control-plane extras under `/_sandbox/engage/`: what only Engage's own systems do.

A list answered as a single object (the vendor's quirk), the end of every signed-in token,
and a campaign put into `Error`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from campaign_contracts.sandbox.control import ControlPlane, object_validator
from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.operations import method_dispatch

QUIRKS = object_validator({"properties": {"listSingleObject": {"type": "boolean"}}})


def control_routes(backend: EngageBackend, plane: ControlPlane, prefix: str) -> list[Route]:
    endpoint = plane.endpoint

    def quirks(request: Request, switches: Any) -> object:
        if switches is not None:
            backend.list_single_object = switches.get(
                "listSingleObject", backend.list_single_object
            )
        return {"listSingleObject": backend.list_single_object}

    def expire_tokens(request: Request, body: Any) -> object:
        """End every token Engage's sign-in issued; how many were still valid."""
        return {"expired": backend.tokens.expire_all()}

    def error(request: Request, body: Any) -> object:
        return backend.mark_error(request.path_params["id"])

    return [
        method_dispatch(
            f"{prefix}/quirks", {"GET": endpoint(quirks), "PUT": endpoint(quirks, QUIRKS)}
        ),
        Route(f"{prefix}/tokens/expire", endpoint(expire_tokens), methods=["POST"]),
        Route(f"{prefix}/campaigns/{{id}}/error", endpoint(error), methods=["POST"]),
    ]
