from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CampaignUpdate")


@_attrs_define
class CampaignUpdate:
    """
    Attributes:
        campaign_name (str):
        flow_id (str): Only accessible from the SmartFlows interface (configurations panel).
        caller_identification (str):
        campaign_description (str | Unset):
    """

    campaign_name: str
    flow_id: str
    caller_identification: str
    campaign_description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_name = self.campaign_name

        flow_id = self.flow_id

        caller_identification = self.caller_identification

        campaign_description = self.campaign_description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "campaignName": campaign_name,
                "flowId": flow_id,
                "callerIdentification": caller_identification,
            }
        )
        if campaign_description is not UNSET:
            field_dict["campaignDescription"] = campaign_description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        campaign_name = d.pop("campaignName")

        flow_id = d.pop("flowId")

        caller_identification = d.pop("callerIdentification")

        campaign_description = d.pop("campaignDescription", UNSET)

        campaign_update = cls(
            campaign_name=campaign_name,
            flow_id=flow_id,
            caller_identification=caller_identification,
            campaign_description=campaign_description,
        )

        campaign_update.additional_properties = d
        return campaign_update

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
