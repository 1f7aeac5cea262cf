"""IntelSend's control-plane extras under `/_sandbox/intelsend/`: what only IntelSend's own
systems do. A sent campaign's delivery finished, and a contact list registered."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from campaign_contracts.sandbox.control import ControlPlane, as_integer, object_validator
from campaign_contracts.sandbox.intelsend.state import FINAL_STATUSES, IntelSendBackend

FINISH = object_validator({"properties": {"status": {"enum": list(FINAL_STATUSES)}}})
CONTACT_LIST = object_validator(
    {
        "required": ["name", "contacts"],
        "properties": {"name": {"type": "string"}, "contacts": {"type": "integer", "minimum": 0}},
    }
)


def control_routes(backend: IntelSendBackend, plane: ControlPlane, prefix: str) -> list[Route]:
    endpoint = plane.endpoint

    def finish(request: Request, body: Any) -> object:
        status = body.get("status", FINAL_STATUSES[0])
        return backend.finish(request.path_params["id"], status)

    def contact_list(request: Request, contact_list: Any) -> object:
        contact_list["contacts"] = as_integer(contact_list["contacts"])
        backend.register_contact_list(
            request.path_params["id"], contact_list["name"], contact_list["contacts"]
        )
        return {"_id": request.path_params["id"], **contact_list}

    return [
        Route(
            f"{prefix}/campaigns/{{id}}/finish",
            endpoint(finish, FINISH, optional=True),
            methods=["POST"],
        ),
        Route(
            f"{prefix}/contact-lists/{{id}}", endpoint(contact_list, CONTACT_LIST), methods=["PUT"]
        ),
    ]
