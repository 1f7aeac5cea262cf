"""A third API costs its document, one registry entry and folders named after it, nothing else.

A copy of the project's code in a temporary tree gets a toy API (notes: a list, a create and
a sign-in) as exactly those additions: `openapi/toy.yaml`, its `Api(...)` in the registry,
`campaign_contracts/sandbox/toy/` (backend, routes, a control-plane extra, its own sandbox
option and fixture part) and `contract_tests/toy/` (a business rule). Nothing else is edited,
and the test checks that; the sandbox serves it, the contract suite verifies it (signing in,
and running its rule), and generation makes its client and models.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import commands

ROOT = Path(__file__).resolve().parents[2]
# What the copy needs to run the sandbox, the contract suite and generation.
COPIED = ("campaign_contracts", "codegen", "contract_tests", "openapi", "requirements")

TOY_DOCUMENT = """\
openapi: 3.1.0
info:
  title: Toy Notes API
  version: 1.0.0
servers:
  - url: https://toy.example
security:
  - ToyKey: []
paths:
  /toy/notes:
    get:
      operationId: listNotes
      summary: Every note, oldest first
      responses:
        '200':
          description: The notes
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Note'}
        '401': {$ref: '#/components/responses/Error'}
    post:
      operationId: createNote
      summary: Keep a note
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NoteCreate'}
      responses:
        '201':
          description: The new note
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '422': {$ref: '#/components/responses/Error'}
  /toy/sign-in:
    post:
      operationId: signIn
      summary: A key for a username and password
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [username, password]
              properties:
                username: {type: string}
                password: {type: string}
      responses:
        '200':
          description: The key
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [token]
                properties:
                  token: {type: string}
        '400': {$ref: '#/components/responses/Error'}
        '401': {$ref: '#/components/responses/Error'}
        '422': {$ref: '#/components/responses/Error'}
components:
  securitySchemes:
    ToyKey: {type: apiKey, in: header, name: X-Toy-Key}
  responses:
    Error:
      description: What went wrong
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    NoteCreate:
      type: object
      additionalProperties: false
      required: [text]
      properties:
        text: {type: string, minLength: 1, maxLength: 40}
    Note:
      type: object
      additionalProperties: false
      required: [id, text]
      properties:
        id: {type: string}
        text: {type: string}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
"""

TOY_REGISTRY_ENTRY = """\
    Api(
        name="toy",
        label="Toy",
        credentials=(Credential("TOY_KEY", "ToyKey", "toy-key"),),
        error_body=lambda status, message: {"message": message},
        sandbox="campaign_contracts.sandbox.toy",
        id_field="id",
        list_operation="listNotes",
        create_operation="createNote",
        sign_in=SignIn(
            operation_id="signIn",
            token="TOY_KEY",
            username=Credential("TOY_USERNAME", "ToyKey", "toy"),
            password=Credential("TOY_PASSWORD", "ToyKey", "toy-password"),
        ),
    ),
"""

TOY_SANDBOX = '''\
"""The toy API's sandbox: notes per key (state), the handlers over them (routes), and
`POST /_sandbox/toy/archive` (control), which files every note away."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import ApiDocument, CompiledOperation
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.campaigns import TenantCampaigns
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.sandbox.control import ControlPlane
from campaign_contracts.sandbox.operations import Call, Handler, Vendor
from campaign_contracts.sandbox.storage import Storage
from campaign_contracts.sandbox.toy import options
from campaign_contracts.sandbox.toy.options import LOGIN, ToySettings


class Backend(TenantCampaigns):
    def __init__(self, storage: Storage, max_campaigns: int) -> None:
        super().__init__("toy", "id", storage, max_campaigns)

    def create(self, tenant: str, text: str) -> dict[str, object]:
        note = {"id": self.ids.object_id(), "text": text}
        self.storage.put(self.kind, tenant, note["id"], note, tag="note")
        return note

    def listing(self, tenant: str) -> list[dict[str, object]]:
        return self.storage.records(self.kind, tenant)


def signed_in_key(username: str) -> str:
    return f"signed-in-{username}"


