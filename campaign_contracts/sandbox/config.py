"""Which credentials the sandbox accepts, from defaults, environment variables and flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypedDict, Unpack

from campaign_contracts.registry import APIS

DEFAULT_ENGAGE_TOKEN = APIS["engage"].credential("ENGAGE_TOKEN").sandbox_default
DEFAULT_INTELSEND_SESSION = APIS["intelsend"].credential("INTELSEND_SESSION_TOKEN").sandbox_default
DEFAULT_INTELSEND_USER = APIS["intelsend"].credential("INTELSEND_USER_ID").sandbox_default
ENGAGE_TOKENS_ENV = "CAMPAIGN_SANDBOX_ENGAGE_TOKENS"
INTELSEND_SESSIONS_ENV = "CAMPAIGN_SANDBOX_INTELSEND_SESSIONS"
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
    """Each Engage token and each IntelSend user is a tenant of its own."""

    engage_tokens: frozenset[str] = frozenset({DEFAULT_ENGAGE_TOKEN})
    # Session cookie value → the user id it is bound to.
    intelsend_sessions: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {DEFAULT_INTELSEND_SESSION: DEFAULT_INTELSEND_USER}
        )
    )
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


class SharingOptions(TypedDict, total=False):
    """The options of a sandbox shared by a team (each defaults to SandboxConfig's)."""

    control_token: str | None
    allow_origins: Iterable[str]
    max_campaigns: int
    journal_size: int
    state: Path | None


def parse_session(text: str) -> tuple[str, str]:
    """`TOKEN=USER_ID` → (token, user id)."""
    token, equals, user = (part.strip() for part in text.partition("="))
    if not (token and equals and user):
        raise ConfigError(f"an IntelSend session is TOKEN=USER_ID, not {text!r}")
    return token, user


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_config(
    *,
    engage_tokens: Iterable[str] = (),
    intelsend_sessions: Sequence[str] = (),
    default_credentials: bool = True,
    environ: Mapping[str, str] | None = None,
    seed: int | None = None,
    **sharing: Unpack[SharingOptions],
) -> SandboxConfig:
    """The defaults (unless `default_credentials` is false), plus the credentials named in
    `environ` (CAMPAIGN_SANDBOX_ENGAGE_TOKENS=a,b; CAMPAIGN_SANDBOX_INTELSEND_SESSIONS=tok=user,…),
    plus those given as arguments. A session named twice is bound to the last user given.
    `sharing` sets what a shared sandbox needs; its control token defaults to
    CAMPAIGN_SANDBOX_CONTROL_TOKEN."""
    environ = environ or {}
    tokens = {DEFAULT_ENGAGE_TOKEN} if default_credentials else set()
    tokens.update(_split(environ.get(ENGAGE_TOKENS_ENV, "")))
    tokens.update(token.strip() for token in engage_tokens if token.strip())
    sessions = {DEFAULT_INTELSEND_SESSION: DEFAULT_INTELSEND_USER} if default_credentials else {}
    for text in [*_split(environ.get(INTELSEND_SESSIONS_ENV, "")), *intelsend_sessions]:
        token, user = parse_session(text)
        sessions[token] = user
    if not tokens:
        raise ConfigError(f"no Engage token accepted: give --engage-token or {ENGAGE_TOKENS_ENV}")
    if not sessions:
        raise ConfigError(
            f"no IntelSend session accepted: give --intelsend-session or {INTELSEND_SESSIONS_ENV}"
        )
    max_campaigns = sharing.get("max_campaigns", MAX_CAMPAIGNS)
    if max_campaigns < 1:
        raise ConfigError(f"--max-campaigns must be at least 1, not {max_campaigns}")
    journal_size = sharing.get("journal_size", JOURNAL_SIZE)
    if journal_size < 0:
        raise ConfigError(f"--journal-size must be 0 (no journal) or more, not {journal_size}")
    control_token = sharing.get("control_token") or environ.get(CONTROL_TOKEN_ENV) or ""
    return SandboxConfig(
        engage_tokens=frozenset(tokens),
        intelsend_sessions=MappingProxyType(sessions),
        seed=seed,
        control_token=control_token.strip() or None,
        allow_origins=frozenset(origin.rstrip("/") for origin in sharing.get("allow_origins", ())),
        max_campaigns=max_campaigns,
        journal_size=journal_size,
        state=sharing.get("state"),
    )
