"""Contains all the data models used in inputs/outputs"""

from .campaign import Campaign
from .campaign_create import CampaignCreate
from .campaign_page import CampaignPage
from .campaign_stats import CampaignStats
from .campaign_status import CampaignStatus
from .change_log_entry import ChangeLogEntry
from .channel import Channel
from .channel_settings import ChannelSettings
from .contact_list_count import ContactListCount
from .contact_list_ref import ContactListRef
from .email_settings import EmailSettings
from .error import Error
from .message_status_count import MessageStatusCount
from .message_status_count_id import MessageStatusCountId
from .page_meta import PageMeta
from .send_result import SendResult
from .sms_settings import SmsSettings
from .success_result import SuccessResult
from .voice_settings import VoiceSettings

__all__ = (
    "Campaign",
    "CampaignCreate",
    "CampaignPage",
    "CampaignStats",
    "CampaignStatus",
    "ChangeLogEntry",
    "Channel",
    "ChannelSettings",
    "ContactListCount",
    "ContactListRef",
    "EmailSettings",
    "Error",
    "MessageStatusCount",
    "MessageStatusCountId",
    "PageMeta",
    "SendResult",
    "SmsSettings",
    "SuccessResult",
    "VoiceSettings",
)
