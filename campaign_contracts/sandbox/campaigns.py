"""What both backends share: campaigns kept per tenant and found by id; no HTTP here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campaign_contracts.sandbox.errors import UnknownCampaign

Campaign = dict[str, Any]
"""A campaign exactly as its vendor's API answers it (the document's `Campaign` schema)."""


@dataclass
class TenantCampaigns:
    """Every tenant's campaigns by id, in creation order."""

    tenants: dict[str, dict[str, Campaign]] = field(default_factory=dict)

    def _campaign(self, tenant: str, campaign_id: str) -> Campaign:
        campaign = self.tenants.get(tenant, {}).get(campaign_id)
        if campaign is None:
            raise UnknownCampaign(f"No campaign has the id '{campaign_id}'")
        return campaign

    def _campaign_of_any_tenant(self, campaign_id: str) -> Campaign:
        """For the control plane, which sees every tenant."""
        for campaigns in self.tenants.values():
            if campaign_id in campaigns:
                return campaigns[campaign_id]
        raise UnknownCampaign(f"No campaign has the id '{campaign_id}'")
