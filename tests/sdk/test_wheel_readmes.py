"""The README.md inside each client wheel: its examples run against the sandbox, as written
(their `http://127.0.0.1:8080` replaced by the sandbox's URL), and pass `mypy --strict`."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from tests.support.sdk import Sandbox
from tests.support.typecheck import mypy_strict

REPO = Path(__file__).resolve().parents[2]
README_URL = "http://127.0.0.1:8080"
READMES = {
    "engage": REPO / "generated" / "engage-client" / "README.md",
    "intelsend": REPO / "generated" / "intelsend-client" / "README.md",
}


def examples(readme: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", readme.read_text("utf-8"), re.M | re.S)


# (test id, api, code)
EXAMPLES = [
    (f"{api}-{number}", api, code)
    for api, readme in READMES.items()
    for number, code in enumerate(examples(readme), start=1)
]


def test_each_readme_shows_the_client_sync_and_async() -> None:
    for api, readme in READMES.items():
        text = "\n".join(examples(readme))
        name = {"engage": "EngageClient", "intelsend": "IntelSendClient"}[api]
        assert f"{name}.from_env()" in text
        assert f"Async{name}" in text
    engage = "\n".join(examples(READMES["engage"]))
    assert "EngageClient.login(" in engage
    assert "ENGAGE_USERNAME" in engage


@pytest.mark.parametrize(
    ("api", "code"), [(api, code) for _, api, code in EXAMPLES], ids=[e[0] for e in EXAMPLES]
)
def test_readme_example_runs_against_the_sandbox(sandbox: Sandbox, api: str, code: str) -> None:
    assert README_URL in code
    assert "assert " in code
    namespace: dict[str, Any] = {"__name__": f"{api}_readme_example"}
    # An example may set the variables from_env reads: they must not leak into other tests.
    with mock.patch.dict(os.environ):
        exec(compile(code.replace(README_URL, sandbox.base_url), "README.md", "exec"), namespace)


@pytest.mark.generation
def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    examples = {test_id.replace("-", "_"): code for test_id, _, code in EXAMPLES}
    result = mypy_strict(examples, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
