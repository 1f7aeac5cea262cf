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

and, if the API has them, two more:

- `options`: a module of the API's own settings (`SandboxOptions` below): the flags of
  `campaign-sandbox`, the environment variables, the keywords of `build_config` and the
  option of the `campaign_sandbox` fixture that set them;
- `control_routes(backend, plane, prefix)`: the API's control-plane extras under
  `/_sandbox/<api>/` (what only the vendor's own systems do), each endpoint made with
  `plane.endpoint` (campaign_contracts.sandbox.control.ControlPlane: guard, checked body, one
  transaction, the control plane's error answers).

A new API's package lives beside the others, as `state.py` (the Backend), `routes.py`
(handlers and vendor), `options.py` and `control.py`, re-exported by its `__init__.py`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from campaign_contracts.registry import APIS, Api

# Types only: the pytest plugin finds each API's options through this module in every test
# run of a team with this distribution installed, so it imports nothing of the server.
if TYPE_CHECKING:
    import pytest
    from starlette.routing import Route

    from campaign_contracts.httpapi.validation import ApiDocument
    from campaign_contracts.sandbox.campaigns import TenantCampaigns as VendorBackend
    from campaign_contracts.sandbox.config import SandboxConfig
    from campaign_contracts.sandbox.control import ControlPlane
    from campaign_contracts.sandbox.operations import Handler, Vendor
    from campaign_contracts.sandbox.storage import Storage


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


class FixtureTenant(Protocol):
    """One API's part of the `campaign_sandbox` fixture: this run's credentials (and whatever
    the API adds, such as what a call sends), the tenant they name (what `reset()` and
    `requests()` filter on) and the `build_config` keywords that make a sandbox accept them."""

    @property
    def tenant(self) -> str: ...

    @property
    def config_keywords(self) -> dict[str, Any]: ...


class SandboxOptions(Protocol):
    """An API's own settings: what its `options` module offers."""

    # The `build_config` keywords it reads.
    KEYWORDS: frozenset[str]
    # Its environment variables with examples, and the default credentials, for --help.
    ENVIRONMENT: str
    DEFAULT_CREDENTIALS: str

    def add_arguments(self, parser: argparse.ArgumentParser, /) -> None: ...

    def from_arguments(self, args: argparse.Namespace, /) -> dict[str, Any]:
        """The `build_config` keywords of its parsed flags."""
        ...

    def settings(
        self,
        keywords: Mapping[str, Any],
        /,
        *,
        default_credentials: bool,
        environ: Mapping[str, str],
    ) -> Any:
        """Its settings from the keywords and `environ`; ConfigError if they cannot be used."""
        ...

    def secrets(self, settings: Any, /) -> Iterable[str]:
        """What the journal must never show."""
        ...

    def add_pytest_options(self, group: pytest.OptionGroup, /) -> None: ...

    def fixture_tenant(self, option: Callable[[str], Any], /) -> FixtureTenant:
        """This run's credentials from the fixture's options; ConfigError naming the option."""
        ...


ControlRoutes = Callable[["VendorBackend", "ControlPlane", str], list["Route"]]


def vendor_options() -> dict[str, SandboxOptions]:
    """The `options` module of each registered API that has one, by the API's name."""
    found = {name: getattr(vendor_package(entry), "options", None) for name, entry in APIS.items()}
    return {name: cast(SandboxOptions, module) for name, module in found.items() if module}


def vendor_control_routes() -> dict[str, ControlRoutes]:
    """The `control_routes` of each registered API that has control-plane extras."""
    found = {
        name: getattr(vendor_package(entry), "control_routes", None) for name, entry in APIS.items()
    }
    return {name: routes for name, routes in found.items() if routes is not None}


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A package's module `__getattr__` (PEP 562) giving each name of `exports` from the
    submodule named beside it (`{"Backend": "state.EngageBackend"}`), imported when first
    asked for: `options` is all the pytest plugin needs of an API's package."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = exports[name].rpartition(".")
        return getattr(importlib.import_module(f"{package}.{module}"), attribute)

    return __getattr__
