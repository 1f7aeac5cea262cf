from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["id"] = id

    params["name"] = name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_rest/v2/campaigns/",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Campaign | Error | None:
    if response.status_code == 200:
        response_200 = Campaign.from_dict(response.json())

        return response_200

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
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Response[Campaign | Error]:
    """Get one campaign by id or by name

     Retrieve one campaign. Either `id` or `name` is required; a `name` query needs at
    least four characters, spaces allowed.

    Modelled as its own operation on the path **with a trailing slash**, exactly as
    the vendor's sample requests print it (`GET /_rest/v2/campaigns/?id=…`), while the
    list is documented without one. OpenAPI cannot give two operations one method and
    path, and a separate operation gives callers a typed single-campaign answer
    instead of the list's list-or-object union.

    Args:
        id (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | Error]
    """

    kwargs = _get_kwargs(
        id=id,
        name=name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Campaign | Error | None:
    """Get one campaign by id or by name

     Retrieve one campaign. Either `id` or `name` is required; a `name` query needs at
    least four characters, spaces allowed.

    Modelled as its own operation on the path **with a trailing slash**, exactly as
    the vendor's sample requests print it (`GET /_rest/v2/campaigns/?id=…`), while the
    list is documented without one. OpenAPI cannot give two operations one method and
    path, and a separate operation gives callers a typed single-campaign answer
    instead of the list's list-or-object union.

    Args:
        id (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | Error
    """

    return sync_detailed(
        client=client,
        id=id,
        name=name,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Response[Campaign | Error]:
    """Get one campaign by id or by name

     Retrieve one campaign. Either `id` or `name` is required; a `name` query needs at
    least four characters, spaces allowed.

    Modelled as its own operation on the path **with a trailing slash**, exactly as
    the vendor's sample requests print it (`GET /_rest/v2/campaigns/?id=…`), while the
    list is documented without one. OpenAPI cannot give two operations one method and
    path, and a separate operation gives callers a typed single-campaign answer
    instead of the list's list-or-object union.

    Args:
        id (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | Error]
    """

    kwargs = _get_kwargs(
        id=id,
        name=name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
) -> Campaign | Error | None:
    """Get one campaign by id or by name

     Retrieve one campaign. Either `id` or `name` is required; a `name` query needs at
    least four characters, spaces allowed.

    Modelled as its own operation on the path **with a trailing slash**, exactly as
    the vendor's sample requests print it (`GET /_rest/v2/campaigns/?id=…`), while the
    list is documented without one. OpenAPI cannot give two operations one method and
    path, and a separate operation gives callers a typed single-campaign answer
    instead of the list's list-or-object union.

    Args:
        id (str | Unset):
        name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            id=id,
            name=name,
        )
    ).parsed
