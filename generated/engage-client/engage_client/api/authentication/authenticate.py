from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.auth_error import AuthError
from ...models.auth_token import AuthToken
from ...models.credentials import Credentials
from ...types import Response


def _get_kwargs(
    *,
    body: Credentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/_rest/v4/authenticate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuthError | AuthToken | None:
    if response.status_code == 200:
        response_200 = AuthToken.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = AuthError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = AuthError.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = AuthError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuthError | AuthToken]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[AuthError | AuthToken]:
    """Sign in for a token

     Exchange the username and password of a Customer Portal user with API access for a
    short-term token, which every other operation sends raw as `Authorization`.

    The token is valid for **24 hours**. Once it expires, or when a call answers `401`,
    repeat this request for a new one. The request needs no token (`security: []`) and
    is served by its own host, `https://customer.intelepeer.com`, not the campaign API's.

    Args:
        body (Credentials): The username and password of a Customer Portal user with API access.
            Both required
            (the page's only sample sends both; which answer a missing one gets is assumed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthError | AuthToken]
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
    body: Credentials,
) -> AuthError | AuthToken | None:
    """Sign in for a token

     Exchange the username and password of a Customer Portal user with API access for a
    short-term token, which every other operation sends raw as `Authorization`.

    The token is valid for **24 hours**. Once it expires, or when a call answers `401`,
    repeat this request for a new one. The request needs no token (`security: []`) and
    is served by its own host, `https://customer.intelepeer.com`, not the campaign API's.

    Args:
        body (Credentials): The username and password of a Customer Portal user with API access.
            Both required
            (the page's only sample sends both; which answer a missing one gets is assumed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthError | AuthToken
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[AuthError | AuthToken]:
    """Sign in for a token

     Exchange the username and password of a Customer Portal user with API access for a
    short-term token, which every other operation sends raw as `Authorization`.

    The token is valid for **24 hours**. Once it expires, or when a call answers `401`,
    repeat this request for a new one. The request needs no token (`security: []`) and
    is served by its own host, `https://customer.intelepeer.com`, not the campaign API's.

    Args:
        body (Credentials): The username and password of a Customer Portal user with API access.
            Both required
            (the page's only sample sends both; which answer a missing one gets is assumed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthError | AuthToken]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> AuthError | AuthToken | None:
    """Sign in for a token

     Exchange the username and password of a Customer Portal user with API access for a
    short-term token, which every other operation sends raw as `Authorization`.

    The token is valid for **24 hours**. Once it expires, or when a call answers `401`,
    repeat this request for a new one. The request needs no token (`security: []`) and
    is served by its own host, `https://customer.intelepeer.com`, not the campaign API's.

    Args:
        body (Credentials): The username and password of a Customer Portal user with API access.
            Both required
            (the page's only sample sends both; which answer a missing one gets is assumed).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthError | AuthToken
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
