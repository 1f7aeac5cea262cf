"""Remove what a run created, where the API allows it.

Engage: every campaign the run created (ids recorded from create answers) and every listed
campaign that carries the run's name prefix (in case an answer was lost) is deleted.
IntelSend has no delete operation: its campaigns stay, named `contract-test-<run id>-…` so
they can be found and ignored; a run without `--allow-send` leaves them as drafts or built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

import httpx

from contract_tests.apis import ContractApi
from contract_tests.session import ApiSession

DELETED = 202
# Deleted earlier in the run (by the stateful phase, or a rule).
ALREADY_GONE = 404


@dataclass
class CleanupReport:
    deleted: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def describe(self, api: ContractApi) -> str:
        if api.entry.delete_operation is None:
            return (
                f"[{api.name}] cleanup: {len(self.left)} campaigns left named with the run's "
                "prefix (the API has no delete)"
            )
        failed = f", {len(self.errors)} errors (below)" if self.errors else ""
        return (
            f"[{api.name}] cleanup: {len(self.deleted)} campaigns deleted, "
            f"{len(self.already_gone)} already gone{failed}"
        )


def clean_up(session: ApiSession, created_ids: set[str], name_prefix: str) -> CleanupReport:
    report = CleanupReport()
    api = session.api
    if api.entry.delete_operation is None:
        report.left = sorted(created_ids)
        return report
    listed: object = []
    try:
        response = session.request(api.entry.list_operation)
        if response.status_code == HTTPStatus.OK:
            listed = response.json()
        else:
            report.errors.append(f"cleanup: listing campaigns answered {response.status_code}")
    except (httpx.HTTPError, ValueError) as error:
        report.errors.append(f"cleanup could not list campaigns: {error}")
    campaigns = listed if isinstance(listed, list) else [listed]
    names = set(api.name_fields.values())
    prefixed = {
        str(campaign[api.id_field])
        for campaign in campaigns
        if isinstance(campaign, dict)
        and any(str(campaign.get(name, "")).startswith(name_prefix) for name in names)
        and api.id_field in campaign
    }
    for campaign_id in sorted(created_ids | prefixed):
        try:
            response = session.request(api.entry.delete_operation, path={"id": campaign_id})
        except httpx.HTTPError as error:
            report.errors.append(f"cleanup could not delete {campaign_id}: {error}")
            continue
        if response.status_code == DELETED:
            report.deleted.append(campaign_id)
        elif response.status_code == ALREADY_GONE:
            report.already_gone.append(campaign_id)
        else:
            report.errors.append(f"cleanup: delete {campaign_id} answered {response.status_code}")
    return report
