"""Fixtures of the contract tests that run the suite in live mode against a stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_servers import SECRETS


@pytest.fixture
def live_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Credentials in the environment; the working directory a scratch folder to inspect."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path
