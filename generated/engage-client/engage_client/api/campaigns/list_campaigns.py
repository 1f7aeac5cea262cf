from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.error import Error
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_rest/v2/campaigns",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Campaign | list[Campaign] | Error | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> Campaign | list[Campaign]:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_campaign_list_or_object_type_0 = []
                _componentsschemas_campaign_list_or_object_type_0 = data
                for (
                    componentsschemas_campaign_list_or_object_type_0_item_data
                ) in _componentsschemas_campaign_list_or_object_type_0:
                    componentsschemas_campaign_list_or_object_type_0_item = Campaign.from_dict(
                        componentsschemas_campaign_list_or_object_type_0_item_data
                    )

                    componentsschemas_campaign_list_or_object_type_0.append(
                        componentsschemas_campaign_list_or_object_type_0_item
                    )

                return componentsschemas_campaign_list_or_object_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_campaign_list_or_object_type_1 = Campaign.from_dict(data)

            return componentsschemas_campaign_list_or_object_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Campaign | list[Campaign] | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Campaign | list[Campaign] | Error]:
    """List campaigns

     Enumerate all of your campaigns in Engage.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | list[Campaign] | Error]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> Campaign | list[Campaign] | Error | None:
    """List campaigns

     Enumerate all of your campaigns in Engage.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | list[Campaign] | Error
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[Campaign | list[Campaign] | Error]:
    """List campaigns

     Enumerate all of your campaigns in Engage.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | list[Campaign] | Error]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> Campaign | list[Campaign] | Error | None:
    """List campaigns

     Enumerate all of your campaigns in Engage.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | list[Campaign] | Error
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
