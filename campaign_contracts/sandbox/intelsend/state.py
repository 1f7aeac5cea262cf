"""IntelSend campaigns per user and their create → build → send lifecycle; no HTTP here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaign_contracts.sandbox.campaigns import Campaign, TenantCampaigns
from campaign_contracts.sandbox.config import MAX_CAMPAIGNS
from campaign_contracts.sandbox.errors import InvalidCampaign, InvalidTransition
from campaign_contracts.sandbox.generators import utc_timestamp
from campaign_contracts.sandbox.storage import NEWEST_FIRST, Order, Storage

DRAFT, BUILD, SENDING, SENT, FAILED = "DRAFT", "BUILD", "SENDING", "SENT", "FAILED"
FINAL_STATUSES = (SENT, FAILED)
# What a sent campaign's messages count as, by its status: pending while it is SENDING, then
# delivered or failed once the control plane finishes it.
MESSAGE_STATUS = {SENDING: "PENDING", SENT: "DELIVERED", FAILED: "FAILED"}
# What a 409 of build or send tells the caller.
IN_ORDER = "call create → build → send in order"
CONTACT_LISTS = "intelsend.contact_lists"


@dataclass(frozen=True)
class ContactList:
    name: str
    contacts: int


@dataclass(frozen=True)
class ListQuery:
    """A page of the list and its filters; dates are ISO days, inclusive, on `createdAt`."""

    page: int
    limit: int
    status: str | None = None
    channel: str | None = None
    start_date: str | None = None
    end_date: str | None = None

    def is_status_only(self) -> bool:
        return self.channel is None and self.start_date is None and self.end_date is None

    def matches(self, campaign: Campaign) -> bool:
        # ISO dates compare as text; createdAt starts with its UTC day.
        created = campaign["createdAt"][:10]
        return (
            self.status in (None, campaign["status"])
            and (self.channel is None or self.channel in campaign["channel"])
            and (self.start_date is None or created >= self.start_date)
            and (self.end_date is None or created <= self.end_date)
        )


class IntelSendBackend(TenantCampaigns):
    """Every user's campaigns, in creation order, and the contact lists they refer to."""

    def __init__(self, storage: Storage, max_campaigns: int = MAX_CAMPAIGNS) -> None:
        super().__init__("intelsend", "campaignId", storage, max_campaigns)

    def reset(self) -> None:
        super().reset()
        self.storage.clear(CONTACT_LISTS)

    def register_contact_list(self, list_id: str, name: str, contacts: int) -> None:
        """Name a contact list and size it; campaigns saved from now on show that name."""
        # Contact lists are the control plane's, shared by every user.
        self.storage.put(CONTACT_LISTS, "", list_id, {"name": name, "contacts": contacts})

    def contact_list(self, list_id: str) -> ContactList:
        record = self.storage.get(CONTACT_LISTS, "", list_id)
        if record is None:
            return ContactList(f"list-{list_id[-6:]}", 1)
        return ContactList(record["name"], record["contacts"])

    def save(self, user: str, request: dict[str, Any]) -> Campaign:
        """Create a campaign, or update the draft that `campaignId` names."""
        missing = [c for c in request["channel"] if c not in request["settings"]]
        if missing:
            raise InvalidCampaign(
                f"settings.{missing[0]} is required: '{missing[0]}' is in channel"
            )
        fields = {
            "name": request["name"],
            "channel": request["channel"],
            "settings": request["settings"],
            "contactListId": [
                {"_id": list_id, "name": self.contact_list(list_id).name}
                for list_id in request["contactListId"]
            ],
        }
        campaign_id = request.get("campaignId")
        if campaign_id is not None:
            campaign = self._campaign(user, campaign_id)
            if campaign["status"] != DRAFT:
                raise InvalidTransition(
                    f"Campaign '{campaign_id}' is {campaign['status']}: only a DRAFT can change"
                )
            campaign.update(fields)
            self._store(user, campaign)
            return campaign
        self._check_room(user)
        now = utc_timestamp()
        campaign = {
            "campaignId": self.ids.object_id(),
            **fields,
            "status": DRAFT,
            "changeLog": [{"status": DRAFT, "updateAt": now}],
            "createdAt": now,
            "stats": {"result": [], "initContacts": []},
        }
        self._store(user, campaign)
        return campaign

    def page(self, user: str, query: ListQuery) -> dict[str, Any]:
        """One page of the matching campaigns, newest first, and how many match in all.

        Unfiltered or filtered by status only, the storage pages and counts by itself (the
        status is each campaign's tag): the time does not grow with the user's history. The
        other filters look at every campaign of the status asked for (or all).
        """
        first = (query.page - 1) * query.limit
        if query.is_status_only():
            count = self.storage.count(self.kind, user, query.status)
            result = self.storage.records(
                self.kind,
                user,
                tag=query.status,
                order=Order(newest_first=True, offset=first, limit=query.limit),
            )
        else:
            candidates = self.storage.records(self.kind, user, tag=query.status, order=NEWEST_FIRST)
            matching = [campaign for campaign in candidates if query.matches(campaign)]
            count, result = len(matching), matching[first : first + query.limit]
        return {
            "result": result,
            "meta": {"count": count, "page": query.page, "limit": query.limit},
        }

    def _move(self, campaign: Campaign, expected: str, status: str, hint: str) -> None:
        if campaign["status"] != expected:
            raise InvalidTransition(
                f"Campaign '{campaign['campaignId']}' is {campaign['status']}, not {expected}:"
                f" {hint}"
            )
        campaign["status"] = status
        campaign["changeLog"].append({"status": status, "updateAt": utc_timestamp()})

    def _count_messages(self, campaign: Campaign) -> None:
        total = sum(entry["contacts"] for entry in campaign["stats"]["initContacts"])
        message_status = MESSAGE_STATUS[campaign["status"]]
        campaign["stats"]["result"] = [{"_id": {"status": message_status}, "count": total}]

    def build(self, user: str, campaign_id: str) -> None:
        campaign = self._campaign(user, campaign_id)
        self._move(campaign, DRAFT, BUILD, IN_ORDER)
        campaign["stats"]["initContacts"] = [
            {"name": entry["name"], "contacts": self.contact_list(entry["_id"]).contacts}
            for entry in campaign["contactListId"]
        ]
        self._store(user, campaign)

    def send(self, user: str, campaign_id: str) -> None:
        campaign = self._campaign(user, campaign_id)
        self._move(campaign, BUILD, SENDING, IN_ORDER)
        self._count_messages(campaign)
        self._store(user, campaign)

    def finish(self, campaign_id: str, status: str) -> Campaign:
        """End the delivery of a sending campaign of any user (control plane)."""
        user, campaign = self._campaign_of_any_tenant(campaign_id)
        self._move(campaign, SENDING, status, "only a sending campaign finishes")
        self._count_messages(campaign)
        self._store(user, campaign)
        return campaign
