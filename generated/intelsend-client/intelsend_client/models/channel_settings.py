from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.email_settings import EmailSettings
    from ..models.sms_settings import SmsSettings
    from ..models.voice_settings import VoiceSettings


T = TypeVar("T", bound="ChannelSettings")


@_attrs_define
class ChannelSettings(Model):
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
        return self._fields({}, {"email": email, "sms": sms, "voice": voice})

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

        return cls._with_additional(d, email=email, sms=sms, voice=voice)
