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
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "vendor_samples"
APIS = ("engage", "intelsend")
FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER

Document = dict[str, Any]
SPECS: dict[str, Document] = {
    api: yaml.safe_load((ROOT / "openapi" / f"{api}.yaml").read_text()) for api in APIS
}


def pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def lookup(spec: Document, json_pointer: str) -> Any:
    """The node a local JSON pointer (`#/…`) names."""
    node: Any = spec
    for part in json_pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(spec: Document, node: Document) -> Document:
    """Follow local `$ref`s until a real object is reached."""
    while "$ref" in node:
        node = lookup(spec, node["$ref"])
    return node


def find_operation(spec: Document, operation_id: str) -> tuple[str, str, Document]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return path, method, operation
    raise LookupError(f"no operation {operation_id!r}")


def parameter(
    spec: Document, path: str, method: str, location: str, name: str
) -> tuple[str, Document]:
    """The schema pointer and object of a parameter (operation level wins over path level)."""
    for level in (pointer("paths", path, method), pointer("paths", path)):
        for index, candidate in enumerate(resolve(spec, {"$ref": level}).get("parameters", [])):
            found = resolve(spec, candidate)
            if (found["name"], found["in"]) == (name, location):
                return candidate.get("$ref", f"{level}/parameters/{index}") + "/schema", found
    raise LookupError(f"no {location} parameter {name!r} on {method.upper()} {path}")


def targets(api: str, name: str) -> list[tuple[str, Document, Any]]:
    """(schema pointer, the object holding its examples, sample value) for each fixture value."""
    spec = SPECS[api]
    operation_id, part, *_ = name.split("--")
    path, method, operation = find_operation(spec, operation_id)
    value = json.loads((SAMPLES / api / f"{name}.json").read_text())
    if part in ("query", "path"):
        return [(*parameter(spec, path, method, part, key), item) for key, item in value.items()]
    if part == "request-body":
        here, node = pointer("paths", path, method, "requestBody"), operation["requestBody"]
    else:
        status = part.removeprefix("response-")
        here = pointer("paths", path, method, "responses", status)
        node = operation["responses"][status]
    json_media = resolve(spec, node)["content"]["application/json"]
    return [(node.get("$ref", here) + "/content/application~1json/schema", json_media, value)]


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
