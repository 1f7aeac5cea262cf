from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="Error")


@_attrs_define
class Error(Model):
    """The error body (assumed; the docs print no error).

    Attributes:
        result (Literal['error']):
        message (str):
    """

    result: Literal["error"]
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"result": self.result, "message": self.message}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = cast(Literal["error"], d.pop("result"))
        if result != "error":
            raise ValueError(f"result must match const 'error', got '{result}'")
        return cls._with_additional(d, result=result, message=d.pop("message"))
