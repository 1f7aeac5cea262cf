"""Engage's signed-in tokens: issued by `authenticate`, each naming its login's tenant; no HTTP.

A small part of the Engage state with its own `reset()` (which the backend's calls), kept in
the sandbox's storage like the campaigns, so a sandbox shared through `--state` accepts a token
whichever of its processes issued it. Expiry times are wall-clock seconds for the same reason.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from campaign_contracts.sandbox.storage import Storage

KIND = "engage.tokens"
# Tokens one login keeps: a shared sandbox is signed in to again and again; the oldest go first.
MAX_TOKENS_PER_LOGIN = 1000


class ExpiredToken(Exception):
    """A token this store issued, no longer valid."""


class TokenStore:
    """Tokens by value, each stored under its tenant with the time it stops working."""

    def __init__(self, storage: Storage, clock: Callable[[], float] = time.time) -> None:
        self.storage = storage
        self.clock = clock

    def issue(self, tenant: str, ttl_seconds: float) -> str:
        # Opaque and unguessable like the vendor's; the tenant is found by lookup.
        token = secrets.token_urlsafe(32)
        with self.storage.transaction():
            record = {"token": token, "expiresAt": self.clock() + ttl_seconds}
            self.storage.put(KIND, tenant, token, record)
            self.storage.trim(KIND, tenant, MAX_TOKENS_PER_LOGIN)
        return token

    def tenant_of(self, token: str) -> str | None:
        """The tenant `token` names; None if this store never issued it (or forgot it);
        ExpiredToken if it is past its lifetime or was expired through the control plane."""
        found = self.storage.find(KIND, token) if token else None
        if found is None:
            return None
        tenant, record = found
        if self.clock() >= record["expiresAt"]:
            raise ExpiredToken(token)
        return tenant

    def expire_all(self) -> int:
        """End every issued token now (they answer 401 from now on); how many were still valid."""
        now = self.clock()
        valid = 0
        with self.storage.transaction():
            for tenant in self.storage.tenants(KIND):
                for record in self.storage.records(KIND, tenant):
                    if record["expiresAt"] > now:
                        valid += 1
                        self.storage.put(
                            KIND, tenant, record["token"], {**record, "expiresAt": now}
                        )
        return valid

    def reset(self) -> None:
        self.storage.clear(KIND)
