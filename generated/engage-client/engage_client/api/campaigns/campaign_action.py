from typing import Any, cast
from urllib.parse import quote

from ...api import Answer, build_response
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
        "url": "/_rest/v2/campaigns/{id}/action".format(id=quote(str(id), safe="")),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_200(data: Any) -> bool:
    return cast(bool, data)


_ANSWERS: tuple[Answer[Error | bool], ...] = (
    (200, 200, _parse_200),
    (400, 400, Error.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (422, 422, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(
    id: str, *, client: AuthenticatedClient | Client, body: CampaignActionRequest
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

    Returns:
        Response[Error | bool]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id, body=body))
    return build_response(client, response, _ANSWERS)


def sync(id: str, *, client: AuthenticatedClient | Client, body: CampaignActionRequest) -> Error | bool | None:
    """Publish or run a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(id=id, client=client, body=body).parsed


async def asyncio_detailed(
    id: str, *, client: AuthenticatedClient | Client, body: CampaignActionRequest
) -> Response[Error | bool]:
    """Publish or run a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id, body=body))
    return build_response(client, response, _ANSWERS)


async def asyncio(id: str, *, client: AuthenticatedClient | Client, body: CampaignActionRequest) -> Error | bool | None:
    """Publish or run a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(id=id, client=client, body=body)).parsed
