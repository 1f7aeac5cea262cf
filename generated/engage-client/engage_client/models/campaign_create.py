from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="CampaignCreate")


@_attrs_define
class CampaignCreate(Model):
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
        return self._fields(
            {},
            {
                "campaignName": self.campaign_name,
                "campaignDescription": self.campaign_description,
                "callerIdentification": self.caller_identification,
                "flowId": self.flow_id,
            },
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(
            d,
            campaign_name=d.pop("campaignName", UNSET),
            campaign_description=d.pop("campaignDescription", UNSET),
            caller_identification=d.pop("callerIdentification", UNSET),
            flow_id=d.pop("flowId", UNSET),
        )
