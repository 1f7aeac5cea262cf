"""IntelSend's client: `AsyncIntelSendClient(...).campaigns.create/list/iter/build/send`."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Self

import httpx

from .. import _sdk
from ..api.campaigns import build_campaign, create_campaign, list_campaigns, send_campaign
from ..models import (
    Campaign,
    CampaignCreate,
    CampaignPage,
    CampaignStatus,
    Channel,
    ChannelSettings,
    Error,
    SendResult,
)
from ..types import UNSET
from ._base import AsyncBaseClient

DEFAULT_BASE_URL = "https://beta.intelsend.com"
SESSION_COOKIE = "__Secure-next-auth.session-token"
USER_HEADER = "x-user-id"


class AsyncIntelSendClient(AsyncBaseClient):
    """IntelSend, signed in with the session token (cookie) and user id (header).

    Both go on every request, which every operation accepts. `max_retries` (default 2) and
    `timeout` (default 30 s, per try) are explained on the base class; `client.campaigns` holds
    the operations.
    """

    _error_model = Error.from_dict

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        session_token: str,
        user_id: str,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            headers={"Cookie": f"{SESSION_COOKIE}={session_token}", USER_HEADER: user_id},
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )
        self.campaigns = AsyncCampaigns(self)

    @classmethod
    def from_env(
        cls,
        *,
        max_retries: int = _sdk.DEFAULT_MAX_RETRIES,
        timeout: float = _sdk.DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> Self:
        """From `INTELSEND_BASE_URL` (default the vendor's), `INTELSEND_SESSION_TOKEN` and
        `INTELSEND_USER_ID`; ValueError naming the variable that is missing."""
        return cls(
            base_url=_sdk.from_environment("INTELSEND_BASE_URL", DEFAULT_BASE_URL),
            session_token=_sdk.from_environment("INTELSEND_SESSION_TOKEN"),
            user_id=_sdk.from_environment("INTELSEND_USER_ID"),
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client,
        )


class AsyncCampaigns:
    """IntelSend's campaign operations. Reads retry on their own; create, build and send only
    with `retry=True` (a retried send could message people twice)."""

    def __init__(self, client: AsyncIntelSendClient) -> None:
        self._client = client

    async def create(
        self,
        *,
        name: str,
        channel: Sequence[Channel],
        settings: ChannelSettings | Mapping[str, Any],
        contact_list_id: Sequence[str],
        campaign_id: str | None = None,
        retry: bool = False,
    ) -> Campaign:
        """Create a campaign (a `DRAFT`), or update the draft `campaign_id`; the campaign as
        listed, id included.

        IntelSend's create answers no id, so the campaign is then looked up in the list, which
        is newest first: the newest `DRAFT` with this name (or the one with `campaign_id`). When
        two campaigns share the name, that is the one created last: this call's, unless
        another client created a namesake in between. `settings` takes the model or a mapping
        with the document's wire names (`{"sms": {"shortCode": ...}}`).
        """
        body = CampaignCreate(
            name=name,
            channel=list(channel),
            settings=(
                settings
                if isinstance(settings, ChannelSettings)
                else ChannelSettings.from_dict(settings)
            ),
            contact_list_id=list(contact_list_id),
            campaign_id=campaign_id,
        )
        response = await self._client._send(create_campaign._get_kwargs(body=body), retry=retry)
        async for campaign in self.iter(status="DRAFT"):
            if campaign.campaign_id == campaign_id or (
                campaign_id is None and campaign.name == name
            ):
                return campaign
        raise _sdk.error_for(
            response, f"created, but no DRAFT campaign {campaign_id or name!r} is listed"
        )

    async def list(
        self,
        *,
        status: CampaignStatus | None = None,
        channel: Channel | None = None,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> CampaignPage:
        """One page of campaigns, newest first (`page` 1 and `limit` 10 unless given);
        `meta.count` counts the matches on every page. Dates are of creation, inclusive."""
        request = list_campaigns._get_kwargs(
            status=UNSET if status is None else status,
            channel=UNSET if channel is None else channel,
            start_date=UNSET if start_date is None else start_date,
            end_date=UNSET if end_date is None else end_date,
            page=UNSET if page is None else page,
            limit=UNSET if limit is None else limit,
        )
        return await self._client._call(request, CampaignPage.from_dict, retry=True)

    async def iter(
        self,
        *,
        status: CampaignStatus | None = None,
        channel: Channel | None = None,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Campaign]:
        """Every matching campaign, newest first, fetching pages of `limit` as it goes."""
        page, seen = 1, 0
        while True:
            answer = await self.list(
                status=status,
                channel=channel,
                start_date=start_date,
                end_date=end_date,
                page=page,
                limit=limit,
            )
            for campaign in answer.result:
                yield campaign
            seen += len(answer.result)
            if not answer.result or seen >= answer.meta.count:
                return
            page += 1

    async def build(self, id: str, *, retry: bool = False) -> None:
        """Build a `DRAFT` campaign (`BUILD`); ConflictError when it is not a draft."""
        await self._client._send(build_campaign._get_kwargs(id), retry=retry)

    async def send(self, id: str, *, retry: bool = False) -> SendResult:
        """Send a built campaign (`SENDING`): this messages real people. ConflictError when it
        is not built."""
        return await self._client._call(
            send_campaign._get_kwargs(id), SendResult.from_dict, retry=retry
        )


__all__ = ["AsyncCampaigns", "AsyncIntelSendClient"]
