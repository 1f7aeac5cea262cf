"""Engage's client: `AsyncEngageClient(...).campaigns.list/get/create/update/delete/...`."""

from __future__ import annotations

import builtins
from typing import Any, Self

import httpx

from .. import _sdk
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
    Campaign,
    CampaignActionRequest,
    CampaignCreate,
    CampaignUpdate,
    CampaignUpdateResult,
    Error,
)
from ..types import UNSET
from ._base import BaseClient

DEFAULT_BASE_URL = "https://engage.intelepeer.com"


def _campaigns(data: Any) -> builtins.list[Campaign]:
    """The list's answer, a list of campaigns or (the vendor's sample) one bare campaign."""
    if isinstance(data, builtins.list):
        return [Campaign.from_dict(item) for item in data]
    return [Campaign.from_dict(data)]


class EngageClient(BaseClient):
    """Engage, with a token sent raw in `Authorization` (no `Bearer ` prefix).

    `max_retries` (default 2) and `timeout` (default 30 s, per try) are explained on the base
    class; `client.campaigns` holds the operations.
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

    @classmethod
    def from_env(
        cls,
        *,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> Self:
        """From `ENGAGE_BASE_URL` (default the vendor's) and `ENGAGE_TOKEN`; ValueError when
        the token is missing."""
        return cls(
            base_url=_sdk.from_environment("ENGAGE_BASE_URL", DEFAULT_BASE_URL),
            token=_sdk.from_environment("ENGAGE_TOKEN"),
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )


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
