"""Live mode against a local stand-in vendor (the sandbox behind a recorder): what reaches the
server in each mode, secrets kept out of every output, the rate limit, cleanup after a failing
run, and the one-line exits with code 2."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import apis, cli
from tests.support.credentials import SECRETS, SESSION_COOKIE, assert_no_secret_anywhere
from tests.support.stand_in_vendor import Exchange, Recorder, Seen, Tamper, stand_in_app

FAST = ["--rate-limit", "1000/s", "--max-examples", "2"]
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, str]]:
    app = Recorder(stand_in_app())
    with serve_in_thread(app) as base_url:
        yield app, base_url


def is_send(seen: Seen) -> bool:
    if seen.path.endswith("/send"):
        return True
    try:
        return bool(seen.path.endswith("/action") and json.loads(seen.body) == {"action": "run"})
    except ValueError:
        return False


@dataclass(frozen=True)
class Mode:
    flags: list[str]
    writes: bool
    sends: bool


MODES = {
    "read-only by default": Mode([], writes=False, sends=False),
    "writes without sends": Mode(["--allow-writes"], writes=True, sends=False),
    "writes and sends": Mode(["--allow-writes", "--allow-send"], writes=True, sends=True),
}


@pytest.mark.parametrize("mode", MODES.values(), ids=MODES.keys())
def test_what_reaches_the_vendor_in_each_mode(
    mode: Mode,
    live_env: Path,
    recorder: tuple[Recorder, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, base_url = recorder

    code = cli.main(["--base-url", base_url, *FAST, *mode.flags])

    output = capsys.readouterr()
    assert code == 0, output.out
    methods = {seen.method for seen in server.requests}
    assert bool(methods & WRITE_METHODS) is mode.writes, methods
    assert any(is_send(seen) for seen in server.requests) is mode.sends
    assert_no_secret_anywhere(output.out + output.err, live_env)
    assert not (live_env / ".hypothesis").exists()
    assert not (live_env / ".schemathesis").exists()
    reports = {path.name for path in (live_env / "reports" / "contract").iterdir()}
    assert reports == {
        *("engage.xml", "intelsend.xml", "findings.json", "summary.md"),
        *("engage.har", "intelsend.har"),
    }
    skipped = skipped_test_cases(live_env / "reports" / "contract" / "engage.xml")
    # Left out by the policy, each under its own kind: operations apart from rules.
    assert ("a published campaign runs" in skipped) is not mode.sends
    assert skipped.get("a published campaign runs", "engage.rules") == "engage.rules"
    assert ("POST /_rest/v2/campaigns (createCampaign)" in skipped) is not mode.writes
    assert skipped.get("POST /_rest/v2/campaigns (createCampaign)", "") in {"", "engage.operations"}


def skipped_test_cases(report: Path) -> dict[str, str]:
    """JUnit test case name -> classname, for the cases marked skipped."""
    cases = ET.parse(report).getroot().iter("testcase")
    return {c.attrib["name"]: c.attrib["classname"] for c in cases if c.find("skipped") is not None}


def test_the_rate_limit_is_honoured(
    live_env: Path, recorder: tuple[Recorder, str], capsys: pytest.CaptureFixture[str]
) -> None:
    server, base_url = recorder
    limit = 40

    code = cli.main(
        [
            *("--base-url", base_url, "--api", "intelsend", "--max-examples", "1"),
            *("--rate-limit", f"{limit}/s"),
        ]
    )

    assert code == 0, capsys.readouterr().out
    times = sorted(seen.at for seen in server.requests)
    assert len(times) > limit, "too few requests to measure a rate"
    # The limiter allows `limit` requests per one-second window: over any window, no more.
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= limit + 1, busiest


@pytest.mark.slow
def test_campaigns_the_run_did_not_create_are_never_written(
    live_env: Path, recorder: tuple[Recorder, str], capsys: pytest.CaptureFixture[str]
) -> None:
    server, base_url = recorder
    engage = httpx.Client(base_url=base_url, headers={"Authorization": SECRETS["ENGAGE_TOKEN"]})
    intelsend = httpx.Client(
        base_url=base_url,
        headers={"x-user-id": SECRETS["INTELSEND_USER_ID"]},
        cookies={SESSION_COOKIE: SECRETS["INTELSEND_SESSION_TOKEN"]},
    )
    with engage, intelsend:
        # A customer's campaigns, there before the run: listed, so the run learns their ids.
        customer = engage.post("/_rest/v2/campaigns", json={"campaignName": "customer"}).json()
        draft = {
            "campaignId": None,
            "name": "customer draft",
            "settings": {"sms": {"shortCode": "12345", "templateId": "t1", "version": 1}},
            "channel": ["sms"],
            "contactListId": [],
        }
        intelsend.post("/api/campaign", json=draft).raise_for_status()
        (customer_draft,) = intelsend.get("/api/campaign").json()["result"]

        code = cli.main(["--base-url", base_url, *FAST, "--allow-writes", "--allow-send"])

        assert code == 0, capsys.readouterr().out
        assert engage.get("/_rest/v2/campaigns/", params={"id": customer["_id"]}).json() == customer
        listed = intelsend.get("/api/campaign", params={"limit": 1000}).json()["result"]
        assert customer_draft in listed
    foreign = {customer["_id"], customer_draft["campaignId"]}
    for seen in server.requests:
        if seen.method in WRITE_METHODS:
            assert not any(campaign_id in seen.path for campaign_id in foreign), seen.path
            assert not any(campaign_id.encode() in seen.body for campaign_id in foreign)


def echo_token_from_errors(exchange: Exchange) -> None:
    """A broken errors endpoint that also echoes the caller's token back."""
    if exchange.path == "/_rest/v2/campaigns/errors" and exchange.status == 200:
        exchange.answer(200, {"echo": exchange.headers.get("authorization", "")})


