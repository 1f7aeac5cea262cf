"""Schemathesis's internals are imported by one module only, contract_tests/adapter.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Schemathesis's public modules; anything else under `schemathesis.` is an internal.
PUBLIC = {"schemathesis", "schemathesis.checks", "schemathesis.config", "schemathesis.errors"}


def schemathesis_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "schemathesis"}


def test_only_the_adapter_imports_schemathesis_internals() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(schemathesis_imports(path) - PUBLIC)
        for folder in ("campaign_contracts", "contract_tests", "tests", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "contract_tests" / "adapter.py"
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    assert schemathesis_imports(ROOT / "contract_tests" / "adapter.py") - PUBLIC
