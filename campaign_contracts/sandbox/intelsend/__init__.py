"""The imitation of the IntelSend Campaign API (`/api/campaign…`)."""
