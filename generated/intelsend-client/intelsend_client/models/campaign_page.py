from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

if TYPE_CHECKING:
    from ..models.campaign import Campaign
    from ..models.page_meta import PageMeta


T = TypeVar("T", bound="CampaignPage")


@_attrs_define
class CampaignPage(Model):
    """
    Attributes:
        result (list[Campaign]):
        meta (PageMeta):
    """

    result: list[Campaign]
    meta: PageMeta
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = []
        for result_item_data in self.result:
            result_item = result_item_data.to_dict()
            result.append(result_item)

        meta = self.meta.to_dict()
        return self._fields({"result": result, "meta": meta}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign import Campaign  # noqa: PLC0415
        from ..models.page_meta import PageMeta  # noqa: PLC0415

        d = dict(src_dict)
        result = []
        _result = d.pop("result")
        for result_item_data in _result:
            result_item = Campaign.from_dict(result_item_data)

            result.append(result_item)

        meta = PageMeta.from_dict(d.pop("meta"))

        return cls._with_additional(d, result=result, meta=meta)
