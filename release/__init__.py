"""Build the generated packages into dist/ and publish them: `nox -s build`, `nox -s publish`.

    python -m release build
    python -m release publish [--python-index URL [--python-check-url URL]]
                              [--npm-registry URL] [--dry-run]

`build` writes wheels and sdists (uv build) and npm tarballs (`npm pack`) into a fresh dist/,
and `dist/build.json`: the commit they were built from, whether the working tree had
uncommitted changes, and each file's SHA-256.

`publish` uploads them with the ecosystems' own tools, `uv publish` (credentials from
UV_PUBLISH_TOKEN, or UV_PUBLISH_USERNAME and UV_PUBLISH_PASSWORD) and `npm publish` (from
NPM_TOKEN), after refusing, with one line and exit 2, when generated/ is stale, when dist/ is
not what `nox -s build` made at this commit, or when it does not hold the documents'
versions. A file the index already has, byte for byte, is skipped with a line saying so (a
re-run of a release is safe); one it has with other bytes under the same version is an error
(exit 1) and nothing is uploaded. Credentials are read by the tools, never printed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from campaign_contracts.cli import ArgumentParser
from campaign_contracts.registry import APIS as REGISTRY
from codegen import ts_layer
from codegen.changelog import changes_section, models_changes_section
from codegen.generate import APIS, GENERATED, MODELS_PROJECT, is_up_to_date, models_version
from codegen.names import MODELS_DISTRIBUTION, NPM_SCOPE, client_distribution, npm_package

ROOT = Path(__file__).resolve().parent.parent
DIST = "dist"
RECORD = "build.json"
CONSTRAINTS = "requirements/constraints.txt"
TIMEOUT = 30


class Refused(Exception):
    """Publishing must not start: one line for the user (exit 2)."""


class PublishError(Exception):
    """An index or registry refused, or holds other bytes under the same version (exit 1)."""


@dataclass(frozen=True)
class Package:
    """One distribution to publish: its name there, its version and its files' names."""

    ecosystem: str  # "python" or "npm"
    name: str
    version: str
    files: tuple[str, ...]
    changes: str  # its README's Changes section, for the job summary


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Refused(f"{root} is not a git checkout: git {' '.join(args)} failed")
    return done.stdout.strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_packages(root: Path) -> list[Package]:
    """What dist/ must hold for the documents as they are: one entry per distribution."""
    versions = {api.name: REGISTRY[api.name].load(root / api.spec).version for api in APIS}
    python = [
        (client_distribution(api), version, changes_section(root, api, version))
        for api, version in versions.items()
    ]
    models = models_version(versions.values())
    python.append((MODELS_DISTRIBUTION, models, models_changes_section(root, versions)))
    packages = []
    for name, version, changes in python:
        # How wheels and sdists spell a name and version (PEP 625): engage_client-2.1.0.
        stem = f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}"
        files = (f"{stem}-py3-none-any.whl", f"{stem}.tar.gz")
        packages.append(Package("python", name, version, files, changes))
    for api in ts_layer.ts_apis(root):
        name, version = npm_package(api), versions[api]
        # npm pack's file name: the scope without its `@`, joined by `-`.
        tarball = f"{name.removeprefix('@').replace('/', '-')}-{version}.tgz"
        changes = changes_section(root, api, version)
        packages.append(Package("npm", name, version, (tarball,), changes))
    return packages


def built_files(dist: Path) -> list[Path]:
    """The packages in `dist` (not build.json, nor the .gitignore uv build puts there)."""
    return sorted(
        path for path in dist.iterdir() if path.name != RECORD and not path.name.startswith(".")
    )


# --- build -------------------------------------------------------------------------------


