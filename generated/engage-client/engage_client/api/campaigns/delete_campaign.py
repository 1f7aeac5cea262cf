from typing import Any, cast
from urllib.parse import quote

from ...api import Answer, build_response
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/_rest/v2/campaigns/{id}".format(id=quote(str(id), safe="")),
    }

    return _kwargs


def _parse_202(data: Any) -> bool:
    return cast(bool, data)


_ANSWERS: tuple[Answer[Error | bool], ...] = (
    (202, 202, _parse_202),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(id: str, *, client: AuthenticatedClient | Client) -> Response[Error | bool]:
    """Delete a campaign

     Remove a campaign. Answers `202` with the JSON body `true`: the campaign is being
    deleted or has been deleted; afterwards it is gone from every read.

    Args:
        id (str):

    Returns:
        Response[Error | bool]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


def sync(id: str, *, client: AuthenticatedClient | Client) -> Error | bool | None:
    """Delete a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(id=id, client=client).parsed


async def asyncio_detailed(id: str, *, client: AuthenticatedClient | Client) -> Response[Error | bool]:
    """Delete a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


async def asyncio(id: str, *, client: AuthenticatedClient | Client) -> Error | bool | None:
    """Delete a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(id=id, client=client)).parsed
