from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="AuthError")


@_attrs_define
class AuthError(Model):
    """The sign-in error body, `{code, error}`: not the campaign API's `{message, status}`
    (the shape the campaign guide's list field table names but never shows).

        Attributes:
            code (int): The HTTP status code, repeated.
            error (str):
    """

    code: int
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"code": self.code, "error": self.error}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(d, code=d.pop("code"), error=d.pop("error"))
