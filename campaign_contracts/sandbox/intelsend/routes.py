"""IntelSend's HTTP side: per-operation credentials and thin handlers over the backend."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import ApiDocument, CompiledOperation
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.errors import (
    InvalidCampaign,
    InvalidTransition,
    LimitReached,
    UnknownCampaign,
)
from campaign_contracts.sandbox.intelsend.options import IntelSendSettings
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend, ListQuery
from campaign_contracts.sandbox.operations import Authenticator, Call, Handler, Vendor

SUCCESS = {"result": "success"}
SENT = {"result": "success", "response": "Successfully processed messages."}


def session_authenticator(api: ApiDocument, sessions: Mapping[str, str]) -> Authenticator:
    """The user is the tenant. Which credentials an operation needs comes from its `security`:
    the session cookie names its user; `x-user-id` alone must name a known user, and next to
    the cookie must name the cookie's user."""
    session_scheme, cookie = api.security_scheme("cookie")
    user_scheme, header = api.security_scheme("header")
    known_users = frozenset(sessions.values())

    def authenticate(request: Request, operation: CompiledOperation) -> str:
        user = None
        if session_scheme in operation.security_schemes:
            token = request.cookies.get(cookie)
            if not token:
                raise ApiError(401, f"The {cookie} cookie is missing")
            user = sessions.get(token)
            if user is None:
                raise ApiError(401, "The session is invalid or has expired")
        if user_scheme in operation.security_schemes:
            claimed = request.headers.get(header)
            if not claimed:
                raise ApiError(401, f"The {header} header is missing")
            if user is None and claimed not in known_users:
                raise ApiError(401, f"The {header} header names no known user")
            if user is not None and claimed != user:
                raise ApiError(401, f"The {header} header does not match the session's user")
            user = claimed
        return user or ""

    return authenticate


def handlers(backend: IntelSendBackend, config: SandboxConfig) -> dict[str, Handler]:
    """The handler of each operationId of intelsend.yaml."""

    def create_campaign(call: Call) -> object:
        backend.save(call.tenant, call.body)
        return SUCCESS

    def list_campaigns(call: Call) -> object:
        params = call.params
        query = ListQuery(
            page=params["page"],
            limit=params["limit"],
            status=params["status"],
            channel=params["channel"],
            start_date=params["startDate"],
            end_date=params["endDate"],
        )
        return backend.page(call.tenant, query)

    def build_campaign(call: Call) -> object:
        backend.build(call.tenant, call.params["id"])
        return SUCCESS

    def send_campaign(call: Call) -> object:
        backend.send(call.tenant, call.params["id"])
        return SENT

    return {
        "createCampaign": create_campaign,
        "listCampaigns": list_campaigns,
        "buildCampaign": build_campaign,
        "sendCampaign": send_campaign,
    }


def vendor(api: ApiDocument, config: SandboxConfig, backend: IntelSendBackend) -> Vendor:
    _, cookie = api.security_scheme("cookie")
    _, header = api.security_scheme("header")
    settings: IntelSendSettings = config.vendor_settings[api.name]
    sessions = settings.intelsend_sessions
    return Vendor(
        api=api,
        error_body=APIS[api.name].error_body,
        authenticate=session_authenticator(api, sessions),
        state_error_statuses={
            UnknownCampaign: 404,
            InvalidTransition: 409,
            InvalidCampaign: 422,
            LimitReached: 500,
        },
        tenant_ids={user: user for user in sessions.values()},
        credential_lines=tuple(
            f"Cookie: {cookie}={token}; {header}: {user}"
            for token, user in sorted(sessions.items())
        ),
    )
