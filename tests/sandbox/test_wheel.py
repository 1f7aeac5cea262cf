"""The sandbox built as a wheel carries the OpenAPI documents it validates against."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")


@pytest.mark.skipif(UV is None, reason="needs uv to build the wheel")
def test_the_wheel_validates_against_its_own_copy_of_the_documents(tmp_path: Path) -> None:
    subprocess.run(
        [str(UV), "build", "--wheel", "--quiet", "--out-dir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        env={**os.environ, "UV_BUILD_CONSTRAINT": str(ROOT / "requirements" / "constraints.txt")},
    )
    (wheel,) = (tmp_path / "dist").glob("campaign_contracts-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "installed")
    for name in ("engage.yaml", "intelsend.yaml"):
        packaged = tmp_path / "installed" / "campaign_contracts" / "openapi" / name
        assert packaged.read_bytes() == (ROOT / "openapi" / name).read_bytes()
    # Isolated (-I: no current folder, no PYTHONPATH), from outside the repository: the
    # extracted wheel is the only `campaign_contracts` there is.
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from campaign_contracts.sandbox.app import create_app;"
        "from campaign_contracts.httpapi.validation import spec_path;"
        "create_app(); print(spec_path('engage'))"
    )
    found = subprocess.run(
        [sys.executable, "-I", "-c", probe, str(tmp_path / "installed")],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(found) == tmp_path / "installed" / "campaign_contracts" / "openapi" / "engage.yaml"