def build(root: Path) -> Path:
    """A fresh dist/ with every package and build.json; its path."""
    dist = root / DIST
    shutil.rmtree(dist, ignore_errors=True)
    uv = _tool("uv")
    # Both backends (hatchling, uv_build) write fixed archive times unless SOURCE_DATE_EPOCH
    # says otherwise: the same sources give the same bytes (tests/packaging checks it).
    projects = [f"{GENERATED}/{api.client_dir}" for api in APIS] + [f"{GENERATED}/{MODELS_PROJECT}"]
    for project in projects:
        done = subprocess.run(
            [uv, "build", f"--build-constraints={CONSTRAINTS}", f"--out-dir={DIST}", project],
            cwd=root,
            check=False,
        )
        if done.returncode != 0:
            raise PublishError(f"uv build {project} failed")
    # npm pack of generated/ts/*: built with tsc, fixed archive times (npm's own).
    try:
        for api in ts_layer.ts_apis(root):
            print(ts_layer.pack(root, api, dist))
    except ts_layer.ToolError as error:
        raise PublishError(str(error)) from None
    record = {
        "commit": _git(root, "rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git(root, "status", "--porcelain", "--untracked-files=no")),
        "files": {path.name: sha256(path) for path in built_files(dist)},
    }
    (dist / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return dist


# --- publish: what may be published ------------------------------------------------------


def check_dist(root: Path) -> list[Package]:
    """The packages to publish, once dist/ proved to be this commit's build of them."""
    dist = root / DIST
    if not is_up_to_date(root):
        raise Refused(
            "generated/ is stale (openapi/, codegen/ or the lock changed since it was"
            " generated): run nox -s generate, commit, then nox -s build"
        )
    record_file = dist / RECORD
    if not record_file.is_file():
        raise Refused(f"{DIST}/{RECORD} missing: run nox -s build first")
    record = json.loads(record_file.read_text(encoding="utf-8"))
    head = _git(root, "rev-parse", "HEAD")
    if record["commit"] != head:
        raise Refused(
            f"{DIST}/ was built from commit {record['commit'][:12]}, not HEAD {head[:12]}:"
            " run nox -s build"
        )
    if record["uncommitted_changes"]:
        raise Refused(
            f"{DIST}/ was built from uncommitted changes: commit them, then run nox -s build"
        )
    found = {path.name: path for path in built_files(dist)}
    changed = sorted(
        name
        for name in found.keys() | record["files"].keys()
        if name not in found or record["files"].get(name) != sha256(found[name])
    )
    if changed:
        raise Refused(f"{DIST}/ changed since nox -s build ({', '.join(changed)}): run it again")
    packages = expected_packages(root)
    wanted = {name for package in packages for name in package.files}
    if wanted != found.keys():
        missing = ", ".join(sorted(wanted - found.keys())) or "none"
        unexpected = ", ".join(sorted(found.keys() - wanted)) or "none"
        raise Refused(
            f"{DIST}/ does not hold the documents' versions (missing: {missing};"
            f" unexpected: {unexpected}): run nox -s build"
        )
    return packages


# --- publish: the index and the registry ---------------------------------------------------


class _Links(HTMLParser):
    """The file links of a simple-index page (PEP 503): file name -> the sha256 of its URL's
    fragment ("" when the index gives none)."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            url, _, fragment = href.partition("#")
            name = urllib.parse.unquote(url.rsplit("/", 1)[-1])
            self.files[name] = fragment.removeprefix("sha256=")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # An index that sends names it lacks elsewhere (pypiserver's fallback to PyPI) does not
    # hold them: what another index holds is no reason to skip an upload.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass(frozen=True)
class PythonIndex:
    """A PyPI-compatible index: uploads to `url` with `uv publish`, reads `check_url`'s
    simple pages (PEP 503) to see what it has."""

    url: str
    check_url: str
    ecosystem = "python"

    def published(self, package: Package) -> dict[str, str]:
        """The index's files of `package`'s distribution, with their SHA-256."""
        name = re.sub(r"[-_.]+", "-", package.name).lower()
        page = urllib.parse.urljoin(self.check_url, f"{name}/")
        request = urllib.request.Request(page, headers={"Accept": "text/html"})
        # A private index may want the upload credentials for reading too (uv's variables).
        token = os.environ.get("UV_PUBLISH_TOKEN")
        user = "__token__" if token else os.environ.get("UV_PUBLISH_USERNAME")
        password = token or os.environ.get("UV_PUBLISH_PASSWORD")
        if user and password:
            basic = base64.b64encode(f"{user}:{password}".encode()).decode()
            request.add_header("Authorization", f"Basic {basic}")
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=TIMEOUT) as answer:
                links = _Links()
                links.feed(answer.read().decode("utf-8", "replace"))
                return links.files
        except urllib.error.HTTPError as error:
            if error.code == 404 or 300 <= error.code < 400:  # noqa: PLR2004
                return {}
            raise PublishError(f"{page} answered {error.code}") from None
        except OSError as error:
            raise PublishError(f"cannot reach {page}: {getattr(error, 'reason', error)}") from None

    @staticmethod
    def digest(path: Path) -> str:
        return sha256(path)

    def upload(self, path: Path) -> None:
        # uv reads UV_PUBLISH_TOKEN or UV_PUBLISH_USERNAME/PASSWORD itself.
        command = [_tool("uv"), "publish", "--publish-url", self.url, "--check-url", self.check_url]
        if subprocess.run([*command, str(path)], check=False).returncode != 0:
            raise PublishError(f"uv publish of {path.name} to {self.url} failed")


@dataclass(frozen=True)
class NpmRegistry:
    """An npm registry: `npm view` says what it has, `npm publish` uploads; the scope is
    mapped to it and its token read from NPM_TOKEN by npm itself, through a config file of
    the run's own in which `${NPM_TOKEN}` stays a reference (the token is written nowhere)."""

    url: str
    userconfig: Path
    ecosystem = "npm"

    @classmethod
    def create(cls, url: str, folder: Path) -> NpmRegistry:
        url = url.rstrip("/") + "/"
        lines = [f"registry={url}", f"{NPM_SCOPE}:registry={url}"]
        if os.environ.get("NPM_TOKEN"):
            lines.append(f"//{url.split('://', 1)[-1]}:_authToken=${{NPM_TOKEN}}")
        userconfig = folder / ".npmrc"
        userconfig.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return cls(url, userconfig)

    def npm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ts_layer.tool("npm"), *args, f"--userconfig={self.userconfig}", "--loglevel=error"],
            cwd=self.userconfig.parent,  # no project .npmrc of the working tree
            capture_output=True,
            text=True,
            check=False,
        )

    @staticmethod
    def problem(done: subprocess.CompletedProcess[str]) -> str:
        """npm's one line that says what went wrong, of the many it prints."""
        lines = [line.removeprefix("npm error ").strip() for line in done.stderr.splitlines()]
        noise = ("code ", "syscall ", "errno ", "at ", "A complete log")
        useful = [line for line in lines if line and not line.startswith(noise)]
        return useful[0] if useful else f"exit {done.returncode}"

    def published(self, package: Package) -> dict[str, str]:
        done = self.npm("view", f"{package.name}@{package.version}", "dist.integrity", "--json")
        if done.returncode != 0 and "E404" not in done.stdout + done.stderr:
            raise PublishError(
                f"npm view {package.name} on {self.url} failed: {self.problem(done)}"
            )
        # Nothing printed: the registry knows the package, not that version.
        if done.returncode != 0 or not done.stdout.strip():
            return {}
        [tarball] = package.files
        return {tarball: str(json.loads(done.stdout))}

    @staticmethod
    def digest(path: Path) -> str:
        """The `dist.integrity` a registry gives the tarball at `path`."""
        return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()

    def upload(self, path: Path) -> None:
        done = self.npm("publish", str(path), f"--registry={self.url}")
        if done.returncode != 0:
            raise PublishError(
                f"npm publish of {path.name} to {self.url} failed: {self.problem(done)}"
            )


