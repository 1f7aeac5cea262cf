"""Regenerate generated/ from the OpenAPI documents in openapi/.

Usage, from the repository root inside the nox `generate` session's virtualenv:

    python -m codegen.generate            # regenerate, or do nothing when already up to date
    python -m codegen.generate --force    # regenerate even when up to date
    python -m codegen.generate --check    # fail if generated/ differs from a fresh generation

Generation happens in a temporary folder that replaces generated/ only once everything
succeeded, so a failing generator never leaves generated/ half-written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contracts.cli import ArgumentParser
from campaign_contracts.registry import APIS as REGISTRY

# What info.version must look like: the changes gate's rule, which models_version relies on.
from campaign_contracts.spec_changes import SEMANTIC_VERSION
from codegen.changelog import changes_section, models_changes_section
from codegen.names import MODELS_DISTRIBUTION, client_distribution
from codegen.sdk_layer import SDK, write_sdk
from codegen.ts_layer import (
    STAGING_PREFIX,
    ToolError,
    ensure_tools,
    has_ts_client,
    write_ts_package,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATED = "generated"
STAMP = ".inputs-sha256"
MODELS_PROJECT = "models"
MODELS_PACKAGE = "campaign_models"
CLIENT_TEMPLATES = "codegen/templates/client"
# Oldest Python of pyproject.toml's requires-python: the generated code must run there.
TARGET_PYTHON = "3.11"
# Written by tools, never inputs or outputs: left out of every hash and comparison. Folders
# that a local build or virtualenv of a generated project adds (its .gitignore lists them).
IGNORED_NAMES = frozenset(
    {
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        ".venv",
        "node_modules",
    }
)


@dataclass(frozen=True)
class GeneratedApi:
    """One vendor API: openapi/<name>.yaml gives generated/<name>-client/ and <name>.py models."""

    name: str

    @property
    def spec(self) -> str:
        return f"openapi/{self.name}.yaml"

    @property
    def client_dir(self) -> str:
        return f"{self.name}-client"


# Every API of the registry, in its order.
APIS = tuple(GeneratedApi(name) for name in REGISTRY)


class GenerationError(Exception):
    """A problem worth one line to the user: which file, and what is wrong with it."""


class InvalidDocument(GenerationError):
    """A document that cannot be generated from: bad input (exit 2), not a failed generation."""


def tree_files(directory: Path) -> dict[str, Path]:
    """Map each file under `directory` (by POSIX path relative to it) to its path."""
    files: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = [
            name
            for name in dirnames
            if name not in IGNORED_NAMES
            and not name.endswith(".egg-info")
            and not name.startswith(STAGING_PREFIX)
        ]
        for name in filenames:
            path = Path(dirpath, name)
            files[path.relative_to(directory).as_posix()] = path
    return files


def digest(files: Mapping[str, Path]) -> str:
    """SHA-256 over the names and contents of `files`, independent of where they live."""
    total = hashlib.sha256()
    for name in sorted(files):
        content = hashlib.sha256(files[name].read_bytes()).hexdigest()
        total.update(f"{name}\0{content}\n".encode())
    return total.hexdigest()


def input_files(root: Path) -> dict[str, Path]:
    """Everything generated/ depends on: the documents, the generation code and tool pins."""
    # The documents, and their changelogs, which the packages' READMEs carry.
    files = {
        f"openapi/{path.name}": path
        for pattern in ("*.yaml", "CHANGELOG-*.md")
        for path in sorted((root / "openapi").glob(pattern))
    }
    files.update({f"codegen/{name}": path for name, path in tree_files(root / "codegen").items()})
    files["requirements/constraints.txt"] = root / "requirements" / "constraints.txt"
    # SEMANTIC_VERSION, which decides what info.version (so a package version) may be.
    files["campaign_contracts/spec_changes/__init__.py"] = (
        root / "campaign_contracts" / "spec_changes" / "__init__.py"
    )
    return files


def output_files(generated: Path) -> dict[str, Path]:
    """The files of a generated tree that its stamp covers (all but the stamp itself)."""
    files = tree_files(generated)
    files.pop(STAMP, None)
    return files


def stamp_text(inputs_sha256: str, outputs_sha256: str) -> str:
    return (
        "# Written by `nox -s generate`: hashes of its inputs and of the rest of generated/.\n"
        f"inputs {inputs_sha256}\n"
        f"outputs {outputs_sha256}\n"
    )


def is_up_to_date(root: Path) -> bool:
    """True when neither the inputs nor generated/ changed since the last generation."""
    stamp = root / GENERATED / STAMP
    if not stamp.is_file():
        return False
    expected = stamp_text(digest(input_files(root)), digest(output_files(root / GENERATED)))
    return stamp.read_text(encoding="utf-8") == expected


def load_spec(root: Path, api: GeneratedApi) -> dict[str, Any]:
    """Read and validate one OpenAPI document, reducing any problem to one line."""
    # Imported here, not at the top: together they take about a second to import, which
    # the no-op path of `nox -s generate` must not pay.
    from openapi_spec_validator import validate  # noqa: PLC0415
    from openapi_spec_validator.validation.exceptions import (  # noqa: PLC0415
        OpenAPIValidationError,
    )
    from referencing.exceptions import Unresolvable  # noqa: PLC0415

    from campaign_contracts.documents import DocumentError, load_document  # noqa: PLC0415

    path = root / api.spec
    if not path.is_file():
        raise InvalidDocument(f"{api.spec}: missing (expected one OpenAPI document per API)")
    try:
        # The document model's checks first: YAML and OpenAPI 3.1 errors with their position.
        spec = load_document(path, api.name).raw
    except DocumentError as error:
        raise InvalidDocument(f"{api.spec}: {error.problem}") from None
    try:
        # Then openapi-spec-validator's own, which go further ($refs, path parameters, ...).
        validate(spec, base_uri=path.as_uri())
    except OpenAPIValidationError as error:
        # The message goes on with the failing schema and instance: keep its first line.
        message = error.message.splitlines()[0]
        raise InvalidDocument(
            f"{api.spec}: invalid OpenAPI at {error.json_path}: {message}"
        ) from None
    except Unresolvable as error:
        raise InvalidDocument(f"{api.spec}: unresolvable $ref to {error.ref!r}") from None
    version = str(spec["info"]["version"])
    # The packages' versions come from it (see models_version), as does the changes gate's.
    if not SEMANTIC_VERSION.fullmatch(version):
        raise InvalidDocument(f"{api.spec}: info.version {version!r} is not MAJOR.MINOR.PATCH")
    return spec


def models_version(versions: Iterable[str]) -> str:
    """The version of campaign-models, which holds the models of every document.

    Each of major, minor and patch is the sum of the documents' own: a breaking change of any
    API (its major bumped) bumps the models' major, and any bump gives a higher version. A
    public version, unlike a local label (`0+engage.2.0.0…`), which package indexes refuse
    and `>=` pins cannot order; the exact document versions are in `API_VERSIONS`.
    """
    parts = [[int(part) for part in version.split(".")] for version in versions]
    return ".".join(str(sum(column)) for column in zip(*parts, strict=True))


def tool_env() -> dict[str, str]:
    """Environment for the generators: this interpreter's ruff first on PATH, no caches."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
        # ruff would otherwise leave .ruff_cache/ folders inside the generated projects.
        "RUFF_NO_CACHE": "true",
    }


