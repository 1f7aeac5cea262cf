"""Status-code coverage: which documented answers the run saw, and driving the rest.

Generated traffic cannot make a healthy server answer its documented 500s, and some 4xx need
states a generator rarely builds. Against the sandbox, each documented status code no request
of the run has produced is injected through the sandbox's fault control plane
(`POST /_sandbox/faults`) for one call of its operation, and that call's answer is checked
against the document like any other: the code must come back, in the documented shape.
"""

from __future__ import annotations

from typing import Any

import httpx

from contract_tests.results import ApiResult
from contract_tests.session import ApiSession, RuleBroken

FAULTS_PATH = "/_sandbox/faults"
# Any id: the injected fault answers before the campaign is looked up.
PROBE_ID = "contract-coverage-probe"


def merge_session_observations(result: ApiResult, session: ApiSession) -> None:
    """Count the answers of the run's own calls (the probe, the rules) as observed."""
    for (operation_id, status), count in session.observed.items():
        operation = result.operation_by_id(operation_id)
        if operation is not None:
            operation.observed[status] += count


def sample_request(session: ApiSession, operation_id: str) -> dict[str, Any]:
    """A well-formed call of the operation, built from the document's own examples."""
    _method, path, operation = session.operations[operation_id]
    request: dict[str, Any] = {}
    if "{id}" in path:
        request["path"] = {"id": PROBE_ID}
    if operation_id == "getCampaign":
        request["query"] = {"id": PROBE_ID}
    if "requestBody" in operation:
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        request["body"] = next(iter(examples.values()))["value"]
    return request


def drive_unobserved(result: ApiResult, session: ApiSession, control: httpx.Client) -> None:
    """Inject each documented status code not yet seen, once, and check the answer."""
    for operation in result.operations.values():
        for status in operation.unobserved:
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
                result.errors.append(
                    f"coverage: {operation.label} answered {response.status_code} "
                    f"to an injected {status}"
                )
                continue
            try:
                session.validate(operation.operation_id, response)
            except RuleBroken as broken:
                result.errors.append(f"coverage: injected {status}: {broken}")
                continue
            operation.injected.add(status)
