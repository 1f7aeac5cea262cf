from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

if TYPE_CHECKING:
    from ..models.message_status_count_id import MessageStatusCountId


T = TypeVar("T", bound="MessageStatusCount")


@_attrs_define
class MessageStatusCount(Model):
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
        return self._fields({"_id": field_id, "count": self.count}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_status_count_id import MessageStatusCountId  # noqa: PLC0415

        d = dict(src_dict)
        field_id = MessageStatusCountId.from_dict(d.pop("_id"))

        return cls._with_additional(d, field_id=field_id, count=d.pop("count"))
