"""The stand-in vendors' credentials: distinctive values, so that any leak is found by a plain
substring search in everything a run printed or wrote."""

SECRETS = {
    "ENGAGE_TOKEN": "engage-tok-8f3a91c2",
    "INTELSEND_SESSION_TOKEN": "session-ck-77d0e4b5",
    "INTELSEND_USER_ID": "user-id-51c9aa08",
}
