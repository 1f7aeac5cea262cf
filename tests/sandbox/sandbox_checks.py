"""Checks every answer of the sandbox against the OpenAPI documents (imported by the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import yaml
from jsonschema_rs import Draft202012Validator, Registry

OPENAPI = Path(__file__).resolve().parents[2] / "openapi"


class Documents:
    """Checks an answer against the response its operation documents for its status code."""

    def __init__(self) -> None:
        self._documents = {
            api: yaml.safe_load((OPENAPI / f"{api}.yaml").read_text(encoding="utf-8"))
            for api in ("engage", "intelsend")
        }
        self._registry = Registry(
            [(f"urn:test:{api}", document) for api, document in self._documents.items()]
        )

    def _operation(self, api: str, operation_id: str) -> tuple[str, str, dict[str, Any]]:
        for path, item in self._documents[api]["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return path, method, operation
        raise KeyError(operation_id)

    def check(self, api: str, operation_id: str, response: httpx.Response, status: int) -> Any:
        """Assert the status, that the operation documents it, and the body's schema; the body."""
        assert response.status_code == status, response.text
        path, method, operation = self._operation(api, operation_id)
        assert str(status) in operation["responses"], f"{operation_id} does not document {status}"
        assert response.headers["content-type"].startswith("application/json")
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("paths", path, method, "responses", str(status))
        )
        response_node = operation["responses"][str(status)]
        if "$ref" in response_node:
            pointer = response_node["$ref"].removeprefix("#/")
        validator = Draft202012Validator(
            {
                "$ref": f"urn:test:{api}#/{quote(pointer, safe='/~')}"
                "/content/application~1json/schema"
            },
            registry=self._registry,
            validate_formats=True,
        )
        body = response.json()
        errors = [error.message for error in validator.iter_errors(body)]
        assert not errors, f"{operation_id} {status}: {errors}"
        return body


DOCUMENTS = Documents()
check = DOCUMENTS.check
