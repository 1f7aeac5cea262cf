"""Our forks of openapi-python-client's templates (codegen/templates/client/) each record the
upstream template and version they were forked from, with that template's sha256. When an
upgrade of the generator changes an upstream template, this lists the forks to re-check
(merge upstream's change, then record the new version and hash in the fork's first line)."""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORKS = ROOT / "codegen" / "templates" / "client"
PROVENANCE = re.compile(
    r"\A\{# fork of openapi-python-client (?P<version>\S+) templates/(?P<upstream>\S+)"
    r" sha256=(?P<sha256>[0-9a-f]{64})\n"
)


def test_every_fork_records_where_it_came_from() -> None:
    forks = sorted(FORKS.glob("*.jinja"))
    assert forks
    unrecorded = [fork.name for fork in forks if not PROVENANCE.match(fork.read_text("utf-8"))]
    assert not unrecorded, (
        f"{unrecorded} record no upstream: start each with"
        " '{# fork of openapi-python-client VERSION templates/NAME sha256=HEX'"
    )


def test_no_upstream_template_changed_under_a_fork() -> None:
    upstream = files("openapi_python_client") / "templates"
    installed = version("openapi-python-client")
    stale = []
    for fork in sorted(FORKS.glob("*.jinja")):
        recorded = PROVENANCE.match(fork.read_text("utf-8"))
        assert recorded, fork
        template = upstream / recorded["upstream"]
        now = hashlib.sha256(template.read_bytes()).hexdigest() if template.is_file() else None
        if now != recorded["sha256"]:
            stale.append(
                f"{fork.relative_to(ROOT)} (forked from {recorded['version']}'s"
                f" {recorded['upstream']}, {'changed' if now else 'gone'} in {installed})"
            )
    assert not stale, "re-check these forks against the installed upstream:\n" + "\n".join(stale)
