from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="ContactList")


@_attrs_define
class ContactList(Model):
    """A contact list attached to a campaign.

    Attributes:
        list_id (str | Unset):
        moc (str | Unset): Method of contact, e.g. `phone`.
        auto_detect_tz (bool | Unset):
    """

    list_id: str | Unset = UNSET
    moc: str | Unset = UNSET
    auto_detect_tz: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({}, {"listId": self.list_id, "moc": self.moc, "autoDetectTZ": self.auto_detect_tz})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(
            d, list_id=d.pop("listId", UNSET), moc=d.pop("moc", UNSET), auto_detect_tz=d.pop("autoDetectTZ", UNSET)
        )
