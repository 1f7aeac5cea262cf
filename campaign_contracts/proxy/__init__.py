"""`campaign-proxy`: a validating, recording proxy in front of the vendors' APIs.

One port serves every API, routed by each API's path prefix (`/_rest`,
`/api/campaign`) to its `--upstream NAME=URL`. Each request is forwarded unchanged but for
the hop-by-hop headers and `Host` (the upstream's), over one pooled async client (aiohttp's)
with TLS verification; each answer comes back unchanged (status, headers, body bytes) with one
header added, `X-Contract-Violations: <count>`. Up to the validation limit, the answer is read
whole before it is passed on, since the count goes in a header; a larger one is streamed
through, not validated, and so noted. Request and answer are checked against the document
(`campaign_contracts.proxy.contract`); each violation is one log line and, with
`--violations FILE`, one JSON line. With `--record DIR`, every exchange is written, sanitized,
to HAR files (`campaign_contracts.recording`) by a thread of its own, which the proxy's
shutdown waits for. `--upstream NAME.OPERATION=URL` sends one operation (Engage's
`authenticate`, on another server in its document) to an upstream of its own. Nothing the
proxy checks changes what it forwards: a check that fails inside the proxy is logged and the
answer goes through.
"""
