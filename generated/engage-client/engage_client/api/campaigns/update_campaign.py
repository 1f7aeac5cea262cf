from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_update import CampaignUpdate
from ...models.campaign_update_result import CampaignUpdateResult
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: CampaignUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/_rest/v2/campaigns/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CampaignUpdateResult | Error | None:
    if response.status_code == 200:
        response_200 = CampaignUpdateResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CampaignUpdateResult | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignUpdate,
) -> Response[CampaignUpdateResult | Error]:
    """Update a campaign

     Revise an existing campaign. `campaignName`, `flowId` and `callerIdentification`
    are required; `campaignDescription` is optional.

    Business rule (vendor docs): this endpoint can only be used if the campaign is
    linked to a flow in SmartFlows; the Flow ID is copied from the SmartFlows
    configurations panel.

    The answer is **not** the campaign object of the other operations: it carries
    `campaignId` (not `_id`), `flowTypeId` (not `flowId`), numbers and booleans as
    strings, date-only start and end dates, and `utcName`/`utcOffset`.

    Args:
        id (str):
        body (CampaignUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignUpdateResult | Error]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignUpdate,
) -> CampaignUpdateResult | Error | None:
    """Update a campaign

     Revise an existing campaign. `campaignName`, `flowId` and `callerIdentification`
    are required; `campaignDescription` is optional.

    Business rule (vendor docs): this endpoint can only be used if the campaign is
    linked to a flow in SmartFlows; the Flow ID is copied from the SmartFlows
    configurations panel.

    The answer is **not** the campaign object of the other operations: it carries
    `campaignId` (not `_id`), `flowTypeId` (not `flowId`), numbers and booleans as
    strings, date-only start and end dates, and `utcName`/`utcOffset`.

    Args:
        id (str):
        body (CampaignUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignUpdateResult | Error
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignUpdate,
) -> Response[CampaignUpdateResult | Error]:
    """Update a campaign

     Revise an existing campaign. `campaignName`, `flowId` and `callerIdentification`
    are required; `campaignDescription` is optional.

    Business rule (vendor docs): this endpoint can only be used if the campaign is
    linked to a flow in SmartFlows; the Flow ID is copied from the SmartFlows
    configurations panel.

    The answer is **not** the campaign object of the other operations: it carries
    `campaignId` (not `_id`), `flowTypeId` (not `flowId`), numbers and booleans as
    strings, date-only start and end dates, and `utcName`/`utcOffset`.

    Args:
        id (str):
        body (CampaignUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignUpdateResult | Error]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: CampaignUpdate,
) -> CampaignUpdateResult | Error | None:
    """Update a campaign

     Revise an existing campaign. `campaignName`, `flowId` and `callerIdentification`
    are required; `campaignDescription` is optional.

    Business rule (vendor docs): this endpoint can only be used if the campaign is
    linked to a flow in SmartFlows; the Flow ID is copied from the SmartFlows
    configurations panel.

    The answer is **not** the campaign object of the other operations: it carries
    `campaignId` (not `_id`), `flowTypeId` (not `flowId`), numbers and booleans as
    strings, date-only start and end dates, and `utcName`/`utcOffset`.

    Args:
        id (str):
        body (CampaignUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignUpdateResult | Error
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
