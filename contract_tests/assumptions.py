"""Which findings rest on the document's own guesses, and what such a finding says.

Where the vendor pages are silent the documents assume (`x-assumed`): a status, a parameter's
effect, a body shape, a behaviour a business rule checks. A vendor that behaves otherwise has
not broken its contract; the document guessed wrong. Such a finding has kind `assumption`,
names the JSON pointers of what was assumed and says what the vendor did instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from campaign_contracts.documents import Document, Response

MARKER = "x-assumed"
# Checks about the answer to one documented status: its body, content type and headers.
ANSWER_CHECKS = frozenset(
    {"response_schema_conformance", "content_type_conformance", "response_headers_conformance"}
)


def advice(pointers: Iterable[str], instead: str) -> str:
    """The sentence every assumption finding ends with."""
    return (
        f"the document assumed {', '.join(pointers)}; the vendor {instead} instead; "
        "fix the document (see `nox -s evidence`)"
    )


def _assumed(response: Response) -> list[str]:
    """The assumed parts of one documented answer: the response itself, its body's schema."""
    pointers = [response.pointer] if response.raw.get(MARKER) else []
    schema = response.json_schema
    if schema is not None and schema.get(MARKER) and response.json_schema_pointer:
        pointers.append(response.json_schema_pointer)
    return pointers


def of_answer(document: Document, operation_id: str, status: int | str) -> tuple[str, ...]:
    """The assumed parts of the documented answer `status` of the operation (none if it is
    not documented)."""
    operation = document.operations.get(operation_id)
    response = operation.responses.get(str(status)) if operation else None
    return tuple(_assumed(response)) if response is not None else ()


def of_status_class(document: Document, operation_id: str, status: int) -> tuple[str, ...]:
    """The assumed answers of the operation in the class of `status` (4xx, ...): an answer
    the document does not list contradicts what it assumed the vendor answers there."""
    operation = document.operations.get(operation_id)
    if operation is None:
        return ()
    return tuple(
        response.pointer
        for code, response in operation.responses.items()
        if code[:1] == str(status)[:1] and response.raw.get(MARKER)
    )


def of_parameters(
    document: Document, operation_id: str, sent: Mapping[str, Mapping[str, Any] | None]
) -> tuple[str, ...]:
    """The assumed parameters among those sent (`sent`: location -> names and values)."""
    operation = document.operations.get(operation_id)
    if operation is None:
        return ()
    return tuple(
        parameter.pointer
        for parameter in operation.parameters
        if parameter.raw.get(MARKER) and parameter.name in (sent.get(parameter.location) or {})
    )


def of_check(
    document: Document,
    operation_id: str,
    check: str,
    status: int | None,
    sent: Mapping[str, Mapping[str, Any] | None],
) -> tuple[str, ...]:
    """What a failed Schemathesis check on one answer rests on, if it rests on assumptions."""
    if status is None:
        return ()
    if check == "status_code_conformance":
        return of_status_class(document, operation_id, status)
    if check in ANSWER_CHECKS:
        return of_answer(document, operation_id, status)
    if check.startswith("positive_data_acceptance"):
        return of_parameters(document, operation_id, sent)
    return ()
