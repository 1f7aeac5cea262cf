"""The `changes` command on a throwaway git repository: reports, exit codes, gate messages."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from campaign_contracts.spec_changes.__main__ import main

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SPEC_CHANGES = "campaign_contracts.spec_changes"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.test",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.test",
}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Items", "version": "1.0.0"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "responses": {
                    "200": {
                        "description": "the items",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}


class Repository:
    """A git repository in a temporary folder with one OpenAPI document on `main`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "--quiet", "--initial-branch=main")
        self.write_document("items", DOCUMENT)
        # Tool configs live in openapi/ too and must not count as documents.
        (root / "openapi" / "redocly.yaml").write_text("extends: [recommended]\n")
        self.commit("initial documents")

    def git(self, *args: str) -> str:
        completed = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**os.environ, **GIT_IDENTITY},
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "--quiet", "-m", message)

    def write_document(self, api: str, document: dict[str, Any]) -> None:
        path = self.root / "openapi" / f"{api}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False))

    def write_changelog(self, api: str, text: str) -> None:
        (self.root / "openapi" / f"CHANGELOG-{api}.md").write_text(text)

    def report(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads((self.root / "reports" / "changes.json").read_text())
        return loaded


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repository:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return Repository(tmp_path)


def run(repository: Repository, *args: str) -> int:
    return main([*args, "--root", str(repository.root)])


def one_line_error(repository: Repository, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What `changes` writes to stderr, having exited 2 (an error, not a failed gate)."""
    assert run(repository, *args) == 2
    return capsys.readouterr().err


def run_command(
    repository: Repository, env: dict[str, str] | None = None, text: bool = True
) -> subprocess.CompletedProcess[Any]:
    """`python -m campaign_contracts.spec_changes HEAD` on `repository`, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", SPEC_CHANGES, "HEAD", "--root", str(repository.root)],
        cwd=REPOSITORY_ROOT,
        env=env,
        capture_output=True,
        text=text,
        check=False,
    )


def listing(document: dict[str, Any]) -> dict[str, Any]:
    """The `application/json` media type of the listItems 200 answer in `document`."""
    media: dict[str, Any] = document["paths"]["/items"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    return media


def breaking_change(version: str = "1.0.0") -> dict[str, Any]:
    """DOCUMENT without its `id` response field: a breaking change."""
    changed = copy.deepcopy(DOCUMENT)
    schema = listing(changed)["schema"]
    schema["properties"] = {"name": {"type": "string"}}
    schema["required"] = []
    changed["info"]["version"] = version
    return changed


def test_unchanged_tree_reports_nothing_and_passes(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(repository) == 0
    out, err = capsys.readouterr()
    assert out.startswith("No changes to the OpenAPI documents since `")
    assert err == ""
    report = repository.report()
    assert report["passed"] is True
    assert [(d["path"], d["status"]) for d in report["documents"]] == [
        ("openapi/items.yaml", "unchanged")
    ]


def test_breaking_change_without_bump_fails_and_says_what_to_do(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    repository.write_document("items", breaking_change())
    assert run(repository) == 1
    out, err = capsys.readouterr()
    assert "#### `GET /items` (listItems)" in out
    assert "- **breaking** — response 200 `id`: response field removed" in out
    assert err == (
        "changes: gate failed: items: 1 breaking change with info.version 1.0.0 → 1.0.0. "
        "To ship it, bump info.version in openapi/items.yaml to 2.0.0 and add a '## 2.0.0' "
        "entry to openapi/CHANGELOG-items.md describing it; otherwise revert it.\n"
    )
    assert (repository.root / "reports" / "changes.md").read_text() == out.removesuffix("\n")
    [document] = repository.report()["documents"]
    assert (document["breaking"], document["non_breaking"]) == (1, 1)


def major_bump(repository: Repository, changelog: str) -> int:
    """The exit code of `changes` on the breaking change released as 2.0.0 with `changelog`."""
    repository.write_document("items", breaking_change("2.0.0"))
    repository.write_changelog("items", changelog)
    return run(repository)


def test_major_bump_without_changelog_entry_fails(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    assert major_bump(repository, "# Items\n\n## 1.0.0\n\nFirst version.\n") == 1
    assert "Add a '## 2.0.0' heading" in capsys.readouterr().err


def test_major_bump_with_changelog_entry_passes(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    assert major_bump(repository, "# Items\n\n## 2.0.0\n\n- `id` is gone.\n\n## 1.0.0\n") == 0
    out, err = capsys.readouterr()
    assert "**Gate passed.** items: 1 breaking change, released as 2.0.0" in out
    assert err == ""


@pytest.mark.parametrize("version", ["v2.0.0", "2", "2.0", "02.0.0", "2.0.0-rc.1", " 2.0.0"])
def test_breaking_change_needs_a_major_minor_patch_version(
    repository: Repository, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    # The format codegen versions the packages with: anything else cannot show a major bump.
    repository.write_document("items", breaking_change(version))
    repository.write_changelog("items", f"## {version.strip()}\n")
    assert run(repository) == 1
    assert "info.version is not MAJOR.MINOR.PATCH" in capsys.readouterr().err


def test_non_breaking_change_passes_without_bump(repository: Repository) -> None:
    widened = copy.deepcopy(DOCUMENT)
    widened["paths"]["/items"]["post"] = copy.deepcopy(DOCUMENT["paths"]["/items"]["get"])
    widened["paths"]["/items"]["post"]["operationId"] = "createItem"
    repository.write_document("items", widened)
    assert run(repository) == 0
    [document] = repository.report()["documents"]
    assert (document["breaking"], document["non_breaking"]) == (0, 1)


def test_default_base_is_the_merge_base_with_main(repository: Repository) -> None:
    repository.git("checkout", "--quiet", "-b", "feature")
    repository.write_document("items", breaking_change())
    repository.commit("break the API on a branch")
    assert run(repository) == 1
    repository.git("checkout", "--quiet", "main")
    assert run(repository) == 0


def test_new_document_is_reported_as_added(repository: Repository) -> None:
    repository.write_document("orders", DOCUMENT)
    assert run(repository) == 0
    statuses = {d["api"]: d["status"] for d in repository.report()["documents"]}
    assert statuses == {"items": "unchanged", "orders": "added"}


def test_revision_before_any_document_reports_every_document_as_added(
    repository: Repository,
) -> None:
    repository.git("checkout", "--quiet", "--orphan", "empty")
    repository.git("rm", "-r", "--quiet", "--cached", "openapi")
    repository.git("commit", "--quiet", "--allow-empty", "-m", "no documents yet")
    assert run(repository, "empty") == 0
    statuses = {d["api"]: d["status"] for d in repository.report()["documents"]}
    assert statuses == {"items": "added"}


def test_deleted_document_needs_a_removed_entry(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    (repository.root / "openapi" / "items.yaml").unlink()
    assert run(repository) == 1
    assert "add a '## Removed' entry to openapi/CHANGELOG-items.md" in capsys.readouterr().err
    repository.write_changelog("items", "## Removed\n\nThe vendor retired the API.\n")
    assert run(repository) == 0


def test_unknown_revision_is_a_one_line_error(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    assert one_line_error(repository, capsys, "no-such-branch") == (
        "changes: error: unknown git revision 'no-such-branch'\n"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "openapi: [3.1.0\n",
            "not valid YAML (line 2, column 1): expected ',' or ']', but got '<stream end>'",
        ),
        (
            "title: Items\nversion: 1.0.0\n",
            "not an OpenAPI document (no top-level `openapi` field)",
        ),
    ],
    ids=["malformed YAML", "no longer an OpenAPI document"],
)
def test_yaml_that_is_no_openapi_document_is_a_one_line_error(
    repository: Repository, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    (repository.root / "openapi" / "items.yaml").write_text(text)
    assert one_line_error(repository, capsys) == f"changes: error: openapi/items.yaml: {problem}\n"


def test_an_invalid_document_is_a_one_line_error_not_a_change(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    """`type: strng` is no change of type to judge: the document is invalid, exit 2."""
    path = repository.root / "openapi" / "items.yaml"
    path.write_text(path.read_text().replace("type: string", "type: strng"))
    assert run(repository) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "changes: error: openapi/items.yaml: not valid OpenAPI 3.1 (line 20, column 27, at "
        "/paths/~1items/get/responses/200/content/application~1json/schema/properties/id/type):"
        ' "strng" is not one of "array", "boolean" or 5 other candidates\n'
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"openapi: 3.1.0\ninfo: \x07\n",
            "not valid YAML (line 2, column 7): "
            "unacceptable character #x0007: special characters are not allowed",
        ),
        (b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n", "not UTF-8 (line 3): byte 0xe9"),
    ],
    ids=["control character", "not UTF-8"],
)
def test_unreadable_text_is_a_one_line_error(
    repository: Repository, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    document = repository.root / "openapi" / "items.yaml"
    good = document.read_bytes()
    document.write_bytes(content)
    assert one_line_error(repository, capsys) == f"changes: error: openapi/items.yaml: {problem}\n"
    # At the base revision, read through git, it is named with the revision.
    repository.commit("unreadable document")
    commit = repository.git("rev-parse", "--short=12", "HEAD").strip()
    document.write_bytes(good)
    assert one_line_error(repository, capsys, "HEAD") == (
        f"changes: error: openapi/items.yaml at {commit}: {problem}\n"
    )


def malformed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """DOCUMENT with the part at `path` replaced by `value`."""
    document = copy.deepcopy(DOCUMENT)
    holder = document
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    return document


GET_ITEMS = ("paths", "/items", "get")
ITEM_SCHEMA = (*GET_ITEMS, "responses", "200", "content", "application/json", "schema")


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (
            ("info",),
            "x",
            'not valid OpenAPI 3.1 (line 2, column 7, at /info): "x" is not of type "object"',
        ),
        (("paths",), [1], "paths: expected a mapping, found a list"),
        (("servers",), ["x"], "servers[0]: expected a mapping, found a string"),
        (("servers",), "x", "servers: expected a list, found a string"),
        (("paths", "/items"), None, "paths./items: expected a mapping, found null"),
        (GET_ITEMS, [], "paths./items.get: expected a mapping, found a list"),
        (
            (*GET_ITEMS, "parameters"),
            {"name": "q"},
            "paths./items.get.parameters: expected a list, found a mapping",
        ),
        (
            (*GET_ITEMS, "responses"),
            ["200"],
            "paths./items.get.responses: expected a mapping, found a list",
        ),
        (
            (*GET_ITEMS, "responses", "200", "content"),
            "application/json",
            "paths./items.get.responses.200.content: expected a mapping, found a string",
        ),
        (
            (*GET_ITEMS, "security"),
            [{"Key": "read"}],
            "paths./items.get.security[0].Key: expected a list of scopes, found a string",
        ),
        (
            (*ITEM_SCHEMA, "properties"),
            ["id"],
            "GET /items, response 200 schema properties: expected a mapping, found a list",
        ),
        (
            (*ITEM_SCHEMA, "required"),
            "id",
            "GET /items, response 200 schema required: expected a list, found a string",
        ),
        (
            (*ITEM_SCHEMA, "properties", "id", "type"),
            {"type": "string"},
            "GET /items, response 200 `id` schema type: "
            "expected a type name or a list of them, found {'type': 'string'}",
        ),
        (
            (*ITEM_SCHEMA, "$ref"),
            "#/components/schemas/Nowhere",
            "$ref '#/components/schemas/Nowhere' points nowhere",
        ),
    ],
)
def test_valid_yaml_of_the_wrong_shape_is_a_one_line_error(
    repository: Repository,
    capsys: pytest.CaptureFixture[str],
    path: tuple[str, ...],
    value: Any,
    problem: str,
) -> None:
    repository.write_document("items", malformed(path, value))
    assert one_line_error(repository, capsys) == f"changes: error: openapi/items.yaml: {problem}\n"


def test_yaml_that_is_not_an_openapi_document_is_left_out(repository: Repository) -> None:
    (repository.root / "openapi" / "redocly.yaml").write_text("extends: [minimal]\n")
    (repository.root / "openapi" / "notes.yaml").write_text("- not\n- a mapping either\n")
    assert run(repository) == 2
    (repository.root / "openapi" / "notes.yaml").write_text("notes: [one, two]\n")
    assert run(repository) == 0
    assert [d["api"] for d in repository.report()["documents"]] == ["items"]


def test_openapi_document_replacing_other_yaml_is_added(repository: Repository) -> None:
    repository.write_document("redocly", DOCUMENT)
    assert run(repository) == 0
    statuses = {d["api"]: d["status"] for d in repository.report()["documents"]}
    assert statuses == {"items": "unchanged", "redocly": "added"}


@pytest.mark.parametrize("status", [200, "200"])
def test_status_code_as_number_or_string_is_the_same(repository: Repository, status: Any) -> None:
    # yaml.safe_dump writes the number as `200:` and the string as `'200':`.
    responses = DOCUMENT["paths"]["/items"]["get"]["responses"]
    repository.write_document(
        "items", malformed((*GET_ITEMS, "responses"), {status: responses["200"]})
    )
    repository.git("commit", "--quiet", "--allow-empty", "--all", "-m", "status code")
    other = 200 if status == "200" else "200"
    repository.write_document(
        "items", malformed((*GET_ITEMS, "responses"), {other: responses["200"]})
    )
    assert run(repository, "HEAD") == 0
    [document] = repository.report()["documents"]
    assert (document["status"], document["findings"]) == ("unchanged", [])


def test_base_documents_are_read_as_utf8_whatever_the_locale(repository: Repository) -> None:
    document = repository.root / "openapi" / "items.yaml"
    text = yaml.safe_dump(DOCUMENT, sort_keys=False)
    document.write_text(text + "# Café → items\n", encoding="utf-8")
    repository.commit("a comment that is not ASCII")
    document.write_text(text + "# Café → all items\n", encoding="utf-8")
    # The C locale without UTF-8 mode: the locale's encoding is ASCII.
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0"}
    completed = run_command(repository, env=env, text=False)
    assert (completed.returncode, completed.stderr) == (0, b"")
    assert repository.report()["documents"][0]["status"] == "unchanged"


def test_a_bug_of_the_comparison_exits_2_not_as_a_failed_gate(
    repository: Repository, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object) -> list[object]:
        raise RuntimeError("walker bug")

    monkeypatch.setattr("campaign_contracts.spec_changes.__main__.compare", broken)
    repository.write_document("items", breaking_change())
    assert run(repository) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.endswith("changes: error: the comparison failed: RuntimeError('walker bug')\n")


def test_markdown_is_appended_to_the_github_step_summary(
    repository: Repository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    repository.write_document("items", breaking_change())
    run(repository)
    assert summary.read_text().startswith("earlier step\n## API changes since `")


def test_module_runs_as_a_command(repository: Repository) -> None:
    completed = run_command(repository)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout.startswith("No changes to the OpenAPI documents since `HEAD (")


def with_example(document: dict[str, Any], example: Any) -> dict[str, Any]:
    """`document` whose listItems 200 answer prints `example` (named `vendorDocs`)."""
    changed = copy.deepcopy(document)
    listing(changed)["examples"] = {"vendorDocs": {"value": example}}
    return changed


def commit_example_then_ask_longer_ids(repository: Repository, example_id: str) -> None:
    """Commit an example with id "a1", then, uncommitted, ids of at least 3 characters (a
    change the rules cannot see) and the example's id replaced by `example_id`."""
    repository.write_document("items", with_example(DOCUMENT, {"id": "a1"}))
    repository.commit("an example")
    edited = with_example(DOCUMENT, {"id": example_id})
    listing(edited)["schema"]["properties"]["id"] = {"type": "string", "minLength": 3}
    repository.write_document("items", edited)


def test_an_example_the_edit_makes_invalid_fails_the_gate_and_is_named(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    # A change the rules cannot see (a length), yet the example written before is invalid.
    commit_example_then_ask_longer_ids(repository, "a1")
    assert run(repository) == 1
    out, err = capsys.readouterr()
    reject = (
        "example `vendorDocs` of GET /items (listItems) response 200 at /id:"
        ' "a1" is shorter than 3 characters'
    )
    assert f"#### Examples and vendor samples the new version rejects\n- {reject}\n" in out
    assert err.startswith("changes: gate failed: items: the new version rejects 1 of the ")
    [document] = repository.report()["documents"]
    assert document["rejects"] == [reject]
    assert document["gate"]["passed"] is False


def test_a_vendor_sample_the_edit_makes_invalid_fails_the_gate(
    repository: Repository, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = repository.root / "tests" / "data" / "vendor_samples" / "items"
    samples.mkdir(parents=True)
    (samples / "listItems--response-200.json").write_text('{"id": "a1", "name": "first"}')
    repository.commit("a vendor sample")
    # Breaking and bumped as the policy asks, but the vendor's sample has no `id` any more.
    repository.write_document("items", breaking_change("2.0.0"))
    repository.write_changelog("items", "## 2.0.0\n- `id` is gone.\n")
    changed = breaking_change("2.0.0")
    listing(changed)["schema"]["additionalProperties"] = False
    repository.write_document("items", changed)
    assert run(repository) == 1
    out, err = capsys.readouterr()
    assert (
        "- vendor sample tests/data/vendor_samples/items/listItems--response-200.json:"
        " Additional properties are not allowed ('id' was unexpected)\n"
    ) in out
    assert "Update them with the edit" in err


def test_examples_updated_with_the_edit_pass(repository: Repository) -> None:
    commit_example_then_ask_longer_ids(repository, "a1b2")
    assert run(repository) == 0
