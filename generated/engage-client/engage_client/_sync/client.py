"""Engage's client: `AsyncEngageClient(...).campaigns.list/get/create/update/delete/...`."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any, Self

import httpx

from .. import _sdk
from ..api.authentication import authenticate
from ..api.campaigns import (
    campaign_action,
    create_campaign,
    delete_campaign,
    get_campaign,
    list_campaign_errors,
    list_campaigns,
    update_campaign,
)
from ..models import (
    AuthToken,
    Campaign,
    CampaignActionRequest,
    CampaignCreate,
    CampaignUpdate,
    CampaignUpdateResult,
    Credentials,
    Error,
)
from ..types import UNSET
from ._base import BaseClient

DEFAULT_BASE_URL = "https://engage.intelepeer.com"
# Where the vendor's "API Authentication" page signs in (the document's authenticate server).
DEFAULT_AUTH_URL = "https://customer.intelepeer.com"


@dataclass(frozen=True)
class _Login:
    username: str
    password: str = field(repr=False)
    auth_url: str


def _campaigns(data: Any) -> builtins.list[Campaign]:
    """The list's answer, a list of campaigns or (the vendor's sample) one bare campaign."""
    if isinstance(data, builtins.list):
        return [Campaign.from_dict(item) for item in data]
    return [Campaign.from_dict(data)]


class EngageClient(BaseClient):
    """Engage, with a token sent raw in `Authorization` (no `Bearer ` prefix).

    Made with a token (`AsyncEngageClient(token=...)`), or signed in with a username and
    password (`login`, `from_env`): such a client signs in again, once, when a call answers
    401 (the token lasts 24 hours), and repeats that call. `max_retries` (default 2) and
    `timeout` (default 30 s, per try) are explained on the base class; `client.campaigns` holds
    the operations.
    """

    _error_model = Error.from_dict

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            headers={"Authorization": token},
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )
        self.campaigns = Campaigns(self)
        self._login: _Login | None = None

    @classmethod
    def login(
        cls,
        *,
        username: str,
        password: str,
        base_url: str = DEFAULT_BASE_URL,
        auth_url: str = DEFAULT_AUTH_URL,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> Self:
        """Sign in at `auth_url` (`POST /_rest/v4/authenticate`) for a token; a client that
        signs in again, once, on a 401. UnauthorizedError when the login is refused."""
        client = cls(
            base_url=base_url,
            token="",
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )
        client._login = _Login(username, password, auth_url)
        try:
            client._sign_in_again()
        except BaseException:
            client.close()
            raise
        return client

    @classmethod
    def from_env(
        cls,
        *,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> Self:
        """From `ENGAGE_BASE_URL` (default the vendor's) and `ENGAGE_TOKEN`, or
        `ENGAGE_USERNAME` and `ENGAGE_PASSWORD` (signed in at `ENGAGE_AUTH_URL`, default the
        vendor's). With both, the token is used until a 401, then the login signs in again.
        ValueError when neither is set."""
        base_url = _sdk.from_environment("ENGAGE_BASE_URL", DEFAULT_BASE_URL)
        token = _sdk.optional_environment("ENGAGE_TOKEN")
        username = _sdk.optional_environment("ENGAGE_USERNAME")
        password = _sdk.optional_environment("ENGAGE_PASSWORD")
        options: dict[str, Any] = {
            "max_retries": max_retries,
            "timeout": timeout,
            "http_client": http_client,
        }
        if username is None or password is None:
            if token is None:
                raise ValueError("set ENGAGE_TOKEN, or ENGAGE_USERNAME and ENGAGE_PASSWORD")
            return cls(base_url=base_url, token=token, **options)
        auth_url = _sdk.from_environment("ENGAGE_AUTH_URL", DEFAULT_AUTH_URL)
        if token is None:
            return cls.login(
                username=username,
                password=password,
                base_url=base_url,
                auth_url=auth_url,
                **options,
            )
        client = cls(base_url=base_url, token=token, **options)
        client._login = _Login(username, password, auth_url)
        return client

    @property
    def token(self) -> str:
        """The token sent now (a signed-in client's changes as it signs in again)."""
        return self._headers["Authorization"]

    def _sign_in_again(self) -> bool:
        if self._login is None:
            return False
        body = Credentials(username=self._login.username, password=self._login.password)
        response = self._send_with_retries(
            authenticate._get_kwargs(body=body),
            retry=True,
            base_url=self._login.auth_url,
            credentials=False,
        )
        self._headers["Authorization"] = _sdk.parse(response, AuthToken.from_dict).token
        return True


class Campaigns:
    """Engage's campaign operations. Reads and update retry on their own; create, delete,
    publish and run only with `retry=True` (a retried run could call people twice)."""

    def __init__(self, client: EngageClient) -> None:
        self._client = client

    def list(self) -> builtins.list[Campaign]:
        """Every campaign of the tenant (a bare-object answer becomes a list of one)."""
        return self._client._call(list_campaigns._get_kwargs(), _campaigns, retry=True)

    def get(self, *, id: str | None = None, name: str | None = None) -> Campaign:
        """The campaign with this id, or the first whose name contains `name` (at least four
        characters); NotFoundError when there is none."""
        if (id is None) == (name is None):
            raise ValueError("give exactly one of id and name")
        request = get_campaign._get_kwargs(id=UNSET if id is None else id, name=UNSET if name is None else name)
        return self._client._call(request, Campaign.from_dict, retry=True)

    def create(
        self,
        *,
        campaign_name: str | None = None,
        flow_id: str | None = None,
        campaign_description: str | None = None,
        caller_identification: str | None = None,
        retry: bool = False,
    ) -> Campaign:
        """Create a campaign, unpublished (`Draft`): `publish` it before `run`."""
        body = CampaignCreate(
            campaign_name=UNSET if campaign_name is None else campaign_name,
            flow_id=UNSET if flow_id is None else flow_id,
            campaign_description=UNSET if campaign_description is None else campaign_description,
            caller_identification=(UNSET if caller_identification is None else caller_identification),
        )
        request = create_campaign._get_kwargs(body=body)
        return self._client._call(request, Campaign.from_dict, retry=retry)

    def update(
        self,
        id: str,
        *,
        campaign_name: str,
        flow_id: str,
        caller_identification: str,
        campaign_description: str | None = None,
        retry: bool = True,
    ) -> CampaignUpdateResult:
        """Replace a campaign's fields; Engage answers its own shape (`campaign_id`,
        `flow_type_id`, numbers and booleans as strings)."""
        body = CampaignUpdate(
            campaign_name=campaign_name,
            flow_id=flow_id,
            caller_identification=caller_identification,
            campaign_description=UNSET if campaign_description is None else campaign_description,
        )
        request = update_campaign._get_kwargs(id, body=body)
        return self._client._call(request, CampaignUpdateResult.from_dict, retry=retry)

    def delete(self, id: str, *, retry: bool = False) -> None:
        """Delete a campaign; NotFoundError when there is none (a retried delete whose first
        try went through would say so, hence no retry by default)."""
        self._client._send(delete_campaign._get_kwargs(id), retry=retry)

    def publish(self, id: str, *, retry: bool = False) -> None:
        """Publish a campaign (`active` 1), which it needs before it can run."""
        body = CampaignActionRequest(action="publish")
        self._client._send(campaign_action._get_kwargs(id, body=body), retry=retry)

    def run(self, id: str, *, retry: bool = False) -> None:
        """Run a published campaign; Engage answers a ServerError (its documented 500) for a
        draft."""
        body = CampaignActionRequest(action="run")
        self._client._send(campaign_action._get_kwargs(id, body=body), retry=retry)

    def errors(self) -> builtins.list[Campaign]:
        """The campaigns in the `Error` status."""
        return self._client._call(list_campaign_errors._get_kwargs(), _campaigns, retry=True)


__all__ = ["Campaigns", "EngageClient"]
