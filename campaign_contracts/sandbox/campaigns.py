"""What both backends share: campaigns kept per tenant in the storage, by id; no HTTP here."""

from __future__ import annotations

from typing import Any

from campaign_contracts.sandbox.errors import LimitReached, UnknownCampaign
from campaign_contracts.sandbox.generators import IdGenerator
from campaign_contracts.sandbox.storage import Order, Storage

Campaign = dict[str, Any]
"""A campaign exactly as its vendor's API answers it (the document's `Campaign` schema)."""


class TenantCampaigns:
    """Every tenant's campaigns of one API, in creation order, tagged with their status.

    A campaign read from the storage is a copy or the stored object, depending on the storage:
    a change is only kept once `_store` writes it back.
    """

    def __init__(self, api: str, id_field: str, storage: Storage, max_campaigns: int) -> None:
        self.api = api
        self.kind = f"{api}.campaigns"
        self.storage = storage
        self.ids = IdGenerator(api, storage)
        self.max_campaigns = max_campaigns
        self._id_field = id_field

    def _campaign(self, tenant: str, campaign_id: str) -> Campaign:
        campaign = self.storage.get(self.kind, tenant, campaign_id)
        if campaign is None:
            raise UnknownCampaign(f"No campaign has the id '{campaign_id}'")
        return campaign

    def _campaign_of_any_tenant(self, campaign_id: str) -> tuple[str, Campaign]:
        """For the control plane, which sees every tenant."""
        found = self.storage.find(self.kind, campaign_id)
        if found is None:
            raise UnknownCampaign(f"No campaign has the id '{campaign_id}'")
        return found

    def _store(self, tenant: str, campaign: Campaign) -> None:
        self.storage.put(
            self.kind, tenant, campaign[self._id_field], campaign, tag=campaign["status"]
        )

    def _check_room(self, tenant: str) -> None:
        """Before a create: a shared sandbox only grows (IntelSend has no delete), so stop it."""
        if self.storage.count(self.kind, tenant) >= self.max_campaigns:
            raise LimitReached(
                f"Sandbox limit reached: this tenant has {self.max_campaigns} campaigns, the"
                " most the sandbox keeps (--max-campaigns); reset the tenant with"
                " POST /_sandbox/reset?tenant=ID"
            )

    def reset(self) -> None:
        """Forget every tenant's campaigns; seeded ids start over."""
        self.storage.clear(self.kind)
        self.ids.restart()

    def reset_tenant(self, tenant: str) -> None:
        self.storage.clear(self.kind, tenant)

    def tenants(self) -> list[str]:
        return self.storage.tenants(self.kind)

    def newest(self, tenant: str, limit: int) -> list[Campaign]:
        """The tenant's latest campaigns, newest first (for the inspector)."""
        return self.storage.records(self.kind, tenant, order=Order(newest_first=True, limit=limit))

    def count(self, tenant: str, status: str | None = None) -> int:
        return self.storage.count(self.kind, tenant, status)
