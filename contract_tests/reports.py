"""JUnit XML per API, a Markdown summary and the console summary, all free of credentials.

Schemathesis masks known credential headers in its curl samples, but a target may echo a
token in a body or a header under another name; so every text this module writes goes through
`Redactor`, which replaces the run's credential values wherever they occur.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from campaign_contracts.recording.sanitize import MIN_SECRET_LENGTH
from contract_tests.results import (
    ApiResult,
    Finding,
    Kind,
    OperationResult,
    RuleResult,
    failing_kinds,
)

REDACTED = "[redacted]"
XML_ATTRIBUTE_ENTITIES = {'"': "&quot;"}
SUMMARY = "summary.md"
FINDINGS = "findings.json"


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


def failed_checks(findings: Iterable[Finding]) -> list[str]:
    """Each failed check once, with its kind: `negative_data_rejection (lenient)`."""
    return sorted({f"{finding.check} ({finding.kind})" for finding in findings})


def operation_rows(result: ApiResult) -> list[list[str]]:
    return [
        [
            f"{operation.label} ({operation.operation_id})",
            str(operation.cases),
            ", ".join(failed_checks(operation.findings.values())) or "-",
            status_codes(operation.observed),
            coverage_cell(operation),
        ]
        for operation in result.operations.values()
    ]


def one_line(text: str, limit: int = 300) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class Listed:
    """One finding of an operation or a rule, as every report lists it."""

    api: str
    operation_id: str | None
    rule: str | None
    check: str
    kind: Kind
    message: str
    request: str
    fails: bool
    assumed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "operationId": self.operation_id,
            "rule": self.rule,
            "check": self.check,
            "kind": str(self.kind),
            "message": self.message,
            "request": self.request,
            "failsTheRun": self.fails,
            "assumed": list(self.assumed),
        }


def listed_findings(result: ApiResult, *, strict: bool) -> Iterator[Listed]:
    failing = failing_kinds(strict=strict)
    for operation in result.operations.values():
        for finding in operation.findings.values():
            yield Listed(
                api=result.api,
                operation_id=operation.operation_id,
                rule=None,
                check=finding.check,
                kind=finding.kind,
                message=one_line(f"{finding.title}: {finding.message}"),
                request=finding.request,
                fails=finding.kind in failing,
                assumed=finding.assumed,
            )
    for rule in result.rules:
        if rule.failure:
            yield Listed(
                api=result.api,
                operation_id=None,
                rule=rule.name,
                check="business rule",
                kind=rule.kind,
                message=one_line(rule.failure),
                request=rule.request,
                fails=rule.kind in failing,
                assumed=rule.assumed,
            )


def not_failing_note(kind: Kind) -> str:
    return f"{kind}; fails the run only with --strict"


HEADERS = ["operation", "cases", "failed checks", "status codes seen", "documented (coverage)"]
LEGEND = "documented codes: `*` produced only by fault injection, `!` never seen"


# How every report says what an assumption finding asks for.
ASSUMPTION_NOTE = "the document's assumption; fix the document"


def rule_verdict(rule: RuleResult) -> str:
    """`ok`, `ERROR`, `FAILED (breaking)` or `ASSUMPTION` (the document assumed otherwise)."""
    if rule.failure:
        return "ASSUMPTION" if rule.kind == Kind.ASSUMPTION else f"FAILED ({rule.kind})"
    return "ERROR" if rule.error else "ok"


def console_summary(result: ApiResult, *, strict: bool) -> str:
    rows = [HEADERS, *operation_rows(result)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]
    lines = [f"== {result.api}: {result.cases} cases in {result.elapsed:.1f} s =="]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.append(LEGEND.replace("`", ""))
    if result.retried:
        lines.append(f"weather: {result.retried}")
    failing = failing_kinds(strict=strict)
    for operation in result.operations.values():
        for finding in operation.findings.values():
            if finding.kind == Kind.ASSUMPTION:
                lines.append(
                    f"ASSUMPTION {operation.label}: {finding.check} - {finding.title} "
                    f"({ASSUMPTION_NOTE}: {', '.join(finding.assumed)})"
                )
            elif finding.kind in failing:
                lines.append(
                    f"FAILED {operation.label}: {finding.check} - {finding.title} ({finding.kind})"
                )
            else:
                lines.append(
                    f"FOUND {operation.label}: {finding.check} - {finding.title} "
                    f"({not_failing_note(finding.kind)})"
                )
        lines += [f"ERROR {operation.label}: {error}" for error in operation.errors]
    lines += [f"ERROR {result.api}: {error}" for error in result.errors]
    for rule in result.rules:
        if rule.not_run:
            lines.append(f"rule not run: {rule.name}: {rule.not_run}")
            continue
        verdict = rule_verdict(rule)
        lines.append(f"rule {verdict}: {rule.name}")
        if rule.failure or rule.error:
            lines.append("    " + (rule.failure or rule.error or "").replace("\n", "\n    "))
    lines += [f"not run: {label}" for label in result.excluded]
    lines += [f"rule not run: {name}" for name in result.excluded_rules]
    return "\n".join(lines)


@dataclass(frozen=True)
class RunOutcome:
    """What every report says of the run as a whole."""

    verdict: str
    strict: bool
    # Why the run could not complete (exit 2), if it could not.
    reason: str | None = None
    # The APIs the run was to verify: those without a result get the reason in their JUnit.
    apis: tuple[str, ...] = ()
    # The sandbox or the base URL, the seed and the options that shaped the run.
    target: str = ""
    seed: int | None = None
    options: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """What was run, with what: the lines summary.md gives under the verdict."""
        lines = []
        if self.target:
            lines.append(f"Target: {self.target}")
        if self.seed is not None:
            lines.append(f"Seed: {self.seed} (`--seed {self.seed}` repeats this run)")
        if self.options:
            lines.append(f"Options: {', '.join(f'`{option}`' for option in self.options)}")
        return lines


def markdown_summary(results: list[ApiResult], outcome: RunOutcome) -> str:
    lines = ["## Contract verification", "", outcome.verdict, ""]
    if described := outcome.describe():
        lines += [f"{line}  " for line in described[:-1]] + [described[-1], ""]
    for result in results:
        lines += [f"### {result.api}: {result.cases} cases in {result.elapsed:.1f} s", ""]
        lines += ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(row) + " |" for row in operation_rows(result)]
        lines += ["", LEGEND, ""]
        if result.retried:
            lines += [f"Weather: {result.retried}.", ""]
        if result.rules:
            lines += ["| business rule | result |", "|---|---|"]
            for rule in result.rules:
                outcome_cell = (
                    f"not run: {rule.not_run}"
                    if rule.not_run
                    else f"{ASSUMPTION_NOTE}: {', '.join(rule.assumed)}"
                    if rule.kind == Kind.ASSUMPTION and rule.failure
                    else f"failed ({rule.kind})"
                    if rule.failure
                    else "error"
                    if rule.error
                    else "kept"
                )
                lines.append(f"| {rule.name} | {outcome_cell} |")
            lines.append("")
        if not_run := [*result.excluded, *(f"rule: {n}" for n in result.excluded_rules)]:
            lines += [f"Not run (policy): {', '.join(not_run)}", ""]
        failing = failing_kinds(strict=outcome.strict)
        assumed = [
            (operation, finding)
            for operation in result.operations.values()
            for finding in operation.findings.values()
            if finding.kind == Kind.ASSUMPTION
        ]
        if assumed:
            lines += [
                "#### Assumptions the vendor contradicts: fix the document (`nox -s evidence`)",
                "",
                "| operation | check | assumed |",
                "|---|---|---|",
            ]
            lines += [
                f"| {operation.label} | {finding.check} | {', '.join(finding.assumed)} |"
                for operation, finding in assumed
            ]
            lines.append("")
        for operation in result.operations.values():
            for finding in operation.findings.values():
                note = finding.kind if finding.kind in failing else not_failing_note(finding.kind)
                lines += [
                    f"<details><summary>{operation.label}: {finding.check} ({note})</summary>",
                    "",
                    "```",
                    finding.describe(),
                    "```",
                    "</details>",
                    "",
                ]
    return "\n".join(lines) + "\n"


def junit_xml(result: ApiResult, *, strict: bool) -> ET.ElementTree[ET.Element]:
    """One test case per operation and per business rule (classnames `<api>.operations` and
    `<api>.rules`); a failure names each failing check, with its kind, a request and a
    response. Findings that do not fail the run (lenient ones without --strict) are listed in
    the case's output instead."""
    suite = ET.Element("testsuite", name=f"contract.{result.api}", time=f"{result.elapsed:.3f}")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    failing = failing_kinds(strict=strict)
    for operation in result.operations.values():
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{result.api}.operations",
            name=f"{operation.label} ({operation.operation_id})",
            time=f"{operation.elapsed:.3f}",
        )
        counts["tests"] += 1
        failures = [f for f in operation.findings.values() if f.kind in failing]
        others = [f for f in operation.findings.values() if f.kind not in failing]
        if failures:
            checks = sorted({finding.check for finding in failures})
            failure = ET.SubElement(
                case,
                "failure",
                type=",".join(checks),
                message=f"failed checks: {', '.join(failed_checks(failures))}",
            )
            failure.text = "\n\n".join(f"[{f.kind}] {f.describe()}" for f in failures)
            counts["failures"] += 1
        elif operation.errors:
            ET.SubElement(case, "error", message=operation.errors[0]).text = "\n".join(
                operation.errors
            )
            counts["errors"] += 1
        output = (
            f"cases: {operation.cases}\nstatus codes seen: {status_codes(operation.observed)}\n"
            f"documented (coverage): {coverage_cell(operation)}\n"
        )
        for finding in others:
            output += f"\n[{not_failing_note(finding.kind)}] {finding.describe()}\n"
        ET.SubElement(case, "system-out").text = output
    for rule in result.rules:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{result.api}.rules",
            name=rule.name,
            time=f"{rule.elapsed:.3f}",
        )
        counts["tests"] += 1
        if rule.not_run:
            ET.SubElement(case, "skipped", message=f"not run: {rule.not_run}")
            counts["skipped"] += 1
        elif rule.failure:
            ET.SubElement(
                case, "failure", message=f"[{rule.kind}] {rule.failure.splitlines()[0]}"
            ).text = rule.failure
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
        run_error(suite, result.api, result.errors, counts)
    return tree_of(suite, counts)


