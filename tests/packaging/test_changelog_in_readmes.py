"""Each generated package's README ends with its document's changelog, up to its version,
breaking versions marked: what a consumer upgrading it reads on the index's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.changelog import changes_section, entries
from codegen.generate import APIS, GENERATED, MODELS_PROJECT
from codegen.ts_layer import has_ts_client

ROOT = Path(__file__).resolve().parents[2]
CHANGELOG = """\
# Changelog of `toy.yaml`

## 3.0.0 - 2026-12-01

### Removed
- `deleteToy`.

## [v2.1.0]

- An added operation.

## 2.0.0

- First version.
"""


def test_entries_newest_first_and_a_major_bump_is_breaking() -> None:
    found = entries(CHANGELOG)
    assert [(entry.name, entry.breaking) for entry in found] == [
        ("3.0.0", True),
        ("2.1.0", False),
        ("2.0.0", False),  # the first entry breaks nothing
    ]
    assert found[0].body == "### Removed\n- `deleteToy`."


@pytest.mark.parametrize(("version", "listed"), [("2.1.0", ["2.1.0", "2.0.0"]), ("3.0.0", None)])
def test_the_section_lists_the_entries_up_to_the_version(
    tmp_path: Path, version: str, listed: list[str] | None
) -> None:
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "CHANGELOG-toy.md").write_text(CHANGELOG, encoding="utf-8")
    section = changes_section(tmp_path, "toy", version)
    assert section.startswith("\n## Changes\n\nFrom `openapi/CHANGELOG-toy.md`")
    if listed:
        assert "### 3.0.0" not in section
        assert [line for line in section.splitlines() if line.startswith("### ")] == [
            f"### {name}" for name in listed
        ]
    else:
        assert "### 3.0.0 (**breaking**)\n\n#### Removed\n- `deleteToy`.\n" in section


def test_no_changelog_no_section(tmp_path: Path) -> None:
    assert changes_section(tmp_path, "toy", "1.0.0") == ""


def test_every_generated_package_carries_its_changes() -> None:
    for api in APIS:
        readmes = [ROOT / GENERATED / api.client_dir / "README.md"]
        if has_ts_client(ROOT, api.name):
            readmes.append(ROOT / GENERATED / "ts" / api.client_dir / "README.md")
        for readme in readmes:
            text = readme.read_text(encoding="utf-8")
            assert f"\n## Changes\n\nFrom `openapi/CHANGELOG-{api.name}.md`" in text, readme
    models = (ROOT / GENERATED / MODELS_PROJECT / "README.md").read_text(encoding="utf-8")
    for api in APIS:
        assert f"\n### {api.name} " in models.split("\n## Changes\n", 1)[1]
