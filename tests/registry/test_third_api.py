"""A third API costs its document, one registry entry and its sandbox package, nothing else.

A copy of the project's code in a temporary tree gets a toy API (notes: a list and a create),
exactly those three additions, and nothing else is edited; the sandbox serves it, the
contract suite verifies it, and generation makes its client and models.
"""

from __future__ import annotations

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
    ),
"""

TOY_SANDBOX = '''\
"""The toy API's sandbox: notes per key (state), and the handlers over them (routes)."""

from __future__ import annotations

from starlette.requests import Request

from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.campaigns import TenantCampaigns
from campaign_contracts.sandbox.config import SandboxConfig
from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.sandbox.operations import Call, Handler, Vendor
from campaign_contracts.sandbox.storage import Storage
from campaign_contracts.httpapi.validation import ApiDocument, CompiledOperation

KEY = APIS["toy"].credential("TOY_KEY").sandbox_default


class Backend(TenantCampaigns):
    def __init__(self, storage: Storage, max_campaigns: int) -> None:
        super().__init__("toy", "id", storage, max_campaigns)

    def create(self, tenant: str, text: str) -> dict[str, object]:
        note = {"id": self.ids.object_id(), "text": text}
        self.storage.put(self.kind, tenant, note["id"], note, tag="note")
        return note

    def listing(self, tenant: str) -> list[dict[str, object]]:
        return self.storage.records(self.kind, tenant)


def handlers(backend: Backend, config: SandboxConfig) -> dict[str, Handler]:
    def create_note(call: Call) -> object:
        return backend.create(call.tenant, call.body["text"])

    return {"listNotes": lambda call: backend.listing(call.tenant), "createNote": create_note}


def vendor(api: ApiDocument, config: SandboxConfig, backend: Backend) -> Vendor:
    _, header = api.security_scheme("header")

    def authenticate(request: Request, operation: CompiledOperation) -> str:
        if request.headers.get(header) != KEY:
            raise ApiError(401, f"The {header} header is missing or unknown")
        return KEY

    return Vendor(
        api=api,
        error_body=APIS["toy"].error_body,
        authenticate=authenticate,
        state_error_statuses={},
        tenant_ids={KEY: "toy-tenant"},
        credential_lines=(f"{header}: {KEY}",),
    )
'''


def run(tree: Path, *argv: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`python argv` in the copy, which shadows the installed project (cwd comes first)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, *argv],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's code plus the toy API's document, registry entry and sandbox package."""
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
    return root


@pytest.fixture
def toy_sandbox(tree: Path) -> Iterator[tuple[str, str]]:
    """The copy's sandbox on a free port: its base URL and its banner."""
    command = [sys.executable, "-m", "campaign_contracts.sandbox.cli", "--port", "0"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    with subprocess.Popen(
        [*command, "--no-access-log", "--log-level", "warning"],
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
    assert f"  Toy        {base_url}/toy/notes\n             X-Toy-Key: toy-key\n" in banner
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


@pytest.mark.slow
def test_the_contract_suite_verifies_the_third_api(tree: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = run(tree, "-m", "contract_tests", "--api", "toy", "--report-dir", str(reports))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contract kept." in result.stdout
    assert "toy" in {path.stem for path in reports.glob("*.xml")}
    assert "TOY_KEY" in run(tree, "-m", "contract_tests", "--help").stdout


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
