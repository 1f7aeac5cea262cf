"""What a contract run found, per API and per operation, before it is written anywhere."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    KEPT = 0
    BROKEN = 1
    COULD_NOT_RUN = 2


class Kind(StrEnum):
    """What a finding means, and so whom it concerns."""

    # An answer a client written against the document mishandles: status, body shape,
    # content type, a business rule.
    BREAKING = "breaking"
    # Credentials ignored or crossed.
    SECURITY = "security"
    # The vendor accepts what the document rejects: the document is stricter than the vendor,
    # an assumption to revisit rather than a client that breaks.
    LENIENT = "lenient"
    # The sandbox itself failed (an answer with X-Sandbox-Error): never the vendor's behaviour.
    SANDBOX = "sandbox"
    # The vendor contradicts what the document assumed (`x-assumed`) where the vendor pages are
    # silent: the document is to fix, not the vendor; it fails the run all the same, since the
    # clients are generated from that assumption.
    ASSUMPTION = "assumption"


# Checks whose failure is not `breaking`; every other check and every business rule is.
CHECK_KINDS = {
    "ignored_auth": Kind.SECURITY,
    "negative_data_rejection": Kind.LENIENT,
    "unsupported_method": Kind.LENIENT,
    "missing_required_header": Kind.LENIENT,
    "not_a_sandbox_failure": Kind.SANDBOX,
}


def kind_of(check: str) -> Kind:
    return CHECK_KINDS.get(check, Kind.BREAKING)


def failing_kinds(*, strict: bool) -> frozenset[Kind]:
    """The kinds that break the contract: `lenient` ones only with --strict."""
    return frozenset(Kind) if strict else frozenset(Kind) - {Kind.LENIENT}


@dataclass
class Finding:
    """One way an operation broke the contract, with one request that shows it."""

    check: str
    title: str
    message: str
    request: str
    response: str
    occurrences: int = 1
    # JSON pointers of the `x-assumed` parts of the document the failed expectation rests on.
    assumed: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        kind = kind_of(self.check)
        return Kind.ASSUMPTION if self.assumed and kind == Kind.BREAKING else kind

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
    # Of the failure: `sandbox` when the rule met a sandbox failure rather than a broken rule.
    kind: Kind = Kind.BREAKING
    # The failing request as curl, credentials masked.
    request: str = ""
    # Why the rule could not be checked (read-only, an empty account): not run, never ok.
    not_run: str | None = None
    # Of an `assumption` failure: the JSON pointers of what the document assumed.
    assumed: tuple[str, ...] = ()


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
    # What the live run's weather made it send again (`12 requests retried: 12 after 429`).
    retried: str | None = None

    @property
    def cases(self) -> int:
        return sum(operation.cases for operation in self.operations.values())

    def kinds(self) -> set[Kind]:
        """The kinds of every finding, of operations and rules."""
        found = {f.kind for op in self.operations.values() for f in op.findings.values()}
        return found | {rule.kind for rule in self.rules if rule.failure}

    def failed(self, *, strict: bool) -> bool:
        return bool(self.kinds() & failing_kinds(strict=strict))

    def failing_finding_kinds(self, strict: bool) -> list[Kind]:
        """The kind of each finding that fails the run, operations' and rules' alike."""
        failing = failing_kinds(strict=strict)
        found = [f.kind for op in self.operations.values() for f in op.findings.values()]
        found += [rule.kind for rule in self.rules if rule.failure]
        return [kind for kind in found if kind in failing]

    def all_errors(self) -> list[str]:
        """Every error of the run of this API: its own, its operations', its rules'."""
        errors = list(self.errors)
        errors += [f"{op.label}: {error}" for op in self.operations.values() for error in op.errors]
        errors += [f"rule {rule.name}: {rule.error}" for rule in self.rules if rule.error]
        return errors

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


def exit_code(results: list[ApiResult], *, strict: bool) -> ExitCode:
    if any(result.failed(strict=strict) for result in results):
        return ExitCode.BROKEN
    if any(result.errored for result in results):
        return ExitCode.COULD_NOT_RUN
    return ExitCode.KEPT
