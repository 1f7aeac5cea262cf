"""Pydantic v2 models of the campaign APIs, one module per OpenAPI document: engage, intelsend.

Written by `nox -s generate` from the documents in openapi/; do not edit, regenerate.
"""

# info.version of each document the models were generated from.
API_VERSIONS: dict[str, str] = {"engage": "2.1.0", "intelsend": "1.0.0"}
