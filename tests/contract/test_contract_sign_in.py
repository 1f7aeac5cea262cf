"""Live mode with ENGAGE_USERNAME/ENGAGE_PASSWORD against a local stand-in vendor: the run signs
in, survives its tokens ending mid-run, never fuzzes `authenticate`, and prints no password or
token; a login it cannot use is one line and exit 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.engage.tokens import TokenStore
from campaign_contracts.sandbox.serving import serve_in_thread
from campaign_contracts.sandbox.storage import MemoryStorage
from contract_tests import cli
from tests.support.stand_in_vendor import Exchange, Tamper

USERNAME = "api-user-3c71"
# Distinctive, so that a leak is found by a plain substring search.
PASSWORD = "pw-5e2b9d0f7a"
SIGN_IN = "/_rest/v4/authenticate"
CAMPAIGNS = "/_rest/v2/campaigns"
FAST = ["--rate-limit", "1000/s", "--max-examples", "2"]
# The campaign calls after which every issued token is ended, as the vendor's would expire.
EXPIRE_AFTER = (3, 12)


@dataclass
class StandIn:
    """The sandbox with one login, behind a tamper that watches the sign-ins and ends the
    tokens after the campaign calls of EXPIRE_AFTER."""

    base_url: str = ""
    sign_in_bodies: list[object] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    campaign_calls: int = 0
    expiries: int = 0
    refused_after_expiry: int = 0


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    storage = MemoryStorage()
    config = build_config(
        engage_logins=[f"{USERNAME}={PASSWORD}"],
        intelsend_sessions=["unused-session=unused-user"],
        default_credentials=False,
    )
    issued = TokenStore(storage)
    seen = StandIn()

    def before(exchange: Exchange) -> dict[str, str] | None:
        if exchange.path.startswith(CAMPAIGNS):
            seen.campaign_calls += 1
            if seen.campaign_calls in EXPIRE_AFTER:
                seen.expiries += 1
                issued.expire_all()
        return None

    def after(exchange: Exchange) -> None:
        if exchange.path == SIGN_IN:
            seen.sign_in_bodies.append(exchange.request_json())
            if exchange.status == 200:
                seen.tokens.append(exchange.json()["token"])
        elif exchange.status == 401 and "expired" in exchange.body.decode():
            seen.refused_after_expiry += 1

    app = Tamper(create_app(config, storage), rewrite=after, rewrite_request=before)
    with serve_in_thread(app) as base_url:
        seen.base_url = base_url
        yield seen


@pytest.fixture
def login_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ENGAGE_USERNAME", USERNAME)
    monkeypatch.setenv("ENGAGE_PASSWORD", PASSWORD)
    monkeypatch.delenv("ENGAGE_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_not_anywhere(secrets: list[str], output: str, folder: Path) -> None:
    files = {path: path.read_text(errors="replace") for path in folder.rglob("*") if path.is_file()}
    assert files, "the run wrote no report"
    for secret in secrets:
        assert secret not in output, "a secret was printed"
        for path, text in files.items():
            assert secret not in text, f"a secret is in {path.name}"


def test_a_live_run_signs_in_and_survives_its_tokens_ending(
    stand_in: StandIn, login_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--api", "engage", "--base-url", stand_in.base_url, "--allow-writes", *FAST]
    code = cli.main([*argv, "--engage-auth-url", stand_in.base_url])

    output = capsys.readouterr()
    assert code == 0, output.out
    # Both expiries happened mid-run, and each refused request was followed by a new sign-in.
    assert stand_in.expiries == len(EXPIRE_AFTER)
    assert stand_in.refused_after_expiry >= 1
    assert len(stand_in.tokens) >= 1 + len(EXPIRE_AFTER)
    # Never fuzzed: every sign-in the vendor saw carried the real login, and no other.
    assert stand_in.sign_in_bodies
    assert all(
        body == {"username": USERNAME, "password": PASSWORD} for body in stand_in.sign_in_bodies
    )
    assert len(stand_in.sign_in_bodies) == len(stand_in.tokens)
    report = ET.parse(login_env / "reports" / "contract" / "engage.xml").getroot()
    skipped = {c.attrib["name"] for c in report.iter("testcase") if c.find("skipped") is not None}
    assert f"POST {SIGN_IN} (authenticate)" in skipped
    assert_not_anywhere([PASSWORD, *stand_in.tokens], output.out + output.err, login_env)


def test_a_refused_login_is_one_line_and_exit_2(
    stand_in: StandIn,
    login_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ENGAGE_PASSWORD", PASSWORD + "-wrong")
    argv = ["--api", "engage", "--base-url", stand_in.base_url, *FAST]
    assert cli.main([*argv, "--engage-auth-url", stand_in.base_url]) == 2
    out = capsys.readouterr().out
    assert (
        f"Contract NOT verified: engage: signing in at {stand_in.base_url}{SIGN_IN} answered"
        " HTTP 401; check ENGAGE_USERNAME, ENGAGE_PASSWORD"
    ) in out
    assert stand_in.campaign_calls == 0
    assert_not_anywhere([PASSWORD + "-wrong"], out, login_env)


def test_a_username_without_its_password_is_named(
    login_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ENGAGE_PASSWORD")
    assert cli.main(["--api", "engage", "--base-url", "http://127.0.0.1:9"]) == 2
    assert (
        "ENGAGE_PASSWORD is not set: live engage credentials come from it"
        " (sign-in takes ENGAGE_USERNAME and ENGAGE_PASSWORD)"
    ) in capsys.readouterr().out
