"""JUnit XML per API, a Markdown summary and the console summary, all free of credentials.

Schemathesis masks known credential headers in its curl samples, but a target may echo a
token in a body or a header under another name; so every text this module writes goes through
`Redactor`, which replaces the run's credential values wherever they occur.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from contract_tests.results import ApiResult, OperationResult

REDACTED = "[redacted]"
# A shorter value (a user id `42`) is masked only where it stands alone, not inside a longer
# word or number (the 42 of `429`); a longer one wherever it occurs.
MIN_SECRET_LENGTH = 4
XML_ATTRIBUTE_ENTITIES = {'"': "&quot;"}


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        # Each secret as it may appear: raw, escaped in XML, percent-encoded in a URL.
        forms = {
            form
            for secret in secrets
            if secret
            for form in (secret, escape(secret, XML_ATTRIBUTE_ENTITIES), quote(secret, safe=""))
        }
        # Longest first, so a secret containing another is masked whole.
        patterns = [
            re.escape(form)
            if len(form) >= MIN_SECRET_LENGTH
            else rf"(?<![0-9A-Za-z]){re.escape(form)}(?![0-9A-Za-z])"
            for form in sorted(forms, key=len, reverse=True)
        ]
        self.pattern = re.compile("|".join(patterns)) if patterns else None

    def __call__(self, text: str) -> str:
        return self.pattern.sub(REDACTED, text) if self.pattern else text


def status_codes(codes: Iterable[int]) -> str:
    return ", ".join(str(code) for code in sorted(codes)) or "-"


def coverage_cell(operation: OperationResult) -> str:
    """Documented codes, each marked: plain when generated traffic saw it, `*` when only fault
    injection produced it, `!` when nothing did."""
    marks = []
    for code in operation.documented:
        if code in operation.observed:
            marks.append(str(code))
        elif code in operation.injected:
            marks.append(f"{code}*")
        else:
            marks.append(f"{code}!")
    return " ".join(marks)


def undocumented(operation: OperationResult) -> list[int]:
    return [code for code in operation.observed if code not in operation.documented]


def operation_rows(result: ApiResult) -> list[list[str]]:
    return [
        [
            f"{operation.label} ({operation.operation_id})",
            str(operation.cases),
            ", ".join(sorted({finding.check for finding in operation.findings.values()})) or "-",
            status_codes(operation.observed),
            coverage_cell(operation),
        ]
        for operation in result.operations.values()
    ]


HEADERS = ["operation", "cases", "failed checks", "status codes seen", "documented (coverage)"]
LEGEND = "documented codes: `*` produced only by fault injection, `!` never seen"


def console_summary(result: ApiResult) -> str:
    rows = [HEADERS, *operation_rows(result)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]
    lines = [f"== {result.api}: {result.cases} cases in {result.elapsed:.1f} s =="]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.append(LEGEND.replace("`", ""))
    for operation in result.operations.values():
        for finding in operation.findings.values():
            lines.append(f"FAILED {operation.label}: {finding.check} - {finding.title}")
        lines += [f"ERROR {operation.label}: {error}" for error in operation.errors]
    lines += [f"ERROR {result.api}: {error}" for error in result.errors]
    for rule in result.rules:
        verdict = "FAILED" if rule.failure else "ERROR" if rule.error else "ok"
        lines.append(f"rule {verdict}: {rule.name}")
        if rule.failure or rule.error:
            lines.append("    " + (rule.failure or rule.error or "").replace("\n", "\n    "))
    lines += [f"not run: {label}" for label in result.excluded]
    lines += [f"rule not run: {name}" for name in result.excluded_rules]
    return "\n".join(lines)


def markdown_summary(results: list[ApiResult], verdict: str) -> str:
    lines = ["## Contract verification", "", verdict, ""]
    for result in results:
        lines += [f"### {result.api}: {result.cases} cases in {result.elapsed:.1f} s", ""]
        lines += ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(row) + " |" for row in operation_rows(result)]
        lines += ["", LEGEND, ""]
        if result.rules:
            lines += ["| business rule | result |", "|---|---|"]
            for rule in result.rules:
                outcome = "failed" if rule.failure else "error" if rule.error else "kept"
                lines.append(f"| {rule.name} | {outcome} |")
            lines.append("")
        if not_run := [*result.excluded, *(f"rule: {n}" for n in result.excluded_rules)]:
            lines += [f"Not run (policy): {', '.join(not_run)}", ""]
        for operation in result.operations.values():
            for finding in operation.findings.values():
                lines += [
                    f"<details><summary>{operation.label}: {finding.check}</summary>",
                    "",
                    "```",
                    finding.describe(),
                    "```",
                    "</details>",
                    "",
                ]
    return "\n".join(lines) + "\n"


def junit_xml(result: ApiResult) -> ET.ElementTree[ET.Element]:
    """One test case per operation and per business rule (classnames `<api>.operations` and
    `<api>.rules`); a failure names each failing check with a request and a response."""
    suite = ET.Element("testsuite", name=f"contract.{result.api}", time=f"{result.elapsed:.3f}")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for operation in result.operations.values():
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{result.api}.operations",
            name=f"{operation.label} ({operation.operation_id})",
            time=f"{operation.elapsed:.3f}",
        )
        counts["tests"] += 1
        if operation.findings:
            checks = sorted({finding.check for finding in operation.findings.values()})
            failure = ET.SubElement(
                case,
                "failure",
                type=",".join(checks),
                message=f"failed checks: {', '.join(checks)}",
            )
            failure.text = "\n\n".join(
                finding.describe() for finding in operation.findings.values()
            )
            counts["failures"] += 1
        elif operation.errors:
            ET.SubElement(case, "error", message=operation.errors[0]).text = "\n".join(
                operation.errors
            )
            counts["errors"] += 1
        ET.SubElement(case, "system-out").text = (
            f"cases: {operation.cases}\nstatus codes seen: {status_codes(operation.observed)}\n"
            f"documented (coverage): {coverage_cell(operation)}\n"
        )
    for rule in result.rules:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{result.api}.rules",
            name=rule.name,
            time=f"{rule.elapsed:.3f}",
        )
        counts["tests"] += 1
        if rule.failure:
            ET.SubElement(case, "failure", message=rule.failure.splitlines()[0]).text = rule.failure
            counts["failures"] += 1
        elif rule.error:
            ET.SubElement(case, "error", message=rule.error.splitlines()[0]).text = rule.error
            counts["errors"] += 1
    not_run = [("operations", label) for label in result.excluded]
    not_run += [("rules", name) for name in result.excluded_rules]
    for group, label in not_run:
        case = ET.SubElement(suite, "testcase", classname=f"{result.api}.{group}", name=label)
        ET.SubElement(
            case, "skipped", message=f"not run: the run's policy forbids this {group[:-1]}"
        )
        counts["tests"] += 1
        counts["skipped"] += 1
    if result.errors:
        case = ET.SubElement(suite, "testcase", classname=f"{result.api}.run", name="run")
        ET.SubElement(case, "error", message=result.errors[0]).text = "\n".join(result.errors)
        counts["tests"] += 1
        counts["errors"] += 1
    for key, value in counts.items():
        suite.set(key, str(value))
    root = ET.Element("testsuites", name="contract")
    root.append(suite)
    return ET.ElementTree(root)


def write_reports(
    results: list[ApiResult],
    report_dir: Path,
    verdict: str,
    redact: Redactor,
    stale: Iterable[str] = (),
) -> list[Path]:
    """Write each result's JUnit file and the summary; remove the JUnit files of the `stale`
    APIs that have no result, left by an earlier run."""
    report_dir.mkdir(parents=True, exist_ok=True)
    for api in set(stale) - {result.api for result in results}:
        (report_dir / f"{api}.xml").unlink(missing_ok=True)
    written = []
    for result in results:
        tree = junit_xml(result)
        ET.indent(tree)
        text = ET.tostring(tree.getroot(), encoding="unicode", xml_declaration=True)
        path = report_dir / f"{result.api}.xml"
        path.write_text(redact(text) + "\n", encoding="utf-8")
        written.append(path)
    summary = redact(markdown_summary(results, verdict))
    path = report_dir / "summary.md"
    path.write_text(summary, encoding="utf-8")
    written.append(path)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as file:
            file.write(summary)
    return written
