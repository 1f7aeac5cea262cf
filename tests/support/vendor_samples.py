"""The vendor-doc samples and where each belongs in our OpenAPI documents (shared by tests).

Fixtures live in tests/data/vendor_samples/<api>/<operationId>--<part>[--<variant>].json,
where <part> is `request-body`, `response-<status>`, `query` or `path`. They were cut from
the vendor docs byte for byte; a sample that is not JSON in the docs is kept as `.raw.txt`
beside the `.repairs.json` whose find/replace pairs turn it into the fixture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from campaign_contracts.documents import Parameter, node_at
from campaign_contracts.registry import APIS as REGISTRY
from campaign_contracts.spec_changes.dependents import sample_places

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "vendor_samples"
APIS = tuple(REGISTRY)
FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER

Document = dict[str, Any]
MODELS = {api: REGISTRY[api].load() for api in APIS}
SPECS: dict[str, Document] = {api: model.raw for api, model in MODELS.items()}


def lookup(spec: Document, json_pointer: str) -> Any:
    """The node a local JSON pointer (`#/…`) names."""
    return node_at(spec, json_pointer.removeprefix("#"), "the document")


def targets(api: str, name: str) -> list[tuple[str, Document, Any]]:
    """(schema pointer, the object holding its examples, sample value) for each fixture value."""
    operation_id, part, *_ = name.split("--")
    operation = MODELS[api].operations[operation_id]
    value = json.loads((SAMPLES / api / f"{name}.json").read_text())
    found = []
    for sample in sample_places(operation, part, value):
        where = f"{part} parameter {sample.key!r}" if sample.key else f"application/json {part}"
        assert sample.place is not None, f"{api}/{name}: {operation.label} has no {where}"
        if isinstance(sample.place, Parameter):
            pointer = sample.place.schema_pointer
        else:
            # Where the schema is written, `$ref` and all: the models test reads the
            # component's name.
            pointer = f"{sample.place.pointer}/schema"
        found.append(("#" + pointer, dict(sample.place.raw), sample.value))
    return found


def validator(api: str, schema_pointer: str) -> jsonschema.Draft202012Validator:
    uri = f"urn:campaign-contracts:{api}"
    registry: Registry[Any] = Registry().with_resource(uri, DRAFT202012.create_resource(SPECS[api]))
    return jsonschema.Draft202012Validator(
        {"$ref": uri + schema_pointer}, registry=registry, format_checker=FORMAT_CHECKER
    )


def sample_names() -> list[tuple[str, str]]:
    return sorted(
        (api, p.name.removesuffix(".json"))
        for api in APIS
        for p in (SAMPLES / api).glob("*.json")
        if not p.name.endswith(".repairs.json")
    )


def as_params(names: list[tuple[str, str]]) -> list[Any]:
    """One test id per sample: `<api>/<fixture name>`."""
    return [pytest.param(api, name, id=f"{api}/{name}") for api, name in names]


SAMPLE_PARAMS = as_params(sample_names())
REPAIRED_PARAMS = as_params(
    sorted((p.parent.name, p.name.removesuffix(".raw.txt")) for p in SAMPLES.glob("*/*.raw.txt"))
)
