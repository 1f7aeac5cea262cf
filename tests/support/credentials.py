"""The credentials the tests send: the sandbox's tenants, and the stand-in vendors' (distinctive
values, so that any leak is found by a plain substring search in everything a run printed or
wrote)."""

from __future__ import annotations

from pathlib import Path

from campaign_contracts.sandbox.config import (
    DEFAULT_ENGAGE_TOKEN,
    DEFAULT_INTELSEND_SESSION,
    DEFAULT_INTELSEND_USER,
)

SESSION_COOKIE = "__Secure-next-auth.session-token"
USER_HEADER = "x-user-id"
# The default tenants' credentials, as the sandbox starts without options.
ENGAGE = {"Authorization": DEFAULT_ENGAGE_TOKEN}
INTELSEND = {USER_HEADER: DEFAULT_INTELSEND_USER}
SESSION = {SESSION_COOKIE: DEFAULT_INTELSEND_SESSION}
# Besides the defaults, a second tenant of each API, for tenancy tests.
OTHER_ENGAGE_TOKEN = "other-token"
OTHER_INTELSEND_SESSION = "other-session"
OTHER_INTELSEND_USER = "other-user"

SECRETS = {
    "ENGAGE_TOKEN": "engage-tok-8f3a91c2",
    "INTELSEND_SESSION_TOKEN": "session-ck-77d0e4b5",
    "INTELSEND_USER_ID": "user-id-51c9aa08",
}


def assert_no_secret_anywhere(output: str, folder: Path) -> None:
    for name, secret in SECRETS.items():
        assert secret not in output, f"{name} printed"
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret not in path.read_text(errors="replace"), f"{name} in {path}"
