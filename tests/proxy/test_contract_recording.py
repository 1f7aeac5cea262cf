"""A live contract run through the proxy: it passes, and its own recording
(`reports/contract/<api>.har`) and the proxy's hold the same exchanges, sanitized alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from campaign_contracts.proxy.app import ProxySettings
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from tests.support.proxy_stand_in import proxy
from tests.support.recordings import assert_no_secret, entries

TOKEN = "en-tok/8f3a+91c2="
SESSION = "ses/7d0e+4b5"  # no "=": the sandbox takes sessions as TOKEN=USER
USER_ID = "usr-51c9/aa08"
FAST = ["--rate-limit", "1000/s", "--max-examples", "2"]


def exchange(entry: dict[str, Any]) -> tuple[Any, ...]:
    """What both recordings must agree on: the URL as the client sent it (the proxy's host
    aside), the bodies and the status, and the credentials' placeholders."""
    request, response = entry["request"], entry["response"]
    url = urlsplit(request["url"])
    credentials = sorted(
        (item["name"].lower(), item["value"])
        for item in request["headers"]
        if item["name"].lower() in {"authorization", "cookie", "x-user-id"}
    )
    return (
        request["method"],
        url.path,
        url.query,
        request.get("postData", {}).get("text"),
        response["status"],
        response["content"].get("text"),
        credentials,
    )


def probe(entry: dict[str, Any]) -> bool:
    return any(
        item["name"].lower() == "x-schemathesis-probe" for item in entry["request"]["headers"]
    )


@pytest.mark.slow
@pytest.mark.parametrize(("api", "flags"), [("engage", ["--allow-writes"]), ("intelsend", [])])
def test_a_live_run_through_the_proxy_records_the_same_exchanges(
    api: str,
    flags: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ENGAGE_TOKEN", TOKEN)
    monkeypatch.setenv("INTELSEND_SESSION_TOKEN", SESSION)
    monkeypatch.setenv("INTELSEND_USER_ID", USER_ID)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    vendor_app = create_app(
        build_config(
            engage_tokens=[TOKEN],
            intelsend_sessions=[f"{SESSION}={USER_ID}"],
            default_credentials=False,
        )
    )
    reports, recordings = tmp_path / "reports", tmp_path / "recordings"
    with serve_in_thread(vendor_app) as vendor:
        settings = ProxySettings(upstreams={api: vendor}, record_dir=recordings)
        with proxy(settings) as base_url:
            code = cli.main(
                ["--api", api, "--base-url", base_url, "--report-dir", str(reports), *FAST, *flags]
            )
    output = capsys.readouterr().out
    assert code == 0, output
    assert f"{reports / api}.har" in output

    (proxied,) = recordings.iterdir()
    ours = entries(reports / f"{api}.har")
    theirs = entries(proxied)
    assert len(ours) > 10
    # Schemathesis's probes of the server (a NUL byte in a header, a path outside the API)
    # are refused by the proxy's HTTP server, or answered 404 outside every API: they reach no
    # upstream, so the proxy records none of them.
    probes = [entry for entry in ours if probe(entry)]
    assert {entry["response"]["status"] for entry in probes} == {400, 404}
    ours = [entry for entry in ours if not probe(entry)]
    assert [exchange(entry) for entry in ours] == [exchange(entry) for entry in theirs]
    assert_no_secret([reports / f"{api}.har", proxied], [output])
    # The run's own calls (the probe first) and Schemathesis's are both there.
    assert ours[0]["request"]["url"].endswith(
        "/_rest/v2/campaigns" if api == "engage" else "/api/campaign"
    )
    agents = {
        next(h["value"] for h in entry["request"]["headers"] if h["name"].lower() == "user-agent")
        for entry in ours
    }
    assert any(agent.startswith("python-httpx") for agent in agents)
    assert any(agent.startswith("schemathesis") for agent in agents), agents
    assert json.dumps(ours).count("<") > 0
