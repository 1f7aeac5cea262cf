from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="Error")


@_attrs_define
class Error(Model):
    """The error body of every documented error sample. (The list endpoint's field table
    also names `code`/`error` fields; no sample ever shows them — see the README.)

        Attributes:
            message (str):
            status (int): The HTTP status code, repeated.
    """

    message: str
    status: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"message": self.message, "status": self.status}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(d, message=d.pop("message"), status=d.pop("status"))
