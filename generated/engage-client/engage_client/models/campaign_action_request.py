from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_action_request_action import CampaignActionRequestAction, check_campaign_action_request_action
from ..types import Model

T = TypeVar("T", bound="CampaignActionRequest")


@_attrs_define
class CampaignActionRequest(Model):
    """
    Attributes:
        action (CampaignActionRequestAction):
    """

    action: CampaignActionRequestAction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action: str = self.action
        return self._fields({"action": action}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = check_campaign_action_request_action(d.pop("action"))

        return cls._with_additional(d, action=action)
