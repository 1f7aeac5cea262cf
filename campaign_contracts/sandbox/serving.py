"""`serve_in_thread`, where the README's examples import it from: a sandbox in a test's process.

The serving code itself is shared with the proxy (campaign_contracts.httpapi.server).
"""

from campaign_contracts.httpapi.server import serve_in_thread

__all__ = ["serve_in_thread"]
