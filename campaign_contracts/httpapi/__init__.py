"""What the sandbox and the proxy share about serving the documented APIs over HTTP.

`validation` (requests and answers checked against the documents, compiled once), `errors`
(the HTTP-level error), `encoding` (JSON as both write it) and `server` (uvicorn on a socket
bound beforehand). It names no vendor: each API's facts come from the registry.
"""
