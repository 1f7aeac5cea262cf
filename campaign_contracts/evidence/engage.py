"""Engage's parity credentials: how the sandbox accepts what a recording of Engage sent.

Each token the recording sent (`<engage-token-1>`) is a tenant's token; each sign-in the vendor
accepted is a login of the sandbox, the recorded username with the recorded password (the
placeholder `<engage-password-1>`), so the sign-in replays as it was answered.
"""

from __future__ import annotations

from typing import Any

from campaign_contracts.evidence.parity import SentCredentials
from campaign_contracts.registry import APIS

API = APIS["engage"]
TOKEN = API.credential("ENGAGE_TOKEN").scheme
# The fields of the sign-in's body (the document's AuthenticateRequest).
USERNAME, PASSWORD = "username", "password"


def sandbox_keywords(sent: SentCredentials) -> dict[str, Any]:
    logins = [
        f"{body[USERNAME]}={body[PASSWORD]}"
        for body in sent.sign_ins
        if isinstance(body, dict)
        and isinstance(body.get(USERNAME), str)
        and isinstance(body.get(PASSWORD), str)
        and body[USERNAME]
        and body[PASSWORD]
    ]
    return {"engage_tokens": sent.accepted(TOKEN), "engage_logins": logins}
