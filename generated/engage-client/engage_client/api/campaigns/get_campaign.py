from typing import Any

from ...api import Answer, build_response
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


_ANSWERS: tuple[Answer[Campaign | Error], ...] = (
    (200, 200, Campaign.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (422, 422, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(
    *, client: AuthenticatedClient | Client, id: str | Unset = UNSET, name: str | Unset = UNSET
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

    Returns:
        Response[Campaign | Error]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id, name=name))
    return build_response(client, response, _ANSWERS)


def sync(
    *, client: AuthenticatedClient | Client, id: str | Unset = UNSET, name: str | Unset = UNSET
) -> Campaign | Error | None:
    """Get one campaign by id or by name: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client, id=id, name=name).parsed


async def asyncio_detailed(
    *, client: AuthenticatedClient | Client, id: str | Unset = UNSET, name: str | Unset = UNSET
) -> Response[Campaign | Error]:
    """Get one campaign by id or by name: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id, name=name))
    return build_response(client, response, _ANSWERS)


async def asyncio(
    *, client: AuthenticatedClient | Client, id: str | Unset = UNSET, name: str | Unset = UNSET
) -> Campaign | Error | None:
    """Get one campaign by id or by name: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client, id=id, name=name)).parsed
