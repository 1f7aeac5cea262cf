"""Contains all the data models used in inputs/outputs"""

from .auth_error import AuthError
from .auth_token import AuthToken
from .campaign import Campaign
from .campaign_action_request import CampaignActionRequest
from .campaign_action_request_action import CampaignActionRequestAction
from .campaign_active import CampaignActive
from .campaign_create import CampaignCreate
from .campaign_update import CampaignUpdate
from .campaign_update_result import CampaignUpdateResult
from .campaign_update_result_active import CampaignUpdateResultActive
from .campaign_update_result_delete_flag import CampaignUpdateResultDeleteFlag
from .campaign_update_result_run_now import CampaignUpdateResultRunNow
from .contact_list import ContactList
from .credentials import Credentials
from .error import Error

__all__ = (
    "AuthError",
    "AuthToken",
    "Campaign",
    "CampaignActionRequest",
    "CampaignActionRequestAction",
    "CampaignActive",
    "CampaignCreate",
    "CampaignUpdate",
    "CampaignUpdateResult",
    "CampaignUpdateResultActive",
    "CampaignUpdateResultDeleteFlag",
    "CampaignUpdateResultRunNow",
    "ContactList",
    "Credentials",
    "Error",
)
