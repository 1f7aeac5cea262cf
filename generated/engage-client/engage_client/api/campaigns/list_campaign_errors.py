from typing import Any

from ...api import Answer, build_response
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.error import Error
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_rest/v2/campaigns/errors",
    }

    return _kwargs


def _parse_200(data: Any) -> list[Campaign]:
    response_200 = []
    _response_200 = data
    for response_200_item_data in _response_200:
        response_200_item = Campaign.from_dict(response_200_item_data)

        response_200.append(response_200_item)
    return response_200


_ANSWERS: tuple[Answer[Error | list[Campaign]], ...] = (
    (200, 200, _parse_200),
    (401, 401, Error.from_dict),
)


def sync_detailed(*, client: AuthenticatedClient | Client) -> Response[Error | list[Campaign]]:
    """List campaigns in error

     Determine whether any of your campaigns are experiencing an error.

    Returns:
        Response[Error | list[Campaign]]
    """
    response = client.get_httpx_client().request(**_get_kwargs())
    return build_response(client, response, _ANSWERS)


def sync(*, client: AuthenticatedClient | Client) -> Error | list[Campaign] | None:
    """List campaigns in error: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client).parsed


async def asyncio_detailed(*, client: AuthenticatedClient | Client) -> Response[Error | list[Campaign]]:
    """List campaigns in error: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs())
    return build_response(client, response, _ANSWERS)


async def asyncio(*, client: AuthenticatedClient | Client) -> Error | list[Campaign] | None:
    """List campaigns in error: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client)).parsed
