import datetime
from typing import Any

from ...api import Answer, build_response
from ...client import AuthenticatedClient
from ...models.campaign_page import CampaignPage
from ...models.campaign_status import CampaignStatus
from ...models.channel import Channel
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    status: CampaignStatus | Unset = UNSET,
    channel: Channel | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["limit"] = limit

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    json_channel: str | Unset = UNSET
    if not isinstance(channel, Unset):
        json_channel = channel

    params["channel"] = json_channel

    json_start_date: str | Unset = UNSET
    if not isinstance(start_date, Unset):
        json_start_date = start_date.isoformat()
    params["startDate"] = json_start_date

    json_end_date: str | Unset = UNSET
    if not isinstance(end_date, Unset):
        json_end_date = end_date.isoformat()
    params["endDate"] = json_end_date

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/campaign",
        "params": params,
    }

    return _kwargs


_ANSWERS: tuple[Answer[CampaignPage | Error], ...] = (
    (200, 200, CampaignPage.from_dict),
    (401, 401, Error.from_dict),
    (422, 422, Error.from_dict),
)


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    status: CampaignStatus | Unset = UNSET,
    channel: Channel | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
) -> Response[CampaignPage | Error]:
    """List campaigns

     Retrieve your campaigns, newest first, a page at a time, optionally filtered by
    status, channel and creation date. `meta.count` is the number of campaigns that
    match the filters on all pages, not only this page.

    The docs say filters exist ("status, channel, dates") but not their names; the
    names `status`, `channel`, `startDate` and `endDate` are assumed.

    Args:
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 10.
        status (CampaignStatus | Unset): `DRAFT`, `BUILD` and `SENDING` are the vendor's; the
            final states `SENT` and
            `FAILED` are assumed ("a final state"; "deleted or invalid templates will cause
            campaign failures").
        channel (Channel | Unset):
        start_date (datetime.date | Unset):
        end_date (datetime.date | Unset):

    Returns:
        Response[CampaignPage | Error]
    """
    response = client.get_httpx_client().request(
        **_get_kwargs(page=page, limit=limit, status=status, channel=channel, start_date=start_date, end_date=end_date)
    )
    return build_response(client, response, _ANSWERS)


def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    status: CampaignStatus | Unset = UNSET,
    channel: Channel | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
) -> CampaignPage | Error | None:
    """List campaigns: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(
        client=client, page=page, limit=limit, status=status, channel=channel, start_date=start_date, end_date=end_date
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    status: CampaignStatus | Unset = UNSET,
    channel: Channel | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
) -> Response[CampaignPage | Error]:
    """List campaigns: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(
        **_get_kwargs(page=page, limit=limit, status=status, channel=channel, start_date=start_date, end_date=end_date)
    )
    return build_response(client, response, _ANSWERS)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = 1,
    limit: int | Unset = 10,
    status: CampaignStatus | Unset = UNSET,
    channel: Channel | Unset = UNSET,
    start_date: datetime.date | Unset = UNSET,
    end_date: datetime.date | Unset = UNSET,
) -> CampaignPage | Error | None:
    """List campaigns: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (
        await asyncio_detailed(
            client=client,
            page=page,
            limit=limit,
            status=status,
            channel=channel,
            start_date=start_date,
            end_date=end_date,
        )
    ).parsed
