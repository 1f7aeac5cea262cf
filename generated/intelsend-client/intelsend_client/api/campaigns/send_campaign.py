from typing import Any
from urllib.parse import quote

from ...api import Answer, build_response
from ...client import AuthenticatedClient
from ...models.error import Error
from ...models.send_result import SendResult
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/campaign/{id}/send".format(id=quote(str(id), safe="")),
    }

    return _kwargs


_ANSWERS: tuple[Answer[Error | SendResult], ...] = (
    (200, 200, SendResult.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (409, 409, Error.from_dict),
)


def sync_detailed(id: str, *, client: AuthenticatedClient) -> Response[Error | SendResult]:
    """Send a campaign

     Send a built campaign live — this messages real people: `BUILD` → `SENDING`,
    then a final state (`SENT` or `FAILED`) once delivery ends.

    Business rule (vendor docs): call in order create → build → send. Sending a
    campaign that is not built answers `409`.

    Args:
        id (str):

    Returns:
        Response[Error | SendResult]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


def sync(id: str, *, client: AuthenticatedClient) -> Error | SendResult | None:
    """Send a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(id=id, client=client).parsed


async def asyncio_detailed(id: str, *, client: AuthenticatedClient) -> Response[Error | SendResult]:
    """Send a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id))
    return build_response(client, response, _ANSWERS)


async def asyncio(id: str, *, client: AuthenticatedClient) -> Error | SendResult | None:
    """Send a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(id=id, client=client)).parsed
