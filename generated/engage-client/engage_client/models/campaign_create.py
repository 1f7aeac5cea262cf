from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CampaignCreate")


@_attrs_define
class CampaignCreate:
    """Every field is optional.

    Attributes:
        campaign_name (str | Unset):
        campaign_description (str | Unset):
        caller_identification (str | Unset): The caller id (phone number) the campaign calls or texts from.
        flow_id (str | Unset): The SmartFlows flow this campaign runs.
    """

    campaign_name: str | Unset = UNSET
    campaign_description: str | Unset = UNSET
    caller_identification: str | Unset = UNSET
    flow_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        campaign_name = self.campaign_name

        campaign_description = self.campaign_description

        caller_identification = self.caller_identification

        flow_id = self.flow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if campaign_name is not UNSET:
            field_dict["campaignName"] = campaign_name
        if campaign_description is not UNSET:
            field_dict["campaignDescription"] = campaign_description
        if caller_identification is not UNSET:
            field_dict["callerIdentification"] = caller_identification
        if flow_id is not UNSET:
            field_dict["flowId"] = flow_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        campaign_name = d.pop("campaignName", UNSET)

        campaign_description = d.pop("campaignDescription", UNSET)

        caller_identification = d.pop("callerIdentification", UNSET)

        flow_id = d.pop("flowId", UNSET)

        campaign_create = cls(
            campaign_name=campaign_name,
            campaign_description=campaign_description,
            caller_identification=caller_identification,
            flow_id=flow_id,
        )

        campaign_create.additional_properties = d
        return campaign_create

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
