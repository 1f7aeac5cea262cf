from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="SmsSettings")


@_attrs_define
class SmsSettings(Model):
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
        return self._fields({"shortCode": self.short_code, "templateId": self.template_id, "version": self.version}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(
            d, short_code=d.pop("shortCode"), template_id=d.pop("templateId"), version=d.pop("version")
        )
