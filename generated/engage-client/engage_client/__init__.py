"""A client library for accessing IntelePeer Engage Campaign Management

`EngageClient` and `AsyncEngageClient` are the SDK layer (see README.md); `Client` and
`AuthenticatedClient`, with the `api` and `models` modules, are openapi-python-client's.
"""

from ._async.client import AsyncCampaigns, AsyncEngageClient
from ._sync.client import Campaigns, EngageClient
from .client import AuthenticatedClient, Client

__version__ = "2.1.0"

__all__ = ("AsyncCampaigns", "AsyncEngageClient", "AuthenticatedClient", "Campaigns", "Client", "EngageClient")
