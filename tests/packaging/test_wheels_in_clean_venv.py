"""The generated packages build, carry their API's version, and work from a clean virtualenv.

The wheels are built the way `nox -s build` builds them and installed, with their
dependencies pinned by requirements/constraints.txt, into a new virtualenv that cannot
see this repository (a temporary working folder, `python -I`, no PYTHONPATH); a script
then drives the sandbox through them. Deselect with `-m "not packaging"`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.version import Version

from codegen.generate import models_version
from tests.support import commands

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
DRIVER = Path(__file__).with_name("drive_sandbox.py")
README_EXAMPLES = Path(__file__).with_name("run_readme_examples.py")
CLIENT_PROJECTS = {"engage": "generated/engage-client", "intelsend": "generated/intelsend-client"}
MODELS_PROJECT = "generated/models"
UV = shutil.which("uv")
# Any fixed instant gives byte-identical archives; nox -s build uses the last commit's.
SOURCE_DATE_EPOCH = "315532800"


def info_version(api: str) -> str:
    document = yaml.safe_load((ROOT / "openapi" / f"{api}.yaml").read_text(encoding="utf-8"))
    return str(document["info"]["version"])


def project_version(project: str) -> str:
    metadata: dict[str, Any] = tomllib.loads((ROOT / project / "pyproject.toml").read_text())
    return str(metadata["project"]["version"])


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = commands.run(*command, cwd=cwd, timeout=None, env=env)
    assert completed.returncode == 0, f"{command}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def run_outside_the_repository(python: Path, script: Path, base_url: str, folder: Path) -> str:
    """`script`, copied into `folder`, run isolated (`-I`) against `base_url`: what it printed."""
    copy = folder / script.name
    shutil.copy(script, copy)
    return run(python, "-I", copy, base_url, cwd=folder, env=environment_without_repository())


def environment_without_repository() -> dict[str, str]:
    """This process's environment without what could point Python at the repository."""
    # nox sets UV_PROJECT_ENVIRONMENT to the session's virtualenv: a `uv sync` of a consumer
    # project would otherwise install into, and strip, the environment running the tests.
    hidden = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "UV_PROJECT_ENVIRONMENT"}
    return {name: value for name, value in os.environ.items() if name not in hidden}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("dist")
    env = {**environment_without_repository(), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    for project in (*CLIENT_PROJECTS.values(), MODELS_PROJECT):
        build: tuple[str | Path, ...]
        if UV:
            build = (UV, "build", "--wheel", "--build-constraints", CONSTRAINTS, "--out-dir", out)
        else:
            build = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out)
        run(*build, ROOT / project, cwd=out, env=env)
    return sorted(out.glob("*.whl"))


@pytest.fixture(scope="module")
def clean_python(tmp_path_factory: pytest.TempPathFactory, wheels: list[Path]) -> Path:
    """The interpreter of a fresh virtualenv holding only the wheels and their dependencies."""
    home = tmp_path_factory.mktemp("clean")
    env = environment_without_repository()
    venv = home / "venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install: tuple[str | Path, ...]
    if UV:
        run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=home, env=env)
        install = (UV, "pip", "install", "--quiet", "--python", python)
    else:
        run(sys.executable, "-m", "venv", venv, cwd=home, env=env)
        install = (python, "-m", "pip", "install", "--quiet")
    run(*install, "--constraint", CONSTRAINTS, *wheels, cwd=home, env=env)
    return python


@pytest.mark.parametrize("api", sorted(CLIENT_PROJECTS))
def test_client_version_is_the_documents_info_version(api: str) -> None:
    assert project_version(CLIENT_PROJECTS[api]) == info_version(api)


def test_models_version_sums_the_documents_info_versions() -> None:
    # One package holds the models of both documents: each part is the sum of theirs.
    parts = zip(*(info_version(api).split(".") for api in CLIENT_PROJECTS), strict=True)
    assert project_version(MODELS_PROJECT) == ".".join(str(sum(map(int, p))) for p in parts)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["2.0.0", "1.0.0"], ["3.0.0", "1.0.0"]),  # a breaking change of one API
        (["2.9.0", "1.0.0"], ["3.0.0", "1.0.0"]),  # ... even when it resets a large minor
        (["2.0.0", "1.0.0"], ["2.0.0", "1.1.0"]),
        (["2.3.4", "1.0.9"], ["2.3.5", "1.0.9"]),
    ],
)
def test_any_bump_of_a_document_raises_the_models_version(
    before: list[str], after: list[str]
) -> None:
    old, new = Version(models_version(before)), Version(models_version(after))
    assert new > old
    breaking = any(a.split(".")[0] != b.split(".")[0] for a, b in zip(before, after, strict=True))
    assert (new.major > old.major) is breaking


def test_wheels_drive_the_sandbox_from_a_clean_virtualenv(
    wheels: list[Path], clean_python: Path, sandbox_server: Any, tmp_path: Path
) -> None:
    assert [wheel.name for wheel in wheels] == [
        f"campaign_models-{project_version(MODELS_PROJECT)}-py3-none-any.whl",
        f"engage_client-{info_version('engage')}-py3-none-any.whl",
        f"intelsend_client-{info_version('intelsend')}-py3-none-any.whl",
    ]
    sandbox_server.reset()
    output = run_outside_the_repository(clean_python, DRIVER, sandbox_server.base_url, tmp_path)
    assert output == "ok\n"


def test_the_wheels_readme_examples_run_from_a_clean_virtualenv(
    clean_python: Path, sandbox_server: Any, tmp_path: Path
) -> None:
    sandbox_server.reset()
    output = run_outside_the_repository(
        clean_python, README_EXAMPLES, sandbox_server.base_url, tmp_path
    )
    examples = sum(
        (ROOT / project / "README.md").read_text(encoding="utf-8").count("```python")
        for project in CLIENT_PROJECTS.values()
    )
    assert output == f"ok {examples}\n"


@pytest.mark.skipif(UV is None, reason="nox -s build builds with uv")
def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    # As `nox -s build` does (wheel and sdist), two seconds apart: longer than a zip
    # timestamp's resolution, so a build that stamped the time would differ.
    env = {
        name: value
        for name, value in environment_without_repository().items()
        if name != "SOURCE_DATE_EPOCH"
    }
    digests = []
    for attempt in ("first", "second"):
        out = tmp_path / attempt
        for project in (*CLIENT_PROJECTS.values(), MODELS_PROJECT):
            assert UV is not None
            build = (UV, "build", "--build-constraints", CONSTRAINTS, "--out-dir", out)
            run(*build, ROOT / project, cwd=tmp_path, env=env)
        digests.append(
            {
                path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                for pattern in ("*.whl", "*.tar.gz")
                for path in out.glob(pattern)
            }
        )
        time.sleep(2.1)
    assert len(digests[0]) == 6  # a wheel and an sdist of each of the three projects
    assert digests[0] == digests[1]
