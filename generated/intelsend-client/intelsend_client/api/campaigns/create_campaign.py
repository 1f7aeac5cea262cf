from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_create import CampaignCreate
from ...models.error import Error
from ...models.success_result import SuccessResult
from ...types import Response


def _get_kwargs(
    *,
    body: CampaignCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/campaign",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | SuccessResult | None:
    if response.status_code == 200:
        response_200 = SuccessResult.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | SuccessResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CampaignCreate,
) -> Response[Error | SuccessResult]:
    """Create a campaign (or update a draft)

     Create a campaign from templates and contact lists; it starts in status `DRAFT`.
    `campaignId: null` (or absent) creates a new campaign. A `campaignId` of an
    existing campaign updates it, which is only allowed while it is a `DRAFT`
    (`409` otherwise) — an assumption: the docs only ever send `null`.

    Every channel named in `channel` needs its entry in `settings`.

    The answer is only `{"result": "success"}`: **no id comes back**. Find the new
    campaign with `listCampaigns`.

    Args:
        body (CampaignCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SuccessResult]
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
    client: AuthenticatedClient,
    body: CampaignCreate,
) -> Error | SuccessResult | None:
    """Create a campaign (or update a draft)

     Create a campaign from templates and contact lists; it starts in status `DRAFT`.
    `campaignId: null` (or absent) creates a new campaign. A `campaignId` of an
    existing campaign updates it, which is only allowed while it is a `DRAFT`
    (`409` otherwise) — an assumption: the docs only ever send `null`.

    Every channel named in `channel` needs its entry in `settings`.

    The answer is only `{"result": "success"}`: **no id comes back**. Find the new
    campaign with `listCampaigns`.

    Args:
        body (CampaignCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SuccessResult
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CampaignCreate,
) -> Response[Error | SuccessResult]:
    """Create a campaign (or update a draft)

     Create a campaign from templates and contact lists; it starts in status `DRAFT`.
    `campaignId: null` (or absent) creates a new campaign. A `campaignId` of an
    existing campaign updates it, which is only allowed while it is a `DRAFT`
    (`409` otherwise) — an assumption: the docs only ever send `null`.

    Every channel named in `channel` needs its entry in `settings`.

    The answer is only `{"result": "success"}`: **no id comes back**. Find the new
    campaign with `listCampaigns`.

    Args:
        body (CampaignCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SuccessResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CampaignCreate,
) -> Error | SuccessResult | None:
    """Create a campaign (or update a draft)

     Create a campaign from templates and contact lists; it starts in status `DRAFT`.
    `campaignId: null` (or absent) creates a new campaign. A `campaignId` of an
    existing campaign updates it, which is only allowed while it is a `DRAFT`
    (`409` otherwise) — an assumption: the docs only ever send `null`.

    Every channel named in `channel` needs its entry in `settings`.

    The answer is only `{"result": "success"}`: **no id comes back**. Find the new
    campaign with `listCampaigns`.

    Args:
        body (CampaignCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SuccessResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
