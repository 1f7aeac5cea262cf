"""The SDK layer's clients: written async in `_async/`, made sync in `_sync/` by unasync."""
