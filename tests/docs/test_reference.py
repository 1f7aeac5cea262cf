"""The site's reference is the code's: generated at build time, complete, nothing typed twice.

- Every command of the project has its `--help` on the commands page, every option included.
- The nox sessions page lists every session of the noxfile.
- The environment variables the code reads are the ones the environment page names.
- No version number is typed into a page: versions are generated from the documents.
- The benchmarks page renders every benchmark's figures from docs/data/benchmarks.json.
- Each page that states behaviour names the tests that check it, and those tests exist.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import tomllib
from pathlib import Path

import pytest

from campaign_contracts.registry import APIS as REGISTRY
from campaign_contracts.sandbox import config as sandbox_config
from docs import hooks
from docs.hooks import COMMANDS, parser_of, render

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
COMMANDS_PAGE = DOCS / "reference" / "commands.md"
# Where the project's commands live: each module that builds a parser is a command.
COMMAND_PACKAGES = ("campaign_contracts", "contract_tests")
# Version-like numbers a page may state itself: of tools this project does not make.
FOREIGN_VERSIONS = {"5.14.2", "5.16.0"}  # Prism, the benchmarks' baseline (and why not later)
CHECKED_BY = re.compile(r"^Checked by: (.+)$", re.MULTILINE)


def rendered(page: Path) -> str:
    return render(page.read_text(encoding="utf-8"))


def test_every_command_module_is_in_the_reference() -> None:
    modules = {
        ".".join(path.relative_to(REPO).with_suffix("").parts)
        for package in COMMAND_PACKAGES
        for path in (REPO / package).rglob("*.py")
        if re.search(r"^def build_parser\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert modules == set(COMMANDS.values())
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert set(scripts) <= set(COMMANDS)


def unshown_options(command: str, page: str) -> list[str]:
    """The options and arguments of the command's parser that its `--help` on `page` lacks."""
    assert f"$ {command} --help\n" in page, command
    help_text = page.split(f"$ {command} --help\n", 1)[1].split("```", 1)[0]
    return [
        name
        for action in parser_of(command)._actions
        # An option by each of its strings; a positional argument by its metavar or name.
        for name in action.option_strings or [str(action.metavar or action.dest)]
        if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", help_text)
    ]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_reference_shows_every_option_of(command: str) -> None:
    assert unshown_options(command, rendered(COMMANDS_PAGE)) == []


def test_an_option_the_page_lacks_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    page = rendered(COMMANDS_PAGE)
    module = importlib.import_module(COMMANDS["campaign-proxy"])
    build = module.build_parser

    def with_a_new_option() -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = build()
        parser.add_argument("--brand-new-option")
        return parser

    monkeypatch.setattr(module, "build_parser", with_a_new_option)
    assert unshown_options("campaign-proxy", page) == ["--brand-new-option"]


def test_the_sessions_page_lists_every_session(
    noxfile_tags: dict[str, set[str]],
) -> None:
    page = rendered(DOCS / "reference" / "nox-sessions.md")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| .*? \| (.*?) \| (?:yes)? \|$", page, re.MULTILINE))
    assert set(rows) == set(noxfile_tags)
    for name, tags in noxfile_tags.items():
        assert set(re.findall(r"`([a-z]+)`", rows[name])) == tags, name
    assert "docs" in {name for name, tags in noxfile_tags.items() if "check" in tags}


def test_the_environment_page_names_the_variables_of_the_code() -> None:
    page = (DOCS / "reference" / "environment.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?", page, re.MULTILINE))
    listed = {name for pair in named for name in pair if name}
    code = {
        sandbox_config.ENGAGE_TOKENS_ENV,
        sandbox_config.ENGAGE_LOGINS_ENV,
        sandbox_config.INTELSEND_SESSIONS_ENV,
        sandbox_config.CONTROL_TOKEN_ENV,
        *(variable for api in REGISTRY.values() for variable in api.credential_variables),
        *(
            variable
            for api in REGISTRY.values()
            if api.sign_in is not None
            for variable in api.sign_in.variables
        ),
    }
    assert code <= listed
    # Besides the sandbox's and the APIs' own: CI's, the tests', the build's and the
    # package tools' that `nox -s publish` hands its credentials to.
    assert listed - code == {
        "GITHUB_STEP_SUMMARY",
        "HYPOTHESIS_PROFILE",
        "SOURCE_DATE_EPOCH",
        "UV_PUBLISH_TOKEN",
        "UV_PUBLISH_USERNAME",
        "UV_PUBLISH_PASSWORD",
        "NPM_TOKEN",
    }


@pytest.mark.parametrize("page", [*PAGES, REPO / "README.md"], ids=lambda p: p.name)
def test_no_version_number_is_typed_into(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    typed = set(re.findall(r"(?<![\w.])\d+\.\d+\.\d+(?![\w.])", text)) - FOREIGN_VERSIONS
    assert not typed, f"{page.name}: generate these with <!-- generated: version ... -->"


def test_versions_are_the_documents_and_packages() -> None:
    page = rendered(DOCS / "how-to" / "hand-clients-over.md")
    for package, folder in hooks.GENERATED_PACKAGES.items():
        project = tomllib.loads((REPO / folder / "pyproject.toml").read_text())
        assert f"{package}`\n    ({project['project']['version']})" in page


def test_the_benchmarks_page_renders_every_benchmark() -> None:
    page = (DOCS / "reference" / "benchmarks.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"<!-- generated: benchmarks ([a-z_]+) -->", page))
    scripts = {path.stem for path in (REPO / "benchmarks").glob("[!_]*.py")}
    assert shown == scripts
    figures = json.loads(hooks.BENCHMARKS.read_text(encoding="utf-8"))
    assert set(figures) <= scripts
    text = render(page)
    for name, result in figures.items():
        for row in result["rows"]:
            assert " | ".join(str(cell) for cell in row) in text, name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_a_page_that_states_behaviour_names_its_tests(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    states_behaviour = re.search(r"\bexit (?:code|[012])\b|reports/|generated: version", text)
    checked_by = CHECKED_BY.findall(text)
    if states_behaviour:
        assert checked_by, f"{page.name} states behaviour: add 'Checked by: `tests/...`'"
    for line in checked_by:
        for test in re.findall(r"`(tests/[^`]+)`", line):
            assert (REPO / test.split("::")[0]).exists(), test
