from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.campaign_create import CampaignCreate
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: CampaignCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/_rest/v2/campaigns",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Campaign | Error | None:
    if response.status_code == 201:
        response_201 = Campaign.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Campaign | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CampaignCreate,
) -> Response[Campaign | Error]:
    """Create a campaign

     Create and save a new campaign. The campaign is **not published**: publish it with
    `campaignAction` (`{"action": "publish"}`) before it can be run. No body field is
    required, but the body must be JSON (`{}` is a valid body).

    Args:
        body (CampaignCreate): Every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CampaignCreate,
) -> Campaign | Error | None:
    """Create a campaign

     Create and save a new campaign. The campaign is **not published**: publish it with
    `campaignAction` (`{"action": "publish"}`) before it can be run. No body field is
    required, but the body must be JSON (`{}` is a valid body).

    Args:
        body (CampaignCreate): Every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CampaignCreate,
) -> Response[Campaign | Error]:
    """Create a campaign

     Create and save a new campaign. The campaign is **not published**: publish it with
    `campaignAction` (`{"action": "publish"}`) before it can be run. No body field is
    required, but the body must be JSON (`{}` is a valid body).

    Args:
        body (CampaignCreate): Every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CampaignCreate,
) -> Campaign | Error | None:
    """Create a campaign

     Create and save a new campaign. The campaign is **not published**: publish it with
    `campaignAction` (`{"action": "publish"}`) before it can be run. No body field is
    required, but the body must be JSON (`{}` is a valid body).

    Args:
        body (CampaignCreate): Every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
