"""Engage's HTTP side: raw-token authentication, sign-in and thin handlers over `EngageBackend`."""

from __future__ import annotations

import hmac
from collections.abc import Set

from starlette.requests import Request

from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import ApiDocument, CompiledOperation
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.engage.options import EngageSettings
from campaign_contracts.sandbox.engage.state import EngageBackend, customer_id, update_result
from campaign_contracts.sandbox.engage.tokens import ExpiredToken, TokenStore
from campaign_contracts.sandbox.errors import (
    InvalidTransition,
    LimitReached,
    UnknownCampaign,
)
from campaign_contracts.sandbox.operations import Authenticator, Call, Handler, Vendor

# The operationId of the sign-in, whose errors have a shape of their own.
SIGN_IN = "authenticate"
# The only message the sign-in page prints for a refused login.
UNAUTHORIZED = "Unauthorized"


def sign_in_error_body(status: int, message: str) -> dict[str, object]:
    """The sign-in's error body (`AuthError`), not the campaign operations' `{message, status}`."""
    return {"code": status, "error": message}


def token_authenticator(api: ApiDocument, tokens: Set[str], issued: TokenStore) -> Authenticator:
    """Each static token is a tenant; a token `authenticate` issued names its login's tenant.
    The header takes the raw token, without `Bearer `. Operations without security (the
    sign-in itself) need none, and have no tenant."""
    _, header = api.security_scheme("header")

    def authenticate(request: Request, operation: CompiledOperation) -> str:
        if not operation.security_schemes:
            return ""
        token = request.headers.get(header, "")
        if token in tokens:
            return token
        try:
            tenant = issued.tenant_of(token)
        except ExpiredToken:
            raise ApiError(
                401, "Authorization token has expired: sign in again (POST /_rest/v4/authenticate)"
            ) from None
        if tenant is not None:
            return tenant
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


def handlers(backend: EngageBackend, config: SandboxConfig) -> dict[str, Handler]:
    """The handler of each operationId of engage.yaml."""
    settings: EngageSettings = config.vendor_settings["engage"]

    def sign_in(call: Call) -> object:
        password = settings.engage_logins.get(call.body["username"])
        # compare_digest: a refused login takes as long whatever the password's first letters.
        given = call.body["password"].encode()
        if password is None or not hmac.compare_digest(given, password.encode()):
            raise ApiError(401, UNAUTHORIZED)
        # Each login is one tenant, named by its username.
        token = backend.tokens.issue(call.body["username"], settings.engage_token_ttl)
        return {"token": token}

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
        SIGN_IN: sign_in,
    }


def vendor(api: ApiDocument, config: SandboxConfig, backend: EngageBackend) -> Vendor:
    _, header = api.security_scheme("header")
    sign_in_path = api.operations[SIGN_IN].path
    settings: EngageSettings = config.vendor_settings[api.name]
    return Vendor(
        api=api,
        error_body=APIS[api.name].error_body,
        operation_error_bodies={SIGN_IN: sign_in_error_body},
        authenticate=token_authenticator(api, settings.engage_tokens, backend.tokens),
        # Running a draft is the vendor's documented 500, not a 4xx.
        state_error_statuses={UnknownCampaign: 404, InvalidTransition: 500, LimitReached: 500},
        # A token or a username is the key; the customerId every campaign carries names the
        # tenant.
        tenant_ids={
            tenant: customer_id(tenant)
            for tenant in (*settings.engage_tokens, *settings.engage_logins)
        },
        # Usernames only: a password is never printed.
        credential_lines=(
            *(f"{header}: {token}" for token in sorted(settings.engage_tokens)),
            *(f"sign in as {user}: POST {sign_in_path}" for user in sorted(settings.engage_logins)),
        ),
    )
