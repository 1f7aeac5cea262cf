"""A client library for accessing IntelePeer Engage Campaign Management"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
