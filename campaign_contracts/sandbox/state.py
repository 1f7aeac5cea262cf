"""Everything a running sandbox remembers: each registered API's backend, the pending faults
and the journal, all kept in one storage (memory, or the --state file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from campaign_contracts.httpapi.validation import ApiDocument, load_api
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.campaigns import TenantCampaigns
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.faults import FaultRegistry
from campaign_contracts.sandbox.journal import Journal
from campaign_contracts.sandbox.storage import MemoryStorage, Storage
from campaign_contracts.sandbox.vendors import vendor_options, vendor_package


class SandboxState:
    def __init__(
        self,
        config: SandboxConfig | None = None,
        storage: Storage | None = None,
        apis: Mapping[str, ApiDocument] | None = None,
    ) -> None:
        config = config or SandboxConfig()
        self.config = config
        self.storage = storage or MemoryStorage()
        self.apis = apis or {
            name: load_api(name) for name in APIS if not config.apis or name in config.apis
        }
        # The backend of each API, by the API's name.
        self.backends: Mapping[str, TenantCampaigns] = {
            name: vendor_package(entry).Backend(self.storage, config.max_campaigns)
            for name, entry in APIS.items()
        }
        self.faults = FaultRegistry(self.storage, config.max_pending_faults)
        secrets = {
            secret
            for name, options in vendor_options().items()
            for secret in options.secrets(config.vendor_settings[name])
        }
        self.journal = Journal(self.storage, config.journal_size, secrets)

    def __getattr__(self, name: str) -> Any:
        """An API's backend by the API's name (`state.intelsend`), for what runs in the same
        process (benchmarks/sandbox_scale.py)."""
        backends = self.__dict__.get("backends", {})
        if name in backends:
            return backends[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
