from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VoiceSettings")


@_attrs_define
class VoiceSettings:
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
        caller_id = self.caller_id

        template_id = self.template_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "callerId": caller_id,
                "templateId": template_id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        caller_id = d.pop("callerId")

        template_id = d.pop("templateId")

        version = d.pop("version")

        voice_settings = cls(
            caller_id=caller_id,
            template_id=template_id,
            version=version,
        )

        voice_settings.additional_properties = d
        return voice_settings

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
