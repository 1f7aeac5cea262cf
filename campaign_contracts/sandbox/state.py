"""Everything a running sandbox remembers: each registered API's backend, the pending faults
and the journal, all kept in one storage (memory, or the --state file)."""

from __future__ import annotations

from collections.abc import Mapping

from campaign_contracts.httpapi.validation import ApiDocument, load_api
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.faults import FaultRegistry
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend
from campaign_contracts.sandbox.journal import Journal
from campaign_contracts.sandbox.storage import MemoryStorage, Storage
from campaign_contracts.sandbox.vendors import VendorBackend, vendor_package


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
        self.backends: Mapping[str, VendorBackend] = {
            name: vendor_package(entry).Backend(self.storage, config.max_campaigns)
            for name, entry in APIS.items()
        }
        self.faults = FaultRegistry(self.storage, config.max_pending_faults)
        credentials = {
            *config.engage_tokens,
            *config.engage_logins.values(),
            *config.intelsend_sessions,
        }
        self.journal = Journal(self.storage, config.journal_size, credentials)

    # The two vendors' own control endpoints (campaign_contracts/sandbox/control.py) need them.
    @property
    def engage(self) -> EngageBackend:
        backend = self.backends["engage"]
        assert isinstance(backend, EngageBackend)
        return backend

    @property
    def intelsend(self) -> IntelSendBackend:
        backend = self.backends["intelsend"]
        assert isinstance(backend, IntelSendBackend)
        return backend
