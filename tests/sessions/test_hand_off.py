"""The hand-off to other teams, whole, as the README tells it: on the fresh copy where the quick
start ran (conftest.py), `nox -s build`, then `nox -s publish` to a real PyPI-compatible index
and a real npm registry on loopback (registries.py), then clean consumer projects that install
the packages by name, configured the safe way the README shows (each package pinned to the
company index; the npm scope mapped to the company registry), and drive the sandbox through
the packages' README examples.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codegen import ts_layer
from codegen.generate import APIS
from codegen.names import MODELS_DISTRIBUTION, NPM_SCOPE, client_distribution, npm_package
from release import RECORD, expected_packages, sha256
from tests.packaging.test_wheels_in_clean_venv import (
    DRIVER,
    README_EXAMPLES,
    environment_without_repository,
    run,
    run_outside_the_repository,
)
from tests.sessions.test_quick_start import FRESH_COPY
from tests.support.registries import PASSWORD, USER, NpmRegistry, PyPIServer, pypiserver, verdaccio
from tests.ts.test_typescript_clients import run_node_suites

pytestmark = FRESH_COPY

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
README_URL = "http://127.0.0.1:8080"
# The placeholders of the README's consumer configuration, replaced by the test registries.
COMPANY_INDEX = "https://pypi.example.com/simple/"
COMPANY_REGISTRY = "https://npm.example.com/"
# uv of the tests' virtualenv (the `test` group), also when its bin/ is not on PATH.
UV = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


@dataclass(frozen=True)
class Published:
    pypi: PyPIServer
    npm: NpmRegistry
    run: subprocess.CompletedProcess[str]
    seconds: float
    summary: str  # what it wrote to $GITHUB_STEP_SUMMARY


def publish(
    quick_started: Any, pypi: PyPIServer, npm: NpmRegistry, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """`nox -s publish` to both test registries, with the publisher's credentials."""
    command = ["-s", "publish", "--", "--python-index", pypi.url, "--npm-registry", npm.url]
    env |= {"UV_PUBLISH_USERNAME": USER, "UV_PUBLISH_PASSWORD": PASSWORD, "NPM_TOKEN": npm.token}
    result: subprocess.CompletedProcess[str] = quick_started.nox(*command, *args, env=env)
    return result


@pytest.fixture(scope="module")
def built(quick_started: Any) -> Path:
    run = quick_started.nox("-s", "build")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return Path(quick_started.repository / "dist")


@pytest.fixture(scope="module")
def registries(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PyPIServer, NpmRegistry]]:
    with (
        pypiserver(tmp_path_factory.mktemp("pypi")) as pypi,
        verdaccio(tmp_path_factory.mktemp("npm")) as npm,
    ):
        yield pypi, npm


@pytest.fixture(scope="module")
def published(
    quick_started: Any,
    built: Path,
    registries: tuple[PyPIServer, NpmRegistry],
    tmp_path_factory: pytest.TempPathFactory,
) -> Published:
    pypi, npm = registries
    summary = tmp_path_factory.mktemp("summary") / "summary.md"
    dry_run = publish(quick_started, pypi, npm, "--dry-run")
    assert dry_run.returncode == 0, dry_run.stdout[-3000:] + dry_run.stderr[-3000:]
    assert dry_run.stdout.count("would upload ") == len(built_files(built))
    started = time.monotonic()
    run = publish(quick_started, pypi, npm, GITHUB_STEP_SUMMARY=str(summary))
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    print(f"nox -s publish, first time: {seconds:.1f} s")
    return Published(pypi, npm, run, seconds, summary.read_text(encoding="utf-8"))


def built_files(dist: Path) -> list[str]:
    """The files build.json lists."""
    return sorted(json.loads((dist / RECORD).read_text(encoding="utf-8"))["files"])


def test_build_writes_every_package_and_its_record(quick_started: Any, built: Path) -> None:
    record = json.loads((built / RECORD).read_text(encoding="utf-8"))
    packages = expected_packages(quick_started.repository)
    assert built_files(built) == sorted(name for package in packages for name in package.files)
    assert all(record["files"][name] == sha256(built / name) for name in built_files(built))
    assert record["uncommitted_changes"] is False


def test_publish_uploads_every_file_and_prints_no_secret(published: Published, built: Path) -> None:
    output = published.run.stdout + published.run.stderr
    for name in built_files(built):
        assert re.search(rf"^uploaded {re.escape(name)} to ", published.run.stdout, re.M), output
    assert PASSWORD not in output
    assert published.npm.token not in output
    on_the_index = sorted(path.name for path in published.pypi.packages.iterdir())
    assert on_the_index == [name for name in built_files(built) if not name.endswith(".tgz")]


