"""What the contract run needs to know about each vendor API beyond its OpenAPI document.

The documents in `openapi/` say what is valid; this module says what is dangerous (which
requests write, which message real people), how a campaign is named so a run can find and
remove what it created, and which credentials each API takes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from campaign_contracts.sandbox.validation import read_spec, spec_path

# Credentials are read from these variables for a live run, each named by the `${...}` that
# fills its security scheme in schemathesis.toml.
ENV_VARIABLE = re.compile(r"^\$\{(?P<name>[A-Z_][A-Z0-9_]*)\}$")

Spec = dict[str, Any]
Credentials = Mapping[str, str]


@dataclass(frozen=True)
class Request:
    """The parts of a request that decide whether it is safe to send."""

    operation_id: str
    method: str
    body: object


@dataclass(frozen=True)
class Api:
    """One vendor API: its document and the rules the contract run applies to it."""

    name: str
    # operationId -> the body field that names the campaign, prefixed with the run's name.
    name_fields: Mapping[str, str]
    is_send: Callable[[Request], bool]
    remove_sends: Callable[[Spec], None]
    # Builds the headers that carry the credentials, for the requests made outside Schemathesis.
    auth_headers: Callable[[Credentials], dict[str, str]]
    # The key of a campaign's id, in answers and (IntelSend's create) in request bodies.
    id_field: str
    # Operations whose name field is optional: a live run names what they create anyway.
    optional_name_operations: frozenset[str] = frozenset()

    def load_spec(self) -> Spec:
        # The sandbox's own copy: the repository's openapi/, or the one in the installed wheel.
        return read_spec(spec_path(self.name))

    @property
    def title(self) -> str:
        title: str = self.load_spec()["info"]["title"]
        return title


def operations(spec: Spec) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (method, path, operation object) for every operation of `spec`."""
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def remove_operations(spec: Spec, keep: Callable[[str, str], bool]) -> None:
    """Delete from `spec` every operation for which `keep(method, operationId)` is false, and
    every link that leads to one, so Schemathesis cannot reach it by any phase."""
    removed = set()
    for item in spec["paths"].values():
        for method in [key for key, value in item.items() if isinstance(value, dict)]:
            operation_id = item[method].get("operationId")
            if operation_id is not None and not keep(method.upper(), operation_id):
                removed.add(operation_id)
                del item[method]
    for _method, _path, operation in operations(spec).values():
        for response in operation.get("responses", {}).values():
            links = response.get("links", {})
            for link_name in [
                name for name, link in links.items() if link.get("operationId") in removed
            ]:
                del links[link_name]


def keep_reads_only(spec: Spec) -> None:
    remove_operations(spec, lambda method, _operation_id: method == "GET")


def _engage_is_send(request: Request) -> bool:
    return (
        request.operation_id == "campaignAction"
        and isinstance(request.body, dict)
        and request.body.get("action") == "run"
    )


def _engage_remove_sends(spec: Spec) -> None:
    """Leave `campaignAction` able to publish only: `run` conducts a live campaign."""
    _method, _path, operation = operations(spec)["campaignAction"]
    spec["components"]["schemas"]["CampaignActionRequest"]["properties"]["action"]["enum"] = [
        "publish"
    ]
    content = operation["requestBody"]["content"]["application/json"]
    content["examples"] = {
        name: example
        for name, example in content.get("examples", {}).items()
        if example.get("value", {}).get("action") != "run"
    }
    for response in operation["responses"].values():
        links = response.get("links", {})
        for link_name in [
            name
            for name, link in links.items()
            if link.get("requestBody", {}).get("action") == "run"
        ]:
            del links[link_name]


def _intelsend_is_send(request: Request) -> bool:
    return request.operation_id == "sendCampaign"


def _intelsend_remove_sends(spec: Spec) -> None:
    remove_operations(spec, lambda _method, operation_id: operation_id != "sendCampaign")


def _engage_auth_headers(credentials: Credentials) -> dict[str, str]:
    return {"Authorization": credentials["ENGAGE_TOKEN"]}


def _intelsend_auth_headers(credentials: Credentials) -> dict[str, str]:
    return {
        "Cookie": f"__Secure-next-auth.session-token={credentials['INTELSEND_SESSION_TOKEN']}",
        "x-user-id": credentials["INTELSEND_USER_ID"],
    }


ENGAGE = Api(
    name="engage",
    name_fields={"createCampaign": "campaignName", "updateCampaign": "campaignName"},
    is_send=_engage_is_send,
    remove_sends=_engage_remove_sends,
    auth_headers=_engage_auth_headers,
    id_field="_id",
    optional_name_operations=frozenset({"createCampaign"}),
)
INTELSEND = Api(
    name="intelsend",
    name_fields={"createCampaign": "name"},
    is_send=_intelsend_is_send,
    remove_sends=_intelsend_remove_sends,
    auth_headers=_intelsend_auth_headers,
    id_field="campaignId",
)
APIS = {api.name: api for api in (ENGAGE, INTELSEND)}
