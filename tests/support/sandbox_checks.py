"""Checks every answer of the sandbox against the OpenAPI documents."""

from __future__ import annotations

from typing import Any

import httpx

from campaign_contracts.registry import APIS


class Documents:
    """Checks an answer against the response its operation documents for its status code."""

    def __init__(self) -> None:
        self._documents = {name: entry.load() for name, entry in APIS.items()}

    def check(self, api: str, operation_id: str, response: httpx.Response, status: int) -> Any:
        """Assert the status, that the operation documents it, and the body's schema; the body."""
        assert response.status_code == status, response.text
        document = self._documents[api]
        operation = document.operations[operation_id]
        assert str(status) in operation.responses, f"{operation_id} does not document {status}"
        assert response.headers["content-type"].startswith("application/json")
        schema_pointer = operation.responses[str(status)].json_schema_pointer
        assert schema_pointer is not None, f"{operation_id} {status} documents no JSON body"
        body = response.json()
        errors = [
            error.message for error in document.validator_at(schema_pointer).iter_errors(body)
        ]
        assert not errors, f"{operation_id} {status}: {errors}"
        return body


DOCUMENTS = Documents()
check = DOCUMENTS.check