def _tool(name: str) -> str:
    """`name` from this interpreter's folder (the session's virtualenv) or PATH."""
    found = shutil.which(name, path=ts_layer._path())
    if found is None:
        raise PublishError(f"{name} not found: nox -s build and nox -s publish install it")
    return found


def publish(
    root: Path, targets: Sequence[PythonIndex | NpmRegistry], *, dry_run: bool
) -> list[str]:
    """Publish dist/ to `targets`; one line per file, of what was done."""
    packages = check_dist(root)
    dist = root / DIST
    uploads: list[tuple[PythonIndex | NpmRegistry, Path]] = []
    lines: list[str] = []
    conflicts: list[str] = []
    for target in targets:
        for package in packages:
            if package.ecosystem != target.ecosystem:
                continue
            there = target.published(package)
            for name in package.files:
                if name not in there:
                    uploads.append((target, dist / name))
                elif there[name] in ("", target.digest(dist / name)):
                    lines.append(f"skipped {name}: {target.url} already has it, identical")
                else:
                    conflicts.append(f"{name} ({target.url})")
    # Before any upload: a release is all of it or nothing new.
    if conflicts:
        raise PublishError(
            f"already published with other contents: {', '.join(conflicts)}; a published"
            " version cannot change, bump info.version of its document instead"
        )
    for line in lines:
        print(line, flush=True)
    for target, path in uploads:
        if dry_run:
            lines.append(f"would upload {path.name} to {target.url}")
        else:
            target.upload(path)
            lines.append(f"uploaded {path.name} to {target.url}")
        print(lines[-1], flush=True)
    return lines


