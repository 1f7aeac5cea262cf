from typing import Any

from ...api import Answer, build_response
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.campaign_create import CampaignCreate
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: CampaignCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/_rest/v2/campaigns",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


_ANSWERS: tuple[Answer[Campaign | Error], ...] = (
    (201, 201, Campaign.from_dict),
    (400, 400, Error.from_dict),
    (401, 401, Error.from_dict),
    (422, 422, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(*, client: AuthenticatedClient | Client, body: CampaignCreate) -> Response[Campaign | Error]:
    """Create a campaign

     Create and save a new campaign. The campaign is **not published**: publish it with
    `campaignAction` (`{"action": "publish"}`) before it can be run. No body field is
    required, but the body must be JSON (`{}` is a valid body).

    Args:
        body (CampaignCreate): Every field is optional.

    Returns:
        Response[Campaign | Error]
    """
    response = client.get_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


def sync(*, client: AuthenticatedClient | Client, body: CampaignCreate) -> Campaign | Error | None:
    """Create a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client, body=body).parsed


async def asyncio_detailed(*, client: AuthenticatedClient | Client, body: CampaignCreate) -> Response[Campaign | Error]:
    """Create a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


async def asyncio(*, client: AuthenticatedClient | Client, body: CampaignCreate) -> Campaign | Error | None:
    """Create a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client, body=body)).parsed
