from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.email_settings import EmailSettings
    from ..models.sms_settings import SmsSettings
    from ..models.voice_settings import VoiceSettings


T = TypeVar("T", bound="ChannelSettings")


@_attrs_define
class ChannelSettings:
    """Per-channel settings; each channel in `channel` needs its entry.

    Attributes:
        email (EmailSettings | Unset):
        sms (SmsSettings | Unset):
        voice (VoiceSettings | Unset):
    """

    email: EmailSettings | Unset = UNSET
    sms: SmsSettings | Unset = UNSET
    voice: VoiceSettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email: dict[str, Any] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email.to_dict()

        sms: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sms, Unset):
            sms = self.sms.to_dict()

        voice: dict[str, Any] | Unset = UNSET
        if not isinstance(self.voice, Unset):
            voice = self.voice.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if sms is not UNSET:
            field_dict["sms"] = sms
        if voice is not UNSET:
            field_dict["voice"] = voice

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.email_settings import EmailSettings  # noqa: PLC0415
        from ..models.sms_settings import SmsSettings  # noqa: PLC0415
        from ..models.voice_settings import VoiceSettings  # noqa: PLC0415

        d = dict(src_dict)
        _email = d.pop("email", UNSET)
        email: EmailSettings | Unset
        if isinstance(_email, Unset):
            email = UNSET
        else:
            email = EmailSettings.from_dict(_email)

        _sms = d.pop("sms", UNSET)
        sms: SmsSettings | Unset
        if isinstance(_sms, Unset):
            sms = UNSET
        else:
            sms = SmsSettings.from_dict(_sms)

        _voice = d.pop("voice", UNSET)
        voice: VoiceSettings | Unset
        if isinstance(_voice, Unset):
            voice = UNSET
        else:
            voice = VoiceSettings.from_dict(_voice)

        channel_settings = cls(
            email=email,
            sms=sms,
            voice=voice,
        )

        channel_settings.additional_properties = d
        return channel_settings

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