def summary(root: Path, lines: Sequence[str]) -> str:
    """The job summary of a release: what was done, then each package's changes, its
    README's section one heading level down."""
    done = "".join(f"- {line}\n" for line in lines)
    changes = "".join(
        f"\n### {package.name} {package.version}\n"
        + re.sub(
            r"^(#{3,}) ", r"#\1 ", package.changes.replace("\n## Changes\n", "", 1), flags=re.M
        )
        for package in expected_packages(root)
    )
    return f"## Release\n\n{done}{changes}"


def main(argv: Sequence[str] | None = None, root: Path = ROOT) -> int:
    parser = ArgumentParser(prog="python -m release", name="release", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build every package into a fresh dist/")
    publishing = commands.add_parser("publish", help="publish dist/")
    publishing.add_argument(
        "--python-index", metavar="URL", help="upload URL of a PyPI-compatible index"
    )
    publishing.add_argument(
        "--python-check-url",
        metavar="URL",
        help="its simple index, to see what it has (default: the upload URL + simple/)",
    )
    publishing.add_argument("--npm-registry", metavar="URL", help="URL of an npm registry")
    publishing.add_argument("--dry-run", action="store_true", help="say what would be uploaded")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(root)
            return 0
        if not (args.python_index or args.npm_registry):
            parser.error("say where: --python-index URL, --npm-registry URL, or both")
        with tempfile.TemporaryDirectory(prefix="campaign-publish-") as scratch:
            targets: list[PythonIndex | NpmRegistry] = []
            if args.python_index:
                index = args.python_index.rstrip("/") + "/"
                targets.append(PythonIndex(index, args.python_check_url or index + "simple/"))
            if args.npm_registry:
                targets.append(NpmRegistry.create(args.npm_registry, Path(scratch)))
            lines = publish(root, targets, dry_run=args.dry_run)
        if summary_file := os.environ.get("GITHUB_STEP_SUMMARY"):
            with Path(summary_file).open("a", encoding="utf-8") as file:
                file.write(summary(root, lines))
    except Refused as error:
        print(f"publish: refused: {error}", file=sys.stderr)
        return 2
    except PublishError as error:
        print(f"{args.command}: error: {error}", file=sys.stderr)
        return 1
    return 0
