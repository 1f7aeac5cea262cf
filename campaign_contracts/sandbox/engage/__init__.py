"""The imitation of IntelePeer Engage Campaign Management v2 (`/_rest/v2/campaigns…`)."""

from campaign_contracts.sandbox.engage import options
from campaign_contracts.sandbox.engage.control import control_routes
from campaign_contracts.sandbox.engage.routes import handlers, vendor
from campaign_contracts.sandbox.engage.state import EngageBackend as Backend

__all__ = ["Backend", "control_routes", "handlers", "options", "vendor"]
