"""Each install of campaign-contracts brings what its use needs, and no more.

The project's wheel is installed alone, then with each extra, into fresh virtualenvs that
cannot see this repository; a probe reports which modules import. A plain install is the
sandbox (with its pytest fixture), the proxy, the document model and the change gate, without
Schemathesis or Hypothesis; `[contract]` adds the contract suite, `[evidence]` the evidence
reports. Deselect with `-m "not packaging"`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.packaging.test_wheels_in_clean_venv import environment_without_repository, run

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv to build and install"),
]

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
EXTRAS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
PLAIN = [
    "campaign_contracts.sandbox.cli",
    "httpx",  # what the sandbox's pytest fixture needs besides pytest, which is the user's
    "campaign_contracts.proxy.cli",
    "campaign_contracts.spec_changes.__main__",
    "campaign_contracts.registry",
]
CONTRACT = ["contract_tests.cli", "schemathesis", "hypothesis"]
EVIDENCE = ["campaign_contracts.evidence.__main__", "campaign_contracts.evidence.parity"]
NEVER = ["jsonschema"]  # only this repository's tests use it
# Which modules import after installing with each extra ("" is the plain install).
EXPECTED = {
    "": (PLAIN, CONTRACT + EVIDENCE + NEVER),
    "contract": (PLAIN + CONTRACT, EVIDENCE + NEVER),
    "evidence": (PLAIN + EVIDENCE, CONTRACT + NEVER),
}
# Imports each module in a fresh interpreter state and prints which ones worked; the plain
# install must also build a sandbox from the documents inside the wheel.
PROBE = """
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        found[name] = True
    except ImportError:
        found[name] = False
from campaign_contracts.sandbox.app import create_app
create_app()
print(json.dumps(found))
"""
UV = shutil.which("uv") or "uv"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(UV, "build", "--wheel", "--quiet", "--build-constraints", CONSTRAINTS, "--out-dir", out,
        ROOT, cwd=out, env=environment_without_repository())  # fmt: skip
    (built,) = out.glob("campaign_contracts-*.whl")
    return built


def test_every_extra_is_probed() -> None:
    assert set(EXPECTED) == {"", *EXTRAS}


@pytest.mark.parametrize("extra", sorted(EXPECTED))
def test_an_install_imports_what_its_extra_promises(
    extra: str, wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = environment_without_repository()
    run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=tmp_path, env=env)
    requirement = f"{wheel}[{extra}]" if extra else str(wheel)
    run(UV, "pip", "install", "--quiet", "--python", python, "-c", CONSTRAINTS, requirement,
        cwd=tmp_path, env=env)  # fmt: skip
    importable, missing = EXPECTED[extra]
    probe = run(python, "-I", "-c", PROBE, *importable, *missing, cwd=tmp_path, env=env)
    found = json.loads(probe)
    assert found == {name: name in importable for name in [*importable, *missing]}
