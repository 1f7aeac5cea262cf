"""The sample outputs the pages show are what the commands print now (docs/samples.py says
how a page shows one). Each test makes the situation its page describes, runs the program for
real and compares."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from docs.samples import matches, sample
from tests.support.commands import run_module

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TIMEOUT = 300

pytestmark = pytest.mark.slow


def test_matching_fails_on_a_difference() -> None:
    assert matches("a ... c\nd", "a  b b  c \nd")
    assert not matches("a ... c\nd", "a b c\ne")


def test_the_contract_sample_is_what_a_sandbox_run_prints(tmp_path: Path) -> None:
    expected = sample(DOCS / "reference" / "contract.md", "python -m contract_tests --api engage")
    # One example per operation and phase: the same table, a quarter of the time; the page's
    # `...` stands for the counts of cases.
    run = run_module(
        "contract_tests", "--api", "engage", "--max-examples", "1", cwd=tmp_path, timeout=TIMEOUT
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert matches(expected, run.stdout), run.stdout
    for report in re.findall(r"reports/contract/\S+?(?=,|$)", expected, re.MULTILINE):
        assert (tmp_path / report).is_file(), report


def git(*args: str, cwd: Path) -> None:
    identity = ("-c", "user.name=docs", "-c", "user.email=docs@example.invalid")
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True)


def test_the_changes_sample_is_what_the_gate_prints(tmp_path: Path) -> None:
    page = DOCS / "how-to" / "vendor-api-changed.md"
    expected = sample(page, "nox -s changes")
    # A repository with the documents and the vendor samples, then the page's edit.
    shutil.copytree(REPO / "openapi", tmp_path / "openapi")
    samples = Path("tests", "data", "vendor_samples")
    shutil.copytree(REPO / samples, tmp_path / samples)
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-q", "-m", "base", cwd=tmp_path)
    path = tmp_path / "openapi" / "intelsend.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    create = document["components"]["schemas"]["CampaignCreate"]
    create["properties"]["scheduleAt"] = {"type": "string", "format": "date-time"}
    create["required"].append("scheduleAt")
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    run = run_module(
        "campaign_contracts.spec_changes", "HEAD", "--root", ".", cwd=tmp_path, timeout=TIMEOUT
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert matches(expected, run.stdout), run.stdout
