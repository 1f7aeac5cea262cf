"""IntelSend's sandbox options: session cookies, each bound to the user id it belongs to.

From `campaign-sandbox` flags, CAMPAIGN_SANDBOX_INTELSEND_SESSIONS, `build_config` keywords and
the `campaign_sandbox` fixture's option (campaign_contracts.sandbox.vendors.SandboxOptions).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import ConfigError, split_list

if TYPE_CHECKING:
    import pytest

DEFAULT_INTELSEND_SESSION = APIS["intelsend"].credential("INTELSEND_SESSION_TOKEN").sandbox_default
DEFAULT_INTELSEND_USER = APIS["intelsend"].credential("INTELSEND_USER_ID").sandbox_default
INTELSEND_SESSIONS_ENV = "CAMPAIGN_SANDBOX_INTELSEND_SESSIONS"
SESSION_COOKIE = "__Secure-next-auth.session-token"
USER_HEADER = "x-user-id"

KEYWORDS = frozenset({"intelsend_sessions"})
ENVIRONMENT = f"{INTELSEND_SESSIONS_ENV}=token=user,token2=user2"
DEFAULT_CREDENTIALS = f"{DEFAULT_INTELSEND_SESSION}={DEFAULT_INTELSEND_USER}"


@dataclass(frozen=True)
class IntelSendSettings:
    """Each user is a tenant of its own."""

    # Session cookie value → the user id it is bound to.
    intelsend_sessions: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {DEFAULT_INTELSEND_SESSION: DEFAULT_INTELSEND_USER}
        )
    )


def parse_session(text: str) -> tuple[str, str]:
    """`TOKEN=USER_ID` → (token, user id)."""
    token, equals, user = (part.strip() for part in text.partition("="))
    if not (token and equals and user):
        raise ConfigError(f"an IntelSend session is TOKEN=USER_ID, not {text!r}")
    return token, user


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--intelsend-session",
        action="append",
        default=[],
        metavar="TOKEN=USER_ID",
        help="accept this IntelSend session cookie, bound to USER_ID (repeatable)",
    )


def from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    return {"intelsend_sessions": args.intelsend_session}


def settings(
    keywords: Mapping[str, Any], *, default_credentials: bool, environ: Mapping[str, str]
) -> IntelSendSettings:
    """The default session (unless `default_credentials` is false), plus
    CAMPAIGN_SANDBOX_INTELSEND_SESSIONS=tok=user,… of `environ`, plus `intelsend_sessions` of
    `keywords`; a session named twice is bound to the last user given."""
    sessions = {DEFAULT_INTELSEND_SESSION: DEFAULT_INTELSEND_USER} if default_credentials else {}
    texts = keywords.get("intelsend_sessions", ())
    for text in [*split_list(environ.get(INTELSEND_SESSIONS_ENV, "")), *texts]:
        token, user = parse_session(text)
        sessions[token] = user
    if not sessions:
        raise ConfigError(
            f"no IntelSend session accepted: give --intelsend-session or {INTELSEND_SESSIONS_ENV}"
        )
    return IntelSendSettings(MappingProxyType(sessions))


def secrets(accepted: IntelSendSettings) -> Iterable[str]:
    """What the journal never shows: the session cookies."""
    return tuple(accepted.intelsend_sessions)


# The campaign_sandbox fixture (campaign_contracts/sandbox/pytest_plugin.py).


def add_pytest_options(group: pytest.OptionGroup) -> None:
    group.addoption(
        "--campaign-sandbox-intelsend-session",
        metavar="TOKEN=USER_ID",
        default=f"{DEFAULT_INTELSEND_SESSION}={DEFAULT_INTELSEND_USER}",
        help="the IntelSend session cookie and user (tenant) of this run"
        f" (default {DEFAULT_INTELSEND_SESSION}={DEFAULT_INTELSEND_USER})",
    )


@dataclass(frozen=True)
class IntelSendTenant:
    """This run's IntelSend session and user, what a call sends, and the tenant (the user)."""

    intelsend_session: str
    intelsend_user: str

    @property
    def intelsend_headers(self) -> dict[str, str]:
        return {USER_HEADER: self.intelsend_user}

    @property
    def intelsend_cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.intelsend_session}

    @property
    def tenant(self) -> str:
        return self.intelsend_user

    @property
    def config_keywords(self) -> dict[str, Any]:
        return {"intelsend_sessions": [f"{self.intelsend_session}={self.intelsend_user}"]}


def fixture_tenant(option: Callable[[str], Any]) -> IntelSendTenant:
    """ConfigError (naming the option) if the option is not TOKEN=USER_ID."""
    try:
        session, user = parse_session(option("campaign_sandbox_intelsend_session"))
    except ConfigError as error:
        raise ConfigError(f"--campaign-sandbox-intelsend-session: {error}") from None
    return IntelSendTenant(session, user)
