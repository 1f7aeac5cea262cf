"""MkDocs hook: what the pages say about the code is generated from it at build time.

A page writes `<!-- generated: NAME ARGUMENT... -->` where a part comes from the code; the
build (and tests/docs, which runs the pages' examples) puts the part there:

- `options COMMAND`: the command's `--help`, from its argparse parser (`build_parser()`);
- `sessions`: the nox sessions with their docstrings and tags (`nox -l --json`);
- `version PACKAGE [next-major]`: a document's `info.version` (`engage`, `intelsend`) or a
  generated package's version (`engage-client`, `intelsend-client`, `campaign-models`);
- `benchmarks NAME`: the figures `nox -s bench` wrote into docs/data/benchmarks.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # MkDocs loads this file by path: the project's modules
    sys.path.insert(0, str(ROOT))
BENCHMARKS = ROOT / "docs" / "data" / "benchmarks.json"
MARKER = re.compile(r"<!-- generated: ([a-z-]+)((?: [^ >]+)*) -->")
# Every command of the project and the module whose build_parser() makes its parser.
COMMANDS = {
    "campaign-sandbox": "campaign_contracts.sandbox.cli",
    "campaign-proxy": "campaign_contracts.proxy.cli",
    "python -m contract_tests": "contract_tests.cli",
    "python -m campaign_contracts.evidence": "campaign_contracts.evidence.__main__",
    "python -m campaign_contracts.evidence.parity": "campaign_contracts.evidence.parity",
    "python -m campaign_contracts.spec_changes": "campaign_contracts.spec_changes.__main__",
    "python -m campaign_contracts.documents": "campaign_contracts.documents.__main__",
}
# Wide enough that no option's line wraps differently from one terminal to the next.
HELP_COLUMNS = "100"
GENERATED_PACKAGES = {
    "engage-client": "generated/engage-client",
    "intelsend-client": "generated/intelsend-client",
    "campaign-models": "generated/models",
}


def parser_of(command: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = importlib.import_module(COMMANDS[command]).build_parser()
    return parser


def options(*words: str) -> str:
    command = " ".join(words)
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        text = parser_of(command).format_help()
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return f"```text\n$ {command} --help\n{text.rstrip()}\n```"


def nox_sessions(*selection: str) -> list[dict[str, Any]]:
    """`nox -l --json`: the sessions a bare `nox` runs, or those `selection` selects."""
    listing = subprocess.run(
        [sys.executable, "-m", "nox", "-l", "--json", "-f", str(ROOT / "noxfile.py"), *selection],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    sessions: list[dict[str, Any]] = json.loads(listing.stdout)
    return sessions


def sessions() -> str:
    main_job = {session["name"] for session in nox_sessions()}
    # A keyword no session has, negated: every session, not only the main job's.
    rows = [
        f"| `{session['name']}` | {session['description'] or ''} | "
        f"{', '.join(f'`{tag}`' for tag in session['tags'])} | "
        f"{'yes' if session['name'] in main_job else ''} |"
        for session in nox_sessions("-k", "not no_such_session")
    ]
    head = ["| session | what | tags | in a bare `nox` |", "| --- | --- | --- | --- |"]
    return "\n".join([*head, *rows])


def version(package: str, which: str = "") -> str:
    """The version now, or with `next-major` the one a breaking change must bump it to."""
    if package in GENERATED_PACKAGES:
        project = tomllib.loads((ROOT / GENERATED_PACKAGES[package] / "pyproject.toml").read_text())
        current = str(project["project"]["version"])
    else:
        path = ROOT / "openapi" / f"{package}.yaml"
        current = str(yaml.safe_load(path.read_text(encoding="utf-8"))["info"]["version"])
    if which == "next-major":
        return f"{int(current.split('.')[0]) + 1}.0.0"
    return current


def benchmarks(name: str) -> str:
    figures = json.loads(BENCHMARKS.read_text(encoding="utf-8")) if BENCHMARKS.exists() else {}
    if name not in figures:
        return f"*No figures yet: `nox -s bench` writes them (`{name}`).*"
    result = figures[name]
    head = [
        f"`{result['command']}` on {result['date']}, {result['machine']}.",
        "",
        "| " + " | ".join(result["columns"]) + " |",
        "| " + " | ".join("---" for _ in result["columns"]) + " |",
    ]
    rows = ["| " + " | ".join(str(cell) for cell in row) + " |" for row in result["rows"]]
    notes = [f"\n{note}" for note in result.get("notes", [])]
    return "\n".join([*head, *rows, *notes])


GENERATORS: dict[str, Callable[..., str]] = {
    "options": options,
    "sessions": sessions,
    "version": version,
    "benchmarks": benchmarks,
}


def render(markdown: str) -> str:
    """The page with every `<!-- generated: ... -->` replaced by what it names."""
    return MARKER.sub(lambda match: GENERATORS[match[1]](*match[2].split()), markdown)


def on_page_markdown(markdown: str, **_: object) -> str:
    return render(markdown)
