from typing import Any
from urllib.parse import quote

from ...api import Answer, build_response
from ...client import AuthenticatedClient
from ...models.error import Error
from ...models.success_result import SuccessResult
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/campaign/{id}/build".format(id=quote(str(id), safe="")),
    }

    return _kwargs


_ANSWERS: tuple[Answer[Error | SuccessResult], ...] = (
    (200, 200, SuccessResult.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (409, 409, Error.from_dict),
)


def sync_detailed(id: str, *, client: AuthenticatedClient) -> Response[Error | SuccessResult]:
    """Build a campaign

     Compile the campaign and prepare it for sending: `DRAFT` → `BUILD`.

    Business rule (vendor docs): call in order create → build → send. Building a
    campaign that is not a `DRAFT` (already built, sending or sent) answers `409`.

    Args:
        id (str):

    Returns:
        Response[Error | SuccessResult]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


def sync(id: str, *, client: AuthenticatedClient) -> Error | SuccessResult | None:
    """Build a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(id=id, client=client).parsed


async def asyncio_detailed(id: str, *, client: AuthenticatedClient) -> Response[Error | SuccessResult]:
    """Build a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


async def asyncio(id: str, *, client: AuthenticatedClient) -> Error | SuccessResult | None:
    """Build a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(id=id, client=client)).parsed
