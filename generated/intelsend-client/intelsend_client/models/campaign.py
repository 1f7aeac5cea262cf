from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus, check_campaign_status
from ..models.channel import Channel, check_channel
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.campaign_stats import CampaignStats
    from ..models.change_log_entry import ChangeLogEntry
    from ..models.channel_settings import ChannelSettings
    from ..models.contact_list_ref import ContactListRef


T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign(Model):
    """A campaign as the list answers it.

    Attributes:
        campaign_id (str):
        name (str):
        channel (list[Channel]):
        status (CampaignStatus): `DRAFT`, `BUILD` and `SENDING` are the vendor's; the final states `SENT` and
            `FAILED` are assumed ("a final state"; "deleted or invalid templates will cause
            campaign failures").
        settings (ChannelSettings): Per-channel settings; each channel in `channel` needs its entry.
        contact_list_id (list[ContactListRef]):
        change_log (list[ChangeLogEntry]): Every status the campaign went through, oldest first.
        created_at (datetime.datetime):
        stats (CampaignStats | Unset):
    """

    campaign_id: str
    name: str
    channel: list[Channel]
    status: CampaignStatus
    settings: ChannelSettings
    contact_list_id: list[ContactListRef]
    change_log: list[ChangeLogEntry]
    created_at: datetime.datetime
    stats: CampaignStats | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = []
        for channel_item_data in self.channel:
            channel_item: str = channel_item_data
            channel.append(channel_item)

        status: str = self.status
        settings = self.settings.to_dict()
        contact_list_id = []
        for contact_list_id_item_data in self.contact_list_id:
            contact_list_id_item = contact_list_id_item_data.to_dict()
            contact_list_id.append(contact_list_id_item)

        change_log = []
        for change_log_item_data in self.change_log:
            change_log_item = change_log_item_data.to_dict()
            change_log.append(change_log_item)

        created_at = self.created_at.isoformat()
        stats: dict[str, Any] | Unset = UNSET
        if not isinstance(self.stats, Unset):
            stats = self.stats.to_dict()
        return self._fields(
            {
                "campaignId": self.campaign_id,
                "name": self.name,
                "channel": channel,
                "status": status,
                "settings": settings,
                "contactListId": contact_list_id,
                "changeLog": change_log,
                "createdAt": created_at,
            },
            {"stats": stats},
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign_stats import CampaignStats  # noqa: PLC0415
        from ..models.change_log_entry import ChangeLogEntry  # noqa: PLC0415
        from ..models.channel_settings import ChannelSettings  # noqa: PLC0415
        from ..models.contact_list_ref import ContactListRef  # noqa: PLC0415

        d = dict(src_dict)
        channel = []
        _channel = d.pop("channel")
        for channel_item_data in _channel:
            channel_item = check_channel(channel_item_data)

            channel.append(channel_item)

        status = check_campaign_status(d.pop("status"))

        settings = ChannelSettings.from_dict(d.pop("settings"))

        contact_list_id = []
        _contact_list_id = d.pop("contactListId")
        for contact_list_id_item_data in _contact_list_id:
            contact_list_id_item = ContactListRef.from_dict(contact_list_id_item_data)

            contact_list_id.append(contact_list_id_item)

        change_log = []
        _change_log = d.pop("changeLog")
        for change_log_item_data in _change_log:
            change_log_item = ChangeLogEntry.from_dict(change_log_item_data)

            change_log.append(change_log_item)

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _stats = d.pop("stats", UNSET)
        stats: CampaignStats | Unset
        if isinstance(_stats, Unset):
            stats = UNSET
        else:
            stats = CampaignStats.from_dict(_stats)

        return cls._with_additional(
            d,
            campaign_id=d.pop("campaignId"),
            name=d.pop("name"),
            channel=channel,
            status=status,
            settings=settings,
            contact_list_id=contact_list_id,
            change_log=change_log,
            created_at=created_at,
            stats=stats,
        )
