"""IntelSend campaigns per user and their create → build → send lifecycle; no HTTP here."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from campaign_contracts.sandbox.campaigns import Campaign, TenantCampaigns
from campaign_contracts.sandbox.config import MAX_CAMPAIGNS
from campaign_contracts.sandbox.errors import InvalidCampaign, InvalidTransition
from campaign_contracts.sandbox.generators import utc_timestamp
from campaign_contracts.sandbox.storage import MAX_INDEX, Order, Storage

DRAFT, BUILD, SENDING, SENT, FAILED = "DRAFT", "BUILD", "SENDING", "SENT", "FAILED"
STATUSES = (DRAFT, BUILD, SENDING, SENT, FAILED)
# The document's Channel enum (tests/sandbox checks they agree).
CHANNELS = ("email", "sms", "voice")
FINAL_STATUSES = (SENT, FAILED)
# What a sent campaign's messages count as, by its status: pending while it is SENDING, then
# delivered or failed once the control plane finishes it.
MESSAGE_STATUS = {SENDING: "PENDING", SENT: "DELIVERED", FAILED: "FAILED"}
# What a 409 of build or send tells the caller.
IN_ORDER = "call create → build → send in order"
CONTACT_LISTS = "intelsend.contact_lists"
# Which campaigns have which channel, for the list's channel filter: one entry per campaign and
# channel, stored when the campaign is created (so entries keep creation order even when a
# draft's channels change later), tagged "<channel> <status>" while the campaign has the
# channel and "" while it has not.
CHANNEL_INDEX = "intelsend.campaigns.by_channel"
# Read newest first in chunks growing from this size, when a filter's matches are not known
# from the storage's counts.
FIRST_CHUNK = 64


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

    def has_dates(self) -> bool:
        return self.start_date is not None or self.end_date is not None

    def matches(self, campaign: Campaign) -> bool:
        """Whether the query lists the campaign (what `page` finds through its indexes)."""
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
        self._index_unindexed()

    def _index_unindexed(self) -> None:
        """Build the channel index of a state file written before there was one."""
        with self.storage.transaction():
            for user in self.tenants():
                if self.storage.count(CHANNEL_INDEX, user) == len(CHANNELS) * self.count(user):
                    continue
                self.storage.clear(CHANNEL_INDEX, user)
                for number, campaign in enumerate(self.storage.records(self.kind, user)):
                    self._index(user, campaign, {"n": number})

    def reset(self) -> None:
        super().reset()
        self.storage.clear(CHANNEL_INDEX)
        self.storage.clear(CONTACT_LISTS)

    def reset_tenant(self, tenant: str) -> None:
        super().reset_tenant(tenant)
        self.storage.clear(CHANNEL_INDEX, tenant)

    def _store(self, tenant: str, campaign: Campaign, created: bool = False) -> None:
        super()._store(tenant, campaign)
        if created:
            # Its place: how many campaigns the tenant had before (IntelSend deletes none).
            self._index(tenant, campaign, {"n": self.count(tenant) - 1})
        else:
            key = f"{CHANNELS[0]} {campaign['campaignId']}"
            entry = self.storage.get(CHANNEL_INDEX, tenant, key)
            assert entry is not None, f"{key} is not in the channel index"
            self._index(tenant, campaign, entry)

    def _index(self, tenant: str, campaign: Campaign, place: dict[str, Any]) -> None:
        """(Re)tag the campaign's channel index entries; with its day, pages merge and dates
        filter from the index alone."""
        campaign_id, status = campaign["campaignId"], campaign["status"]
        entry = {"campaignId": campaign_id, "n": place["n"], "day": campaign["createdAt"][:10]}
        for channel in CHANNELS:
            tag = f"{channel} {status}" if channel in campaign["channel"] else ""
            self.storage.put(CHANNEL_INDEX, tenant, f"{channel} {campaign_id}", entry, tag=tag)

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
        self._store(user, campaign, created=True)
        return campaign

    def page(self, user: str, query: ListQuery) -> dict[str, Any]:
        """One page of the matching campaigns, newest first, and how many match in all.

        The time grows with the page asked for and with the matches, not with the user's
        history: a status is each campaign's tag and a channel and status an entry's tag in
        the channel index, so the storage pages and counts them by itself; a channel without
        a status merges the index's five status tags. Creation order is createdAt order, so
        dates cut a newest-first walk: it skips what is newer than `endDate` and stops at the
        first campaign older than `startDate`.
        """
        # A page number the document allows can be far past any index islice takes.
        first = min((query.page - 1) * query.limit, MAX_INDEX)
        if query.channel is None and not query.has_dates():
            count = self.storage.count(self.kind, user, query.status)
            result = self.storage.records(
                self.kind,
                user,
                tag=query.status,
                order=Order(newest_first=True, offset=first, limit=query.limit),
            )
        elif not query.has_dates():
            tags = self._channel_tags(query)
            count = sum(self.storage.count(CHANNEL_INDEX, user, tag) for tag in tags)
            ids = islice(self._indexed(user, tags, first + query.limit), first, None)
            result = [self._campaign(user, entry["campaignId"]) for entry in ids]
        else:
            matching = list(self._within_dates(self._newest_first(user, query), query))
            count = len(matching)
            result = [
                self._campaign(user, entry["campaignId"]) if query.channel else entry
                for entry in matching[first : first + query.limit]
            ]
        return {
            "result": result,
            "meta": {"count": count, "page": query.page, "limit": query.limit},
        }

    @staticmethod
    def _channel_tags(query: ListQuery) -> list[str]:
        statuses = STATUSES if query.status is None else (query.status,)
        return [f"{query.channel} {status}" for status in statuses]

    def _indexed(self, user: str, tags: list[str], limit: int | None) -> Iterator[dict[str, Any]]:
        """Channel index entries of any of `tags`, newest first (the first `limit`)."""
        order = Order(newest_first=True, limit=limit)
        return heapq.merge(
            *(self.storage.records(CHANNEL_INDEX, user, tag=tag, order=order) for tag in tags),
            key=_newest_entry_first,
        )

    def _newest_first(self, user: str, query: ListQuery) -> Iterator[dict[str, Any]]:
        """Campaigns of the status (or channel index entries of the channel), newest first."""
        if query.channel is None:
            return self._in_chunks(self.kind, user, query.status)
        streams = (self._in_chunks(CHANNEL_INDEX, user, tag) for tag in self._channel_tags(query))
        return heapq.merge(*streams, key=_newest_entry_first)

    def _in_chunks(self, kind: str, user: str, tag: str | None) -> Iterator[dict[str, Any]]:
        """The records of the kind and tag, newest first, read in growing chunks: a walk that
        dates stop early reads little."""
        chunk, offset = FIRST_CHUNK, 0
        while True:
            order = Order(newest_first=True, offset=offset, limit=chunk)
            read = self.storage.records(kind, user, tag=tag, order=order)
            yield from read
            if len(read) < chunk:
                return
            offset, chunk = offset + chunk, chunk * 2

    @staticmethod
    def _within_dates(
        newest_first: Iterator[dict[str, Any]], query: ListQuery
    ) -> Iterator[dict[str, Any]]:
        """The campaigns or entries created within the query's days (ISO days compare as
        text; createdAt starts with its UTC day)."""
        for item in newest_first:
            day = item["day"] if "day" in item else item["createdAt"][:10]
            if query.start_date is not None and day < query.start_date:
                return
            if query.end_date is None or day <= query.end_date:
                yield item

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


def _newest_entry_first(entry: dict[str, Any]) -> int:
    """The order of channel index entries, newest first (`n` counts campaigns created)."""
    return -int(entry["n"])
