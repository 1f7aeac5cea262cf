"""What a contract run found, per API and per operation, before it is written anywhere."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    KEPT = 0
    BROKEN = 1
    COULD_NOT_RUN = 2


@dataclass
class Finding:
    """One way an operation broke the contract, with one request that shows it."""

    check: str
    title: str
    message: str
    request: str
    response: str
    occurrences: int = 1

    def describe(self) -> str:
        return (
            f"{self.check}: {self.title}\n{self.message}\n\n"
            f"Request:\n{self.request}\n\nResponse:\n{self.response}"
        )


@dataclass
class OperationResult:
    label: str
    operation_id: str
    documented: tuple[int, ...]
    cases: int = 0
    observed: Counter[int] = field(default_factory=Counter)
    # Status codes seen only in the fault-injection coverage step, not in generated traffic.
    injected: set[int] = field(default_factory=set)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def add_finding(self, finding: Finding) -> None:
        known = self.findings.get((finding.check, finding.title))
        if known is None:
            self.findings[(finding.check, finding.title)] = finding
        else:
            known.occurrences += 1

    @property
    def unobserved(self) -> list[int]:
        seen = set(self.observed) | self.injected
        return [code for code in self.documented if code not in seen]


@dataclass
class RuleResult:
    """One business rule, checked by `contract_tests.rules`."""

    name: str
    description: str
    failure: str | None = None
    error: str | None = None
    elapsed: float = 0.0


@dataclass
class ApiResult:
    api: str
    operations: dict[str, OperationResult]
    rules: list[RuleResult] = field(default_factory=list)
    # Errors not tied to one operation (the engine stopped, cleanup failed, ...).
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    # Operations and business rules left out by the run's policy (read-only, no sends).
    excluded: list[str] = field(default_factory=list)
    excluded_rules: list[str] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(operation.cases for operation in self.operations.values())

    @property
    def failed(self) -> bool:
        return any(op.findings for op in self.operations.values()) or any(
            rule.failure for rule in self.rules
        )

    @property
    def errored(self) -> bool:
        return (
            bool(self.errors)
            or any(op.errors for op in self.operations.values())
            or any(rule.error for rule in self.rules)
        )

    def operation_by_id(self, operation_id: str) -> OperationResult | None:
        for operation in self.operations.values():
            if operation.operation_id == operation_id:
                return operation
        return None


def exit_code(results: list[ApiResult]) -> ExitCode:
    if any(result.failed for result in results):
        return ExitCode.BROKEN
    if any(result.errored for result in results):
        return ExitCode.COULD_NOT_RUN
    return ExitCode.KEPT
