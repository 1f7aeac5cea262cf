"""IntelSend's own Schemathesis checks (schemathesis.toml enables each on one operation)."""

from __future__ import annotations

from http import HTTPStatus

import schemathesis
from schemathesis import CheckContext, Response

from contract_tests.adapter import positive_data_acceptance
from contract_tests.safety import AnyCase


def names_channel_without_settings(response: Response, case: AnyCase) -> bool:
    body = case.body
    if response.status_code != HTTPStatus.UNPROCESSABLE_ENTITY or not isinstance(body, dict):
        return False
    channels, settings = body.get("channel"), body.get("settings")
    return (
        isinstance(channels, list)
        and isinstance(settings, dict)
        and any(channel not in settings for channel in channels)
    )


@schemathesis.check
def positive_data_acceptance_except_channel_without_settings(
    ctx: CheckContext, response: Response, case: AnyCase
) -> bool | None:
    """`positive_data_acceptance` for IntelSend `createCampaign`, where each channel named in
    `channel` needs its entry in `settings` (a cross-field rule the schema cannot express): a
    422 for a body that names a channel without settings is the documented answer."""
    if names_channel_without_settings(response, case):
        return True
    return positive_data_acceptance(ctx, response, case)
