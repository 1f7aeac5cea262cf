"""The layers pyproject.toml states ([tool.importlinter]) hold, and break when broken.

documents → registry → shared layer (httpapi, recording) → sandbox / proxy / evidence /
contract suite; vendor folders import shared code, never the reverse. `lint-imports` runs in
`nox -s lint`; here it runs on the tree as it is, and on a copy where one shared module
imports a vendor's folder, which it must refuse.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.commands import run

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("campaign_contracts", "contract_tests", "codegen")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# What contract_tests may import of Schemathesis outside its adapter: its documented API.
SCHEMATHESIS_PUBLIC = {
    "schemathesis",
    "schemathesis.config",
    "schemathesis.errors",
    "schemathesis.checks",
}
ADAPTER = "contract_tests/adapter.py"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return run(LINT_IMPORTS, "--no-cache", cwd=tree, timeout=300, env=env)


def copy_of_the_code(destination: Path) -> Path:
    ignored = shutil.ignore_patterns("__pycache__", "node_modules")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, destination / name, ignore=ignored)
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_layers_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "vendor"),
    [
        ("campaign_contracts/sandbox/state.py", "campaign_contracts.sandbox.engage.state"),
        ("campaign_contracts/httpapi/validation.py", "campaign_contracts.sandbox.engage.state"),
        ("contract_tests/rules.py", "contract_tests.intelsend.rules"),
    ],
)
def test_shared_code_importing_a_vendor_breaks_the_layers(
    tmp_path: Path, module: str, vendor: str
) -> None:
    tree = copy_of_the_code(tmp_path)
    shared = tree / module
    shared.write_text(
        shared.read_text(encoding="utf-8") + f"\nimport {vendor}\n",
        encoding="utf-8",
    )
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 broken" not in result.stdout, result.stdout
    dotted = module.removesuffix(".py").replace("/", ".")
    assert f"{dotted} -> {vendor}" in result.stdout


def schemathesis_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] == "schemathesis"}


def test_only_the_adapter_imports_schemathesis_internals() -> None:
    """grimp sees an external package whole, so import-linter cannot tell Schemathesis's
    documented modules from its internals: this does."""
    internals = {
        path.relative_to(ROOT).as_posix(): sorted(schemathesis_imports(path) - SCHEMATHESIS_PUBLIC)
        for top in PACKAGES
        for path in (ROOT / top).rglob("*.py")
    }
    assert {path for path, names in internals.items() if names} == {ADAPTER}, internals