def run_tool(description: str, argv: Sequence[str], cwd: Path) -> None:
    """Run a generator; on failure, raise with its own message minus its boilerplate."""
    result = subprocess.run(
        argv, cwd=cwd, env=tool_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = "\n".join(
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and "open an issue" not in line
        )
        raise GenerationError(f"{description} failed:\n{output}")


def client_job(root: Path, api: GeneratedApi, out: Path) -> None:
    template = (root / "codegen" / "templates" / "client-config.yaml.tmpl").read_text("utf-8")
    # Beside the output, not in it: the configuration is an input, not a generated file.
    config = out.parent / f"{api.client_dir}-config.yaml"
    config.write_text(
        string.Template(template).substitute(
            name=api.name, distribution=client_distribution(api.name)
        ),
        encoding="utf-8",
    )
    run_tool(
        f"openapi-python-client on {api.spec}",
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(root / api.spec),
            "--config",
            str(config),
            # PEP 621 metadata that pip, uv and `uv pip compile` read without a build.
            "--meta",
            "uv",
            "--output-path",
            str(out / api.client_dir),
            # Our versions of some of its templates (codegen/templates/client/).
            "--custom-template-path",
            str(root / CLIENT_TEMPLATES),
            # A warning means a skipped endpoint or model: fail instead of shipping less.
            "--fail-on-warning",
        ],
        cwd=out,
    )
    project = out / api.client_dir
    if not (root / SDK / api.name).is_dir():
        # An API without a hand-written SDK layer yet ships openapi-python-client's client.
        return
    write_sdk(root, api.name, project)
    # The generator's post_hooks again, now over the SDK layer's files too.
    for description, argv in [
        ("ruff check", ["ruff", "check", ".", "--fix-only", "--quiet"]),
        ("ruff format", ["ruff", "format", ".", "--quiet"]),
    ]:
        run_tool(f"{description} of {api.client_dir}", argv, cwd=project)


def models_job(root: Path, api: GeneratedApi, out: Path) -> None:
    project = out / MODELS_PROJECT
    run_tool(
        f"datamodel-codegen on {api.spec}",
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(root / api.spec),
            "--input-file-type",
            "openapi",
            "--output",
            str(project / MODELS_PACKAGE / f"{api.name}.py"),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--target-python-version",
            TARGET_PYTHON,
            "--target-pydantic-version",
            "2.11",
            "--disable-timestamp",
            "--use-standard-collections",
            "--use-union-operator",
            "--use-annotated",
            "--field-constraints",
            "--use-schema-description",
            # The pinned ruff, configured by the models' pyproject.toml in the working folder.
            "--formatters",
            "ruff-check",
            "ruff-format",
            # Options come from this command line only, never from a pyproject.toml.
            "--ignore-pyproject",
        ],
        cwd=project,
    )


