from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactList")


@_attrs_define
class ContactList:
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
        list_id = self.list_id

        moc = self.moc

        auto_detect_tz = self.auto_detect_tz

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if list_id is not UNSET:
            field_dict["listId"] = list_id
        if moc is not UNSET:
            field_dict["moc"] = moc
        if auto_detect_tz is not UNSET:
            field_dict["autoDetectTZ"] = auto_detect_tz

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        list_id = d.pop("listId", UNSET)

        moc = d.pop("moc", UNSET)

        auto_detect_tz = d.pop("autoDetectTZ", UNSET)

        contact_list = cls(
            list_id=list_id,
            moc=moc,
            auto_detect_tz=auto_detect_tz,
        )

        contact_list.additional_properties = d
        return contact_list

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
