"""Which credentials the sandbox accepts, from defaults, environment variables and flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypedDict, Unpack

from campaign_contracts.registry import APIS

DEFAULT_ENGAGE_TOKEN = APIS["engage"].credential("ENGAGE_TOKEN").sandbox_default
DEFAULT_ENGAGE_USERNAME = APIS["engage"].credential("ENGAGE_USERNAME").sandbox_default
DEFAULT_ENGAGE_PASSWORD = APIS["engage"].credential("ENGAGE_PASSWORD").sandbox_default
DEFAULT_INTELSEND_SESSION = APIS["intelsend"].credential("INTELSEND_SESSION_TOKEN").sandbox_default
DEFAULT_INTELSEND_USER = APIS["intelsend"].credential("INTELSEND_USER_ID").sandbox_default
ENGAGE_TOKENS_ENV = "CAMPAIGN_SANDBOX_ENGAGE_TOKENS"
ENGAGE_LOGINS_ENV = "CAMPAIGN_SANDBOX_ENGAGE_LOGINS"
INTELSEND_SESSIONS_ENV = "CAMPAIGN_SANDBOX_INTELSEND_SESSIONS"
CONTROL_TOKEN_ENV = "CAMPAIGN_SANDBOX_CONTROL_TOKEN"
MAX_BODY_BYTES = 1024 * 1024
# What one caller can pile up in a long-lived shared sandbox.
MAX_CAMPAIGNS = 100_000
MAX_PENDING_FAULTS = 1_000
JOURNAL_SIZE = 1_000
# The vendor's "short-term, 24-hour token".
DEFAULT_TOKEN_TTL_SECONDS = 86_400.0


class ConfigError(ValueError):
    """A credential setting that cannot be understood."""


@dataclass(frozen=True)
class SandboxConfig:
    """Each Engage token, each Engage login and each IntelSend user is a tenant of its own."""

    engage_tokens: frozenset[str] = frozenset({DEFAULT_ENGAGE_TOKEN})
    # Username → password; `authenticate` issues tokens naming the username's tenant.
    engage_logins: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({DEFAULT_ENGAGE_USERNAME: DEFAULT_ENGAGE_PASSWORD})
    )
    engage_token_ttl: float = DEFAULT_TOKEN_TTL_SECONDS
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
    # The APIs served (their documents loaded), in the registry's order; empty: every one.
    # One API broken in its document does not stop serving another (`--api intelsend`).
    apis: frozenset[str] = frozenset()


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


def parse_login(text: str) -> tuple[str, str]:
    """`USER=PASSWORD` → (user, password); the password may contain `=`, and is kept as given."""
    user, equals, password = text.partition("=")
    user = user.strip()
    # The messages never repeat the text: it may be a password.
    if not equals:
        raise ConfigError("an Engage login is USER=PASSWORD: '=' is missing")
    if not user:
        raise ConfigError("an Engage login is USER=PASSWORD: the user is empty")
    if not password:
        raise ConfigError(f"an Engage login is USER=PASSWORD: the password of {user!r} is empty")
    return user, password


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_config(  # noqa: PLR0913 - one keyword per option of the command line
    *,
    engage_tokens: Iterable[str] = (),
    intelsend_sessions: Sequence[str] = (),
    engage_logins: Sequence[str] = (),
    default_credentials: bool = True,
    environ: Mapping[str, str] | None = None,
    seed: int | None = None,
    engage_token_ttl: float = DEFAULT_TOKEN_TTL_SECONDS,
    apis: Iterable[str] = (),
    **sharing: Unpack[SharingOptions],
) -> SandboxConfig:
    """The defaults (unless `default_credentials` is false), plus the credentials named in
    `environ` (CAMPAIGN_SANDBOX_ENGAGE_TOKENS=a,b; CAMPAIGN_SANDBOX_ENGAGE_LOGINS=user=pw,…;
    CAMPAIGN_SANDBOX_INTELSEND_SESSIONS=tok=user,…), plus those given as arguments. A session
    named twice is bound to the last user given, a login to the last password.
    `sharing` sets what a shared sandbox needs; its control token defaults to
    CAMPAIGN_SANDBOX_CONTROL_TOKEN."""
    environ = environ or {}
    tokens = {DEFAULT_ENGAGE_TOKEN} if default_credentials else set()
    tokens.update(_split(environ.get(ENGAGE_TOKENS_ENV, "")))
    tokens.update(token.strip() for token in engage_tokens if token.strip())
    logins = {DEFAULT_ENGAGE_USERNAME: DEFAULT_ENGAGE_PASSWORD} if default_credentials else {}
    for text in [*_split(environ.get(ENGAGE_LOGINS_ENV, "")), *engage_logins]:
        user, password = parse_login(text)
        logins[user] = password
    if not engage_token_ttl > 0:
        raise ConfigError(f"the Engage token lifetime must be positive, not {engage_token_ttl}")
    sessions = {DEFAULT_INTELSEND_SESSION: DEFAULT_INTELSEND_USER} if default_credentials else {}
    for text in [*_split(environ.get(INTELSEND_SESSIONS_ENV, "")), *intelsend_sessions]:
        token, user = parse_session(text)
        sessions[token] = user
    if not (tokens or logins):
        raise ConfigError(
            "no Engage credentials accepted: give --engage-token, --engage-login,"
            f" {ENGAGE_TOKENS_ENV} or {ENGAGE_LOGINS_ENV}"
        )
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
        engage_logins=MappingProxyType(logins),
        engage_token_ttl=engage_token_ttl,
        intelsend_sessions=MappingProxyType(sessions),
        seed=seed,
        control_token=control_token.strip() or None,
        allow_origins=frozenset(origin.rstrip("/") for origin in sharing.get("allow_origins", ())),
        max_campaigns=max_campaigns,
        journal_size=journal_size,
        state=sharing.get("state"),
        apis=frozenset(apis),
    )
