"""The CI template for users (.github/workflows/contracts.yml) calls sessions that exist.

Sessions are read from noxfile.py's source (its `@nox.session` decorators), so renaming a
session without updating the template fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "contracts.yml"
BOOTSTRAP = "python -m pip install -r requirements/bootstrap.txt"
NOX_SESSION = re.compile(r"\bnox -s ([\w-]+)")
# Engage signs in each night: a token secret would stop working after 24 hours.
LIVE_SECRETS = (
    "ENGAGE_USERNAME",
    "ENGAGE_PASSWORD",
    "INTELSEND_SESSION_TOKEN",
    "INTELSEND_USER_ID",
)


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def run_commands(job: dict[str, Any]) -> list[str]:
    return [str(step["run"]) for step in job["steps"] if "run" in step]


def called_sessions(job: dict[str, Any]) -> list[str]:
    return [name for command in run_commands(job) for name in NOX_SESSION.findall(command)]


def test_triggers_are_pull_requests_and_a_nightly_schedule(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads the key `on` as the boolean true.
    triggers: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]
    assert {"pull_request", "schedule"} <= set(triggers)
    assert triggers["schedule"][0]["cron"]


def test_every_called_session_exists(workflow: dict[Any, Any], noxfile_sessions: set[str]) -> None:
    sessions = noxfile_sessions
    for name, job in workflow["jobs"].items():
        missing = set(called_sessions(job)) - sessions
        assert not missing, f"job {name} calls sessions noxfile.py lacks: {sorted(missing)}"


def test_pull_requests_run_every_check_in_order(workflow: dict[Any, Any]) -> None:
    assert called_sessions(workflow["jobs"]["pull-request"]) == [
        "lint",
        "generate-check",
        "changes",
        "tests",
        "contract",
    ]


def test_jobs_install_nox_as_the_readme_says(workflow: dict[Any, Any]) -> None:
    assert BOOTSTRAP in (ROOT / "README.md").read_text(encoding="utf-8")
    for job in workflow["jobs"].values():
        assert BOOTSTRAP in run_commands(job)


def test_nightly_runs_the_live_contract_read_only_and_keeps_the_reports(
    workflow: dict[Any, Any],
) -> None:
    nightly = workflow["jobs"]["nightly-live"]
    assert nightly["env"] == {name: f"${{{{ secrets.{name} }}}}" for name in LIVE_SECRETS}
    [contract] = [command for command in run_commands(nightly) if "nox -s contract" in command]
    assert "--base-url" in contract
    assert "--allow-writes" not in contract
    uploads = [step for step in nightly["steps"] if "upload-artifact" in step.get("uses", "")]
    assert [uploaded_paths(step) for step in uploads] == [CONTRACT_REPORTS]
    assert uploads[0]["if"] == "always()"


CONTRACT_REPORTS = [
    "reports/contract/summary.md",
    "reports/contract/findings.json",
    "reports/contract/*.xml",
]


def uploaded_paths(step: dict[str, Any]) -> list[str]:
    return str(step["with"]["path"]).split()


def test_pull_requests_keep_every_report(workflow: dict[Any, Any]) -> None:
    steps = workflow["jobs"]["pull-request"]["steps"]
    [upload] = [step for step in steps if "upload-artifact" in step.get("uses", "")]
    assert upload["if"] == "always()"
    assert uploaded_paths(upload) == [
        "reports/changes.md",
        "reports/changes.json",
        *CONTRACT_REPORTS,
    ]


@pytest.mark.parametrize(
    ("exit_code", "verdict"), [(0, "kept"), (1, "BROKEN"), (2, "NOT verified")]
)
def test_nightly_tells_a_broken_contract_from_one_not_verified(
    workflow: dict[Any, Any], tmp_path: Path, exit_code: int, verdict: str
) -> None:
    """The live step's script, run by bash with a stand-in `python` whose nox exits as the
    suite would: the job summary and the step's exit code say which night it was."""
    [step] = [
        step
        for step in workflow["jobs"]["nightly-live"]["steps"]
        if "nox -s contract" in step.get("run", "")
    ]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "python"
    stand_in.write_text(f"#!/bin/sh\nexit {exit_code}\n", encoding="utf-8")
    stand_in.chmod(0o755)
    summary = tmp_path / "summary.md"
    environment = {
        "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]]),
        "GITHUB_STEP_SUMMARY": str(summary),
        "API": "engage",
        "BASE_URL": "https://engage.example.test",
    }
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == exit_code
    assert summary.read_text(encoding="utf-8") == (
        f"**engage live contract: {verdict}** (exit {exit_code})\n"
    )
    if exit_code:
        assert f"::error title=engage contract {verdict}::" in run.stdout


def test_a_release_runs_on_a_version_tag_or_by_hand(workflow: dict[Any, Any]) -> None:
    triggers: dict[str, Any] = workflow["on"] if "on" in workflow else workflow[True]
    assert triggers["push"] == {"tags": ["v*"]}
    assert triggers["workflow_dispatch"]["inputs"]["release"]["type"] == "boolean"
    release = workflow["jobs"]["release"]
    assert "github.event_name == 'push'" in release["if"]
    assert "inputs.release" in release["if"]
    # A manual release is not also a live contract run.
    assert "!inputs.release" in workflow["jobs"]["nightly-live"]["if"]


def test_a_release_builds_then_publishes_where_the_repository_variables_say(
    workflow: dict[Any, Any], tmp_path: Path
) -> None:
    release = workflow["jobs"]["release"]
    assert called_sessions(release) == ["build", "publish"]
    [step] = [step for step in release["steps"] if "nox -s publish" in step.get("run", "")]
    assert step["env"] == {
        "PYTHON_INDEX_URL": "${{ vars.PYTHON_INDEX_URL }}",
        "NPM_REGISTRY_URL": "${{ vars.NPM_REGISTRY_URL }}",
        "UV_PUBLISH_TOKEN": "${{ secrets.UV_PUBLISH_TOKEN }}",
        "NPM_TOKEN": "${{ secrets.NPM_TOKEN }}",
    }
    # The step's script, run by bash with a stand-in `python` that writes down its arguments.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "python"
    stand_in.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/argv\n', encoding="utf-8")
    stand_in.chmod(0o755)
    environment = {
        "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]]),
        "PYTHON_INDEX_URL": "https://pypi.example.test/",
        "NPM_REGISTRY_URL": "https://npm.example.test/",
    }
    subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], env=environment, check=True)
    assert (tmp_path / "argv").read_text(encoding="utf-8").splitlines() == [
        "-m", "nox", "-s", "publish", "--",
        "--python-index", "https://pypi.example.test/",
        "--npm-registry", "https://npm.example.test/",
    ]  # fmt: skip
    uploads = [s for s in release["steps"] if "upload-artifact" in s.get("uses", "")]
    assert [uploaded_paths(upload) for upload in uploads] == [["dist/"]]
