"""What the proxy asks of the documents: routing, and the checks of one exchange.

Requests are checked by the very validators the sandbox compiles from the document
(`campaign_contracts.httpapi.validation`), so the proxy and the sandbox cannot disagree about
a request. Answers are checked against their documented status codes, media types and
schemas. An answer's schema is compiled "closed": each object schema that declares
`properties` and says nothing of other ones gets `unevaluatedProperties: false`, so a field
the document does not declare is reported (as `undeclared`) rather than passed over; the
documents do not forbid extra fields, but a field they do not know of is what a team wants
to hear about. The document comes from the document model (`campaign_contracts.documents`),
each API's facts (its error body) from the registry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from os.path import commonpath
from typing import Any
from urllib.parse import parse_qsl, unquote

from jsonschema_rs import Draft202012Validator, ValidationError

from campaign_contracts.documents import Document
from campaign_contracts.httpapi.errors import ApiError
from campaign_contracts.httpapi.validation import (
    ApiDocument,
    CompiledOperation,
    load_api,
    parse_json,
)
from campaign_contracts.registry import APIS as REGISTRY
from campaign_contracts.text import shorten

APIS = tuple(REGISTRY)
# jsonschema's messages quote the offending value, which may be as large as the body.
MAX_MESSAGE_CHARS = 200
# More than this many violations of one exchange are summed up in one more line.
MAX_VIOLATIONS = 20
# Matches of (method, path) kept by each API, forgotten all at once past this many.
MATCHES_KEPT = 4096
SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Violation:
    """One way an exchange breaks the document. `kind` says which check found it."""

    kind: str  # request, security, status, content-type, schema, undeclared, not-json, ...
    location: str  # `$.result[0].status`, `request body $.name`, `query parameter 'page'`, ""
    message: str

    def describe(self) -> str:
        return f"{self.location} {self.message}" if self.location else self.message


def json_path(parts: Any, root: str = "$") -> str:
    """`$.result[0].status` for the instance path ["result", 0, "status"]."""
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif SIMPLE_NAME.match(str(part)):
            path += f".{part}"
        else:
            path += f"[{json.dumps(str(part))}]"
    return path


def _errors(error: ValidationError) -> Iterator[ValidationError]:
    """`error`, or for a oneOf/anyOf that failed, the errors of the alternative that fits
    the value's type (the list, not the bare object, when a list was sent)."""
    context = getattr(error.kind, "context", None)
    if error.kind.name in {"oneOf", "anyOf"} and context:
        same_place = list(error.instance_path)
        fitting = [
            alternative
            for alternative in context
            if alternative
            and not any(
                sub.kind.name == "type" and list(sub.instance_path) == same_place
                for sub in alternative
            )
        ]
        if len(fitting) == 1:
            for sub in fitting[0]:
                yield from _errors(sub)
            return
    yield error


def schema_violations(validator: Draft202012Validator, instance: Any, root: str) -> list[Violation]:
    # Most exchanges hold to the document: a yes or no is cheaper than an empty error list.
    if validator.is_valid(instance):
        return []
    found = []
    for error in validator.iter_errors(instance):
        for leaf in _errors(error):
            if leaf.kind.name == "unevaluatedProperties":
                found += [
                    Violation(
                        "undeclared",
                        json_path([*leaf.instance_path, name], root),
                        "is not declared by the schema",
                    )
                    for name in getattr(leaf.kind, "unexpected", [])
                ]
            else:
                found.append(
                    Violation(
                        "schema",
                        json_path(leaf.instance_path, root),
                        shorten(leaf.message, MAX_MESSAGE_CHARS),
                    )
                )
    return found


