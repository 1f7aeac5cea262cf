"""Requests checked against the OpenAPI documents themselves, so the sandbox cannot drift.

`load_api` reads `openapi/<api>.yaml` once at start-up and compiles, per operation, one
Draft 2020-12 validator for the JSON body and one per parameter, with format checks on. The
whole document is registered as one resource of a schema registry, so the `$ref`s inside the
schemas resolve exactly as written. Nothing here runs YAML or schema work per request.

The validators are jsonschema-rs's (already pinned, through Schemathesis): on these bodies
they take about 2 µs where the `jsonschema` package with a `referencing` registry takes
100-300 µs, as much as the sandbox's whole CPU time per request (the README's benchmark table,
under "Quick start", from `benchmarks/sandbox_http.py`).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema_rs import Draft202012Validator, Registry, ValidationError

from campaign_contracts.sandbox.errors import ApiError

SPEC_FILES = {"engage": "engage.yaml", "intelsend": "intelsend.yaml"}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# jsonschema's messages quote the offending value, which may be as large as the body.
MAX_MESSAGE_CHARS = 200
# Any length the schema allows (no maximum): Python's ints are unbounded, up to the digits
# that int() converts (sys.get_int_max_str_digits(), 4300 by default).
INTEGER_TEXT = re.compile(rf"-?[0-9]{{1,{sys.get_int_max_str_digits() or 4300}}}")


class SpecError(ValueError):
    """A document that cannot serve: the message names the file and what is wrong."""


def read_spec(path: Path) -> dict[str, Any]:
    """The OpenAPI document at `path` as data; SpecError, in one line, if it cannot be read."""
    try:
        with path.open(encoding="utf-8") as stream:
            document = yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as error:
        raise SpecError(f"{path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise SpecError(f"{path}: not valid YAML{line}: {problem}") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise SpecError(f"{path}: not an OpenAPI document (no `paths` mapping)")
    return document


def spec_path(api: str) -> Path:
    """The document of `api`: inside the installed wheel, else in the repository's openapi/."""
    name = SPEC_FILES[api]
    packaged = Path(__file__).parent / "_specs" / name
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "openapi" / name


def document_uri(api: str) -> str:
    """The URI under which the document of `api` is registered for `$ref` resolution."""
    return f"urn:campaign-contracts:openapi:{api}"


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
        return _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, RecursionError):
        raise ApiError(400, "The request body is not valid JSON") from None


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
class Operation:
    """What the document says about one operation, ready for use on every request."""

    api: str
    operation_id: str
    method: str
    path: str
    success_status: int
    security_schemes: frozenset[str]
    # Error messages printed in the vendor's samples, by status code.
    documented_messages: Mapping[int, str]
    parameters: tuple[Parameter, ...]
    body_validator: Draft202012Validator | None = field(default=None)

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
    """One vendor's OpenAPI document with its operations compiled."""

    name: str
    # The file the document was read from, which every SpecError names.
    source: Path
    document: Mapping[str, Any]
    registry: Registry
    operations: Mapping[str, Operation]

    @property
    def base_uri(self) -> str:
        return document_uri(self.name)

    def security_scheme(self, place: str) -> tuple[str, str]:
        """The first security scheme sent in `place` (`header`, `cookie`): its key under
        `components.securitySchemes` and the header or cookie it names; SpecError if none."""
        components = self.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
        for key, scheme in schemes.items() if isinstance(schemes, Mapping) else ():
            if isinstance(scheme, Mapping) and scheme.get("in") == place:
                name = scheme.get("name")
                if not isinstance(name, str) or not name:
                    raise SpecError(f"{self.source}: security scheme {key!r} names no {place}")
                return str(key), name
        raise SpecError(
            f"{self.source}: components.securitySchemes has no scheme `in: {place}`,"
            " which the sandbox needs"
        )

    def validator_at(self, pointer: str) -> Draft202012Validator:
        """A validator for the schema at JSON pointer `pointer` of the document."""
        return Draft202012Validator(
            # A fragment is part of a URI: `{id}` in a path must be percent-encoded.
            {"$ref": f"{self.base_uri}#{quote(pointer, safe='/~')}"},
            registry=self.registry,
            validate_formats=True,
        )

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        """`node`, or what its `$ref` (local to the document) points to."""
        while "$ref" in node:
            pointer = node["$ref"].partition("#")[2]
            node = self.document
            for part in pointer.split("/")[1:]:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _documented_messages(api: ApiDocument, responses: Mapping[str, Any]) -> dict[int, str]:
    messages = {}
    for status, response in responses.items():
        content = api.resolve(response).get("content", {}).get("application/json", {})
        for example in content.get("examples", {}).values():
            value = api.resolve(example).get("value")
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                messages[int(status)] = value["message"]
    return messages


def _parameters(
    api: ApiDocument, place: tuple[str, ...], declared: list[Mapping[str, Any]]
) -> tuple[Parameter, ...]:
    """The parameters declared at `place` (a path item or an operation) of the document."""
    parameters = []
    for index, node in enumerate(declared):
        parameter = api.resolve(node)
        schema = api.resolve(parameter.get("schema", {}))
        # The validator points at the schema where it is written, so its $refs resolve.
        if "$ref" in node:
            pointer = node["$ref"].partition("#")[2] + "/schema"
        else:
            pointer = _pointer(*place, "parameters", str(index), "schema")
        parameters.append(
            Parameter(
                name=parameter["name"],
                location=parameter["in"],
                required=bool(parameter.get("required", False)),
                is_integer=schema.get("type") == "integer",
                default=schema.get("default"),
                validator=api.validator_at(pointer),
            )
        )
    return tuple(parameters)


def _compile_operation(
    api: ApiDocument, path: str, method: str, operation: Mapping[str, Any]
) -> Operation:
    (success_status,) = (int(s) for s in operation["responses"] if s.startswith("2"))
    security = operation.get("security", api.document.get("security", []))
    body_validator = None
    if "requestBody" in operation:
        body_validator = api.validator_at(
            _pointer("paths", path, method, "requestBody", "content", "application/json", "schema")
        )
    # Path-level parameters first; an operation-level one of the same name replaces it.
    shared = _parameters(api, ("paths", path), api.document["paths"][path].get("parameters", []))
    own = _parameters(api, ("paths", path, method), operation.get("parameters", []))
    own_names = {parameter.name for parameter in own}
    return Operation(
        api=api.name,
        operation_id=operation["operationId"],
        method=method.upper(),
        path=path,
        success_status=success_status,
        security_schemes=frozenset(security[0]) if security else frozenset(),
        documented_messages=_documented_messages(api, operation["responses"]),
        parameters=tuple(p for p in shared if p.name not in own_names) + own,
        body_validator=body_validator,
    )


def load_api(name: str) -> ApiDocument:
    """Read and compile the document of `name` (`engage` or `intelsend`)."""
    path = spec_path(name)
    document = read_spec(path)
    api = ApiDocument(
        name=name,
        source=path,
        document=document,
        registry=Registry([(document_uri(name), document)]),
        operations={},
    )
    operations = {}
    for url_path, path_item in document["paths"].items():
        for method in HTTP_METHODS:
            if method not in path_item:
                continue
            try:
                operation = _compile_operation(api, url_path, method, path_item[method])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                # openapi-spec-validator (nox -s lint) tells more; here, which operation.
                reason = f"{type(error).__name__}: {error}"
                raise SpecError(f"{path}: {method.upper()} {url_path}: {reason}") from None
            operations[operation.operation_id] = operation
    return replace(api, operations=operations)
