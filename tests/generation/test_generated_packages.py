"""The generated packages, as the tests session installs them, type-check and import."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.generation
@pytest.mark.parametrize(
    "package",
    ["engage-client/engage_client", "intelsend-client/intelsend_client"],
    ids=lambda package: package.split("/")[0],
)
def test_client_passes_mypy_strict(package: str, tmp_path: Path) -> None:
    # Run from an empty folder: this repository's mypy configuration excludes generated/.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            f"--cache-dir={tmp_path / 'mypy-cache'}",
            str(REPO / "generated" / package),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", ["campaign_models.engage", "campaign_models.intelsend"])
def test_models_import_and_every_model_builds_its_schema(module: str) -> None:
    models = [
        value
        for _, value in inspect.getmembers(importlib.import_module(module), inspect.isclass)
        if issubclass(value, BaseModel) and value.__module__ == module
    ]
    assert models
    for model in models:
        # Fails if any forward reference between the generated models does not resolve.
        assert model.model_json_schema()
