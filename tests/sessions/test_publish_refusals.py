"""`publish` refuses, in one line and with exit 2, to upload anything but this commit's build
of the documents' versions; on a copy of the repository whose dist/ holds stand-ins of what
`nox -s build` writes (test_hand_off.py publishes a real build)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from release import DIST, RECORD, expected_packages, main, sha256
from tests.support.copies import copy_working_tree, git

pytestmark = pytest.mark.slow  # a copy of the repository, and git in it


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_working_tree(tmp_path_factory.mktemp("repository"))


def head(root: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def stand_in_build(root: Path, **record: object) -> None:
    """dist/ as `nox -s build` leaves it, each file a few bytes of its own."""
    dist = root / DIST
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir()
    for package in expected_packages(root):
        for name in package.files:
            (dist / name).write_text(name, encoding="utf-8")
    record_as_built(root, **record)


def record_as_built(root: Path, **record: object) -> None:
    """dist/build.json for what dist/ holds now, as `nox -s build` writes it."""
    files = {path.name: sha256(path) for path in (root / DIST).iterdir() if path.name != RECORD}
    written = {"commit": head(root), "uncommitted_changes": False, "files": files} | record
    (root / DIST / RECORD).write_text(json.dumps(written), encoding="utf-8")


def refusal(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["publish", "--python-index", "http://127.0.0.1:9/", "--dry-run"], root=root)
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    return err


def an_old_version(root: Path) -> None:
    """A wheel of another version, recorded as built: only the versions are wrong."""
    [wheel] = (root / DIST).glob("engage_client-*.whl")
    wheel.rename(wheel.with_name("engage_client-0.0.1-py3-none-any.whl"))
    record_as_built(root)


def change_a_file(root: Path) -> None:
    tarball = sorted((root / DIST).glob("*.tgz"))[0]
    tarball.write_text("other bytes", encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda root: (root / DIST / RECORD).unlink(), "dist/build.json missing"),
        (lambda root: stand_in_build(root, commit="0" * 40), "dist/ was built from commit 000"),
        (
            lambda root: stand_in_build(root, uncommitted_changes=True),
            "dist/ was built from uncommitted changes",
        ),
        (change_a_file, "dist/ changed since nox -s build"),
        (an_old_version, "dist/ does not hold the documents' versions"),
    ],
)
def test_a_dist_that_is_not_this_commits_build_is_refused(
    repository: Path,
    capsys: pytest.CaptureFixture[str],
    spoil: Callable[[Path], None],
    message: str,
) -> None:
    stand_in_build(repository)
    spoil(repository)
    assert message in refusal(repository, capsys)


def test_a_stale_generated_folder_is_refused(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changelog = repository / "openapi" / "CHANGELOG-engage.md"
    original = changelog.read_text(encoding="utf-8")
    changelog.write_text(original + "\n- An edit not generated yet.\n", encoding="utf-8")
    try:
        git(repository, "commit", "--quiet", "--all", "--message=edit")
        stand_in_build(repository)
        assert "generated/ is stale" in refusal(repository, capsys)
    finally:
        changelog.write_text(original, encoding="utf-8")
        git(repository, "commit", "--quiet", "--all", "--message=undo")


def test_a_good_build_goes_on_to_the_index(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in_build(repository)
    code = main(["publish", "--python-index", "http://127.0.0.1:9/", "--dry-run"], root=repository)
    assert code == 1  # past every check, to an index that is not there
    assert "cannot reach http://127.0.0.1:9/simple/" in capsys.readouterr().err


def test_an_unreachable_registry_is_one_line_and_exit_1(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stand_in_build(repository)
    code = main(["publish", "--npm-registry", "http://127.0.0.1:9/", "--dry-run"], root=repository)
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1, err
    assert "ECONNREFUSED" in err


def test_publish_needs_somewhere_to_publish(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main(["publish"], root=repository)
    assert exit_code.value.code == 2
    assert "say where: --python-index URL, --npm-registry URL, or both" in capsys.readouterr().err
