"""The imitation of the IntelSend Campaign API (`/api/campaign…`)."""

from campaign_contracts.sandbox.intelsend import options
from campaign_contracts.sandbox.intelsend.control import control_routes
from campaign_contracts.sandbox.intelsend.routes import handlers, vendor
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend as Backend

__all__ = ["Backend", "control_routes", "handlers", "options", "vendor"]
