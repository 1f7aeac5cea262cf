"""Findings the scenario's recordings do not show, from exchanges written by hand: a number
as a string, an empty date-time, a query parameter and an operation the documents lack, an
answer that is not JSON, and a body the team's code sent wrong that the vendor refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from campaign_contracts.evidence.__main__ import main

CAMPAIGN = {
    "_id": "5cf02630e313d620ca9743e4",
    "listRel": [],
    "location": "US",
    "deleteFlag": False,
    "active": 1,
    "numAttempts": "1",
    "retryInterval": 0,
    "runNow": False,
    "appId": "5cf02606b4623d6a23167b23",
    "customerId": "9999999",
    "createdDate": "",
    "createdBy": "ethel",
    "modifiedDate": "2019-06-26T19:58:00.871Z",
    "modifiedBy": "ethel",
    "lastExecuted": "",
}
ENGAGE = "http://127.0.0.1:8081/_rest/v2/campaigns"


def entry(method: str, url: str, status: int, answer: str, sent: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": method,
        "url": url,
        "headers": [{"name": "Authorization", "value": "<engage-token-1>"}],
    }
    if sent is not None:
        request["postData"] = {"mimeType": "application/json", "text": json.dumps(sent)}
    return {
        "startedDateTime": "2026-12-01T10:00:00.000Z",
        "request": request,
        "response": {"status": status, "headers": [], "content": {"text": answer}},
    }


def test_findings_of_every_kind_and_their_edits(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    entries = [
        entry("GET", f"{ENGAGE}/?id=5cf02630e313d620ca9743e4&verbose=1", 200, json.dumps(CAMPAIGN)),
        entry("GET", f"{ENGAGE}/5cf02630e313d620ca9743e4/stats", 200, "{}"),
        entry("GET", f"{ENGAGE}/?name=Spring", 500, "<html>Bad gateway</html>"),
        entry(
            "POST",
            f"{ENGAGE}/abc/action",
            422,
            '{"message": "no", "status": 422}',
            {"action": "stop"},
        ),
    ]
    Path("r.har").write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    assert main(["r.har", "--fail-on", "contradicted"]) == 1
    report = json.loads(Path("reports/evidence/evidence.json").read_text())
    edits = {(edit["kind"], edit["change"]) for edit in report["edits"]}
    schema = "#/components/schemas/Campaign/properties"
    assert edits == {
        (
            "contradicted",
            "numAttempts may be a number written as a string:"
            f" add 'string' to {schema}/numAttempts/type",
        ),
        (
            "contradicted",
            f'createdDate may be "", not only a date-time: relax {schema}/createdDate/format',
        ),
        ("undocumented", "declare the query parameters 'verbose' of getCampaign"),
        (
            "undocumented",
            "add the operations GET /_rest/v2/campaigns/5cf02630e313d620ca9743e4/stats",
        ),
        ("contradicted", "getCampaign response 500 may come as no content type: describe it"),
    }
    # What the team's code sent wrong and the vendor refused is reported, with no edit.
    bodies = {(b["operation"], b["part"]): b for b in report["bodies"]}
    (refused,) = bodies["campaignAction", "request body"]["findings"]
    assert (refused["pointer"], refused["kind"], refused["accepted"]) == ("/action", "enum", 0)


INTELSEND = "http://127.0.0.1:8081/api/campaign"
PAGE = {
    "result": [
        {
            "campaignId": "68b0b5ccfcccb5cfc3b1f4eb",
            "name": "Spring",
            "channel": ["sms"],
            "status": "BUILD",
            "settings": {},
            "contactListId": [],
            "changeLog": [],
            "createdAt": "2025-08-28T20:02:20.600Z",
        }
    ],
    "meta": {"count": 1, "page": 1, "limit": 10},
}


def test_assumptions_contradicted_by_what_the_vendor_accepted(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    filtered = entry("GET", f"{INTELSEND}?status=DRAFT", 200, json.dumps(PAGE))
    built = entry(
        "PUT", f"{INTELSEND}/68b0b5ccfcccb5cfc3b1f4eb/build", 201, '{"result": "success"}'
    )
    # Neither sends IntelSend's credentials (the helper writes Engage's header).
    Path("r.har").write_text(json.dumps({"log": {"entries": [filtered, built]}}))
    assert main(["r.har"]) == 0
    report = json.loads(Path("reports/evidence/evidence.json").read_text())
    ledger = {entry["pointer"]: entry for entry in report["ledger"] if entry["api"] == "intelsend"}
    status_filter = ledger["/paths/~1api~1campaign/get/parameters/2"]
    assert status_filter["status"] == "contradicted"
    assert status_filter["contradictions"] == [
        ["r.har#0", "status=DRAFT answered one with status 'BUILD'"]
    ]
    build_200 = ledger["/paths/~1api~1campaign~1{id}~1build/put/responses/200"]
    assert build_200["contradictions"] == [["r.har#1", "answered 201, not 200"]]
    unauthorized = ledger["/components/responses/Unauthorized"]
    assert [reason for _, reason in unauthorized["contradictions"]] == [
        "a request without x-user-id answered 200",
        "a request without __Secure-next-auth.session-token answered 201",
    ]
    changes = {edit["change"] for edit in report["edits"]}
    assert "add a 201 answer to buildCampaign" in changes
