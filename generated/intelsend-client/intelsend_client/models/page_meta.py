from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="PageMeta")


@_attrs_define
class PageMeta(Model):
    """
    Attributes:
        count (int): Campaigns matching the filters, on all pages.
        page (int):
        limit (int):
    """

    count: int
    page: int
    limit: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"count": self.count, "page": self.page, "limit": self.limit}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(d, count=d.pop("count"), page=d.pop("page"), limit=d.pop("limit"))
