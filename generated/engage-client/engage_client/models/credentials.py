from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import Model

T = TypeVar("T", bound="Credentials")


@_attrs_define
class Credentials(Model):
    """The username and password of a Customer Portal user with API access. Both required
    (the page's only sample sends both; which answer a missing one gets is assumed).

        Attributes:
            username (str):
            password (str):
    """

    username: str
    password: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self._fields({"username": self.username, "password": self.password}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        return cls._with_additional(d, username=d.pop("username"), password=d.pop("password"))
