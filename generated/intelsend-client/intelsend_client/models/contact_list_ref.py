from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="ContactListRef")


@_attrs_define
class ContactListRef(Model):
    """
    Attributes:
        field_id (str):
        name (str):
    """

    field_id: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"_id": self.field_id, "name": self.name}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(d, field_id=d.pop("_id"), name=d.pop("name"))
