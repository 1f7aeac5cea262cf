from typing import Any

from ...api import Answer, build_response
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.error import Error
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/_rest/v2/campaigns",
    }

    return _kwargs


def _parse_200(data: Any) -> Campaign | list[Campaign]:
    def _parse_response_200(data: object) -> Campaign | list[Campaign]:
        try:
            if not isinstance(data, list):
                raise TypeError()
            componentsschemas_campaign_list_or_object_type_0 = []
            _componentsschemas_campaign_list_or_object_type_0 = data
            for (
                componentsschemas_campaign_list_or_object_type_0_item_data
            ) in _componentsschemas_campaign_list_or_object_type_0:
                componentsschemas_campaign_list_or_object_type_0_item = Campaign.from_dict(
                    componentsschemas_campaign_list_or_object_type_0_item_data
                )

                componentsschemas_campaign_list_or_object_type_0.append(
                    componentsschemas_campaign_list_or_object_type_0_item
                )

            return componentsschemas_campaign_list_or_object_type_0
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
        if not isinstance(data, dict):
            raise TypeError()
        componentsschemas_campaign_list_or_object_type_1 = Campaign.from_dict(data)

        return componentsschemas_campaign_list_or_object_type_1

    response_200 = _parse_response_200(data)
    return response_200


_ANSWERS: tuple[Answer[Campaign | list[Campaign] | Error], ...] = (
    (200, 200, _parse_200),
    (401, 401, Error.from_dict),
    (500, 500, Error.from_dict),
)


def sync_detailed(*, client: AuthenticatedClient | Client) -> Response[Campaign | list[Campaign] | Error]:
    """List campaigns

     Enumerate all of your campaigns in Engage.

    Returns:
        Response[Campaign | list[Campaign] | Error]
    """
    response = client.get_httpx_client().request(**_get_kwargs())
    return build_response(client, response, _ANSWERS)


def sync(*, client: AuthenticatedClient | Client) -> Campaign | list[Campaign] | Error | None:
    """List campaigns: the parsed body of `sync_detailed` (whose docstring has the arguments)."""
    return sync_detailed(client=client).parsed


async def asyncio_detailed(*, client: AuthenticatedClient | Client) -> Response[Campaign | list[Campaign] | Error]:
    """List campaigns: `sync_detailed`, async (whose docstring has the arguments)."""
    response = await client.get_async_httpx_client().request(**_get_kwargs())
    return build_response(client, response, _ANSWERS)


async def asyncio(*, client: AuthenticatedClient | Client) -> Campaign | list[Campaign] | Error | None:
    """List campaigns: the parsed body of `asyncio_detailed` (`sync_detailed` has the arguments)."""
    return (await asyncio_detailed(client=client)).parsed
