"""Is a document valid OpenAPI 3.1? The first problem as one line, with its line and column.

Checked against the OpenAPI Initiative's JSON Schema of OpenAPI 3.1 (`oas-3.1-schema.json`,
its `$id` says which release; the copy openapi-spec-validator ships), with every Schema Object
checked against JSON Schema 2020-12 (the spec's "schema-base" variant), by jsonschema-rs: about
a millisecond a document, so every load can afford it. Only a failure reads the YAML again, for
the position of what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema_rs import Registry, ValidationError, Validator, validator_for

from campaign_contracts.documents.errors import DocumentError
from campaign_contracts.documents.model import pointer

SCHEMA_FILE = "oas-3.1-schema.json"
JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# The spec's "schema-base": the OpenAPI schema with its `meta` anchor (every Schema Object)
# bound to the JSON Schema 2020-12 meta-schema instead of "any object or boolean".
SCHEMA_BASE_ID = "urn:campaign-contracts:oas-3.1-schema-base"
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _validator() -> Validator:
    schema = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))
    base = {
        "$id": SCHEMA_BASE_ID,
        "$schema": JSON_SCHEMA_2020_12,
        "$ref": schema["$id"],
        "$defs": {"schema": {"$dynamicAnchor": "meta", "$ref": JSON_SCHEMA_2020_12}},
    }
    return validator_for(base, registry=Registry([(schema["$id"], schema)]))


def check_openapi(raw: Any, text: str, source: str) -> None:
    """Raise a DocumentError for the first way `raw` (parsed from `text`) is not OpenAPI 3.1."""
    # As JSON sees it: YAML's `404:` keys are numbers, its unquoted dates `date` objects.
    error = next(_validator().iter_errors(json.loads(json.dumps(raw, default=str))), None)
    if error is None:
        return
    path, message = explain(error)
    line, column = _position(text, path)
    where = f"line {line}, column {column}, " if line is not None else ""
    raise DocumentError(
        source,
        f"not valid OpenAPI 3.1 ({where}at {pointer(*path) or '/'}): {message}",
        line=line,
        column=column,
    )


def explain(error: ValidationError) -> tuple[list[str | int], str]:
    """Where in the instance, and what: for `anyOf` / `oneOf`, its most telling branch (the
    deepest, and not a mere `type` mismatch: `"strng" is not one of "array", ...` rather than
    `not of type`, `/0/customerId: "9" is not of type "integer"` rather than the whole
    instance is not valid under any of the schemas)."""
    branches: Sequence[Sequence[ValidationError]] = getattr(error.kind, "context", None) or ()
    inner = [branch_error for branch in branches for branch_error in branch]
    if not inner:
        return list(error.instance_path), str(error.message)
    telling = [item for item in inner if type(item.kind).__name__ != "Type"] or inner
    return explain(max(telling, key=lambda item: len(item.instance_path)))


def _position(text: str, path: Sequence[str | int]) -> tuple[int | None, int | None]:
    """The 1-based line and column of the node at `path` in the YAML `text`, if it is there."""
    node: yaml.Node | None = yaml.compose(text, Loader=_COMPOSER)
    found = node
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:  # the path goes through an alias or a merge key: the closest node
            break
        found = node
    if found is None:
        return None, None
    return found.start_mark.line + 1, found.start_mark.column + 1
