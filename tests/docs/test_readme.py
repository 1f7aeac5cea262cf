"""README.md's examples run as written, and what it says about the tools matches the code.

- The ```python blocks of "Using a generated client" run, asserts included, against the
  sandbox (their `http://127.0.0.1:8080` replaced by its URL), and pass `mypy --strict`.
- The ```console blocks of "The sandbox" are replayed command by command: `campaign-sandbox`
  for real on a free port (its banner must read as printed), curl against the sandbox, each
  output compared with the one printed (`...` stands for anything). Every control-plane route
  must be called by one of them.
- The ```python blocks of "The sandbox" are pytest modules: each runs in a pytest of its own.
- Options, environment variables and sessions the README names exist, and those the code
  has are named.
"""

from __future__ import annotations

import ast
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

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
# The address every example uses; tests put the URL of the sandbox they run in its place.
README_URL = "http://127.0.0.1:8080"
CLIENTS = "Using a generated client"
SANDBOX = "The sandbox"
CONTRACT = "Contract verification in CI"
QUICK_START = "Quick start"
WILDCARD = "..."
COMMAND_TIMEOUT = 60


class Sandbox(Protocol):
    """The `sandbox` fixture of tests/conftest.py: a running sandbox, reset for the test."""

    @property
    def base_url(self) -> str: ...


def section(title: str) -> str:
    """The text under `## title`, up to the next second-level heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match is not None, f"README.md has no section '## {title}'"
    return match[1]


def fenced(title: str, language: str) -> list[str]:
    """The ```language blocks of a section, in order."""
    pattern = rf"^```{language}\n(.*?)^```$"
    return re.findall(pattern, section(title), re.MULTILINE | re.DOTALL)


def matches(expected: str, actual: str) -> bool:
    """`actual` is `expected`, where each `...` of `expected` stands for any text."""
    pattern = ".*?".join(re.escape(part) for part in expected.split(WILDCARD))
    return re.fullmatch(pattern, actual, re.DOTALL) is not None


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


def sandbox_commands() -> list[Command]:
    return [command for block in fenced(SANDBOX, "console") for command in console_commands(block)]


def commands_of(program: str) -> list[Command]:
    return [command for command in sandbox_commands() if command.argv[0] == program]


def example_id(code: str) -> str:
    """A test id naming the package the example is about: its first `from` import (every
    example imports httpx first, to reset the sandbox), else its first import."""
    imports = [line for line in code.splitlines() if line.startswith(("import", "from"))]
    return next((line for line in imports if line.startswith("from")), imports[0]).split()[1]


CLIENT_EXAMPLES = fenced(CLIENTS, "python")
FIXTURE_EXAMPLES = fenced(SANDBOX, "python")


# Using a generated client ---------------------------------------------------------------------


def test_the_client_section_shows_both_clients_and_the_models() -> None:
    used = {example_id(code).partition(".")[0] for code in CLIENT_EXAMPLES}
    assert {"engage_client", "intelsend_client"} <= used
    assert any("campaign_models" in code for code in CLIENT_EXAMPLES)


def run_example(code: str, base_url: str) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(code.replace(README_URL, base_url), "README.md", "exec"), namespace)


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
    files = []
    for number, code in enumerate([*CLIENT_EXAMPLES, *FIXTURE_EXAMPLES], start=1):
        path = tmp_path / f"readme_example_{number}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    # From an empty folder, so this repository's mypy configuration does not apply; the
    # repository on MYPYPATH lets the fixture examples import `sandbox` as checked source.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={tmp_path / 'cache'}", *files],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The sandbox ----------------------------------------------------------------------------------


def test_console_blocks_hold_only_commands_the_tests_replay() -> None:
    programs = {command.argv[0] for command in sandbox_commands()}
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


def test_the_curl_sessions_print_what_is_shown(curl: str, sandbox: Sandbox) -> None:
    commands = commands_of("curl")
    assert commands
    for command in commands:
        printed = run_curl(curl, command, sandbox.base_url)
        assert matches(command.expected.strip(), printed), (
            f"$ {command.text}\nexpected:\n{command.expected}\nprinted:\n{printed}"
        )


def curl_request(command: Command) -> tuple[str, str]:
    """The method and path a curl command of the README sends."""
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
    assert f"`{path}`" in section(SANDBOX) or f" {path}`" in section(SANDBOX)
    pattern = re.compile(re.sub(r"\\\{[a-z]+\\\}", "[^/]+", re.escape(path)))
    called = {curl_request(command) for command in commands_of("curl")}
    assert any(m == method and pattern.fullmatch(p) for m, p in called), (
        f"no curl example calls {method} {path}"
    )


@pytest.mark.parametrize("code", FIXTURE_EXAMPLES, ids=[example_id(c) for c in FIXTURE_EXAMPLES])
def test_fixture_example_is_a_passing_test_module(tmp_path: Path, code: str) -> None:
    module = tmp_path / "test_readme_example.py"
    module.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", module.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=COMMAND_TIMEOUT,
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


def test_sandbox_options_and_credentials_are_the_commands() -> None:
    text = section(SANDBOX)
    assert long_options(text) == long_options(help_text(sandbox_cli.parse_args)) - {"--help"}
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


# Contract verification in CI ------------------------------------------------------------------


def test_contract_options_are_the_commands() -> None:
    options = long_options(help_text(contract_tests.cli.parse_args))
    assert long_options(section(CONTRACT)) == options


def test_contract_credentials_rate_limit_and_profiles_are_the_codes() -> None:
    text = section(CONTRACT)
    for api in APIS.values():
        for variable in contract_config.credential_variables(api):
            assert f"`{variable}`" in text, variable
    assert f"`{contract_tests.cli.LIVE_RATE_LIMIT}`" in text
    for name, profile in contract_config.PROFILES.items():
        assert f"`--profile {name}` ({profile.max_examples} examples" in text, name


# Quick start ----------------------------------------------------------------------------------


def test_the_session_table_lists_every_nox_session(noxfile_sessions: set[str]) -> None:
    listed = set(re.findall(r"^\| `([a-z-]+)` \|", section(QUICK_START), re.MULTILINE))
    assert listed == noxfile_sessions


def test_the_check_tag_is_the_whole_suite_with_the_sandbox_contract_run(
    noxfile_tags: dict[str, set[str]],
) -> None:
    sentence = re.search(
        r"^((?:`[a-z-]+`,? (?:and )?)+)carry the tag `check`", section(QUICK_START), re.M
    )
    assert sentence is not None
    listed = set(re.findall(r"`([a-z-]+)`", sentence[1]))
    assert listed == {name for name, tags in noxfile_tags.items() if "check" in tags}
    assert "contract" in listed
