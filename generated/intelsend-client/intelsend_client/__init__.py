"""A client library for accessing IntelSend Campaign API

`IntelSendClient` and `AsyncIntelSendClient` are the SDK layer (see README.md); `Client` and
`AuthenticatedClient`, with the `api` and `models` modules, are openapi-python-client's.
"""

from ._async.client import AsyncCampaigns, AsyncIntelSendClient
from ._sync.client import Campaigns, IntelSendClient
from .client import AuthenticatedClient, Client

__version__ = "1.0.0"

__all__ = ("AsyncCampaigns", "AsyncIntelSendClient", "AuthenticatedClient", "Campaigns", "Client", "IntelSendClient")
