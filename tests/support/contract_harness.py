"""Running the contract suite in-process against a broken sandbox, and reading its reports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from contract_tests.apis import APIS
from contract_tests.rules import Needs
from tests.support.stand_in_vendor import RequestRewrite, Rewrite, Tamper


@dataclass(frozen=True)
class Verdict:
    """Which checks (or rules) failed, per JUnit test case name."""

    exit_code: int
    failures: dict[str, str]
    output: str
    # findings.json's list of findings.
    findings: list[dict[str, Any]]

    def kinds(self) -> dict[str, str]:
        """check (or `business rule: <rule>`) -> kind, for every finding."""
        return {
            (f["check"] if f["rule"] is None else f"business rule: {f['rule']}"): f["kind"]
            for f in self.findings
        }


def read_junit(report_dir: Path) -> dict[str, str]:
    """Test case name -> the `type` of its failure (failed checks) or its message (rules)."""
    failures = {}
    for report in report_dir.glob("*.xml"):
        for case in ET.parse(report).getroot().iter("testcase"):
            failure = case.find("failure")
            if failure is not None:
                failures[case.attrib["name"]] = failure.attrib.get("type", "rule")
    return failures


def run_against_variant(
    api: str,
    rewrite: Rewrite,
    rewrite_request: RequestRewrite,
    report_dir: Path,
    *,
    strict: bool = True,
) -> Verdict:
    """Run the contract suite, with everything allowed and few examples, against the sandbox
    behind `Tamper`: Schemathesis calls the app in-process (fast), the business rules reach
    the same app, and so the same state, over loopback HTTP. Strict, as a sandbox run is,
    unless told otherwise."""
    app = Tamper(create_app(), rewrite=rewrite, rewrite_request=rewrite_request)
    args = cli.parse_args(["--max-examples", "3", "--report-dir", str(report_dir)])
    lines: list[str] = []
    with serve_in_thread(app) as base_url:
        target = cli.Target(
            base_url=base_url,
            credentials=cli.SANDBOX_CREDENTIALS,
            allowed=Needs.SEND,
            rate_limit=None,
            is_sandbox=False,
            strict=strict,
            app=app,
        )
        code = cli.run(args, target, [APIS[api]], lines.append)
    findings = json.loads((report_dir / "findings.json").read_text(encoding="utf-8"))["findings"]
    return Verdict(code, read_junit(report_dir), "\n".join(lines), findings)
