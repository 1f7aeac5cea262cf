"""Which credentials the sandbox accepts, from defaults, environment variables and flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypedDict

from campaign_contracts.sandbox.vendors import vendor_options

CONTROL_TOKEN_ENV = "CAMPAIGN_SANDBOX_CONTROL_TOKEN"
MAX_BODY_BYTES = 1024 * 1024
# What one caller can pile up in a long-lived shared sandbox.
MAX_CAMPAIGNS = 100_000
MAX_PENDING_FAULTS = 1_000
JOURNAL_SIZE = 1_000


class ConfigError(ValueError):
    """A credential setting that cannot be understood."""


@dataclass(frozen=True)
class SandboxConfig:
    """What the sandbox accepts and keeps; each API's credentials are in `vendor_settings`."""

    # API name → its settings (its package's `options.settings`; each credential a tenant).
    vendor_settings: Mapping[str, Any] = field(default_factory=lambda: _vendor_settings({}))
    max_body_bytes: int = MAX_BODY_BYTES
    seed: int | None = None
    # With a token, every control call but health needs `Authorization: Bearer <token>`.
    control_token: str | None = None
    # Origins whose pages may call the control plane; any other Origin header is refused.
    allow_origins: frozenset[str] = frozenset()
    max_campaigns: int = MAX_CAMPAIGNS
    max_pending_faults: int = MAX_PENDING_FAULTS
    journal_size: int = JOURNAL_SIZE
    # The SQLite file of every API's state; None: in memory, gone when the process ends.
    state: Path | None = None
    # The APIs served (their documents loaded), in the registry's order; empty: every one.
    # One API broken in its document does not stop serving another (`--api intelsend`).
    apis: frozenset[str] = frozenset()

    def __getattr__(self, name: str) -> Any:
        """An API's setting by its own name (`config.engage_tokens`), as before each API kept
        its settings in a package of its own."""
        if not name.startswith("_"):
            for settings in self.__dict__.get("vendor_settings", {}).values():
                if hasattr(settings, name):
                    return getattr(settings, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


class SharingOptions(TypedDict, total=False):
    """The options of a sandbox shared by a team (each defaults to SandboxConfig's)."""

    control_token: str | None
    allow_origins: Iterable[str]
    max_campaigns: int
    journal_size: int
    state: Path | None


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_config(
    *,
    default_credentials: bool = True,
    environ: Mapping[str, str] | None = None,
    seed: int | None = None,
    apis: Iterable[str] = (),
    **options: Any,
) -> SandboxConfig:
    """The sandbox's configuration from the same options as the command line.

    `options` are each API's own keywords (its package's `options.KEYWORDS`, such as
    `engage_tokens`), whose credentials add to the defaults (unless `default_credentials` is
    false) and to those its environment variables in `environ` name; and `SharingOptions`,
    what a shared sandbox needs, whose control token defaults to CAMPAIGN_SANDBOX_CONTROL_TOKEN.
    """
    environ = environ or {}
    sharing = {
        name: options.pop(name) for name in SharingOptions.__annotations__ if name in options
    }
    vendors = vendor_options()
    known = {keyword for module in vendors.values() for keyword in module.KEYWORDS}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"build_config() got an unexpected keyword argument {unknown[0]!r}")
    vendor_settings = _vendor_settings(
        options, default_credentials=default_credentials, environ=environ
    )
    max_campaigns = sharing.get("max_campaigns", MAX_CAMPAIGNS)
    if max_campaigns < 1:
        raise ConfigError(f"--max-campaigns must be at least 1, not {max_campaigns}")
    journal_size = sharing.get("journal_size", JOURNAL_SIZE)
    if journal_size < 0:
        raise ConfigError(f"--journal-size must be 0 (no journal) or more, not {journal_size}")
    control_token = sharing.get("control_token") or environ.get(CONTROL_TOKEN_ENV) or ""
    return SandboxConfig(
        vendor_settings=vendor_settings,
        seed=seed,
        control_token=control_token.strip() or None,
        allow_origins=frozenset(origin.rstrip("/") for origin in sharing.get("allow_origins", ())),
        max_campaigns=max_campaigns,
        journal_size=journal_size,
        state=sharing.get("state"),
        apis=frozenset(apis),
    )


def _vendor_settings(
    keywords: Mapping[str, Any],
    *,
    default_credentials: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Mapping[str, Any]:
    """Each API's settings (ConfigError if one cannot be understood), by the API's name."""
    return MappingProxyType(
        {
            name: module.settings(
                keywords, default_credentials=default_credentials, environ=environ or {}
            )
            for name, module in vendor_options().items()
        }
    )


def __getattr__(name: str) -> Any:
    """An API's option constant or parser by its own name (`DEFAULT_ENGAGE_TOKEN`,
    `parse_session`), as this module offered them before each API kept its options in a
    package of its own."""
    # Not for dunders, which the import system asks for while this module is being imported.
    if not name.startswith("_"):
        for module in vendor_options().values():
            if hasattr(module, name):
                return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
