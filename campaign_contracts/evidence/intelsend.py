"""IntelSend's parity credentials: how the sandbox accepts what a recording of IntelSend sent.

Each session cookie the recording sent (`<intelsend-cookie-1>`) is a sandbox session, bound to
the user id (`<intelsend-user-id-1>`) sent beside it; a session never sent beside one is bound
to the only user seen, else to a user of its own.
"""

from __future__ import annotations

from typing import Any

from campaign_contracts.evidence.parity import SentCredentials
from campaign_contracts.registry import APIS

API = APIS["intelsend"]
SESSION = API.credential("INTELSEND_SESSION_TOKEN").scheme
USER = API.credential("INTELSEND_USER_ID").scheme


def sandbox_keywords(sent: SentCredentials) -> dict[str, Any]:
    users = sent.accepted(USER)
    sessions = []
    for value in sent.accepted(SESSION):
        bound = sent.sent_with(SESSION, value, USER) or (users[0] if len(users) == 1 else value)
        sessions.append(f"{value}={bound}")
    return {"intelsend_sessions": sessions}
