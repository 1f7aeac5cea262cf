from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="VoiceSettings")


@_attrs_define
class VoiceSettings(Model):
    """
    Attributes:
        caller_id (str): The number calls come from (a string, not a number).
        template_id (str):
        version (int):
    """

    caller_id: str
    template_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"callerId": self.caller_id, "templateId": self.template_id, "version": self.version}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(
            d, caller_id=d.pop("callerId"), template_id=d.pop("templateId"), version=d.pop("version")
        )