def run_error(suite: ET.Element, api: str, errors: list[str], counts: dict[str, int]) -> None:
    case = ET.SubElement(suite, "testcase", classname=f"{api}.run", name="run")
    ET.SubElement(case, "error", message=errors[0]).text = "\n".join(errors)
    counts["tests"] += 1
    counts["errors"] += 1


def tree_of(suite: ET.Element, counts: dict[str, int]) -> ET.ElementTree[ET.Element]:
    for key, value in counts.items():
        suite.set(key, str(value))
    root = ET.Element("testsuites", name="contract")
    root.append(suite)
    return ET.ElementTree(root)


def not_verified_junit(api: str, reason: str) -> ET.ElementTree[ET.Element]:
    """The JUnit file of an API the run could not verify: one errored case with the reason."""
    suite = ET.Element("testsuite", name=f"contract.{api}", time="0.000")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    run_error(suite, api, [f"not verified: {reason}"], counts)
    return tree_of(suite, counts)


def forget_stale_reports(report_dir: Path, apis: Iterable[str]) -> None:
    """Remove what an earlier run wrote: summary.md, findings.json and the JUnit of `apis`."""
    for path in [SUMMARY, FINDINGS, *(f"{api}.xml" for api in apis)]:
        (report_dir / path).unlink(missing_ok=True)


