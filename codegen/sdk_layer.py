"""The SDK layer of the generated clients: hand-written modules from codegen/sdk/, copied in.

Per package: `errors.py` (openapi-python-client's `UnexpectedStatus` and the SDK's typed
errors), `_sdk.py` (what sync and async share), `_async/` (the base client and the API's own
client, written once, async), `_sync/` (made from `_async/` by unasync: `async`/`await`
dropped, `AsyncX` names become `X`), `__init__.py` exporting both with `__version__`, and the
project's README.md.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
import tomllib
from pathlib import Path

import unasync

SDK = Path("codegen/sdk")
ASYNC_NAME = re.compile(r"\bAsync[A-Z]\w*")


def _exported(source: Path) -> list[str]:
    """The `__all__` of a module of codegen/sdk/."""
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return [str(value) for value in ast.literal_eval(node.value)]
    raise ValueError(f"{source}: no __all__")


def _sync_name(name: str) -> str:
    return name.removeprefix("Async")


def write_sdk(root: Path, api: str, project: Path) -> None:
    """Add the SDK layer of `api` to the generated project `project` (package <api>_client)."""
    version = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    sdk = root / SDK
    package = project / f"{api}_client"
    async_dir, sync_dir = package / "_async", package / "_sync"
    async_dir.mkdir()
    for name in ("errors.py", "_sdk.py"):
        shutil.copyfile(sdk / name, package / name)
    for name in ("__init__.py", "_base.py"):
        shutil.copyfile(sdk / "_async" / name, async_dir / name)
    shutil.copyfile(sdk / api / "client.py", async_dir / "client.py")
    shutil.copyfile(sdk / api / "README.md", project / "README.md")

    sources = sorted(async_dir.glob("*.py"))
    # Every AsyncX of ours or of httpx (AsyncClient) has its sync twin X.
    async_names = {
        name for path in sources for name in ASYNC_NAME.findall(path.read_text(encoding="utf-8"))
    }
    replacements = {name: _sync_name(name) for name in async_names} | {"aclose": "close"}
    rule = unasync.Rule(str(async_dir), str(sync_dir), additional_replacements=replacements)
    unasync.unasync_files([str(path) for path in sources], [rule])

    exported = _exported(sdk / api / "client.py")
    [async_client] = [name for name in exported if name.endswith("Client")]
    init = package / "__init__.py"
    description = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    template = string.Template((sdk / "package_init.py.tmpl").read_text(encoding="utf-8"))
    sync_names = [_sync_name(name) for name in exported]
    init.write_text(
        template.substitute(
            description=description,
            sync_client=_sync_name(async_client),
            async_client=async_client,
            async_names=", ".join(exported),
            sync_names=", ".join(sync_names),
            version=version,
            all_names=", ".join(
                f'"{name}"'
                for name in sorted([*exported, *sync_names, "AuthenticatedClient", "Client"])
            ),
        ),
        encoding="utf-8",
    )
