from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.contact_list_count import ContactListCount
    from ..models.message_status_count import MessageStatusCount


T = TypeVar("T", bound="CampaignStats")


@_attrs_define
class CampaignStats(Model):
    """
    Attributes:
        result (list[MessageStatusCount] | Unset): Message counts grouped by message status.
        init_contacts (list[ContactListCount] | Unset): Contacts per contact list when the campaign was built.
    """

    result: list[MessageStatusCount] | Unset = UNSET
    init_contacts: list[ContactListCount] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = []
            for result_item_data in self.result:
                result_item = result_item_data.to_dict()
                result.append(result_item)

        init_contacts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.init_contacts, Unset):
            init_contacts = []
            for init_contacts_item_data in self.init_contacts:
                init_contacts_item = init_contacts_item_data.to_dict()
                init_contacts.append(init_contacts_item)

        return self._fields({}, {"result": result, "initContacts": init_contacts})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_list_count import ContactListCount  # noqa: PLC0415
        from ..models.message_status_count import MessageStatusCount  # noqa: PLC0415

        d = dict(src_dict)
        _result = d.pop("result", UNSET)
        result: list[MessageStatusCount] | Unset = UNSET
        if _result is not UNSET:
            result = []
            for result_item_data in _result:
                result_item = MessageStatusCount.from_dict(result_item_data)

                result.append(result_item)

        _init_contacts = d.pop("initContacts", UNSET)
        init_contacts: list[ContactListCount] | Unset = UNSET
        if _init_contacts is not UNSET:
            init_contacts = []
            for init_contacts_item_data in _init_contacts:
                init_contacts_item = ContactListCount.from_dict(init_contacts_item_data)

                init_contacts.append(init_contacts_item)

        return cls._with_additional(d, result=result, init_contacts=init_contacts)
