"""Parity: recordings replayed against a fresh sandbox, or one at `--base-url`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.evidence.parity import main
from campaign_contracts.recording.reader import merged
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.evidence_recordings import Recordings

CAMPAIGN = "/components/schemas/Campaign"
# The stand-in's known differences, as the replay against the sandbox sees them: operation,
# kind of difference, pointer (array indices as *).
STANDIN_DIFFERENCES = {
    # The undocumented 429.
    ("listCampaigns", "status", ""),
    # The lenient validation: the vendor created it (201), the sandbox answers 422.
    ("createCampaign", "status", ""),
    # The extra field, the required field sometimes missing, the quirk no longer present.
    *(
        (operation, kind, pointer)
        for operation in ("createCampaign", "getCampaign")
        for kind, pointer in (
            ("schema", CAMPAIGN),
            ("fields", "/priority"),
            ("fields", "/modifiedBy"),
            ("type", "/lastExecuted"),
        )
    ),
    ("listCampaigns", "schema", "/components/schemas/CampaignListOrObject"),
    ("listCampaigns", "fields", "/*/priority"),
    ("listCampaigns", "type", "/*/lastExecuted"),
    # The enum value outside the enum.
    ("listCampaigns", "schema", "/components/schemas/CampaignPage"),
}


def report() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path("reports/parity/parity.json").read_text())
    return data


def differences(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (
            outcome["operation"],
            difference["kind"],
            re.sub(r"/\d+(?=/|$)", "/*", difference["pointer"]),
        )
        for outcome in data["differences"]
        for difference in outcome["differences"]
    }


def test_a_sandbox_recording_replays_at_100_percent(recordings: Recordings, in_tmp: Path) -> None:
    assert main([*map(str, recordings.sandbox), "--min-parity", "1"]) == 0
    data = report()
    exchanges = sum(1 for _ in merged(recordings.sandbox))
    assert (data["alike"], data["exchanges"], data["parity"]) == (exchanges, exchanges, 1.0)
    assert data["differences"] == []
    markdown = Path("reports/parity/parity.md").read_text()
    assert markdown.startswith(f"# Parity: {exchanges}/{exchanges} exchanges behave alike (100.0%)")


def test_a_standin_recording_shows_exactly_its_known_differences(
    recordings: Recordings, in_tmp: Path
) -> None:
    assert main([*map(str, recordings.standin), "--min-parity", "0.95"]) == 1
    data = report()
    assert differences(data) == STANDIN_DIFFERENCES
    assert data["alike"] == data["exchanges"] - len(data["differences"])
    # Every difference keeps both answers, side by side in the Markdown.
    first = data["differences"][0]
    assert (first["recorded_status"], first["replayed_status"]) == (429, 200)
    markdown = Path("reports/parity/parity.md").read_text()
    assert "| recorded (429) | replayed (200) |" in markdown
    operations = {row["operation"]: row for row in data["operations"] if row["api"] == "engage"}
    assert operations["deleteCampaign"]["alike"] == operations["deleteCampaign"]["exchanges"] == 1


def test_ids_and_placeholders_map_onto_the_target(recordings: Recordings, in_tmp: Path) -> None:
    """Against `--base-url`, the target's ids differ from the recording's, and later requests
    still reach the same campaigns; the placeholders are the target's tenants."""
    recorded = list(merged(recordings.sandbox))
    tokens = {e.request_header("Authorization") for e in recorded if e.path.startswith("/_rest")}
    assert tokens == {"<engage-token-1>", "<engage-token-2>"}
    cookie = next(e.request_header("cookie") for e in recorded if e.path.startswith("/api"))
    assert cookie is not None
    session = cookie.partition("=")[2]
    config = build_config(
        engage_tokens=["<engage-token-1>"],
        intelsend_sessions=[f"{session}=<intelsend-user-id-1>"],
        seed=12345,
    )
    with serve_in_thread(create_app(config)) as url:
        assert main([*map(str, recordings.sandbox), "--base-url", url, "--min-parity", "1"]) == 0
    assert report()["target"] == url


def test_not_har_is_exit_2_in_one_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("notes.har").write_text("[1, 2")
    assert main(["notes.har"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("parity: notes.har: not HAR")
    assert error.count("\n") == 1
