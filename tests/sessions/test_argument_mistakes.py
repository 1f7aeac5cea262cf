"""Every command of the project answers a flag or argument mistake with one line and exit 2.

Each command runs as a real process, as a user would type it, from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANDBOX = ("-m", "campaign_contracts.sandbox.cli")
CHANGES = ("-m", "campaign_contracts.spec_changes")
CONTRACT = ("-m", "contract_tests")
GENERATE = ("-m", "codegen.generate")
EVIDENCE = ("-m", "campaign_contracts.evidence")
PARITY = ("-m", "campaign_contracts.evidence.parity")
# The command, its arguments, what its one line says.
MISTAKES = {
    "sandbox: port too high": (
        SANDBOX,
        ["--port", "99999"],
        "campaign-sandbox: error: argument --port: 99999 is not a port number (0 to 65535)",
    ),
    "sandbox: negative port": (
        SANDBOX,
        ["--port", "-5"],
        "campaign-sandbox: error: argument --port: -5 is not a port number (0 to 65535)",
    ),
    "sandbox: port not a number": (
        SANDBOX,
        ["--port", "http"],
        "campaign-sandbox: error: argument --port: 'http' is not a port number",
    ),
    "sandbox: unknown flag": (SANDBOX, ["--verbose"], "unrecognized arguments: --verbose"),
    "sandbox: unknown host": (
        SANDBOX,
        ["--host", "no-such-host.invalid", "--port", "0", "--control-token", "t"],
        "campaign-sandbox: cannot listen on no-such-host.invalid:0:",
    ),
    "sandbox: seed not a number": (SANDBOX, ["--seed", "abc"], "argument --seed"),
    "changes: unknown flag": (CHANGES, ["--since", "main"], "unrecognized arguments: --since"),
    "changes: two revisions": (CHANGES, ["main", "HEAD"], "unrecognized arguments: HEAD"),
    "changes: no such root": (CHANGES, ["--root", "/no/such/folder"], "--root /no/such/folder"),
    "changes: reports not writable": (
        CHANGES,
        ["HEAD", "--reports", "README.md"],
        "changes: error: cannot write README.md",
    ),
    "contract: zero rate": (
        CONTRACT,
        ["--rate-limit", "0/s"],
        "argument --rate-limit: 0/s: the number of requests must be at least 1",
    ),
    "contract: rate not a rate": (CONTRACT, ["--rate-limit", "fast"], "argument --rate-limit"),
    "contract: unknown api": (CONTRACT, ["--api", "both"], "argument --api: invalid choice"),
    "generate: both modes": (
        GENERATE,
        ["--force", "--check"],
        "argument --check: not allowed with argument --force",
    ),
    "generate: unknown flag": (GENERATE, ["--dry-run"], "unrecognized arguments: --dry-run"),
    "evidence: no recording": (EVIDENCE, [], "the following arguments are required: FILE.har"),
    "evidence: unknown gate": (
        EVIDENCE,
        ["--fail-on", "anything", "x.har"],
        "argument --fail-on: invalid choice: 'anything'",
    ),
    "parity: ratio above 1": (
        PARITY,
        ["--min-parity", "95", "x.har"],
        "argument --min-parity: 95 is not between 0 and 1",
    ),
    "parity: unreachable target": (
        PARITY,
        ["--base-url", "http://127.0.0.1:9", "tests/data/evidence/empty.har"],
        "parity: cannot reach http://127.0.0.1:9: ConnectError",
    ),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_a_mistake_is_one_line_and_exit_2(case: str) -> None:
    command, arguments, message = MISTAKES[case]
    run = subprocess.run(
        [sys.executable, *command, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stdout) == (2, ""), run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert message in run.stderr
