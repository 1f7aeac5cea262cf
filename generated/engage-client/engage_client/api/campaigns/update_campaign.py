from typing import Any
from urllib.parse import quote

from ...api import Answer, build_response
from ...client import AuthenticatedClient, Client
from ...models.campaign_update import CampaignUpdate
from ...models.campaign_update_result import CampaignUpdateResult
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: CampaignUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/_rest/v2/campaigns/{id}".format(id=quote(str(id), safe="")),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


_ANSWERS: tuple[Answer[CampaignUpdateResult | Error], ...] = (
    (200, 200, CampaignUpdateResult.from_dict),
    (400, 400, Error.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (422, 422, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(
    id: str, *, client: AuthenticatedClient | Client, body: CampaignUpdate
) -> Response[CampaignUpdateResult | Error]:
    """Update a campaign

     Revise an existing campaign. `campaignName`, `flowId` and `callerIdentification`
    are required; `campaignDescription` is optional.

    Business rule (vendor docs): this endpoint can only be used if the campaign is
    linked to a flow in SmartFlows; the Flow ID is copied from the SmartFlows
    configurations panel.

    The answer is **not** the campaign object of the other operations: it carries
    `campaignId` (not `_id`), `flowTypeId` (not `flowId`), numbers and booleans as
    strings, date-only start and end dates, and `utcName`/`utcOffset`.

    Args:
        id (str):
        body (CampaignUpdate):

    Returns:
        Response[CampaignUpdateResult | Error]
    """
    response = client.get_httpx_client().request(**_get_kwargs(id=id, body=body))
    return build_response(client, response, _ANSWERS)


def sync(id: str, *, client: AuthenticatedClient | Client, body: CampaignUpdate) -> CampaignUpdateResult | Error | None:
    """Update a campaign: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(id=id, client=client, body=body).parsed


async def asyncio_detailed(
    id: str, *, client: AuthenticatedClient | Client, body: CampaignUpdate
) -> Response[CampaignUpdateResult | Error]:
    """Update a campaign: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(id=id, body=body))
    return build_response(client, response, _ANSWERS)


async def asyncio(
    id: str, *, client: AuthenticatedClient | Client, body: CampaignUpdate
) -> CampaignUpdateResult | Error | None:
    """Update a campaign: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(id=id, client=client, body=body)).parsed
