"""Campaigns the tests create."""

from __future__ import annotations

# An IntelSend campaign the sandbox accepts and builds.
SMS_CAMPAIGN = {
    "name": "sms",
    "channel": ["sms"],
    "settings": {"sms": {"shortCode": "1", "templateId": "t", "version": 1}},
    "contactListId": [],
}
