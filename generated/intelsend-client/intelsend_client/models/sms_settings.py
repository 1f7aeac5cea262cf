from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SmsSettings")


@_attrs_define
class SmsSettings:
    """
    Attributes:
        short_code (str): The short code or number texts come from (a string, not a number).
        template_id (str):
        version (int):
    """

    short_code: str
    template_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        short_code = self.short_code

        template_id = self.template_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shortCode": short_code,
                "templateId": template_id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        short_code = d.pop("shortCode")

        template_id = d.pop("templateId")

        version = d.pop("version")

        sms_settings = cls(
            short_code=short_code,
            template_id=template_id,
            version=version,
        )

        sms_settings.additional_properties = d
        return sms_settings

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
