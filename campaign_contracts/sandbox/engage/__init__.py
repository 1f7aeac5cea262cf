"""The imitation of IntelePeer Engage Campaign Management v2 (`/_rest/v2/campaigns…`)."""

from campaign_contracts.sandbox.engage import options
from campaign_contracts.sandbox.vendors import lazy_exports

__all__ = ["Backend", "control_routes", "handlers", "options", "vendor"]
__getattr__ = lazy_exports(
    __name__,
    {
        "Backend": "state.EngageBackend",
        "handlers": "routes.handlers",
        "vendor": "routes.vendor",
        "control_routes": "control.control_routes",
    },
)
