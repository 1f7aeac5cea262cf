"""The request journal: the latest exchanges with the imitated APIs, for consumers' tests to
query ("did my code publish the campaign after creating it?"), after WireMock's.

Kept in the storage as a ring of `size` entries, newest last; credentials never enter it.
"""

from __future__ import annotations

import re
from collections.abc import Set
from typing import Any

from campaign_contracts.sandbox.storage import Order, Storage

JOURNAL = "journal"
MASK = "[masked]"
# Fields whose values are credentials, whatever the API: the Engage sign-in's password and
# issued token, session cookies, keys.
SECRET_FIELD = re.compile(r"pass(word)?|secret|token|authorization|cookie|session|api.?key", re.I)


def mask(value: Any, secrets: Set[str]) -> Any:
    """`value` with every credential field and every known credential replaced by MASK."""
    if isinstance(value, dict):
        return {
            name: MASK if SECRET_FIELD.search(name) else mask(item, secrets)
            for name, item in value.items()
        }
    if isinstance(value, list):
        return [mask(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
    return value


class Journal:
    """Entries: time, api, tenant, operationId, method, path, query, requestBody, status,
    answerBody. The tenant is the public id (an Engage customerId, an IntelSend user id),
    never the credential that names it."""

    def __init__(self, storage: Storage, size: int, secrets: Set[str] = frozenset()) -> None:
        self._storage = storage
        self.size = size
        self._secrets = frozenset(secret for secret in secrets if secret)

    def record(self, entry: dict[str, Any]) -> None:
        if not self.size:
            return
        with self._storage.transaction():
            self._storage.add(JOURNAL, "", mask(entry, self._secrets), tag=entry["api"])
            # Trimmed once a tenth over its size, not on every entry (a trim walks `size`
            # entries); readers never see more than `size`.
            if self._storage.count(JOURNAL, "") >= self.size + self.size // 10 + 1:
                self._storage.trim(JOURNAL, "", self.size)

    def entries(
        self,
        api: str | None = None,
        operation_id: str | None = None,
        tenant: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The matching entries, newest first (a scan: the ring is small)."""
        newest = self._storage.records(JOURNAL, "", order=Order(newest_first=True, limit=self.size))
        matching = [
            entry
            for entry in newest
            if api in (None, entry["api"])
            and operation_id in (None, entry["operationId"])
            and tenant in (None, entry["tenant"])
            and status in (None, entry["status"])
        ]
        return matching[:limit]

    def clear(self, api: str | None = None, tenant: str | None = None) -> None:
        """Forget the entries (of the API, of the tenant); the others keep their order."""
        with self._storage.transaction():
            kept = [
                entry
                for entry in self._storage.records(JOURNAL, "")
                if not (api in (None, entry["api"]) and tenant in (None, entry["tenant"]))
            ]
            self._storage.clear(JOURNAL)
            for entry in kept:
                self._storage.add(JOURNAL, "", entry, tag=entry["api"])