def write_models_project(
    root: Path, specs: Mapping[GeneratedApi, Mapping[str, Any]], out: Path
) -> None:
    """The hand-templated parts of the campaign-models project."""
    templates = root / "codegen" / "templates"
    versions = {api.name: str(spec["info"]["version"]) for api, spec in specs.items()}
    package = out / MODELS_PROJECT / MODELS_PACKAGE
    package.mkdir(parents=True)
    substitutions = {
        "version": models_version(versions.values()),
        "api_versions_text": ", ".join(f"{name} {version}" for name, version in versions.items()),
        "package": MODELS_PACKAGE,
        "distribution": MODELS_DISTRIBUTION,
        "api_versions": json.dumps(versions),  # a dict of strings is also a Python literal
        "modules": ", ".join(api.name for api in specs),
    }
    for template, target in [
        ("models-pyproject.toml.tmpl", out / MODELS_PROJECT / "pyproject.toml"),
        ("models-init.py.tmpl", package / "__init__.py"),
        ("models-README.md.tmpl", out / MODELS_PROJECT / "README.md"),
    ]:
        text = (templates / template).read_text(encoding="utf-8")
        target.write_text(string.Template(text).substitute(substitutions), encoding="utf-8")
    with (out / MODELS_PROJECT / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(models_changes_section(root, versions))
    (package / "py.typed").write_text("", encoding="utf-8")


def render(root: Path, dest: Path) -> None:
    """Write a complete generated tree for `root`'s inputs into the new folder `dest`."""
    root = root.resolve()  # the generators run in other working directories
    specs = {api: load_spec(root, api) for api in APIS}
    dest.mkdir(parents=True)
    shutil.copyfile(root / "codegen" / "templates" / "generated-README.md", dest / "README.md")
    write_models_project(root, specs, dest)
    try:
        ensure_tools(root)
    except ToolError as error:
        raise GenerationError(str(error)) from None

    def ts_job(root: Path, api: GeneratedApi, out: Path) -> None:
        if not has_ts_client(root, api.name):
            return
        try:
            write_ts_package(root, api.name, specs[api], out)
        except ToolError as error:
            raise GenerationError(str(error)) from None

    jobs = [(job, api) for job in (client_job, models_job, ts_job) for api in APIS]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = [pool.submit(job, root, api, dest) for job, api in jobs]
        for future in futures:
            future.result()
    # Each client's README (Python and TypeScript) ends with its document's changelog.
    for api, spec in specs.items():
        section = changes_section(root, api.name, str(spec["info"]["version"]))
        for readme in (
            dest / api.client_dir / "README.md",
            dest / "ts" / api.client_dir / "README.md",
        ):
            if readme.is_file():
                with readme.open("a", encoding="utf-8") as file:
                    file.write(section)
    (dest / STAMP).write_text(
        stamp_text(digest(input_files(root)), digest(output_files(dest))), encoding="utf-8"
    )


def replace_tree(source: Path, target: Path) -> None:
    """Put a copy of `source` at `target`, swapping it in only once the copy is complete."""
    staging = target.with_name(f".{target.name}.new")
    retired = target.with_name(f".{target.name}.old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(source, staging)
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def generate(root: Path, *, force: bool = False) -> str:
    """Bring root/generated up to date; return what was done."""
    if not force and is_up_to_date(root):
        return "generated/ is up to date (pass --force to regenerate anyway)"
    with tempfile.TemporaryDirectory(prefix="campaign-codegen-") as scratch:
        render(root, Path(scratch, GENERATED))
        replace_tree(Path(scratch, GENERATED), root / GENERATED)
    return "regenerated generated/"


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """One line per file of `actual` that is missing, extra or different from `expected`."""
    want, have = tree_files(expected), tree_files(actual)
    problems = []
    for name in sorted(want.keys() | have.keys()):
        if name not in have:
            problems.append(f"missing:   {GENERATED}/{name}")
        elif name not in want:
            problems.append(f"unexpected: {GENERATED}/{name}")
        elif want[name].read_bytes() != have[name].read_bytes():
            problems.append(f"differs:   {GENERATED}/{name}")
    return problems


def check(root: Path) -> list[str]:
    """Regenerate into a temporary folder, ignoring the stamp; list what generated/ lacks."""
    with tempfile.TemporaryDirectory(prefix="campaign-codegen-") as scratch:
        render(root, Path(scratch, GENERATED))
        return diff_trees(Path(scratch, GENERATED), root / GENERATED)


def main(argv: Iterable[str] | None = None, root: Path = ROOT) -> int:
    parser = ArgumentParser(prog="python -m codegen.generate", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--force", action="store_true", help="regenerate even if up to date")
    mode.add_argument("--check", action="store_true", help="only compare with a fresh generation")
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        if args.check:
            problems = check(root)
            if problems:
                print(
                    "generated/ is out of date with openapi/, codegen/ or the pinned tools;"
                    " run `nox -s generate` and commit the result:",
                    *problems,
                    sep="\n  ",
                    file=sys.stderr,
                )
                return 1
            print("generated/ matches a fresh generation")
        else:
            print(generate(root, force=args.force))
    except GenerationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, InvalidDocument) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
