"""The inspector page, `GET /_sandbox/`, as a browser shows it: headless Chromium (Debian's
`chromium`, which .ci/run installs) renders it from a sandbox on loopback."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.engage.state import customer_id
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.campaigns import SMS_CAMPAIGN
from tests.support.credentials import INTELSEND, SESSION
from tests.support.sandbox import TLS_CONTEXT

BROWSER_TIMEOUT_SECONDS = 120


def rendered(browser: str, url: str, profile: Path) -> str:
    """The DOM Chromium built from `url`, as HTML. As root (CI) it needs --no-sandbox."""
    result = subprocess.run(
        [
            *(browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"),
            *(f"--user-data-dir={profile}", "--dump-dom", url),
        ],
        capture_output=True,
        text=True,
        timeout=BROWSER_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", html)]


@pytest.mark.slow
def test_the_page_shows_the_campaigns_faults_and_requests_the_test_made(tmp_path: Path) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    with serve_in_thread(create_app(build_config(engage_tokens=["team-b"]))) as base_url:
        with httpx.Client(base_url=base_url, verify=TLS_CONTEXT, cookies=SESSION) as client:
            created = client.post(
                "/_rest/v2/campaigns",
                headers={"Authorization": "team-b"},
                json={"campaignName": "Spring promo"},
            ).json()
            client.post(
                f"/_rest/v2/campaigns/{created['_id']}/action",
                headers={"Authorization": "team-b"},
                json={"action": "publish"},
            ).raise_for_status()
            client.post(
                "/api/campaign",
                headers=INTELSEND,
                json={**SMS_CAMPAIGN, "name": "Summer <sms> sale"},
            ).raise_for_status()
            fault = {"api": "intelsend", "operationId": "sendCampaign", "status": 503}
            client.post("/_sandbox/faults", json=fault).raise_for_status()
        html = rendered(browser, f"{base_url}/_sandbox/", tmp_path / "profile")
    shown = cells(html)
    assert f"Tenant {customer_id('team-b')}: 1 campaign" in html
    assert [created["_id"], "Spring promo", "Published"] == shown[:3]
    # Text from the state is escaped, never markup.
    assert "Summer &lt;sms&gt; sale" in html
    assert "<sms>" not in html
    assert "Tenant sandbox-user: 1 campaign" in html
    assert ["intelsend", "sendCampaign", "1", "503"] in [
        shown[i : i + 4] for i in range(len(shown))
    ]
    assert "campaignAction" in shown
    assert "team-b" not in html  # the token itself never shows


def test_the_page_is_behind_the_control_token(tmp_path: Path) -> None:
    config = build_config(control_token="secret")
    with serve_in_thread(create_app(config)) as base_url:
        refused = httpx.get(f"{base_url}/_sandbox/", verify=TLS_CONTEXT)
        assert refused.status_code == 401
        # What makes a browser ask for the password.
        assert refused.headers["WWW-Authenticate"].startswith("Basic ")
        page = httpx.get(f"{base_url}/_sandbox/", auth=("me", "secret"), verify=TLS_CONTEXT)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "<h1>campaign-sandbox</h1>" in page.text
