"""Requests checked against the OpenAPI documents themselves, so sandbox and proxy cannot drift.

`load_api` reads `openapi/<api>.yaml` once at start-up through the document model
(`campaign_contracts.documents`) and compiles, per operation, one Draft 2020-12 validator for
the JSON body and one per parameter, with format checks on (`Document.validator_at`, where the
`$ref`s inside the schemas resolve exactly as written). Nothing here runs YAML or schema work
per request.

The validators are jsonschema-rs's: on these bodies they take about 2 µs where the
`jsonschema` package with a `referencing` registry takes 100-300 µs, as much as the sandbox's
whole CPU time per request (the README's benchmark table, under "Quick start", from
`benchmarks/sandbox_http.py`).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema_rs import Draft202012Validator, Registry, ValidationError

from campaign_contracts import documents
from campaign_contracts.documents import Document, DocumentError
from campaign_contracts.httpapi.encoding import encode_json
from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.registry import document_path

# jsonschema's messages quote the offending value, which may be as large as the body.
MAX_MESSAGE_CHARS = 200
# Any length the schema allows (no maximum): Python's ints are unbounded, up to the digits
# that int() converts (sys.get_int_max_str_digits(), 4300 by default).
INTEGER_TEXT = re.compile(rf"-?[0-9]{{1,{sys.get_int_max_str_digits() or 4300}}}")

# A document that cannot serve: the message names the file and what is wrong.
SpecError = DocumentError


# The document of an API: inside the installed wheel, else in the repository's openapi/.
# load_api looks it up here at each call, so tests can point it at a broken copy.
spec_path = document_path


def _reject_constant(name: str) -> None:
    # json.loads accepts NaN and Infinity, which are not JSON.
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    # 1e999 is JSON, but as a float it is infinity, which no JSON answer could carry.
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range")
    return number


def first_error(validator: Draft202012Validator, instance: Any, where: str) -> str | None:
    """A one-line description of the first way `instance` breaks the schema, if any."""
    if validator.is_valid(instance):
        return None
    error: ValidationError = next(validator.iter_errors(instance))
    location = ".".join(str(part) for part in error.instance_path) or where
    message = error.message
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    return f"{location}: {message}"


def _is_json_media_type(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


# Built once: json.loads with hooks builds a decoder per call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def parse_json(raw: bytes, content_type: str | None) -> Any:
    """The JSON document in a request body; ApiError 400 if it is not JSON.

    A missing Content-Type is tolerated (some clients omit it); a different one is a 400, the
    status the documents give to a body that is not JSON, rather than an undocumented 415.
    """
    if content_type and not _is_json_media_type(content_type):
        raise ApiError(400, f"Content-Type must be application/json, not {content_type!r}")
    if not raw.strip():
        raise ApiError(400, "A JSON request body is required")
    try:
        # What json.loads does with bytes: UTF-8, -16 or -32, told apart by the first bytes.
        document = _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, RecursionError):
        raise ApiError(400, "The request body is not valid JSON") from None
    try:
        # What is stored is answered back later: what no answer can carry must not get in.
        encode_json(document)
    except UnicodeEncodeError as error:
        surrogate = f"\\u{ord(error.object[error.start]):04x}"
        raise ApiError(
            400, f"The request body is not valid JSON: {surrogate} is a lone surrogate, not text"
        ) from None
    return document


@dataclass(frozen=True)
class Parameter:
    """One query or path parameter and its compiled schema."""

    name: str
    location: str
    required: bool
    is_integer: bool
    default: Any
    validator: Draft202012Validator

    def parse(self, raw: str | None) -> Any:
        """The typed value of `raw` (or the default); ApiError 422 if it breaks the schema."""
        if raw is None:
            if self.required:
                raise ApiError(422, f"{self.location} parameter '{self.name}' is required")
            return self.default
        # Query strings carry text; integer parameters are compared as numbers.
        value: Any = int(raw) if self.is_integer and INTEGER_TEXT.fullmatch(raw) else raw
        error = first_error(self.validator, value, f"{self.location} parameter '{self.name}'")
        if error is not None:
            raise ApiError(422, error)
        return value


@dataclass(frozen=True)
class CompiledOperation:
    """One operation of the document (`model`), compiled for use on every request."""

    model: documents.Operation
    success_status: int
    parameters: tuple[Parameter, ...]
    body_validator: Draft202012Validator | None = field(default=None)

    @property
    def api(self) -> str:
        return self.model.api

    @property
    def operation_id(self) -> str:
        return self.model.operation_id

    @property
    def security_schemes(self) -> frozenset[str]:
        return self.model.security_schemes

    @property
    def documented_messages(self) -> Mapping[int, str]:
        """Error messages printed in the vendor's samples, by status code."""
        return self.model.documented_messages

    @property
    def method(self) -> str:
        return self.model.method

    @property
    def path(self) -> str:
        return self.model.path

    @property
    def has_body(self) -> bool:
        return self.body_validator is not None

    def parse_body(self, raw: bytes, content_type: str | None) -> Any:
        """The JSON body; ApiError 400 if it is not JSON, 422 if it breaks the schema.

        Only for an operation that `has_body`: the caller reads no body otherwise."""
        assert self.body_validator is not None
        body = parse_json(raw, content_type)
        error = first_error(self.body_validator, body, "body")
        if error is not None:
            raise ApiError(422, error)
        return body

    def parse_parameters(self, query: Mapping[str, str], path: Mapping[str, str]) -> dict[str, Any]:
        """Every declared parameter by name: typed, defaulted, validated (ApiError 422)."""
        sources = {"query": query, "path": path}
        return {
            parameter.name: parameter.parse(sources[parameter.location].get(parameter.name))
            for parameter in self.parameters
        }


