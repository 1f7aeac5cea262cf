from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel, check_channel
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.channel_settings import ChannelSettings


T = TypeVar("T", bound="CampaignCreate")


@_attrs_define
class CampaignCreate(Model):
    """
    Attributes:
        name (str):
        settings (ChannelSettings): Per-channel settings; each channel in `channel` needs its entry.
        channel (list[Channel]): The channels the campaign uses.
        contact_list_id (list[str]): Ids of the contact lists to send to.
        campaign_id (None | str | Unset): `null` (or absent) for a new campaign; the id of a draft to update it.
    """

    name: str
    settings: ChannelSettings
    channel: list[Channel]
    contact_list_id: list[str]
    campaign_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        settings = self.settings.to_dict()
        channel = []
        for channel_item_data in self.channel:
            channel_item: str = channel_item_data
            channel.append(channel_item)

        contact_list_id = self.contact_list_id

        campaign_id: None | str | Unset
        if isinstance(self.campaign_id, Unset):
            campaign_id = UNSET
        else:
            campaign_id = self.campaign_id
        return self._fields(
            {"name": self.name, "settings": settings, "channel": channel, "contactListId": contact_list_id},
            {"campaignId": campaign_id},
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_settings import ChannelSettings  # noqa: PLC0415

        d = dict(src_dict)
        settings = ChannelSettings.from_dict(d.pop("settings"))

        channel = []
        _channel = d.pop("channel")
        for channel_item_data in _channel:
            channel_item = check_channel(channel_item_data)

            channel.append(channel_item)

        contact_list_id = cast(list[str], d.pop("contactListId"))

        def _parse_campaign_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        campaign_id = _parse_campaign_id(d.pop("campaignId", UNSET))

        return cls._with_additional(
            d,
            name=d.pop("name"),
            settings=settings,
            channel=channel,
            contact_list_id=contact_list_id,
            campaign_id=campaign_id,
        )
