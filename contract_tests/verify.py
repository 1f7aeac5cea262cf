"""Drive the Schemathesis engine over one API and collect what it found, per operation.

Why the Python engine (`schemathesis.engine.from_schema(schema).execute()`) and not `st run`
in a subprocess: the engine's event stream carries, for every case, its operation, its
response and every check's verdict, which is what the per-operation JUnit cases, the
"documented vs observed status codes" coverage and the exit codes are built from — the CLI
would have to be re-parsed from its reports for each. The custom check, the safety hooks and
the tracking of created campaigns live in this process, next to the data they guard, and the
same code can point the engine at an ASGI app in-process (the benchmark) or at a URL. The
stateful phase through the documents' links is one of the engine's phases, so nothing is lost.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis import BaseSchema
from schemathesis.config import SchemathesisConfig

from campaign_contracts.documents import Document
from contract_tests import assumptions, vendors
from contract_tests import checks as _register_checks  # noqa: F401 - registers the custom checks
from contract_tests.adapter import ScenarioRecorder, Status, events, from_schema
from contract_tests.apis import ContractApi, Spec, model
from contract_tests.assumptions import advice
from contract_tests.results import ApiResult, Finding, OperationResult
from contract_tests.safety import AnyCase, RunGuard, guarding

MAX_BODY_IN_REPORT = 2000
Progress = Callable[[str], None]


def documented_results(spec: Spec) -> dict[str, OperationResult]:
    """An empty result for each operation of `spec`, knowing its documented status codes."""
    results = {}
    for op_id, operation in model(spec).operations.items():
        results[operation.label] = OperationResult(
            label=operation.label, operation_id=op_id, documented=operation.status_codes
        )
    return results


def describe_response(response: schemathesis.Response | None) -> str:
    if response is None:
        return "(no response)"
    body = response.content.decode("utf-8", "replace")
    if len(body) > MAX_BODY_IN_REPORT:
        body = body[:MAX_BODY_IN_REPORT] + " [...]"
    content_type = response.headers.get("content-type", ["(none)"])[0]
    return f"HTTP {response.status_code}, Content-Type: {content_type}\n{body}"


def collect(recorder: ScenarioRecorder, result: ApiResult, document: Document) -> None:
    """Add one finished scenario's cases, status codes and failures to `result`; a failure
    that rests on what `document` assumes is an `assumption` finding."""
    for case_id, node in recorder.cases.items():
        operation = result.operations.get(node.value.operation.label)
        if operation is None:
            continue
        operation.cases += 1
        interaction = recorder.interactions.get(case_id)
        if interaction is not None and interaction.response is not None:
            operation.observed[interaction.response.status_code] += 1
    for case_id, check_nodes in recorder.checks.items():
        for check in check_nodes:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            failing_case_id = failure.case_id or case_id
            label = failure.operation or recorder.cases[case_id].value.operation.label
            operation = result.operations.get(label)
            if operation is None:
                result.errors.append(f"{check.name} failed on an unknown operation {label}")
                continue
            interaction = recorder.interactions.get(failing_case_id)
            response = interaction.response if interaction else None
            case = (
                recorder.cases[failing_case_id].value if failing_case_id in recorder.cases else None
            )
            assumed = assumed_by(document, operation.operation_id, check.name, case, response)
            message = failure.message
            if assumed and response is not None:
                message += "\n" + advice(assumed, f"answered HTTP {response.status_code}")
            operation.add_finding(
                Finding(
                    check=check.name,
                    title=failure.title,
                    message=message,
                    request=check.failure_info.code_sample,
                    response=describe_response(response),
                    assumed=assumed,
                )
            )


def assumed_by(
    document: Document,
    operation_id: str,
    check: str,
    case: AnyCase | None,
    response: schemathesis.Response | None,
) -> tuple[str, ...]:
    """The `x-assumed` pointers a failed check on `case` rests on: what the document and the
    API's own checks (`assumed(operation_id, case)` in contract_tests/<api>/checks.py) say."""
    if case is None or response is None:
        return ()
    sent = {
        "query": case.query,
        "path": case.path_parameters,
        "header": case.headers,
        "cookie": case.cookies,
    }
    status = response.status_code
    found = assumptions.of_check(document, operation_id, check, status, sent)
    return found or vendors.case_assumptions(document.name, operation_id, case)


def load_schema(config: SchemathesisConfig, guard: RunGuard, app: Any = None) -> BaseSchema:
    """The API's document as the run's policy narrows it, with the guard's hooks attached.

    `app` is an ASGI application to call in-process instead of the configured base URL.
    """
    narrowed = guard.prepare_spec(guard.api.load_spec())
    schema = schemathesis.openapi.from_dict(narrowed, config=config)
    if app is not None:
        schema.app = app
    guard.attach(schema)
    return schema


def run(schema: BaseSchema, guard: RunGuard, *, progress: Progress) -> ApiResult:
    """Run every phase Schemathesis has and return the findings per operation."""
    api = guard.api
    result = ApiResult(api=api.name, operations=documented_results(schema.raw_schema))
    # Named as the test case would be had it run, so a CI dashboard shows the same case skipped.
    result.excluded = [
        f"{label} ({operation.operation_id})"
        for label, operation in documented_results(api.load_spec()).items()
        if label not in result.operations
    ]
    document = model(schema.raw_schema, api.name)
    started = time.perf_counter()
    with guarding(guard), scratch_hypothesis_storage():
        for event in from_schema(schema).execute():
            handle(event, api, result, progress, document)
    result.elapsed = time.perf_counter() - started
    return result


@contextmanager
def scratch_hypothesis_storage() -> Iterator[None]:
    """Hypothesis caches constants and Unicode tables under `./.hypothesis` by default; a run
    keeps them in a temporary folder so the working tree stays clean."""
    with tempfile.TemporaryDirectory(prefix="contract-hypothesis-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)


def handle(
    event: events.EngineEvent,
    api: ContractApi,
    result: ApiResult,
    progress: Progress,
    document: Document,
) -> None:
    if isinstance(event, events.PhaseStarted):
        progress(f"[{api.name}] {event.phase.name.value} phase")
    elif isinstance(event, events.ScenarioFinished):
        collect(event.recorder, result, document)
        if event.phase.value != "stateful" and event.recorder.label in result.operations:
            result.operations[event.recorder.label].elapsed += event.elapsed_time
            verdict = "FAILED" if event.status == Status.FAILURE else event.status.value
            cases = len(event.recorder.cases)
            progress(f"[{api.name}]   {event.recorder.label}: {cases} cases, {verdict}")
    elif isinstance(event, events.PhaseFinished) and event.phase.name.value == "stateful":
        progress(f"[{api.name}]   stateful scenarios done ({event.status.value})")
    elif isinstance(event, events.NonFatalError):
        message = f"{event.info.title}: {event.value}"
        operation = result.operations.get(event.label)
        (operation.errors if operation else result.errors).append(message)
    elif isinstance(event, events.FatalError):
        result.errors.append(f"Schemathesis stopped: {event.exception}")