@dataclass(frozen=True)
class ApiDocument:
    """One vendor's OpenAPI document (`model`) with its operations compiled for serving."""

    model: Document
    operations: Mapping[str, CompiledOperation]

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def source(self) -> Path:
        """The file the document was read from, which every SpecError names."""
        return Path(self.model.source)

    @property
    def registry(self) -> Registry:
        return self.model.schema_registry

    @property
    def base_uri(self) -> str:
        return self.model.base_uri

    def security_scheme(self, place: str) -> tuple[str, str]:
        """The first security scheme sent in `place` (`header`, `cookie`): its key under
        `components.securitySchemes` and the header or cookie it names; SpecError if none."""
        scheme = self.model.scheme_in(place)
        assert scheme.name is not None, "scheme_in checks it"
        return scheme.key, scheme.name

    def validator_at(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at JSON pointer `pointer` of the document."""
        return self.model.validator_at(pointer)


def _compile_operation(model: Document, operation: documents.Operation) -> CompiledOperation:
    try:
        (success_status,) = operation.success_statuses
    except ValueError as error:
        raise SpecError(model.source, f"{operation.label}: ValueError: {error}") from None
    body = operation.request_body
    body_pointer = body.json_schema_pointer if body is not None else None
    return CompiledOperation(
        model=operation,
        success_status=success_status,
        parameters=tuple(
            Parameter(
                name=parameter.name,
                location=parameter.location,
                required=parameter.required,
                is_integer=parameter.schema.get("type") == "integer",
                default=parameter.schema.get("default"),
                validator=model.validator_at(parameter.schema_pointer),
            )
            for parameter in operation.parameters
        ),
        body_validator=None if body_pointer is None else model.validator_at(body_pointer),
    )


def load_api(name: str) -> ApiDocument:
    """Read and compile the document of `name`, a registered API (`engage`, `intelsend`)."""
    model = documents.load_document(spec_path(name), name)
    operations = {
        operation_id: _compile_operation(model, operation)
        for operation_id, operation in model.operations.items()
    }
    return ApiDocument(model=model, operations=operations)
