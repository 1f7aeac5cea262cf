"""What depends on a document, re-validated against its new version.

An edit can be a fine change of the API and still leave behind what was written for the old
version: an example the document prints (the business rules of `contract_tests/rules.py` send
the request examples named `vendorDocs`, with only their name fields replaced, so checking the
examples checks their bodies), or a sample cut from the vendor's pages and committed under
`tests/data/vendor_samples/<api>/<operationId>--<part>[--<variant>].json` (part `request-body`,
`response-<status>`, `query` or `path`). Each of them that the new version rejects is named
here, so the gate fails on it before `generate` or `contract` trip over it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contracts.documents import Document, MediaType, Operation, Parameter, pointer
from campaign_contracts.documents.validity import explain

SAMPLES = Path("tests") / "data" / "vendor_samples"


@dataclass(frozen=True)
class Dependent:
    """A value written against the document: where it is, and the schema it must match."""

    label: str
    # None: there is no longer any place for it (the operation or the part is gone).
    schema_pointer: str | None
    value: Any


def rejected(document: Document, root: Path) -> list[str]:
    """One line for each example or vendor sample of `document` that it rejects, saying why.

    The samples are read from `root` (a checkout); without them there is nothing to check.
    """
    problems = []
    for dependent in (*examples(document), *vendor_samples(document, root / SAMPLES)):
        if dependent.schema_pointer is None:
            problems.append(dependent.label)
            continue
        validator = document.validator_at(dependent.schema_pointer)
        error = next(validator.iter_errors(dependent.value), None)
        if error is not None:
            path, message = explain(error)
            at = pointer(*path)
            problems.append(f"{dependent.label}{f' at {at}' if at else ''}: {message}")
    return problems


def _media_examples(label: str, content: Mapping[str, Any]) -> Iterator[Dependent]:
    for media_type in content.values():
        if media_type.schema_pointer is None:
            continue
        for name, value in media_type.examples.items():
            yield Dependent(f"example `{name}` of {label}", media_type.schema_pointer, value)


def examples(document: Document) -> Iterator[Dependent]:
    """Every example of every operation's parameters, request body and responses."""
    for operation in document.operations.values():
        where = f"{operation.label} ({operation.operation_id})"
        for parameter in operation.parameters:
            named = dict(parameter.raw.get("examples") or {})
            if "example" in parameter.raw:
                named["example"] = {"value": parameter.raw["example"]}
            for name, example in named.items():
                value = document.mapping(example).get("value")
                yield Dependent(
                    f"example `{name}` of {where} {parameter.location} parameter"
                    f" `{parameter.name}`",
                    parameter.schema_pointer,
                    value,
                )
        if operation.request_body is not None:
            yield from _media_examples(f"{where} request body", operation.request_body.content)
        for status, response in operation.responses.items():
            yield from _media_examples(f"{where} response {status}", response.content)


def vendor_samples(document: Document, samples: Path) -> Iterator[Dependent]:
    """The committed vendor samples of `document`'s API, each where it belongs."""
    folder = samples / document.name
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".repairs.json"):
            continue
        operation_id, part, *_ = path.stem.split("--")
        label = f"vendor sample {SAMPLES.as_posix()}/{document.name}/{path.name}"
        operation = document.operations.get(operation_id)
        if operation is None:
            yield Dependent(f"{label}: there is no operation {operation_id!r}", None, None)
            continue
        yield from _sample(operation, part, label, json.loads(path.read_text("utf-8")))


@dataclass(frozen=True)
class SamplePlace:
    """One value of a vendor sample and the part of the document it belongs in (None: there
    is none): a parameter for each value of a `query` or `path` sample, else a media type."""

    value: Any
    place: Parameter | MediaType | None
    # A `query` or `path` sample's key: the parameter's name. None for a body.
    key: str | None = None


def sample_places(operation: Operation, part: str, value: Any) -> Iterator[SamplePlace]:
    """Where each value of a vendor sample of `operation`'s `part` (`request-body`,
    `response-<status>`, `query` or `path`) belongs."""
    if part in ("query", "path"):
        for key, item in value.items():
            yield SamplePlace(item, operation.parameter(part, key), key)
        return
    if part == "request-body":
        media = operation.request_body.json if operation.request_body is not None else None
    else:
        response = operation.responses.get(part.removeprefix("response-"))
        media = response.json if response is not None else None
    yield SamplePlace(value, media)


def _sample(operation: Operation, part: str, label: str, value: Any) -> Iterator[Dependent]:
    for sample in sample_places(operation, part, value):
        if sample.key is not None:
            if sample.place is None:
                yield Dependent(f"{label}: there is no {part} parameter {sample.key!r}", None, None)
            else:
                yield Dependent(
                    f"{label} `{sample.key}`", sample.place.schema_pointer, sample.value
                )
        elif sample.place is None or sample.place.schema_pointer is None:
            yield Dependent(f"{label}: {operation.label} has no JSON {part}", None, None)
        else:
            yield Dependent(label, sample.place.schema_pointer, sample.value)
