"""Engage's sandbox options: static tokens, logins for the sign-in, and the tokens' lifetime.

From `campaign-sandbox` flags, CAMPAIGN_SANDBOX_ENGAGE_* variables, `build_config` keywords
and the `campaign_sandbox` fixture's option (campaign_contracts.sandbox.vendors.SandboxOptions).
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

DEFAULT_ENGAGE_TOKEN = APIS["engage"].credential("ENGAGE_TOKEN").sandbox_default
DEFAULT_ENGAGE_USERNAME = APIS["engage"].credential("ENGAGE_USERNAME").sandbox_default
DEFAULT_ENGAGE_PASSWORD = APIS["engage"].credential("ENGAGE_PASSWORD").sandbox_default
ENGAGE_TOKENS_ENV = "CAMPAIGN_SANDBOX_ENGAGE_TOKENS"
ENGAGE_LOGINS_ENV = "CAMPAIGN_SANDBOX_ENGAGE_LOGINS"
# The vendor's "short-term, 24-hour token".
DEFAULT_TOKEN_TTL_SECONDS = 86_400.0

KEYWORDS = frozenset({"engage_tokens", "engage_logins", "engage_token_ttl"})
ENVIRONMENT = f"{ENGAGE_TOKENS_ENV}=tok1,tok2, {ENGAGE_LOGINS_ENV}=user=pw,user2=pw2"
DEFAULT_CREDENTIALS = (
    f"{DEFAULT_ENGAGE_TOKEN}, the login {DEFAULT_ENGAGE_USERNAME}={DEFAULT_ENGAGE_PASSWORD}"
)


@dataclass(frozen=True)
class EngageSettings:
    """Each token and each login is a tenant of its own."""

    engage_tokens: frozenset[str] = frozenset({DEFAULT_ENGAGE_TOKEN})
    # Username → password; `authenticate` issues tokens naming the username's tenant.
    engage_logins: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({DEFAULT_ENGAGE_USERNAME: DEFAULT_ENGAGE_PASSWORD})
    )
    engage_token_ttl: float = DEFAULT_TOKEN_TTL_SECONDS


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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engage-token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="accept this Engage token (repeatable; each token is a tenant)",
    )
    parser.add_argument(
        "--engage-login",
        action="append",
        default=[],
        metavar="USER=PASSWORD",
        help="let USER sign in with PASSWORD at /_rest/v4/authenticate (repeatable; each login"
        " is a tenant)",
    )
    parser.add_argument(
        "--engage-token-ttl",
        type=float,
        default=DEFAULT_TOKEN_TTL_SECONDS,
        metavar="SECONDS",
        help="how long a signed-in Engage token lives before it answers 401 (default: 86400)",
    )


def from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "engage_tokens": args.engage_token,
        "engage_logins": args.engage_login,
        "engage_token_ttl": args.engage_token_ttl,
    }


def settings(
    keywords: Mapping[str, Any], *, default_credentials: bool, environ: Mapping[str, str]
) -> EngageSettings:
    """The defaults (unless `default_credentials` is false), plus CAMPAIGN_SANDBOX_ENGAGE_TOKENS=a,b
    and CAMPAIGN_SANDBOX_ENGAGE_LOGINS=user=pw,… of `environ`, plus `engage_tokens` and
    `engage_logins` of `keywords`; a login named twice keeps the last password."""
    tokens = {DEFAULT_ENGAGE_TOKEN} if default_credentials else set()
    tokens.update(split_list(environ.get(ENGAGE_TOKENS_ENV, "")))
    tokens.update(token.strip() for token in keywords.get("engage_tokens", ()) if token.strip())
    logins = {DEFAULT_ENGAGE_USERNAME: DEFAULT_ENGAGE_PASSWORD} if default_credentials else {}
    for text in [
        *split_list(environ.get(ENGAGE_LOGINS_ENV, "")),
        *keywords.get("engage_logins", ()),
    ]:
        user, password = parse_login(text)
        logins[user] = password
    ttl = keywords.get("engage_token_ttl", DEFAULT_TOKEN_TTL_SECONDS)
    if not ttl > 0:
        raise ConfigError(f"the Engage token lifetime must be positive, not {ttl}")
    if not (tokens or logins):
        raise ConfigError(
            "no Engage credentials accepted: give --engage-token, --engage-login,"
            f" {ENGAGE_TOKENS_ENV} or {ENGAGE_LOGINS_ENV}"
        )
    return EngageSettings(frozenset(tokens), MappingProxyType(logins), ttl)


def secrets(accepted: EngageSettings) -> Iterable[str]:
    """What the journal never shows: the tokens and the passwords."""
    return (*accepted.engage_tokens, *accepted.engage_logins.values())


# The campaign_sandbox fixture (campaign_contracts/sandbox/pytest_plugin.py).


def add_pytest_options(group: pytest.OptionGroup) -> None:
    group.addoption(
        "--campaign-sandbox-engage-token",
        metavar="TOKEN",
        default=DEFAULT_ENGAGE_TOKEN,
        help=f"the Engage token (tenant) of this run (default {DEFAULT_ENGAGE_TOKEN})",
    )


@dataclass(frozen=True)
class EngageTenant:
    """This run's Engage token, what a call sends, and the tenant it names."""

    engage_token: str

    @property
    def engage_headers(self) -> dict[str, str]:
        """What an Engage call sends: the raw token, no `Bearer `."""
        return {"Authorization": self.engage_token}

    @property
    def tenant(self) -> str:
        return self.engage_token

    @property
    def config_keywords(self) -> dict[str, Any]:
        return {"engage_tokens": [self.engage_token]}


def fixture_tenant(option: Callable[[str], Any]) -> EngageTenant:
    return EngageTenant(option("campaign_sandbox_engage_token"))
