"""Everything a running sandbox remembers: each registered API's backend and the pending faults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.faults import FaultRegistry
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend
from campaign_contracts.sandbox.validation import ApiDocument, load_api
from campaign_contracts.sandbox.vendors import VendorBackend, vendor_package


def _backends() -> dict[str, VendorBackend]:
    return {name: vendor_package(entry).Backend() for name, entry in APIS.items()}


@dataclass(frozen=True)
class SandboxState:
    apis: Mapping[str, ApiDocument] = field(
        default_factory=lambda: {name: load_api(name) for name in APIS}
    )
    # The backend of each API, by the API's name.
    backends: Mapping[str, VendorBackend] = field(default_factory=_backends)
    faults: FaultRegistry = field(default_factory=FaultRegistry)

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
