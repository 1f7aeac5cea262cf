"""Fixtures shared by the whole suite: a real sandbox on a loopback port, and its clients."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import engage_client
import httpx
import intelsend_client
import pytest
from hypothesis import settings

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import (
    DEFAULT_ENGAGE_TOKEN,
    DEFAULT_INTELSEND_SESSION,
    DEFAULT_INTELSEND_USER,
)
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.credentials import (
    OTHER_ENGAGE_TOKEN,
    OTHER_INTELSEND_SESSION,
    OTHER_INTELSEND_USER,
    SECRETS,
    SESSION_COOKIE,
    USER_HEADER,
)
from tests.support.sandbox import TLS_CONTEXT, RunningSandbox, sandbox_config

# The fuzzing tests draw the same examples on every run, so a CI run cannot fail on a new draw
# that the change under test did not cause; HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

SANDBOX_TESTS = Path(__file__).parent / "sandbox"
# Building packages and running the generators take seconds to minutes a test: `-m "not slow"`
# leaves them out of the quick loop with the tests marked slow themselves.
SLOW_MARKERS = ("packaging", "generation")
STORAGES = ("memory", "sqlite")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The sandbox's own tests run against both storages; the other tests use memory."""
    if "sandbox_storage" in metafunc.fixturenames and metafunc.definition.path.is_relative_to(
        SANDBOX_TESTS
    ):
        metafunc.parametrize("sandbox_storage", STORAGES, indirect=True, scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sandbox_storage(request: pytest.FixtureRequest) -> str:
    """Where the sandbox keeps its state: `memory`, or `sqlite` (a --state file)."""
    storage: str = getattr(request, "param", "memory")
    return storage


@pytest.fixture(scope="session")
def sandbox_server(
    sandbox_storage: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSandbox]:
    """One sandbox per test process (and per xdist worker), shared by its tests."""
    state = None
    if sandbox_storage == "sqlite":
        state = tmp_path_factory.mktemp("state") / "sandbox.db"
    with serve_in_thread(create_app(sandbox_config(state=state))) as base_url:
        yield RunningSandbox(base_url)


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    """The session's sandbox, reset: no campaigns, faults or quirks from earlier tests."""
    sandbox_server.reset()
    return sandbox_server


def _client(sandbox: RunningSandbox, **kwargs: Any) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sandbox.base_url, timeout=10, verify=TLS_CONTEXT, **kwargs
    ) as client:
        yield client


def _intelsend_client(sandbox: RunningSandbox, user: str, session: str) -> Iterator[httpx.Client]:
    yield from _client(sandbox, headers={USER_HEADER: user}, cookies={SESSION_COOKIE: session})


@pytest.fixture
def engage(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Raw HTTP to a reset sandbox as the default Engage tenant."""
    yield from _client(sandbox, headers={"Authorization": DEFAULT_ENGAGE_TOKEN})


@pytest.fixture
def other_engage(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Raw HTTP as a second Engage tenant."""
    yield from _client(sandbox, headers={"Authorization": OTHER_ENGAGE_TOKEN})


@pytest.fixture
def intelsend(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Raw HTTP as the default IntelSend user, with both its session cookie and user id."""
    yield from _intelsend_client(sandbox, DEFAULT_INTELSEND_USER, DEFAULT_INTELSEND_SESSION)


@pytest.fixture
def other_intelsend(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Raw HTTP as a second IntelSend user."""
    yield from _intelsend_client(sandbox, OTHER_INTELSEND_USER, OTHER_INTELSEND_SESSION)


@pytest.fixture
def anonymous(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Raw HTTP without credentials; also the control plane's client."""
    yield from _client(sandbox)


@pytest.fixture
def engage_api(sandbox: RunningSandbox) -> engage_client.AuthenticatedClient:
    """The generated Engage client as the default tenant: the raw token, no `Bearer ` prefix."""
    return engage_client.AuthenticatedClient(
        base_url=sandbox.base_url, token=DEFAULT_ENGAGE_TOKEN, prefix="", verify_ssl=TLS_CONTEXT
    )


@pytest.fixture
def intelsend_api(sandbox: RunningSandbox) -> intelsend_client.AuthenticatedClient:
    """The generated IntelSend client as the default user: session cookie and `x-user-id`."""
    return intelsend_client.AuthenticatedClient(
        base_url=sandbox.base_url,
        token=DEFAULT_INTELSEND_USER,
        prefix="",
        auth_header_name=USER_HEADER,
        cookies={SESSION_COOKIE: DEFAULT_INTELSEND_SESSION},
        verify_ssl=TLS_CONTEXT,
    )


@pytest.fixture(scope="session")
def noxfile_tags() -> dict[str, set[str]]:
    """Every session noxfile.py defines, under the name `nox -l` shows (`name=` or the
    function's), with its tags, read from its source: the tests that use it need no nox."""
    tree = ast.parse(Path(__file__).parent.parent.joinpath("noxfile.py").read_text("utf-8"))
    sessions = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            if ast.unparse(call.func if call else decorator) != "nox.session":
                continue
            keywords = {keyword.arg: keyword.value for keyword in call.keywords} if call else {}
            name = keywords.get("name")
            tags = keywords.get("tags")
            sessions[str(name.value) if isinstance(name, ast.Constant) else node.name] = (
                set(ast.literal_eval(tags)) if tags is not None else set()
            )
    return sessions


@pytest.fixture(scope="session")
def noxfile_sessions(noxfile_tags: dict[str, set[str]]) -> set[str]:
    """Every session noxfile.py defines, under the name `nox -l` shows."""
    return set(noxfile_tags)


@pytest.fixture
def live_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Credentials in the environment; the working directory a scratch folder to inspect."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path
