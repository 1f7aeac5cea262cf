"""Status-code coverage: which documented answers the run saw, and judging the rest.

Generated traffic cannot make a healthy server answer its documented 5xx. Against the
sandbox, each documented 5xx no request of the run has produced is injected through the
sandbox's fault control plane (`POST /_sandbox/faults`) for one call of its operation, and
that call's answer is checked against the document like any other: the code must come back,
in the documented shape. Every other documented status (2xx, 3xx, 4xx) must come from real
traffic: the sandbox is ours, so one it never answers is a finding that names it.
"""

from __future__ import annotations

from typing import Any

import httpx

from contract_tests.checks import SANDBOX_FAILURE
from contract_tests.results import ApiResult, Finding
from contract_tests.session import ApiSession, RuleBroken

FAULTS_PATH = "/_sandbox/faults"
# Any id: the injected fault answers before the campaign is looked up.
PROBE_ID = "contract-coverage-probe"
COVERAGE_CHECK = "status_coverage"
SERVER_ERRORS = 500


def merge_session_observations(result: ApiResult, session: ApiSession) -> None:
    """Count the answers of the run's own calls (the probe, the rules) as observed."""
    for (operation_id, status), count in session.observed.items():
        operation = result.operation_by_id(operation_id)
        if operation is not None:
            operation.observed[status] += count


def sample_request(session: ApiSession, operation_id: str) -> dict[str, Any]:
    """A well-formed call of the operation, built from the document's own examples."""
    operation = session.document.operations[operation_id]
    request: dict[str, Any] = {}
    if "{id}" in operation.path:
        request["path"] = {"id": PROBE_ID}
    if operation_id == "getCampaign":
        request["query"] = {"id": PROBE_ID}
    media = operation.request_body.json if operation.request_body is not None else None
    if media is not None and media.examples:
        request["body"] = next(iter(media.examples.values()))
    return request


def record_sandbox_failures(result: ApiResult, session: ApiSession) -> None:
    """Each answer to the run's own calls that the sandbox marked as its failure is a finding."""
    for failure in session.sandbox_failures:
        operation = result.operation_by_id(failure.operation_id)
        if operation is not None:
            operation.add_finding(
                Finding(
                    "not_a_sandbox_failure", SANDBOX_FAILURE, failure.message, failure.request, ""
                )
            )


def coverage_finding(title: str, message: str, request: str = "", response: str = "") -> Finding:
    return Finding(COVERAGE_CHECK, title, message, request, response)


def drive_unobserved(result: ApiResult, session: ApiSession, control: httpx.Client) -> None:
    """Inject each documented 5xx not yet seen, once, and check the answer; every other
    documented status not yet seen is a finding."""
    for operation in result.operations.values():
        for status in operation.unobserved:
            if status < SERVER_ERRORS:
                title = f"documented {status} never answered"
                operation.add_finding(
                    coverage_finding(
                        title,
                        f"{operation.label}: no request of the run got its documented {status}",
                    )
                )
                continue
            fault = {
                "api": result.api,
                "operationId": operation.operation_id,
                "count": 1,
                "status": status,
            }
            control.post(FAULTS_PATH, json=fault).raise_for_status()
            response = session.request(
                operation.operation_id, **sample_request(session, operation.operation_id)
            )
            if response.status_code != status:
                operation.add_finding(
                    coverage_finding(
                        f"injected {status} answered {response.status_code}",
                        f"{operation.label} answered {response.status_code} to a {status} fault",
                        session.curl(response),
                    )
                )
                continue
            try:
                session.validate(operation.operation_id, response)
            except RuleBroken as broken:
                operation.add_finding(
                    coverage_finding(
                        f"injected {status} outside the document", str(broken), broken.request
                    )
                )
                continue
            operation.injected.add(status)
