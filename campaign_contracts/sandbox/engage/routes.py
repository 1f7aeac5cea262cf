"""Engage's HTTP side: raw-token authentication and thin handlers over `EngageBackend`."""

from __future__ import annotations

from collections.abc import Set

from starlette.requests import Request

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.engage.state import EngageBackend, customer_id, update_result
from campaign_contracts.sandbox.errors import (
    ApiError,
    InvalidTransition,
    LimitReached,
    UnknownCampaign,
)
from campaign_contracts.sandbox.operations import Authenticator, Call, Handler, Vendor
from campaign_contracts.sandbox.validation import ApiDocument, Operation


def token_authenticator(api: ApiDocument, tokens: Set[str]) -> Authenticator:
    """Each accepted token is a tenant. The header takes the raw token, without `Bearer `."""
    _, header = api.security_scheme("header")

    def authenticate(request: Request, operation: Operation) -> str:
        token = request.headers.get(header, "")
        if token in tokens:
            return token
        if not token:
            raise ApiError(401, f"Authorization token is missing: send it in the {header} header")
        if token[:7].lower() == "bearer ":
            raise ApiError(
                401,
                f"Authorization token is invalid: the {header} header takes the raw token,"
                " without a 'Bearer ' prefix",
            )
        raise ApiError(401, "Authorization token is invalid")

    return authenticate


def handlers(backend: EngageBackend) -> dict[str, Handler]:
    """The handler of each operationId of engage.yaml."""

    def get_campaign(call: Call) -> object:
        if call.params["id"] is not None:
            return backend.get(call.tenant, call.params["id"])
        if call.params["name"] is not None:
            return backend.find_by_name(call.tenant, call.params["name"])
        raise ApiError(422, "Either the 'id' or the 'name' query parameter is required")

    def campaign_action(call: Call) -> object:
        if call.body["action"] == "publish":
            backend.publish(call.tenant, call.params["id"])
        else:
            backend.run(call.tenant, call.params["id"])
        return True

    def update_campaign(call: Call) -> object:
        return update_result(backend.update(call.tenant, call.params["id"], call.body))

    def delete_campaign(call: Call) -> object:
        backend.delete(call.tenant, call.params["id"])
        return True

    return {
        "listCampaigns": lambda call: backend.listing(call.tenant),
        "getCampaign": get_campaign,
        "createCampaign": lambda call: backend.create(call.tenant, call.body),
        "campaignAction": campaign_action,
        "updateCampaign": update_campaign,
        "deleteCampaign": delete_campaign,
        "listCampaignErrors": lambda call: backend.errors(call.tenant),
    }


def vendor(api: ApiDocument, config: SandboxConfig) -> Vendor:
    _, header = api.security_scheme("header")
    return Vendor(
        api=api,
        error_body=APIS[api.name].error_body,
        authenticate=token_authenticator(api, config.engage_tokens),
        # Running a draft is the vendor's documented 500, not a 4xx.
        state_error_statuses={UnknownCampaign: 404, InvalidTransition: 500, LimitReached: 500},
        # The token is the credential; the customerId every campaign carries names the tenant.
        tenant_ids={token: customer_id(token) for token in config.engage_tokens},
        credential_lines=tuple(f"{header}: {token}" for token in sorted(config.engage_tokens)),
    )
