from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_action_request import CampaignActionRequest
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: CampaignActionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/_rest/v2/campaigns/{id}/action".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | bool | None:
    if response.status_code == 200:
        response_200 = cast(bool, response.json())
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | bool]:
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
    body: CampaignActionRequest,
) -> Response[Error | bool]:
    """Publish or run a campaign

     `{"action": "publish"}` makes a campaign active and ready to be run or available
    for scheduling; `{"action": "run"}` conducts it.

    Business rule (vendor docs): a campaign can only be run if it is published.
    Running a campaign that is still a draft answers the documented `500`
    ("Something went wrong when trying to run the campaign"), not a 4xx.

    Args:
        id (str):
        body (CampaignActionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | bool]
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
    body: CampaignActionRequest,
) -> Error | bool | None:
    """Publish or run a campaign

     `{"action": "publish"}` makes a campaign active and ready to be run or available
    for scheduling; `{"action": "run"}` conducts it.

    Business rule (vendor docs): a campaign can only be run if it is published.
    Running a campaign that is still a draft answers the documented `500`
    ("Something went wrong when trying to run the campaign"), not a 4xx.

    Args:
        id (str):
        body (CampaignActionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | bool
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
    body: CampaignActionRequest,
) -> Response[Error | bool]:
    """Publish or run a campaign

     `{"action": "publish"}` makes a campaign active and ready to be run or available
    for scheduling; `{"action": "run"}` conducts it.

    Business rule (vendor docs): a campaign can only be run if it is published.
    Running a campaign that is still a draft answers the documented `500`
    ("Something went wrong when trying to run the campaign"), not a 4xx.

    Args:
        id (str):
        body (CampaignActionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | bool]
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
    body: CampaignActionRequest,
) -> Error | bool | None:
    """Publish or run a campaign

     `{"action": "publish"}` makes a campaign active and ready to be run or available
    for scheduling; `{"action": "run"}` conducts it.

    Business rule (vendor docs): a campaign can only be run if it is published.
    Running a campaign that is still a draft answers the documented `500`
    ("Something went wrong when trying to run the campaign"), not a 4xx.

    Args:
        id (str):
        body (CampaignActionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | bool
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