def write_reports(
    results: list[ApiResult],
    report_dir: Path,
    outcome: RunOutcome,
    redact: Redactor,
    stale: Iterable[str] = (),
) -> list[Path]:
    """Write each API's JUnit file, `findings.json` and `summary.md`. An API of the run
    without a result gets a JUnit file with the reason the run stopped; the JUnit files of
    the other `stale` APIs, left by an earlier run, are removed."""
    report_dir.mkdir(parents=True, exist_ok=True)
    with_result = {result.api for result in results}
    unfinished = [api for api in outcome.apis if api not in with_result] if outcome.reason else []
    for api in set(stale) - with_result - set(unfinished):
        (report_dir / f"{api}.xml").unlink(missing_ok=True)
    trees = [(result.api, junit_xml(result, strict=outcome.strict)) for result in results]
    trees += [(api, not_verified_junit(api, outcome.reason or "")) for api in unfinished]
    written = []
    for api, tree in trees:
        ET.indent(tree)
        text = ET.tostring(tree.getroot(), encoding="unicode", xml_declaration=True)
        path = report_dir / f"{api}.xml"
        path.write_text(redact(text) + "\n", encoding="utf-8")
        written.append(path)
    findings = {
        "verdict": outcome.verdict,
        "reason": outcome.reason,
        "strict": outcome.strict,
        "target": outcome.target,
        "seed": outcome.seed,
        "options": list(outcome.options),
        "findings": [
            listed.to_json()
            for result in results
            for listed in listed_findings(result, strict=outcome.strict)
        ],
    }
    path = report_dir / FINDINGS
    path.write_text(redact(json.dumps(findings, indent=2, ensure_ascii=False)) + "\n", "utf-8")
    written.append(path)
    summary = redact(markdown_summary(results, outcome))
    path = report_dir / SUMMARY
    path.write_text(summary, encoding="utf-8")
    written.append(path)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as file:
            file.write(summary)
    return written