def handlers(backend: Backend, config: SandboxConfig) -> dict[str, Handler]:
    def create_note(call: Call) -> object:
        return backend.create(call.tenant, call.body["text"])

    def sign_in(call: Call) -> object:
        if (call.body["username"], call.body["password"]) != LOGIN:
            raise ApiError(401, "Unknown username or password")
        return {"token": signed_in_key(call.body["username"])}

    return {
        "listNotes": lambda call: backend.listing(call.tenant),
        "createNote": create_note,
        "signIn": sign_in,
    }


def vendor(api: ApiDocument, config: SandboxConfig, backend: Backend) -> Vendor:
    _, header = api.security_scheme("header")
    settings: ToySettings = config.vendor_settings["toy"]
    keys = {*settings.toy_keys, signed_in_key(LOGIN[0])}

    def authenticate(request: Request, operation: CompiledOperation) -> str:
        if not operation.security_schemes:
            return ""
        key = request.headers.get(header, "")
        if key not in keys:
            raise ApiError(401, f"The {header} header is missing or unknown")
        return key

    return Vendor(
        api=api,
        error_body=APIS["toy"].error_body,
        authenticate=authenticate,
        state_error_statuses={},
        tenant_ids={key: f"toy-tenant-{number}" for number, key in enumerate(sorted(keys))},
        credential_lines=tuple(f"{header}: {key}" for key in sorted(settings.toy_keys)),
    )


def control_routes(backend: Backend, plane: ControlPlane, prefix: str) -> list[Route]:
    def archive(request: Request, body: object) -> object:
        archived = sum(backend.count(tenant) for tenant in backend.tenants())
        backend.reset()
        return {"archived": archived}

    return [Route(f"{prefix}/archive", plane.endpoint(archive), methods=["POST"])]
'''

TOY_OPTIONS = '''\
"""The toy API's own settings: the keys it accepts (`--toy-key`, CAMPAIGN_SANDBOX_TOY_KEYS,
`build_config(toy_keys=...)`, the fixture's `--campaign-sandbox-toy-key`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.config import ConfigError, split_list

if TYPE_CHECKING:
    import pytest

DEFAULT_KEY = APIS["toy"].credential("TOY_KEY").sandbox_default
LOGIN = tuple(APIS["toy"].credential(v).sandbox_default for v in ("TOY_USERNAME", "TOY_PASSWORD"))
KEYS_ENV = "CAMPAIGN_SANDBOX_TOY_KEYS"
KEYWORDS = frozenset({"toy_keys"})
ENVIRONMENT = f"{KEYS_ENV}=key1,key2"
DEFAULT_CREDENTIALS = DEFAULT_KEY


@dataclass(frozen=True)
class ToySettings:
    toy_keys: frozenset[str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--toy-key", action="append", default=[], help="accept this toy key")


def from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    return {"toy_keys": args.toy_key}


def settings(
    keywords: Mapping[str, Any], *, default_credentials: bool, environ: Mapping[str, str]
) -> ToySettings:
    keys = {DEFAULT_KEY} if default_credentials else set()
    keys.update(split_list(environ.get(KEYS_ENV, "")), keywords.get("toy_keys", ()))
    if not keys:
        raise ConfigError(f"no toy key accepted: give --toy-key or {KEYS_ENV}")
    return ToySettings(frozenset(keys))


def secrets(accepted: ToySettings) -> Iterable[str]:
    return accepted.toy_keys


def add_pytest_options(group: pytest.OptionGroup) -> None:
    group.addoption("--campaign-sandbox-toy-key", default=DEFAULT_KEY)


@dataclass(frozen=True)
class ToyTenant:
    toy_key: str

    @property
    def tenant(self) -> str:
        return self.toy_key

    @property
    def config_keywords(self) -> dict[str, Any]:
        return {"toy_keys": [self.toy_key]}


def fixture_tenant(option: Callable[[str], Any]) -> ToyTenant:
    return ToyTenant(option("campaign_sandbox_toy_key"))
'''

TOY_RULES = '''\
"""The toy API's business rule."""

from __future__ import annotations

from contract_tests.rules import Needs, RuleBook, RuleContext
from contract_tests.session import RuleBroken

rule = RuleBook()


