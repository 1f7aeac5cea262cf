"""The inspector page, `GET /_sandbox/`: what the sandbox holds, for a person to look at.

Server-rendered HTML without scripts or external assets (a strict Content-Security-Policy
says so to the browser): per API and tenant the latest campaigns and their statuses, the
pending faults, the latest journal entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.state import SandboxState

CAMPAIGNS_SHOWN = 50
REQUESTS_SHOWN = 50
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
STYLE = """
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; font-family: monospace; }
th { background: #f3f3f3; }
p.empty { color: #777; }
"""


def _table(headings: Sequence[str], rows: Iterable[Sequence[Any]], empty: str) -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_text(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    if not body:
        return f'<p class="empty">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(heading)}</th>" for heading in headings)
    return f"<table><tr>{head}</tr>{body}</table>"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def render(state: SandboxState, tenant_ids: Mapping[str, Mapping[str, str]]) -> str:
    """The whole page, from one consistent view of the state (call it in a transaction)."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>campaign-sandbox</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>campaign-sandbox</h1>",
        f"<p>State: {escape(str(state.config.state) if state.config.state else 'in memory')}</p>",
    ]
    for name, backend in state.backends.items():
        entry = APIS[name]
        name_field = entry.name_fields.get("createCampaign", "")
        parts.append(f'<section id="{escape(name)}"><h2>{escape(entry.label)}</h2>')
        tenants = backend.tenants()
        if not tenants:
            parts.append('<p class="empty">No campaigns.</p>')
        for tenant in tenants:
            public = tenant_ids.get(name, {}).get(tenant, tenant)
            count = backend.count(tenant)
            shown = backend.newest(tenant, CAMPAIGNS_SHOWN)
            parts.append(
                f"<h3>Tenant {escape(public)}: {count} campaign{'s' if count != 1 else ''}"
                f"{f', the latest {len(shown)}' if count > len(shown) else ''}</h3>"
            )
            rows = [
                (campaign[entry.id_field], campaign.get(name_field), campaign["status"])
                for campaign in shown
            ]
            parts.append(_table(("id", "name", "status"), rows, "No campaigns."))
        parts.append("</section>")
    faults = [
        (
            fault.api,
            fault.operation_id,
            fault.remaining,
            fault.status or (f"{fault.latency_ms} ms" if fault.latency_ms else "drop"),
        )
        for fault in state.faults.pending()
    ]
    parts.append('<section id="faults"><h2>Pending faults</h2>')
    parts.append(_table(("api", "operationId", "calls left", "fault"), faults, "No faults."))
    parts.append("</section>")
    requests = [
        (e["time"], e["api"], e["tenant"], e["operationId"], e["method"], e["path"], e["status"])
        for e in state.journal.entries(limit=REQUESTS_SHOWN)
    ]
    parts.append('<section id="requests"><h2>Latest requests</h2>')
    parts.append(
        _table(
            ("time", "api", "tenant", "operationId", "method", "path", "status"),
            requests,
            "No requests." if state.journal.size else "The journal is off (--journal-size 0).",
        )
    )
    parts.append("</section></body></html>")
    return "\n".join(parts)
