"""Each kind of finding, one by one, as findings.json, the console and JUnit report it; what
fails the run (`lenient` only with --strict); a sandbox bug is never the vendor's answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from campaign_contracts.sandbox.engage.state import EngageBackend
from tests.support.breakages import (
    accept_any_token,
    invalid_action_accepted,
    no_request_change,
    unchanged,
    wrong_field_type,
)
from tests.support.contract_harness import run_against_variant


def test_a_breaking_finding(tmp_path: Path) -> None:
    verdict = run_against_variant("engage", wrong_field_type, no_request_change, tmp_path)

    assert verdict.exit_code == 1, verdict.output
    (finding,) = [f for f in verdict.findings if f["check"] == "response_schema_conformance"]
    assert finding["kind"] == "breaking"
    assert (finding["api"], finding["operationId"], finding["rule"]) == (
        "engage",
        "createCampaign",
        None,
    )
    assert "\n" not in finding["message"]
    assert finding["request"].startswith("curl ")
    assert "sandbox-token" not in finding["request"]
    assert "response_schema_conformance (breaking)" in verdict.output


def test_a_security_finding(tmp_path: Path) -> None:
    verdict = run_against_variant("engage", unchanged, accept_any_token, tmp_path)

    assert verdict.exit_code == 1, verdict.output
    assert verdict.kinds()["ignored_auth"] == "security"


@pytest.mark.parametrize(("strict", "exit_code"), [(False, 0), (True, 1)])
def test_a_lenient_finding_fails_only_with_strict(
    tmp_path: Path, strict: bool, exit_code: int
) -> None:
    verdict = run_against_variant(
        "engage", invalid_action_accepted, no_request_change, tmp_path, strict=strict
    )

    assert verdict.exit_code == exit_code, verdict.output
    assert verdict.kinds() == {"negative_data_rejection": "lenient"}
    action = "POST /_rest/v2/campaigns/{id}/action (campaignAction)"
    # JUnit fails the case only when the finding fails the run; the console says which.
    assert (action in verdict.failures) is strict
    marker = "FAILED" if strict else "FOUND"
    assert f"{marker} POST /_rest/v2/campaigns/{{id}}/action: negative_data_rejection" in (
        verdict.output
    )


@pytest.mark.slow
def test_a_broken_sandbox_handler_is_a_sandbox_finding_not_the_vendors_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("a sandbox bug on the run path")

    # Running a draft answers Engage's documented 500; a crash there must not pass for it.
    monkeypatch.setattr(EngageBackend, "run", broken)

    verdict = run_against_variant("engage", unchanged, no_request_change, tmp_path)

    assert verdict.exit_code == 1, verdict.output
    assert "Contract BROKEN" in verdict.output
    kinds = verdict.kinds()
    assert kinds["not_a_sandbox_failure"] == "sandbox"
    assert kinds["business rule: run before publish fails"] == "sandbox"
    sandbox = [f for f in verdict.findings if f["kind"] == "sandbox"]
    assert all("sandbox failure" in f["message"] for f in sandbox), sandbox
    assert {f["operationId"] for f in sandbox} == {"campaignAction", None}


def test_help_lists_the_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contract_tests", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "exit codes:\n  0  contract kept\n  1  contract broken" in result.stdout
    assert "\n  2  not verified" in result.stdout
