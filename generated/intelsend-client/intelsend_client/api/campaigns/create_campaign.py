from typing import Any

from ...api import Answer, build_response
from ...client import AuthenticatedClient
from ...models.campaign_create import CampaignCreate
from ...models.error import Error
from ...models.success_result import SuccessResult
from ...types import Response


def _get_kwargs(
    *,
    body: CampaignCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/campaign",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


_ANSWERS: tuple[Answer[Error | SuccessResult], ...] = (
    (200, 200, SuccessResult.from_dict),
    (400, 400, Error.from_dict),
    (401, 401, Error.from_dict),
    (404, 404, Error.from_dict),
    (409, 409, Error.from_dict),
    (422, 422, Error.from_dict),
)


def sync_detailed(*, client: AuthenticatedClient, body: CampaignCreate) -> Response[Error | SuccessResult]:
    """Create a campaign (or update a draft)

     Create a campaign from templates and contact lists; it starts in status `DRAFT`.
    `campaignId: null` (or absent) creates a new campaign. A `campaignId` of an
    existing campaign updates it, which is only allowed while it is a `DRAFT`
    (`409` otherwise) — an assumption: the docs only ever send `null`.

    Every channel named in `channel` needs its entry in `settings`.

    The answer is only `{"result": "success"}`: **no id comes back**. Find the new
    campaign with `listCampaigns`.

    Args:
        body (CampaignCreate):

    Returns:
        Response[Error | SuccessResult]
    """
    response = client.get_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


def sync(*, client: AuthenticatedClient, body: CampaignCreate) -> Error | SuccessResult | None:
    """Create a campaign (or update a draft): the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client, body=body).parsed


async def asyncio_detailed(*, client: AuthenticatedClient, body: CampaignCreate) -> Response[Error | SuccessResult]:
    """Create a campaign (or update a draft): `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs(body=body))
    return build_response(client, response, _ANSWERS)


async def asyncio(*, client: AuthenticatedClient, body: CampaignCreate) -> Error | SuccessResult | None:
    """Create a campaign (or update a draft): the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client, body=body)).parsed