def test_a_failing_run_still_cleans_up_and_redacts(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = Tamper(stand_in_app(), rewrite=echo_token_from_errors)
    with serve_in_thread(app) as base_url:
        code = cli.main(["--base-url", base_url, "--api", "engage", "--allow-writes", *FAST])
        left = httpx.get(
            f"{base_url}/_rest/v2/campaigns",
            headers={"Authorization": SECRETS["ENGAGE_TOKEN"]},
        ).json()

    output = capsys.readouterr()
    assert code == 1, output.out
    assert "cleanup: " in output.out
    assert left == [], "the stand-in started empty: all the run created must be gone"
    assert "response_schema_conformance" in (live_env / "reports/contract/engage.xml").read_text()
    assert_no_secret_anywhere(output.out + output.err, live_env)


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_a_missing_variable_is_named(
    live_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("INTELSEND_USER_ID")

    code = cli.main(["--base-url", "http://127.0.0.1:9", "--api", "intelsend"])

    out = capsys.readouterr().out
    assert code == 2
    assert out.count("\n") == 1
    assert "INTELSEND_USER_ID is not set" in out


def test_an_unreachable_url_exits_2(live_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve_in_thread(stand_in_app()) as base_url:
        pass  # the port was free a moment ago and nothing listens there now

    code = cli.main(["--base-url", base_url])

    assert code == 2
    assert f"cannot reach {base_url}" in last_line(capsys.readouterr().out)


def assert_reports_give_the_reason(folder: Path, apis: list[str], reason: str) -> None:
    """summary.md, findings.json and each API's JUnit file exist and say why."""
    reports = folder / "reports" / "contract"
    summary = (reports / "summary.md").read_text()
    assert "Contract NOT verified" in summary
    assert f"Contract NOT verified: {reason}" in summary
    findings = json.loads((reports / "findings.json").read_text())
    assert (findings["reason"], findings["findings"]) == (reason, [])
    for api in apis:
        (case,) = ET.parse(reports / f"{api}.xml").getroot().iter("testcase")
        error = case.find("error")
        assert error is not None
        assert error.attrib["message"] == f"not verified: {reason}"


def test_a_run_that_cannot_start_still_writes_every_report(
    live_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ENGAGE_TOKEN")

    code = cli.main(["--base-url", "http://127.0.0.1:9"])

    assert code == 2
    reason = "ENGAGE_TOKEN is not set: live engage credentials come from it"
    assert capsys.readouterr().out == f"Contract NOT verified: {reason}\n"
    assert_reports_give_the_reason(live_env, ["engage", "intelsend"], reason)


def test_a_run_stopped_midway_writes_the_reason_in_every_report(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(stand_in_app()) as base_url:
        pass  # nothing listens there any more

    code = cli.main(["--base-url", base_url, "--api", "intelsend"])

    assert code == 2
    reason = (
        f"intelsend: cannot reach {base_url}: "
        "connection refused: nothing listens on that port (a server down?)"
    )
    assert last_line(capsys.readouterr().out) == f"Contract NOT verified: {reason}"
    assert_reports_give_the_reason(live_env, ["intelsend"], reason)
    assert not (live_env / "reports" / "contract" / "engage.xml").exists()


def test_a_base_url_that_is_not_the_api_exits_2(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web_page = Starlette(
        routes=[Route("/{path:path}", lambda _: HTMLResponse("<h1>Not Found</h1>", 404))]
    )
    with serve_in_thread(web_page) as base_url:
        code = cli.main(["--base-url", base_url, "--api", "engage"])

    assert code == 2
    assert last_line(capsys.readouterr().out) == (
        f"Contract NOT verified: engage: {base_url} does not look like the engage API: "
        "GET /_rest/v2/campaigns answered HTTP 404 (text/html; charset=utf-8); check --base-url"
    )


EngageRun = Callable[[str], tuple[str, str]]


@pytest.fixture
def engage_with_token(
    live_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorder: tuple[Recorder, str],
    capsys: pytest.CaptureFixture[str],
) -> EngageRun:
    """Runs the Engage contract on the stand-in with ENGAGE_TOKEN set to the token given,
    checks that it exits 2, and gives the stand-in's URL and the last line printed."""

    def run(token: str) -> tuple[str, str]:
        monkeypatch.setenv("ENGAGE_TOKEN", token)
        _server, base_url = recorder
        assert cli.main(["--base-url", base_url, "--api", "engage"]) == 2
        return base_url, last_line(capsys.readouterr().out)

    return run


def test_rejected_credentials_exit_2(engage_with_token: EngageRun) -> None:
    _base_url, line = engage_with_token("not-the-token")
    assert "rejected the credentials (HTTP 401" in line
    assert line.endswith("; check ENGAGE_TOKEN")


def test_a_bearer_prefix_is_named_as_the_reason(engage_with_token: EngageRun) -> None:
    base_url, line = engage_with_token("Bearer sandbox-token")
    assert line == (
        f"Contract NOT verified: engage: {base_url} rejected the credentials (HTTP 401 to "
        "listCampaigns); ENGAGE_TOKEN starts with `Bearer `: Engage takes the raw token, drop "
        "the prefix"
    )


def test_an_unreachable_target_says_why() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError) as refused:
        httpx.get(f"http://127.0.0.1:{closed}/")
    assert cli.unreachable_reason(refused.value).startswith("connection refused")
    with serve_in_thread(stand_in_app()) as plain, pytest.raises(httpx.ConnectError) as tls:
        httpx.get(plain.replace("http://", "https://"))
    assert cli.unreachable_reason(tls.value).startswith("TLS failed (WRONG_VERSION_NUMBER)")
    # No name is looked up for real (that would leave loopback): httpx's error, as it wraps it.
    try:
        raise socket.gaierror(-2, "Name or service not known")
    except socket.gaierror as lookup:
        dns = httpx.ConnectError(str(lookup))
        dns.__cause__ = lookup
    assert cli.unreachable_reason(dns) == (
        "DNS: the host name does not resolve (Name or service not known)"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--profile", "huge"],
        ["--allow-writes"],
        ["--base-url", "http://x", "--allow-send"],
        ["--base-url", "ftp://x"],
        ["--rate-limit", "fast"],
        ["--max-examples", "0"],
        ["--engage-auth-url", "http://x"],
        ["--base-url", "http://x", "--engage-auth-url", "ftp://x"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contract_tests", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("contract: error: ")


def test_a_malformed_document_exits_2_with_one_line(
    live_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = live_env / "engage.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(apis, "spec_path", lambda api: broken)

    code = cli.main(["--api", "engage"])

    assert code == 2
    assert last_line(capsys.readouterr().out) == (
        f"Contract NOT verified: {broken}: not valid YAML (line 3): "
        "did not find expected ',' or ']'"
    )
