from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="CampaignUpdate")


@_attrs_define
class CampaignUpdate(Model):
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
        return self._fields(
            {
                "campaignName": self.campaign_name,
                "flowId": self.flow_id,
                "callerIdentification": self.caller_identification,
            },
            {"campaignDescription": self.campaign_description},
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(
            d,
            campaign_name=d.pop("campaignName"),
            flow_id=d.pop("flowId"),
            caller_identification=d.pop("callerIdentification"),
            campaign_description=d.pop("campaignDescription", UNSET),
        )
