"""Everything a running sandbox remembers: both vendors' backends and the pending faults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.faults import FaultRegistry
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend
from campaign_contracts.sandbox.validation import SPEC_FILES, ApiDocument, load_api


@dataclass(frozen=True)
class SandboxState:
    apis: Mapping[str, ApiDocument] = field(
        default_factory=lambda: {name: load_api(name) for name in SPEC_FILES}
    )
    engage: EngageBackend = field(default_factory=EngageBackend)
    intelsend: IntelSendBackend = field(default_factory=IntelSendBackend)
    faults: FaultRegistry = field(default_factory=FaultRegistry)

    @property
    def backends(self) -> Mapping[str, EngageBackend | IntelSendBackend]:
        """The backend of each API, by the API's name."""
        return {"engage": self.engage, "intelsend": self.intelsend}
