"""Engage campaigns per tenant (one per token or login), their rules and the issued tokens;
no HTTP here."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from campaign_contracts.sandbox.campaigns import Campaign, TenantCampaigns
from campaign_contracts.sandbox.config import MAX_CAMPAIGNS
from campaign_contracts.sandbox.engage.tokens import TokenStore
from campaign_contracts.sandbox.errors import InvalidTransition, UnknownCampaign
from campaign_contracts.sandbox.generators import utc_timestamp
from campaign_contracts.sandbox.storage import Storage

DRAFT = "Draft"
PUBLISHED = "Published"
ERROR = "Error"
# Fields of a create or update request that are copied onto the campaign as they are.
REQUEST_FIELDS = ("campaignName", "campaignDescription", "callerIdentification", "flowId")
LIST_SINGLE_OBJECT = "listSingleObject"


@functools.cache  # a hash per create otherwise; tenants are the few configured tokens
def customer_id(tenant: str) -> str:
    """A 7-digit customer id that only depends on the token, like the docs' `"1028811"`."""
    return str(1_000_000 + int(hashlib.sha256(tenant.encode()).hexdigest(), 16) % 9_000_000)


def _date_only(timestamp: str | None) -> str | None:
    return timestamp[:10] if timestamp else None


def update_result(campaign: Campaign) -> dict[str, Any]:
    """The campaign in the update answer's own shape (the document's `CampaignUpdateResult`)."""
    result: dict[str, Any] = {
        "campaignId": campaign["_id"],
        "campaignName": campaign["campaignName"],
        "callerIdentification": campaign["callerIdentification"],
        "flowTypeId": campaign["flowId"],
        "startDate": _date_only(campaign["startDate"]),
        "endDate": _date_only(campaign["endDate"]),
        "active": campaign["active"],
        "numAttempts": str(campaign["numAttempts"]),
        "retryInterval": str(campaign["retryInterval"]),
        "appId": campaign["appId"],
        "runNow": str(campaign["runNow"]).lower(),
        "scheduleId": campaign["scheduleId"],
        "modifiedDate": campaign["modifiedDate"],
        "modifiedBy": campaign["modifiedBy"],
        "createdDate": campaign["createdDate"],
        "createdBy": campaign["createdBy"],
        "deleteFlag": str(campaign["deleteFlag"]).lower(),
        "customerId": int(campaign["customerId"]),
        "listRel": campaign["listRel"],
        # The sandbox never sets a time zone: the empty `timezone` is UTC.
        "utcName": campaign["timezone"],
        "utcOffset": "+00:00",
    }
    if "campaignDescription" in campaign:
        result["campaignDescription"] = campaign["campaignDescription"]
    return result


class EngageBackend(TenantCampaigns):
    """Every tenant's campaigns, in creation order, and the vendor's quirk switches."""

    def __init__(self, storage: Storage, max_campaigns: int = MAX_CAMPAIGNS) -> None:
        super().__init__("engage", "_id", storage, max_campaigns)
        # The tokens the sign-in issued: a part of its own, forgotten with the campaigns.
        self.tokens = TokenStore(storage)

    @property
    def list_single_object(self) -> bool:
        """Emulates the docs' list sample: a bare object when the tenant has one campaign."""
        return bool(self.storage.value(self.api, LIST_SINGLE_OBJECT, False))

    @list_single_object.setter
    def list_single_object(self, value: bool) -> None:
        self.storage.set_value(self.api, LIST_SINGLE_OBJECT, value)

    def reset(self) -> None:
        super().reset()
        self.list_single_object = False
        self.tokens.reset()

    def listing(self, tenant: str) -> list[Campaign] | Campaign:
        """What the list answers: every campaign, or the quirk's bare object."""
        campaigns = self.storage.records(self.kind, tenant)
        if len(campaigns) == 1 and self.list_single_object:
            return campaigns[0]
        return campaigns

    def get(self, tenant: str, campaign_id: str) -> Campaign:
        return self._campaign(tenant, campaign_id)

    def find_by_name(self, tenant: str, name: str) -> Campaign:
        """The first campaign (by creation) whose name contains `name`, ignoring case."""
        wanted = name.casefold()
        for campaign in self.storage.records(self.kind, tenant):
            if wanted in campaign.get("campaignName", "").casefold():
                return campaign
        raise UnknownCampaign(f"No campaign name contains '{name}'")

    def errors(self, tenant: str) -> list[Campaign]:
        return self.storage.records(self.kind, tenant, tag=ERROR)

    def create(self, tenant: str, fields: dict[str, Any]) -> Campaign:
        self._check_room(tenant)
        now = utc_timestamp()
        campaign_id = self.ids.object_id()
        campaign: Campaign = {
            "listRel": [],
            "lists": [],
            "location": "US",
            "_id": campaign_id,
            "deleteFlag": False,
            **{name: fields[name] for name in REQUEST_FIELDS if name in fields},
            "startDate": None,
            "endDate": None,
            "active": 0,
            "numAttempts": 1,
            "retryInterval": 0,
            "runNow": False,
            "scheduleId": None,
            "rate": 1,
            "timezone": "",
            "appId": self.ids.object_id(),
            "createdDate": now,
            "createdBy": "*",
            "customerId": customer_id(tenant),
            "plan": "professional",
            "modifiedDate": now,
            "modifiedBy": "*",
            "status": DRAFT,
            "lastExecuted": "",
        }
        self._store(tenant, campaign)
        return campaign

    def update(self, tenant: str, campaign_id: str, fields: dict[str, Any]) -> Campaign:
        campaign = self._campaign(tenant, campaign_id)
        campaign.update({name: fields[name] for name in REQUEST_FIELDS if name in fields})
        campaign["modifiedDate"] = utc_timestamp()
        self._store(tenant, campaign)
        return campaign

    def delete(self, tenant: str, campaign_id: str) -> None:
        self._campaign(tenant, campaign_id)
        self.storage.delete(self.kind, tenant, campaign_id)

    def publish(self, tenant: str, campaign_id: str) -> None:
        campaign = self._campaign(tenant, campaign_id)
        now = utc_timestamp()
        campaign.update(status=PUBLISHED, active=1, publishedDate=now, modifiedDate=now)
        self._store(tenant, campaign)

    def run(self, tenant: str, campaign_id: str) -> None:
        """Run a published campaign; a draft (or one in error) cannot run."""
        campaign = self._campaign(tenant, campaign_id)
        if campaign["status"] != PUBLISHED:
            raise InvalidTransition(
                f"Campaign '{campaign_id}' is {campaign['status']}, not published: it cannot run"
            )
        campaign["lastExecuted"] = utc_timestamp()
        campaign["runId"] = f"{campaign_id}:{self.ids.digits(12)}"
        self._store(tenant, campaign)

    def mark_error(self, campaign_id: str) -> Campaign:
        """Put a campaign of any tenant into the `Error` status (control plane)."""
        tenant, campaign = self._campaign_of_any_tenant(campaign_id)
        campaign.update(status=ERROR, modifiedDate=utc_timestamp())
        self._store(tenant, campaign)
        return campaign
