"""What each recorded exchange can teach: the contract suite marks each with its origin, and
evidence reads each origin for what it can teach.

- a contract run against the sandbox (the documents' own implementation), and a proxy's
  recording of the docs' tour of the sandbox (the README's, once): no suggested edit at all;
- against a stand-in vendor with four known deviations (`deviating_vendor`): exactly those
  four suggestions, each once, from a contract run's recording and from a proxy's alike;
- parity replays a sandbox recording that signs in at 100 %.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from campaign_contracts.evidence.analysis import Evidence
from campaign_contracts.evidence.documents import load_documents
from campaign_contracts.evidence.parity import main as parity
from campaign_contracts.evidence.report import Report
from campaign_contracts.proxy.app import Proxy, ProxySettings
from campaign_contracts.proxy.cli import SERVER_OPTIONS
from campaign_contracts.recording.origins import Origin
from campaign_contracts.recording.reader import merged
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from tests.docs.test_pages import CURL_PAGES, page_commands, run_curl
from tests.support.deviating_vendor import SUGGESTIONS, DeviatingVendor
from tests.support.evidence_stand_in import ENGAGE_PREFIX
from tests.support.team_traffic import Team, drive

# Quick, yet every phase: the examples, coverage, fuzzing and stateful phases all run.
FAST = ["--rate-limit", "1000/s", "--max-examples", "10"]


def report_of(files: list[Path]) -> Report:
    evidence = Evidence(load_documents())
    evidence.add_all(merged(files))
    return Report.of(evidence)


def suggestions(report: Report) -> Counter[tuple[str, str, str]]:
    return Counter((edit.kind, edit.api, edit.pointer) for edit in report.edits)


def entries(files: list[Path]) -> list[dict[str, Any]]:
    return [entry for path in files for entry in json.loads(path.read_text())["log"]["entries"]]


def contract_run(reports: Path, *arguments: str) -> list[Path]:
    code = cli.main(["--report-dir", str(reports), *FAST, *arguments])
    assert code in (0, 1), f"the contract run could not run (exit {code})"
    return sorted(reports.glob("*.har"))


@pytest.fixture(scope="module")
def sandbox_run(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One contract run of both APIs against the sandbox it starts itself."""
    files = contract_run(tmp_path_factory.mktemp("sandbox-run"))
    assert [path.name for path in files] == ["engage.har", "intelsend.har"]
    return files


@pytest.mark.slow
def test_every_exchange_of_a_contract_run_says_what_produced_it(sandbox_run: list[Path]) -> None:
    recorded = entries(sandbox_run)
    origins = Counter(entry["_origin"] for entry in recorded)
    assert set(origins) == set(Origin) - {Origin.APPLICATION}, origins
    # Undeclared methods are sent to be refused.
    undeclared = [e for e in recorded if e["request"]["method"] in {"TRACE", "OPTIONS", "QUERY"}]
    assert undeclared
    assert {entry["_origin"] for entry in undeclared} == {Origin.NEGATIVE}
    # The sign-in is one exchange of its own, whoever asked for the token.
    signs_in = [e for e in recorded if e["request"]["url"].endswith("/authenticate")]
    assert Origin.SIGN_IN in {entry["_origin"] for entry in signs_in}
    assert all(entry.get("_try", 1) == 1 for entry in recorded)


@pytest.mark.slow
def test_a_contract_run_against_the_sandbox_suggests_nothing(sandbox_run: list[Path]) -> None:
    report = report_of(sandbox_run)
    assert report.evidence.exchanges > 200
    assert report.edits == [], [edit.change for edit in report.edits]
    assert report.evidence.origins[Origin.NEGATIVE] > 0


@contextmanager
def proxied(target: str, folder: Path) -> Iterator[str]:
    """A recording proxy in front of `target`, recording into `folder`."""
    settings = ProxySettings(upstreams={"engage": target, "intelsend": target}, record_dir=folder)
    with serve_in_thread(Proxy(settings), **SERVER_OPTIONS) as proxy:
        yield proxy


