"""The imitation of the IntelSend Campaign API (`/api/campaign…`)."""

from campaign_contracts.sandbox.intelsend import options
from campaign_contracts.sandbox.vendors import lazy_exports

__all__ = ["Backend", "control_routes", "handlers", "options", "vendor"]
__getattr__ = lazy_exports(
    __name__,
    {
        "Backend": "state.IntelSendBackend",
        "handlers": "routes.handlers",
        "vendor": "routes.vendor",
        "control_routes": "control.control_routes",
    },
)
