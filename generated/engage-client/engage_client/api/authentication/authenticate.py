from typing import Any

from ...api import Answer, build_response
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


_ANSWERS: tuple[Answer[AuthError | AuthToken], ...] = (
    (200, 200, AuthToken.from_dict),
    (400, 400, AuthError.from_dict),
    (401, 401, AuthError.from_dict),
    (422, 422, AuthError.from_dict),
)


def sync_detailed(*, client: AuthenticatedClient | Client, body: Credentials) -> Response[AuthError | AuthToken]:
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

    Returns:
        Response[AuthError | AuthToken]
    """
    response = client.get_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


def sync(*, client: AuthenticatedClient | Client, body: Credentials) -> AuthError | AuthToken | None:
    """Sign in for a token: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client, body=body).parsed


async def asyncio_detailed(
    *, client: AuthenticatedClient | Client, body: Credentials
) -> Response[AuthError | AuthToken]:
    """Sign in for a token: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


async def asyncio(*, client: AuthenticatedClient | Client, body: Credentials) -> AuthError | AuthToken | None:
    """Sign in for a token: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client, body=body)).parsed
