"""The names the generated packages are published under: set here, and nowhere else.

`engage-client`, `intelsend-client`, `campaign-models` and the npm scope `@campaign-contracts`
are not claimed on the public registries: whoever claims them there could stand in for them
when a consumer mixes the public index with the company's (dependency confusion). A company
publishing to its own index sets a prefix and a scope it owns (`acme-` gives
`acme-engage-client`, `@acme` gives `@acme/engage-client`) and runs `nox -s generate`. Import
names (`engage_client`, `campaign_models`) and the folders of generated/ stay as they are.
"""

from __future__ import annotations

PYTHON_PREFIX = ""
NPM_SCOPE = "@campaign-contracts"


def client_distribution(api: str) -> str:
    """The Python distribution of `api`'s client (`engage-client`)."""
    return f"{PYTHON_PREFIX}{api}-client"


MODELS_DISTRIBUTION = f"{PYTHON_PREFIX}campaign-models"


def npm_package(api: str) -> str:
    """The npm package of `api`'s TypeScript client (`@campaign-contracts/engage-client`)."""
    return f"{NPM_SCOPE}/{api}-client"
