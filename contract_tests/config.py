"""The Schemathesis configuration of one run: schemathesis.toml plus what the run decides.

The committed file holds what is true of every run (checks and exemptions); the registry
(`campaign_contracts.registry`) says which credential fills which security scheme; profiles and
the command line add the target, the credentials, the amount of generation and the rate limit.
They meet here, as one TOML-shaped dictionary, so Schemathesis validates the result exactly as
it validates the file. An API without a `[[project]]` block runs with the defaults.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemathesis.config import SchemathesisConfig

from contract_tests import vendors
from contract_tests.adapter import DEFAULT_KEYS_TO_SANITIZE
from contract_tests.apis import ContractApi, Credentials

CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
# Schemathesis masks these in the curl samples of its failure reports; its defaults (and its
# markers, such as "session", which cover the session cookie) do not cover IntelSend's user id.
KEYS_TO_SANITIZE = (*DEFAULT_KEYS_TO_SANITIZE, "x-user-id")


@dataclass(frozen=True)
class Profile:
    """How much a run generates. `default` is fast and derandomized for CI."""

    max_examples: int
    deterministic: bool
    stateful_max_steps: int


PROFILES = {
    "default": Profile(max_examples=15, deterministic=True, stateful_max_steps=8),
    "deep": Profile(max_examples=200, deterministic=False, stateful_max_steps=40),
}


@dataclass(frozen=True)
class RunSettings:
    """Everything about one API's run that is not in schemathesis.toml."""

    base_url: str
    credentials: Credentials
    profile: Profile
    seed: int | None = None
    max_examples: int | None = None
    rate_limit: str | None = None
    # Read-only runs must not probe undocumented methods: on a live server they may write.
    allow_writes: bool = False
    request_timeout: float | None = None


def load_file() -> dict[str, Any]:
    with CONFIG_FILE.open("rb") as file:
        return tomllib.load(file)


def project_block(data: dict[str, Any], title: str) -> dict[str, Any]:
    """The `[[project]]` block of the API titled `title`, or a new empty one."""
    for project in data.get("project", []):
        if project["title"] == title:
            block: dict[str, Any] = project
            return block
    return {"title": title}


def credential_variables(api: ContractApi) -> list[str]:
    """The environment variables a live run of `api` needs, in the registry's order."""
    return list(api.entry.credential_variables)


def build(api: ContractApi, settings: RunSettings) -> SchemathesisConfig:
    # schemathesis.toml names each API's own checks: they must be registered first.
    vendors.register_checks()
    data = copy.deepcopy(load_file())
    # Only this API's block: the others' are not this run's.
    block = project_block(data, api.title)
    data["project"] = [block]
    auth = block.setdefault("auth", {})
    schemes = auth.setdefault("openapi", {})
    # A token the run signs in for comes from its own auth provider (contract_tests.signin).
    signed_in = api.sign_in.token if api.sign_in and api.signs_in(settings.credentials) else None
    for credential in api.entry.credentials:
        if credential.variable != signed_in:
            schemes[credential.scheme] = {"api_key": settings.credentials[credential.variable]}
    if not schemes:
        # Schemathesis refuses an empty section.
        del auth["openapi"]
    profile = settings.profile
    generation = data.setdefault("generation", {})
    generation["max-examples"] = settings.max_examples or profile.max_examples
    generation["deterministic"] = profile.deterministic
    data["base-url"] = settings.base_url
    if settings.seed is not None:
        data["seed"] = settings.seed
    if settings.rate_limit is not None:
        data["rate-limit"] = settings.rate_limit
    if settings.request_timeout is not None:
        data["request-timeout"] = settings.request_timeout
    # Phases go into the API's block, which may configure a phase too (IntelSend's inference).
    phases = data["project"][0].setdefault("phases", {})
    phases.setdefault("stateful", {})["max-steps"] = profile.stateful_max_steps
    if not settings.allow_writes:
        phases.setdefault("coverage", {})["unexpected-methods"] = []
    data["output"] = {"sanitization": {"keys-to-sanitize": list(KEYS_TO_SANITIZE)}}
    return SchemathesisConfig.from_dict(data, base_dir=str(CONFIG_FILE.parent))
