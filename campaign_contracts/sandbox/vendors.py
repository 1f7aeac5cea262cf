"""What the sandbox needs from each API's package: the registry's `sandbox` import path.

`campaign_contracts.registry` names, per API, a package (`campaign_contracts.sandbox.engage`);
the sandbox imports it and uses three names from it:

- `Backend`: the API's state, no HTTP, kept in the sandbox's storage (built with the storage and
  the campaigns a tenant may keep; a `TenantCampaigns` of campaign_contracts/sandbox/campaigns.py:
  `ids`, an IdGenerator that `--seed` and `/_sandbox/seed` reseed, `reset()` and
  `reset_tenant()` for `/_sandbox/reset`, what the inspector page shows);
- `handlers(backend, config)`: operationId → Handler (`campaign_contracts.sandbox.operations`),
  one per operation of the document, no more, no fewer (`config`: the sandbox's
  `SandboxConfig`, which Engage's sign-in checks logins against);
- `vendor(api, config, backend)`: the `Vendor` (error body, authentication, the status of each
  kind of StateError, the credential lines of the start-up banner) for the document `api`, the
  sandbox's `SandboxConfig` and the API's backend (whose issued tokens Engage accepts).

A new API's package lives beside `engage/` and `intelsend/`, as `state.py` (the Backend) and
`routes.py` (handlers and vendor), re-exported by its `__init__.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol, cast

from campaign_contracts.registry import Api
from campaign_contracts.sandbox.campaigns import TenantCampaigns
from campaign_contracts.sandbox.storage import Storage

if TYPE_CHECKING:
    from campaign_contracts.httpapi.validation import ApiDocument
    from campaign_contracts.sandbox.config import SandboxConfig
    from campaign_contracts.sandbox.operations import Handler, Vendor


VendorBackend = TenantCampaigns


class VendorPackage(Protocol):
    Backend: Callable[[Storage, int], VendorBackend]

    def handlers(
        self, backend: VendorBackend, config: SandboxConfig, /
    ) -> Mapping[str, Handler]: ...

    def vendor(
        self, api: ApiDocument, config: SandboxConfig, backend: VendorBackend, /
    ) -> Vendor: ...


def vendor_package(entry: Api) -> VendorPackage:
    """The sandbox package of a registered API."""
    return cast(VendorPackage, importlib.import_module(entry.sandbox))
