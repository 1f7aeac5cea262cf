"""The pages of docs/ (and README.md) run as written, and what they say matches the code.

- Every ```python block runs: those of the pytest page as pytest modules, each in a pytest of
  its own; the others, asserts included, against the sandbox (their `http://127.0.0.1:8080`
  replaced by its URL), in any order on one sandbox. All pass `mypy --strict`.
- Every ```console block is replayed command by command: `campaign-sandbox` for real on a
  free port (its banner must read as printed), curl against a sandbox emptied before each
  page, each output compared with the one printed (`...` stands for anything). Every
  control-plane route must be documented and called by one of them.
- Options, environment variables and credentials the pages name exist, and those the code
  has are named.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import pytest

import contract_tests.cli
from campaign_contracts.sandbox import cli as sandbox_cli
from campaign_contracts.sandbox import config as sandbox_config
from campaign_contracts.sandbox.control import control_routes
from campaign_contracts.sandbox.state import SandboxState
from contract_tests import config as contract_config
from contract_tests.apis import APIS
from docs.hooks import render
from docs.samples import matches
from tests.support.commands import run_module
from tests.support.typecheck import mypy_strict

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
# Every page of the site, and the README, which shows a tour of its own.
PAGES = sorted([*DOCS.rglob("*.md"), REPO / "README.md"])
# The address every example uses; tests put the URL of the sandbox they run in its place.
README_URL = "http://127.0.0.1:8080"
FIXTURE_PAGE = DOCS / "how-to" / "pytest-fixture.md"
SANDBOX_PAGE = DOCS / "reference" / "sandbox.md"
CONTROL_PAGE = DOCS / "reference" / "control-plane.md"
CONTRACT_PAGES = (DOCS / "how-to" / "verify-in-ci.md", DOCS / "reference" / "contract.md")
COMMAND_TIMEOUT = 60


class Sandbox(Protocol):
    """The `sandbox` fixture of tests/conftest.py: a running sandbox, reset for the test."""

    @property
    def base_url(self) -> str: ...


@functools.cache
def text_of(page: Path) -> str:
    """The page as the site shows it: its generated parts filled in (once: the sessions'
    part runs nox)."""
    return render(page.read_text(encoding="utf-8"))


def page_id(page: Path) -> str:
    return str(page.relative_to(REPO))


def fenced(page: Path, language: str) -> list[str]:
    """The ```language blocks of a page, in order (indented ones too, as in a list item)."""
    pattern = rf"^( *)```{language}\n(.*?)^\1```$"
    return [
        re.sub(rf"^{indent}", "", block, flags=re.MULTILINE)
        for indent, block in re.findall(pattern, text_of(page), re.MULTILINE | re.DOTALL)
    ]


@dataclass(frozen=True)
class Command:
    """One `$ ` command of a console block and the output printed after it."""

    text: str
    env: dict[str, str]
    argv: list[str]
    expected: str


def console_commands(block: str) -> list[Command]:
    commands: list[Command] = []
    lines = block.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"console block: output without a command: {line!r}"
        text = line[2:]
        while text.endswith("\\"):
            index += 1
            text = text[:-1].rstrip() + " " + lines[index].strip()
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        words = shlex.split(text, comments=True)
        env = {}
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        commands.append(Command(text, env, words, "\n".join(output)))
    return commands


def page_commands(page: Path) -> list[Command]:
    return [command for block in fenced(page, "console") for command in console_commands(block)]


def commands_of(program: str) -> list[Command]:
    return [
        command for page in PAGES for command in page_commands(page) if command.argv[0] == program
    ]


def example_id(code: str) -> str:
    """A test id naming the package the example is about: its first `from` import (every
    example imports httpx first, to reset the sandbox), else its first import."""
    imports = [line for line in code.splitlines() if line.startswith(("import", "from"))]
    return next((line for line in imports if line.startswith("from")), imports[0]).split()[1]


CLIENT_EXAMPLES = [
    code for page in PAGES if page != FIXTURE_PAGE for code in fenced(page, "python")
]
FIXTURE_EXAMPLES = fenced(FIXTURE_PAGE, "python")
CURL_PAGES = [page for page in PAGES if any(c.argv[0] == "curl" for c in page_commands(page))]


# Using a generated client ---------------------------------------------------------------------


def test_the_client_examples_show_both_clients_and_the_models() -> None:
    used = {example_id(code).partition(".")[0] for code in CLIENT_EXAMPLES}
    assert {"engage_client", "intelsend_client"} <= used
    assert any("campaign_models" in code for code in CLIENT_EXAMPLES)


def run_example(code: str, base_url: str) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code.replace(README_URL, base_url), "docs", "exec"), namespace)


@pytest.mark.parametrize("code", CLIENT_EXAMPLES, ids=[example_id(c) for c in CLIENT_EXAMPLES])
def test_client_example_runs_against_the_sandbox(sandbox: Sandbox, code: str) -> None:
    # The URL must be there to replace; otherwise the example would call port 8080.
    assert README_URL in code
    tree = ast.parse(code)
    assert any(isinstance(node, ast.Assert) for node in ast.walk(tree)), "an example asserts"
    run_example(code, sandbox.base_url)


def test_client_examples_pass_in_any_order_on_a_used_sandbox(sandbox: Sandbox) -> None:
    """As a reader runs them: after the curl sessions, one after the other, in any order."""
    url = sandbox.base_url
    # What the curl sessions leave: campaigns of both APIs, a pending fault, the list quirk.
    engage = {"Authorization": sandbox_config.DEFAULT_ENGAGE_TOKEN}
    httpx.post(f"{url}/_rest/v2/campaigns", headers=engage, json={}).raise_for_status()
    httpx.put(f"{url}/_sandbox/engage/quirks", json={"listSingleObject": True}).raise_for_status()
    fault = {"api": "intelsend", "operationId": "listCampaigns", "count": 3, "status": 503}
    httpx.post(f"{url}/_sandbox/faults", json=fault).raise_for_status()
    for code in [*CLIENT_EXAMPLES, *reversed(CLIENT_EXAMPLES)]:
        run_example(code, url)


def test_python_examples_pass_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test dependency group")
    examples = {
        f"docs_example_{number}": code
        for number, code in enumerate([*CLIENT_EXAMPLES, *FIXTURE_EXAMPLES], start=1)
    }
    # The repository on MYPYPATH lets the fixture examples import `sandbox` as checked source.
    result = mypy_strict(examples, tmp_path, env={**os.environ, "MYPYPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr


# Console sessions ---------------------------------------------------------------------------


def test_console_blocks_hold_only_commands_the_tests_replay() -> None:
    programs = {command.argv[0] for page in PAGES for command in page_commands(page)}
    assert programs == {"campaign-sandbox", "curl"}


def read_banner(process: subprocess.Popen[str]) -> list[str]:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("  control"):
            break
    return lines


@pytest.mark.parametrize(
    "command", commands_of("campaign-sandbox"), ids=lambda command: " ".join(command.argv[1:])
)
def test_the_sandbox_prints_the_banner_shown(command: Command) -> None:
    args = command.argv[1:]
    if "--port" in args:
        args[args.index("--port") + 1] = "0"
    else:
        args += ["--port", "0"]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_SANDBOX_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "campaign_contracts.sandbox.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**environ, **command.env},
    )
    watchdog = threading.Timer(COMMAND_TIMEOUT, process.kill)
    watchdog.start()
    try:
        banner = read_banner(process)
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait()
        assert process.stdout is not None
        process.stdout.close()
    assert banner, "the sandbox printed nothing"
    url = banner[0].rsplit(" ", 1)[-1]
    shown = "\n".join(banner).replace(url, README_URL)
    assert matches(command.expected, shown), f"$ {command.text}\nprinted:\n{shown}"


@pytest.fixture
def curl() -> str:
    path = shutil.which("curl")
    if path is None:
        pytest.skip("curl is not installed: the README's control-plane examples are curl commands")
    return path


def run_curl(curl: str, command: Command, base_url: str) -> str:
    # -q first: ignore any ~/.curlrc; no proxy may stand between curl and the loopback.
    argv = [curl, "-q", *(arg.replace(README_URL, base_url) for arg in command.argv[1:])]
    environ = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    result = subprocess.run(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environ,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    return result.stdout.replace(base_url, README_URL).strip()


@pytest.mark.parametrize("page", CURL_PAGES, ids=page_id)
def test_the_curl_sessions_print_what_is_shown(curl: str, sandbox: Sandbox, page: Path) -> None:
    """Each page's sessions in order, from an empty sandbox, as a reader runs them."""
    for command in page_commands(page):
        printed = run_curl(curl, command, sandbox.base_url)
        assert matches(command.expected.strip(), printed), (
            f"$ {command.text}\nexpected:\n{command.expected}\nprinted:\n{printed}"
        )


def curl_request(command: Command) -> tuple[str, str]:
    """The method and path a curl command of the pages sends."""
    args = command.argv[1:]
    (url,) = [arg for arg in args if arg.startswith(README_URL)]
    method = args[args.index("-X") + 1] if "-X" in args else "POST" if "-d" in args else "GET"
    return method, urlsplit(url).path


def control_plane() -> Iterator[tuple[str, str]]:
    for route in control_routes(SandboxState()):
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path


@pytest.mark.parametrize(("method", "path"), list(control_plane()))
def test_every_control_endpoint_is_documented_and_called(method: str, path: str) -> None:
    text = text_of(CONTROL_PAGE)
    assert f"`{path}`" in text or f" {path}`" in text
    pattern = re.compile(re.sub(r"\\\{[a-z]+\\\}", "[^/]+", re.escape(path)))
    called = {curl_request(command) for command in commands_of("curl")}
    assert any(m == method and pattern.fullmatch(p) for m, p in called), (
        f"no curl example calls {method} {path}"
    )