def closed(node: Any) -> Any:
    """A copy of a schema in which objects with `properties` allow no others (see above)."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: closed(value) for key, value in node.items()}
    if (
        isinstance(node.get("properties"), dict)
        and "additionalProperties" not in node
        and "unevaluatedProperties" not in node
    ):
        copied["unevaluatedProperties"] = False
    return copied


def media_type(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


@dataclass(frozen=True)
class Answer:
    """A documented answer: its media types and the closed validator of its JSON body."""

    media_types: tuple[str, ...]
    validator: Draft202012Validator | None


@dataclass(frozen=True)
class CredentialPlace:
    scheme: str
    place: str  # header, cookie, query
    name: str


@dataclass(frozen=True)
class OperationContract:
    """One operation: its request checks (the sandbox's) and its documented answers."""

    operation: CompiledOperation
    answers: Mapping[int, Answer]
    credentials: tuple[CredentialPlace, ...]

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    def check_request(
        self,
        path_params: Mapping[str, str],
        query_string: str,
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
        body: bytes | None,
    ) -> list[Violation]:
        """Parameters, body and credentials; `body` None: too large to check."""
        found = []
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        for parameter in self.operation.parameters:
            source = query if parameter.location == "query" else path_params
            if parameter.location not in {"query", "path"}:
                continue
            try:
                parameter.parse(source.get(parameter.name))
            except ApiError as error:
                found.append(
                    Violation("parameter", "request", shorten(error.message, MAX_MESSAGE_CHARS))
                )
        if self.operation.body_validator is not None and body is not None:
            try:
                data = parse_json(body, headers.get("content-type"))
            except ApiError as error:
                found.append(Violation("request-body", "request body", error.message))
            else:
                found += schema_violations(self.operation.body_validator, data, "request body $")
        for credential in self.credentials:
            sent = headers if credential.place == "header" else cookies
            if credential.place == "query":
                sent = query
            if not sent.get(
                credential.name.lower() if credential.place == "header" else credential.name
            ):
                found.append(
                    Violation(
                        "security",
                        "request",
                        f"sends no {credential.name} {credential.place} ({credential.scheme})",
                    )
                )
        return found

    def check_status(self, status: int, content_type: str | None) -> list[Violation]:
        """Whether the status and the media type are documented (no body needed)."""
        answer = self.answers.get(status)
        if answer is None:
            documented = ", ".join(str(code) for code in sorted(self.answers))
            return [Violation("status", "", f"status {status} is not documented ({documented})")]
        if answer.media_types and media_type(content_type) not in answer.media_types:
            return [
                Violation(
                    "content-type",
                    "",
                    f"content type {media_type(content_type) or '(none)'!r} is not documented"
                    f" ({', '.join(answer.media_types)})",
                )
            ]
        return []

    def check_body(self, status: int, body: bytes) -> list[Violation]:
        """The answer's JSON body against its schema; only after check_status found nothing."""
        answer = self.answers.get(status)
        if answer is None or answer.validator is None:
            return []
        try:
            data = json.loads(body)
        except ValueError:
            return [Violation("not-json", "", "the body is not valid JSON")]
        return schema_violations(answer.validator, data, "$")


class ApiContract:
    """One API's document, ready to route and check exchanges."""

    def __init__(self, api: ApiDocument) -> None:
        model = api.model
        self.name = api.name
        self.model = model
        self.error_body = REGISTRY[api.name].error_body
        self.path_prefix = str(commonpath([op.path for op in model.operations.values()]))
        strict = Document(closed(model.raw), model.source, model.name)
        self.operations: dict[str, OperationContract] = {}
        # The matches of the paths seen last: a client asks for the same ones again and again.
        self._matches: dict[tuple[str, str], tuple[OperationContract, dict[str, str]] | None] = {}
        for operation_id, operation in model.operations.items():
            answers = {}
            for status, response in operation.responses.items():
                if not status.isdigit():
                    continue
                pointer = response.json_schema_pointer
                validator = None if pointer is None else strict.validator_at(pointer)
                answers[int(status)] = Answer(tuple(response.content), validator)
            credentials = tuple(
                CredentialPlace(key, scheme.location, scheme.name)
                for key in sorted(operation.security_schemes)
                if (scheme := model.security_schemes.get(key)) is not None
                and scheme.location is not None
                and scheme.name is not None
            )
            self.operations[operation_id] = OperationContract(
                api.operations[operation_id], answers, credentials
            )

    def match(self, method: str, path: str) -> tuple[OperationContract, dict[str, str]] | None:
        """The operation of `method` on `path`, and the path's parameters (decoded)."""
        key = (method, path)
        if key in self._matches:
            return self._matches[key]
        found = self.model.match(method, path)
        matched = None
        if found is not None:
            params = {name: unquote(value) for name, value in found.path_params.items()}
            matched = self.operations[found.operation.operation_id], params
        if len(self._matches) >= MATCHES_KEPT:
            self._matches.clear()
        self._matches[key] = matched
        return matched

    def owns(self, path: str) -> bool:
        return path == self.path_prefix or path.startswith(self.path_prefix.rstrip("/") + "/")


def load_contracts() -> dict[str, ApiContract]:
    """Every API's contract, longest path prefix first (the order routing tries them in)."""
    contracts = [ApiContract(load_api(name)) for name in REGISTRY]
    contracts.sort(key=lambda contract: len(contract.path_prefix), reverse=True)
    return {contract.name: contract for contract in contracts}