def test_the_tour_of_the_docs_through_the_proxy_suggests_nothing(tmp_path: Path) -> None:
    """The curl sessions of the docs (the first tour, the control plane's reference), the
    control plane called on the sandbox, the APIs through the recording proxy."""
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed: the tour is curl commands")
    with (
        serve_in_thread(create_app(build_config())) as sandbox,
        proxied(sandbox, tmp_path) as proxy,
    ):
        for command in (c for page in CURL_PAGES for c in page_commands(page)):
            if command.argv[0] == "curl":
                control = any("/_sandbox" in arg for arg in command.argv)
                run_curl(curl, command, sandbox if control else proxy)
    files = sorted(tmp_path.glob("*.har"))
    recorded = entries(files)
    assert {entry["_origin"] for entry in recorded} == {Origin.APPLICATION}
    # The tour injects faults (a 503 and a 429 no operation documents): the sandbox's wish,
    # marked, and learnt from by no one.
    assert {e["response"]["status"] for e in recorded} >= {429, 503}
    report = report_of(files)
    assert report.edits == [], [edit.change for edit in report.edits]


@pytest.fixture
def vendor() -> Iterator[str]:
    """The deviating stand-in, fresh, on a loopback port of its own."""
    with serve_in_thread(DeviatingVendor(create_app(Team().config()))) as url:
        yield url


@pytest.mark.slow
def test_a_contract_run_against_a_deviating_vendor_suggests_exactly_its_deviations(
    vendor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = Team()
    monkeypatch.setenv("ENGAGE_TOKEN", team.engage_token)
    monkeypatch.setenv("INTELSEND_SESSION_TOKEN", team.session)
    monkeypatch.setenv("INTELSEND_USER_ID", team.user)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    files = [
        *contract_run(
            tmp_path / "engage", "--api", "engage", "--base-url", vendor, "--allow-writes"
        ),
        *contract_run(
            tmp_path / "intelsend", "--api", "intelsend", "--base-url", vendor, "--allow-writes"
        ),
    ]
    found = suggestions(report_of(files))
    assert set(found) == SUGGESTIONS, found
    assert all(count == 1 for count in found.values()), found


def test_a_proxy_recording_of_a_deviating_vendor_suggests_exactly_its_deviations(
    vendor: str, tmp_path: Path
) -> None:
    team = Team()
    with proxied(vendor, tmp_path) as proxy:
        drive(proxy, team)
        with httpx.Client(base_url=proxy, headers={"Authorization": team.engage_token}) as engage:
            created = engage.post(ENGAGE_PREFIX, json={"campaignName": "Winter"}).json()
            action = f"{ENGAGE_PREFIX}/{created['_id']}/action"
            assert engage.post(action, json={"action": "pause"}).status_code == 200
    found = suggestions(report_of(sorted(tmp_path.glob("*.har"))))
    assert set(found) == SUGGESTIONS, found
    assert all(count == 1 for count in found.values()), found


def test_a_sandbox_recording_that_signs_in_replays_at_100_percent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        serve_in_thread(create_app(build_config())) as sandbox,
        proxied(sandbox, tmp_path / "recorded") as proxy,
        httpx.Client(base_url=proxy) as client,
    ):
        login = {"username": "sandbox", "password": "sandbox-password"}
        token = client.post("/_rest/v4/authenticate", json=login).json()["token"]
        refused = {**login, "password": "not-the-password"}
        assert client.post("/_rest/v4/authenticate", json=refused).status_code == 401
        signed = {"Authorization": token}
        client.post(ENGAGE_PREFIX, json={"campaignName": "Spring"}, headers=signed)
        assert client.get(ENGAGE_PREFIX, headers=signed).status_code == 200
    files = sorted((tmp_path / "recorded").glob("*.har"))
    text = "".join(path.read_text() for path in files)
    assert "<engage-password-1>" in text
    assert "sandbox-password" not in text
    monkeypatch.chdir(tmp_path)
    assert parity([*map(str, files), "--min-parity", "1"]) == 0
    data = json.loads(Path("reports/parity/parity.json").read_text())
    assert (data["alike"], data["exchanges"]) == (4, 4)
