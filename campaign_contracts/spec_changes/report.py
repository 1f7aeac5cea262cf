"""The changelog of one comparison, as Markdown for people and JSON for tools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from campaign_contracts.spec_changes.diff import ClassifiedChange
from campaign_contracts.spec_changes.policy import Verdict

# Locations that stand for the whole operation or document, named by the summary already.
WHOLE = frozenset({"operation", "document"})


@dataclass(frozen=True)
class DocumentReport:
    """What changed in one document between the base revision and the working tree."""

    api: str
    path: str
    base_version: str | None  # None: the document is new
    head_version: str | None  # None: the document was deleted
    findings: list[ClassifiedChange]
    verdict: Verdict
    # The examples and vendor samples the new version rejects (dependents.py), one line each.
    rejects: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.base_version is None:
            return "added"
        if self.head_version is None:
            return "removed"
        # An edit the rules cannot see (a length, a pattern) still changed what it rejects.
        return "changed" if self.findings or self.rejects else "unchanged"

    @property
    def breaking(self) -> list[ClassifiedChange]:
        return [finding for finding in self.findings if finding.breaking]

    def to_json(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "path": self.path,
            "status": self.status,
            "base_version": self.base_version,
            "head_version": self.head_version,
            "breaking": len(self.breaking),
            "non_breaking": len(self.findings) - len(self.breaking),
            "rejects": self.rejects,
            "gate": {"passed": self.verdict.passed, "message": self.verdict.message},
            "findings": [finding.to_json() for finding in self.findings],
        }


def to_json(base: str, reports: Sequence[DocumentReport]) -> dict[str, Any]:
    return {
        "base": base,
        "passed": all(report.verdict.passed for report in reports),
        "documents": [report.to_json() for report in reports],
    }


def to_markdown(base: str, reports: Sequence[DocumentReport]) -> str:
    changed = [report for report in reports if report.status != "unchanged"]
    if not changed:
        return f"No changes to the OpenAPI documents since `{base}`.\n"
    lines = [f"## API changes since `{base}`", ""]
    for report in changed:
        versions = f"{report.base_version or 'new'} → {report.head_version or 'deleted'}"
        lines += [
            f"### {report.api} (`{report.path}`, {versions}): {len(report.breaking)} breaking, "
            f"{len(report.findings) - len(report.breaking)} non-breaking",
            "",
        ]
        for operation, findings in _by_operation(report.findings):
            lines.append(f"#### {operation}")
            # Breaking first: that is what a reviewer has to act on.
            lines += [_line(f) for f in sorted(findings, key=lambda f: not f.breaking)]
            lines.append("")
        if report.rejects:
            lines.append("#### Examples and vendor samples the new version rejects")
            lines += [f"- {reject}" for reject in report.rejects]
            lines.append("")
        gate = "passed" if report.verdict.passed else "FAILED"
        lines += [f"**Gate {gate}.** {report.verdict.message}", ""]
    return "\n".join(lines)


def _by_operation(findings: Sequence[ClassifiedChange]) -> list[tuple[str, list[ClassifiedChange]]]:
    groups: dict[str, list[ClassifiedChange]] = {}
    for finding in findings:
        if finding.operation:
            title = f"`{finding.operation}`" + (
                f" ({finding.operation_id})" if finding.operation_id else ""
            )
        else:
            title = "Document"
        groups.setdefault(title, []).append(finding)
    return list(groups.items())


def _line(finding: ClassifiedChange) -> str:
    severity = "**breaking**" if finding.breaking else "non-breaking"
    if finding.field:
        where = f"{finding.location} `{finding.field}`: "
    elif finding.location in WHOLE:
        where = ""  # "operation: operation removed" would say it twice
    else:
        where = f"{finding.location}: "
    detail = f": {finding.detail}" if finding.detail else ""
    return f"- {severity} — {where}{finding.summary}{detail} (`{finding.rule}`)"