def test_the_job_summary_lists_the_uploads_and_each_packages_changes(
    quick_started: Any, published: Published
) -> None:
    assert published.summary.startswith("## Release\n\n- uploaded ")
    for package in expected_packages(quick_started.repository):
        heading = f"\n### {package.name} {package.version}\n"
        assert heading in published.summary
        assert "\n#### " in published.summary.split(heading, 1)[1]  # its changelog entries


def test_publishing_again_skips_every_file(quick_started: Any, published: Published) -> None:
    run = publish(quick_started, published.pypi, published.npm)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in run.stdout.splitlines() if line.startswith(("skipped", "uploaded"))]
    assert len(lines) == len(built_files(quick_started.repository / "dist")), run.stdout
    assert all(" already has it, identical" in line for line in lines), run.stdout


def test_a_changed_file_under_a_published_version_is_refused(
    quick_started: Any, published: Published, built: Path
) -> None:
    """As if a rebuild gave other bytes at the same version: nothing is uploaded, exit 1."""
    [wheel] = built.glob("engage_client-*.whl")
    [tarball] = built.glob("*engage-client-*.tgz")
    record_file = built / RECORD
    originals = {path: path.read_bytes() for path in (record_file, wheel, tarball)}
    try:
        with zipfile.ZipFile(wheel, "a") as archive:
            archive.writestr("engage_client/tampered.txt", "not what was published")
        with tarfile.open(tarball, "w:gz") as archive:
            member = tarfile.TarInfo("package/tampered.txt")
            member.size = len(TAMPERED)
            archive.addfile(member, io.BytesIO(TAMPERED))
        record = json.loads(originals[record_file])
        record["files"].update({path.name: sha256(path) for path in (wheel, tarball)})
        record_file.write_text(json.dumps(record), encoding="utf-8")
        run = publish(quick_started, published.pypi, published.npm)
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "already published with other contents" in run.stderr
    assert wheel.name in run.stderr
    assert tarball.name in run.stderr
    assert "uploaded" not in run.stdout


TAMPERED = b"not what was published"


def documented_block(language: str, marker: str) -> str:
    """The one ```language block of the README or docs/ that contains `marker`, dedented."""
    pages = [README, *sorted((ROOT / "docs").rglob("*.md"))]
    blocks = [
        textwrap.dedent(body)
        for page in pages
        for _indent, body in re.findall(
            rf"^( *)```{language}\n(.*?)^\1```$", page.read_text(encoding="utf-8"), re.M | re.S
        )
    ]
    [block] = {block for block in blocks if marker in block}
    return block


def test_a_uv_project_installs_the_packages_by_name_and_drives_the_sandbox(
    published: Published, sandbox_server: Any, tmp_path: Path
) -> None:
    project = tmp_path / "consumer"
    project.mkdir()
    configuration = documented_block("toml", "[tool.uv.sources]").replace(
        COMPANY_INDEX, published.pypi.simple
    )
    dependencies = [client_distribution(api.name) for api in APIS] + [MODELS_DISTRIBUTION]
    (project / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\nversion = "0"\nrequires-python = ">=3.11"\n'
        f"dependencies = {json.dumps(dependencies)}\n\n{configuration}",
        encoding="utf-8",
    )
    assert UV is not None
    sync = (UV, "sync", "--quiet", "--python", sys.executable)
    run(*sync, cwd=project, env=environment_without_repository())
    python = project / ".venv" / "bin" / "python"
    sandbox_server.reset()
    assert run_outside_the_repository(python, DRIVER, sandbox_server.base_url, tmp_path) == "ok\n"
    sandbox_server.reset()
    examples = run_outside_the_repository(
        python, README_EXAMPLES, sandbox_server.base_url, tmp_path
    )
    assert re.fullmatch(r"ok [1-9]\d*\n", examples), examples


def test_an_npm_project_installs_the_packages_by_name_and_drives_the_sandbox(
    published: Published, sandbox_server: Any, tmp_path: Path
) -> None:
    project = tmp_path / "consumer"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"name": "consumer", "private": True, "type": "module"}), encoding="utf-8"
    )
    npmrc = documented_block("ini", f"{NPM_SCOPE}:registry=").replace(
        COMPANY_REGISTRY, published.npm.url
    )
    (project / ".npmrc").write_text(npmrc, encoding="utf-8")
    packages = [npm_package(api) for api in ts_layer.ts_apis(ROOT)]
    # openapi-fetch, their one dependency, comes from npm's cache (the build installed it).
    npm = ts_layer.tool("npm")
    install = [npm, "install", "--prefer-offline", "--no-audit", "--no-fund", *packages]
    ts_layer.run(install, project)
    for package in packages:
        installed = json.loads((project / "node_modules" / package / "package.json").read_text())
        assert installed["name"] == package
    sandbox_server.reset()
    run_node_suites(project, sandbox_server.base_url)
