"""The imitation of IntelePeer Engage Campaign Management v2 (`/_rest/v2/campaigns…`)."""
