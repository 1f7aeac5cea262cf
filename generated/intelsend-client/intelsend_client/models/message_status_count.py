from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.message_status_count_id import MessageStatusCountId


T = TypeVar("T", bound="MessageStatusCount")


@_attrs_define
class MessageStatusCount:
    """
    Attributes:
        field_id (MessageStatusCountId):
        count (int):
    """

    field_id: MessageStatusCountId
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_id = self.field_id.to_dict()

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "_id": field_id,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_status_count_id import MessageStatusCountId  # noqa: PLC0415

        d = dict(src_dict)
        field_id = MessageStatusCountId.from_dict(d.pop("_id"))

        count = d.pop("count")

        message_status_count = cls(
            field_id=field_id,
            count=count,
        )

        message_status_count.additional_properties = d
        return message_status_count

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
