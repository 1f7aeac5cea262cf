from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="SuccessResult")


@_attrs_define
class SuccessResult(Model):
    """
    Attributes:
        result (Literal['success']):
    """

    result: Literal["success"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"result": self.result}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = cast(Literal["success"], d.pop("result"))
        if result != "success":
            raise ValueError(f"result must match const 'success', got '{result}'")
        return cls._with_additional(d, result=result)
