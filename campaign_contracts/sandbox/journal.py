"""The request journal: the latest exchanges with the imitated APIs, for consumers' tests to
query ("did my code publish the campaign after creating it?"), after WireMock's.

Kept in the storage as a log of JSON texts, a ring of `size` entries. An entry holds the
bodies as the JSON that was read and answered, spliced in as they are (the answer is encoded
anyway, and text cannot change with the state it was copied from); credentials are masked
when entries are read, so recording costs a request no walk over its bodies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Set
from typing import Any

from campaign_contracts.httpapi.encoding import encode_json
from campaign_contracts.sandbox.storage import Storage

JOURNAL = "journal"
MASK = "[masked]"
# Fields whose values are credentials, whatever the API: the Engage sign-in's password and
# issued token, session cookies, keys.
SECRET_FIELD = re.compile(r"pass(word)?|secret|token|authorization|cookie|session|api.?key", re.I)
# An entry keeps bodies up to this size (an Engage list of every campaign would fill the ring
# with copies of the whole state).
BODY_BYTES = 64 * 1024


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


def _kept(body: bytes | None) -> bytes:
    """The JSON an entry keeps of an encoded body: itself, or its size when too long."""
    if body is None:
        return b"null"
    if len(body) <= BODY_BYTES:
        return body
    return encode_json(f"[{len(body)} bytes, too long for the journal]")


class Journal:
    """Entries: time, api, tenant, operationId, method, path, query, requestBody, status,
    answerBody. The tenant is the public id (an Engage customerId, an IntelSend user id),
    never the credential that names it."""

    def __init__(self, storage: Storage, size: int, secrets: Set[str] = frozenset()) -> None:
        self._storage = storage
        self.size = size
        self._secrets = frozenset(secret for secret in secrets if secret)

    def record(
        self, entry: dict[str, Any], request_body: bytes | None, answer_body: bytes | None
    ) -> None:
        """Keep `entry` with the bodies as sent and answered (UTF-8 JSON, None for none)."""
        if not self.size:
            return
        # The entry's object with the bodies spliced in around its status, in the order the
        # fields are listed above (an entry has its api, so the object is never {}).
        status = encode_json(entry.pop("status"))
        text = b"".join(
            (
                encode_json(entry)[:-1],
                b',"requestBody":',
                _kept(request_body),
                b',"status":',
                status,
                b',"answerBody":',
                _kept(answer_body),
                b"}",
            )
        ).decode()
        with self._storage.transaction():
            number = self._storage.append(JOURNAL, text)
            # Trimmed after every tenth of its size, not on every entry (a trim walks `size`
            # entries); readers never see more than `size`.
            if number % (self.size // 10 + 1) == 0:
                self._storage.truncate(JOURNAL, self.size)

    def entries(
        self,
        api: str | None = None,
        operation_id: str | None = None,
        tenant: str | None = None,
        status: int | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The matching entries, newest first, credentials masked (a scan: the ring is small)."""
        newest = map(json.loads, self._storage.latest(JOURNAL, self.size))
        matching = [
            entry
            for entry in newest
            if api in (None, entry["api"])
            and operation_id in (None, entry["operationId"])
            and tenant in (None, entry["tenant"])
            and status in (None, entry["status"])
        ]
        return [mask(entry, self._secrets) for entry in matching[:limit]]

    def clear(self, api: str | None = None, tenant: str | None = None) -> None:
        """Forget the entries (of the API, of the tenant); the others keep their order."""
        with self._storage.transaction():
            kept = [
                text
                for text in self._storage.latest(JOURNAL, self.size)
                if not (
                    api in (None, (entry := json.loads(text))["api"])
                    and tenant in (None, entry["tenant"])
                )
            ]
            self._storage.truncate(JOURNAL, 0)
            for entry in reversed(kept):
                self._storage.append(JOURNAL, entry)
