"""The evidence report over recordings of the sandbox and of a stand-in vendor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.evidence.__main__ import main
from campaign_contracts.registry import APIS
from tests.support.evidence_recordings import Recordings

LEDGER_KINDS = {"x-assumed", "x-assumed-values", "x-quirk"}
ENGAGE = "openapi/engage.yaml"
INTELSEND = "openapi/intelsend.yaml"
CAMPAIGN = "/components/schemas/Campaign"
LAST_EXECUTED = f"{CAMPAIGN}/properties/lastExecuted"
INVALID_BODY = "/components/responses/InvalidBody"
# The stand-in's known differences, each with the edit that makes the document true to it.
STANDIN_EDITS = {
    # An enum value outside the enum.
    (
        "contradicted",
        INTELSEND,
        "/components/schemas/CampaignStatus/enum",
    ): "add 'COMPLETED' to #/components/schemas/CampaignStatus/enum",
    # Assumed final states SENT and FAILED: only COMPLETED ever took their place.
    (
        "contradicted",
        INTELSEND,
        "/components/schemas/CampaignStatus",
    ): "revise the assumption at #/components/schemas/CampaignStatus (enum values SENT, FAILED)",
    # An extra field.
    (
        "undocumented",
        ENGAGE,
        f"{CAMPAIGN}/properties",
    ): f"declare 'priority' (string) in #{CAMPAIGN}/properties",
    # An undocumented 429.
    (
        "undocumented",
        ENGAGE,
        "/paths/~1_rest~1v2~1campaigns/get/responses",
    ): "add a 429 answer to listCampaigns, shaped like its 401 answer (#/components/schemas/Error)",
    # A required field sometimes missing.
    (
        "contradicted",
        ENGAGE,
        f"{CAMPAIGN}/required",
    ): f"remove 'modifiedBy' from #{CAMPAIGN}/required",
    # A lenient validation: the vendor accepts what the document says is a 422; said once,
    # for the operation (its assumed 422 contradicted in the ledger, with no edit of its own).
    (
        "lenient",
        ENGAGE,
        "/paths/~1_rest~1v2~1campaigns/post",
    ): "createCampaign accepts requests the document forbids: say so, or keep it strict",
    # A quirk no longer present: `lastExecuted` is null, not "", for a campaign never run.
    (
        "contradicted",
        ENGAGE,
        f"{LAST_EXECUTED}/anyOf",
    ): f"lastExecuted may be null: add {{type: 'null'}} to #{LAST_EXECUTED}/anyOf",
    (
        "contradicted",
        ENGAGE,
        LAST_EXECUTED,
    ): f"revise the quirk at #{LAST_EXECUTED} (An empty string, not null, for a campaign that"
    " never ran.)",
}


def run(*args: str | Path | list[Path]) -> tuple[int, dict[str, Any]]:
    flat = [item for arg in args for item in (arg if isinstance(arg, list) else [arg])]
    code = main([str(arg) for arg in flat])
    report = Path("reports/evidence/evidence.json")
    return code, json.loads(report.read_text()) if report.exists() else {}


def edits_of(report: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    return {
        (edit["kind"], Path(edit["document"]).name, edit["pointer"]): edit["change"]
        for edit in report["edits"]
    }


def ledger(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(entry["api"], entry["pointer"]): entry for entry in report["ledger"]}


def test_the_standin_s_differences_are_named_with_their_edits(
    recordings: Recordings, in_tmp: Path
) -> None:
    code, report = run(recordings.standin)
    assert code == 0
    assert edits_of(report) == {
        (kind, Path(document).name, at): change
        for (kind, document, at), change in STANDIN_EDITS.items()
    }
    entries = ledger(report)
    assert entries["engage", LAST_EXECUTED]["status"] == "contradicted"
    ((where, reason),) = entries["engage", INVALID_BODY]["contradictions"]
    assert reason == "a body that breaks the schema at /campaignName answered 201"
    # The example of the lenient validation is the exchange that sent `campaignName: 2026`.
    lenient = next(e for e in report["edits"] if e["kind"] == "lenient")
    assert (lenient["example"], lenient["because"]) == (where, reason)
    assert where.partition("#")[0] in map(str, recordings.standin)
    markdown = Path("reports/evidence/evidence.md").read_text()
    assert "| contradicted | `" in markdown
    assert "add 'COMPLETED' to #/components/schemas/CampaignStatus/enum" in markdown


def test_the_gates_fail_on_their_kind_only(recordings: Recordings, in_tmp: Path) -> None:
    assert run(recordings.standin, "--fail-on", "contradicted")[0] == 1
    assert run(recordings.standin, "--fail-on", "undocumented")[0] == 1
    assert run(recordings.standin, "--fail-on", "lenient")[0] == 1
    every_kind = ["--fail-on", "contradicted", "--fail-on", "undocumented", "--fail-on", "lenient"]
    assert run(recordings.sandbox, *every_kind)[0] == 0


def test_the_sandbox_s_traffic_contradicts_nothing_and_the_ledger_lists_every_assumption(
    recordings: Recordings, in_tmp: Path
) -> None:
    code, report = run(recordings.sandbox, "--fail-on", "contradicted")
    assert code == 0
    assert report["edits"] == []
    expected = {
        (name, marker.pointer): marker.kind
        for name, entry in APIS.items()
        for marker in entry.load().markers
        if marker.kind in LEDGER_KINDS
    }
    entries = ledger(report)
    assert {key: entry["kind"] for key, entry in entries.items()} == expected
    assert {entry["status"] for entry in entries.values()} == {"confirmed", "unexercised"}
    # What the scenario exercises is confirmed; what it cannot reach stays unexercised.
    assert entries["engage", INVALID_BODY]["status"] == "confirmed"
    assert entries["engage", LAST_EXECUTED]["status"] == "confirmed"
    assert entries["intelsend", "/paths/~1api~1campaign/get/parameters/2"]["status"] == "confirmed"
    assert entries["intelsend", "/paths/~1api~1campaign/post/responses/409"]["status"] == (
        "unexercised"
    )


def test_statuses_never_seen_and_bodies_are_reported(recordings: Recordings, in_tmp: Path) -> None:
    _, report = run(recordings.standin)
    operations = {(row["api"], row["operation"]): row for row in report["operations"]}
    listing = operations["engage", "listCampaigns"]
    assert [(s["status"], s["documented"]) for s in listing["statuses"]] == [
        (200, True),
        (401, True),
        (429, False),
    ]
    assert listing["never_seen"] == [500]
    bodies = {(b["api"], b["operation"], b["part"]): b for b in report["bodies"]}
    get = bodies["engage", "getCampaign", "response 200"]
    findings = {(f["pointer"], f["kind"]): f for f in get["findings"]}
    assert findings["/priority", "undeclared"]["example"]["value"] == "n*****"
    missing = findings["/modifiedBy", "required-missing"]
    assert (missing["count"], missing["of"]) == (1, 2)
    assert any("publishedDate" in never["fields"] for never in get["never_present"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not HAR: not JSON"),
        ('{"log": {"version": "1.2"}}', "not HAR: no log.entries array"),
        ('{"log": {"entries": [{"request": {}}]}}', "not HAR: entry 0 has no"),
    ],
)
def test_a_file_that_is_not_har_is_exit_2_in_one_line(
    content: str, message: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("bad.har").write_text(content)
    assert main(["bad.har"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"evidence: bad.har: {message}")
    assert error.count("\n") == 1


def test_a_document_that_does_not_load_is_exit_2_in_one_line(
    recordings: Recordings, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("docs").mkdir()
    Path("docs/engage.yaml").write_text("openapi: [3.1\n")
    assert main(["--documents", "docs", *map(str, recordings.sandbox)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("evidence: docs/engage.yaml: not valid YAML")
    assert error.count("\n") == 1
    Path("docs/engage.yaml").write_text(Path(APIS["engage"].document_path).read_text())
    assert main(["--documents", "docs", *map(str, recordings.sandbox)]) == 2
    assert capsys.readouterr().err.startswith("evidence: docs/intelsend.yaml: No such file")