@rule("a created note is listed", Needs.WRITE)
def a_created_note_is_listed(ctx: RuleContext) -> None:
    """A note just created is on the list, with its text."""
    text = ctx.name("note")
    created = ctx.session.call("createNote", expect=201, body={"text": text}, why="create")
    ctx.created_ids.add(created["id"])
    listed = ctx.session.call("listNotes", expect=200, why="list the notes")
    if {"id": created["id"], "text": text} not in listed:
        raise RuleBroken(f"the note {created['id']} is not on the list")
'''

TOY_CONTRACT_PART = '''"""The toy API's part of the contract run."""\n'''

# What the toy API adds, and the one file it edits.
ADDED = ("openapi/toy.yaml", "campaign_contracts/sandbox/toy/", "contract_tests/toy/")
EDITED = ("campaign_contracts/registry.py",)


def run(tree: Path, *argv: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`python argv` in the copy, which shadows the installed project (cwd comes first)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return commands.run(sys.executable, *argv, cwd=tree, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's code plus the toy API's document, registry entry and folders."""
    root = tmp_path_factory.mktemp("third-api")
    ignored = shutil.ignore_patterns("__pycache__", "node_modules")
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name, ignore=ignored)
    # The TypeScript tools generation installs (48 MB): shared, not copied, once installed.
    tools = ROOT / "codegen" / "ts" / "node_modules"
    if tools.is_dir():
        (root / "codegen" / "ts" / "node_modules").symlink_to(tools, target_is_directory=True)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "openapi" / "toy.yaml").write_text(TOY_DOCUMENT, encoding="utf-8")
    registry = root / "campaign_contracts" / "registry.py"
    text = registry.read_text(encoding="utf-8")
    end_of_entries = "\n)\nAPIS: Mapping"
    assert text.count(end_of_entries) == 1, "the registry's ENTRIES end where the test expects"
    registry.write_text(
        text.replace(end_of_entries, f"\n{TOY_REGISTRY_ENTRY})\nAPIS: Mapping"), encoding="utf-8"
    )
    package = root / "campaign_contracts" / "sandbox" / "toy"
    package.mkdir()
    (package / "__init__.py").write_text(TOY_SANDBOX, encoding="utf-8")
    (package / "options.py").write_text(TOY_OPTIONS, encoding="utf-8")
    rules = root / "contract_tests" / "toy"
    rules.mkdir()
    (rules / "__init__.py").write_text(TOY_CONTRACT_PART, encoding="utf-8")
    (rules / "rules.py").write_text(TOY_RULES, encoding="utf-8")
    return root


def changes(tree: Path) -> tuple[list[str], list[str]]:
    """The files of `tree` that differ from the project's (edited) and that it has in addition
    (added), as paths relative to the tree."""
    edited: list[str] = []
    added: list[str] = []

    def walk(comparison: filecmp.dircmp[str], where: str) -> None:
        edited.extend(f"{where}{name}" for name in comparison.diff_files)
        for name in comparison.left_only:
            if (Path(comparison.left) / name).is_dir():
                added.append(f"{where}{name}/")
            else:
                added.append(f"{where}{name}")
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{where}{name}/")

    for name in COPIED:
        ignored = ["__pycache__", "node_modules"]
        walk(filecmp.dircmp(tree / name, ROOT / name, ignore=ignored), f"{name}/")
    return edited, added


def test_the_third_api_edits_nothing_outside_its_folders_and_its_registry_entry(
    tree: Path,
) -> None:
    edited, added = changes(tree)
    assert sorted(added) == sorted(ADDED)
    assert edited == list(EDITED)
    registry = (tree / EDITED[0]).read_text(encoding="utf-8")
    assert registry == (ROOT / EDITED[0]).read_text(encoding="utf-8").replace(
        "\n)\nAPIS: Mapping", f"\n{TOY_REGISTRY_ENTRY})\nAPIS: Mapping"
    )
    assert filecmp.cmp(tree / "pyproject.toml", ROOT / "pyproject.toml", shallow=False)


@pytest.fixture
def toy_sandbox(tree: Path) -> Iterator[tuple[str, str]]:
    """The copy's sandbox on a free port, given a toy key by flag and one by environment: its
    base URL and its banner."""
    command = [sys.executable, "-m", "campaign_contracts.sandbox.cli", "--port", "0"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["CAMPAIGN_SANDBOX_TOY_KEYS"] = "env-key"
    with subprocess.Popen(
        [*command, "--toy-key", "team-key", "--no-access-log", "--log-level", "warning"],
        cwd=tree,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        banner: list[str] = []
        while not (line := process.stdout.readline()).startswith("  control"):
            assert line, f"the sandbox stopped: {banner}"
            banner.append(line)
        try:
            match = re.search(r"listening on (\S+)", banner[0])
            assert match, banner
            yield match[1], "".join(banner)
        finally:
            process.terminate()


def test_the_sandbox_serves_the_third_api(toy_sandbox: tuple[str, str]) -> None:
    base_url, banner = toy_sandbox
    keys = "".join(f"             X-Toy-Key: {key}\n" for key in ("env-key", "team-key", "toy-key"))
    assert f"  Toy        {base_url}/toy\n{keys}" in banner
    assert httpx.get(f"{base_url}/_sandbox/health").json()["apis"] == [
        "engage",
        "intelsend",
        "toy",
    ]
    key = {"X-Toy-Key": "toy-key"}
    created = httpx.post(f"{base_url}/toy/notes", json={"text": "hello"}, headers=key)
    assert created.status_code == 201, created.text
    assert httpx.get(f"{base_url}/toy/notes", headers=key).json() == [created.json()]
    refused = httpx.post(f"{base_url}/toy/notes", json={"text": ""}, headers=key)
    assert refused.status_code == 422
    assert set(refused.json()) == {"message"}
    assert httpx.get(f"{base_url}/toy/notes").status_code == 401
    assert httpx.post(f"{base_url}/_sandbox/reset?api=toy").json() == {"reset": ["toy"]}
    assert httpx.get(f"{base_url}/toy/notes", headers=key).json() == []


def test_the_third_api_brings_its_option_sign_in_and_control_extra(
    toy_sandbox: tuple[str, str], tree: Path
) -> None:
    base_url, _ = toy_sandbox
    for key in ("team-key", "env-key"):  # --toy-key, CAMPAIGN_SANDBOX_TOY_KEYS
        mine = {"X-Toy-Key": key}
        assert httpx.post(f"{base_url}/toy/notes", json={"text": key}, headers=mine).is_success
    login = {"username": "toy", "password": "toy-password"}
    signed_in = httpx.post(f"{base_url}/toy/sign-in", json=login).json()["token"]
    assert httpx.get(f"{base_url}/toy/notes", headers={"X-Toy-Key": signed_in}).json() == []
    wrong = httpx.post(f"{base_url}/toy/sign-in", json={**login, "password": "no"})
    assert wrong.status_code == 401
    assert httpx.post(f"{base_url}/_sandbox/toy/archive").json() == {"archived": 2}
    assert httpx.get(f"{base_url}/toy/notes", headers={"X-Toy-Key": "team-key"}).json() == []
    usage = run(tree, "-m", "campaign_contracts.sandbox.cli", "--help").stdout
    assert "--toy-key" in usage
    assert "CAMPAIGN_SANDBOX_TOY_KEYS=key1,key2" in " ".join(usage.split())


@pytest.mark.slow
def test_the_contract_suite_verifies_the_third_api(tree: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = run(tree, "-m", "contract_tests", "--api", "toy", "--report-dir", str(reports))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contract kept." in result.stdout
    assert "a created note is listed" in result.stdout
    assert "toy" in {path.stem for path in reports.glob("*.xml")}
    usage = run(tree, "-m", "contract_tests", "--help").stdout
    assert "TOY_KEY" in usage
    assert "TOY_USERNAME" in usage


@pytest.mark.generation
def test_generation_makes_the_third_apis_client_and_models(tree: Path) -> None:
    result = run(tree, "-m", "codegen.generate")
    assert result.returncode == 0, result.stdout + result.stderr
    generated = tree / "generated"
    client = generated / "toy-client" / "toy_client" / "api" / "default" / "create_note.py"
    assert client.is_file(), sorted(str(p) for p in (generated / "toy-client").rglob("*.py"))
    models = (generated / "models" / "campaign_models" / "toy.py").read_text(encoding="utf-8")
    assert "class NoteCreate(" in models
    versions = (generated / "models" / "campaign_models" / "__init__.py").read_text("utf-8")
    assert json.dumps("toy") in versions