@pytest.mark.parametrize("code", FIXTURE_EXAMPLES, ids=[example_id(c) for c in FIXTURE_EXAMPLES])
def test_fixture_example_is_a_passing_test_module(tmp_path: Path, code: str) -> None:
    module = tmp_path / "test_readme_example.py"
    module.write_text(code, encoding="utf-8")
    result = run_module(
        "pytest", "-q", "-p", "no:cacheprovider", module.name, cwd=tmp_path, timeout=COMMAND_TIMEOUT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b[1-9]\d* passed\b", result.stdout), result.stdout


def help_text(parse_args: Any) -> str:
    out = StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        parse_args(["--help"])
    return out.getvalue()


def long_options(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))


def test_the_sandbox_page_names_every_option_and_credential() -> None:
    text = text_of(SANDBOX_PAGE)
    assert long_options(text) - {"--help"} == long_options(help_text(sandbox_cli.parse_args)) - {
        "--help"
    }
    for name in (
        sandbox_config.ENGAGE_TOKENS_ENV,
        sandbox_config.ENGAGE_LOGINS_ENV,
        sandbox_config.INTELSEND_SESSIONS_ENV,
        sandbox_config.DEFAULT_ENGAGE_TOKEN,
        sandbox_config.DEFAULT_ENGAGE_USERNAME,
        sandbox_config.DEFAULT_ENGAGE_PASSWORD,
        sandbox_config.DEFAULT_INTELSEND_SESSION,
        sandbox_config.DEFAULT_INTELSEND_USER,
    ):
        assert name in text, name


# Contract runs ------------------------------------------------------------------


def test_contract_options_are_the_commands() -> None:
    options = long_options(help_text(contract_tests.cli.parse_args))
    assert long_options("".join(map(text_of, CONTRACT_PAGES))) == options


def test_contract_credentials_rate_limit_and_profiles_are_the_codes() -> None:
    text = "".join(map(text_of, CONTRACT_PAGES))
    for api in APIS.values():
        for variable in contract_config.credential_variables(api):
            assert f"`{variable}`" in text, variable
    assert f"`{contract_tests.cli.LIVE_RATE_LIMIT}`" in text
    for name, profile in contract_config.PROFILES.items():
        assert f"`--profile {name}` ({profile.max_examples} examples" in text, name


# Getting started ------------------------------------------------------------------------------


def indented_commands(text: str) -> list[str]:
    return re.findall(r"^ {4}(\S.*)$", text, flags=re.MULTILINE)


def test_getting_started_has_the_readme_quick_start_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    page = text_of(DOCS / "tutorials" / "getting-started.md")
    assert indented_commands(quick_start) == indented_commands(page)[:3]
    assert len(indented_commands(quick_start)) == 3
