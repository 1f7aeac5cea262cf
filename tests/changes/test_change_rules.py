"""Each rule of spec_changes fires on its tiny before/after pair and not on an unchanged document.

Every case edits one small document (`BASE_DOCUMENT`). A widening rule is usually the
narrowing edit read backwards, so a case names an edit for each side.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from campaign_contracts.spec_changes.diff import ClassifiedChange, compare
from campaign_contracts.spec_changes.document import Document, DocumentError
from campaign_contracts.spec_changes.rules import RULES

Edit = Callable[[dict[str, Any]], None]

BASE_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Items", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.test"}],
    "security": [{"Key": []}],
    "paths": {
        "/items/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "post": {
                "operationId": "updateItem",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ItemIn"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ItemOut"}}
                        },
                    },
                    "404": {"description": "unknown item"},
                },
            },
        }
    },
    "components": {
        "securitySchemes": {
            "Key": {"type": "apiKey", "in": "header", "name": "Authorization"},
            "Other": {"type": "apiKey", "in": "cookie", "name": "session"},
        },
        "schemas": {
            "ItemIn": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "count": {"type": "integer"},
                    "note": {"type": "string"},
                },
            },
            "ItemOut": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["on", "off"]},
                    "size": {"type": "integer"},
                    "label": {"type": "string"},
                },
            },
        },
    },
}


def operation(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = document["paths"]["/items/{id}"]["post"]
    return result


def schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = document["components"]["schemas"][name]
    return result


def parameter(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in operation(document)["parameters"] if p["name"] == name)


def set_field(schema_name: str, field: str, key: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        schema(document, schema_name)["properties"][field][key] = value

    return edit


def add_field(schema_name: str, field: str, *, required: bool) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        schema(document, schema_name)["properties"][field] = {"type": "string"}
        if required:
            schema(document, schema_name)["required"].append(field)

    return edit


def remove_field(schema_name: str, field: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        del schema(document, schema_name)["properties"][field]

    return edit


def require_field(schema_name: str, field: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        schema(document, schema_name)["required"].append(field)

    return edit


def add_parameter(*, required: bool) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        operation(document)["parameters"].append(
            {"name": "page", "in": "query", "required": required, "schema": {"type": "integer"}}
        )

    return edit


def set_parameter(name: str, key: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        parameter(document, name)[key] = value

    return edit


def remove_parameter(document: dict[str, Any]) -> None:
    operation(document)["parameters"] = [parameter(document, "X-Trace")]


def set_security(*requirements: dict[str, list[str]]) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        operation(document)["security"] = list(requirements)

    return edit


def remove_servers(document: dict[str, Any]) -> None:
    document["servers"] = []


def remove_operation(document: dict[str, Any]) -> None:
    del document["paths"]["/items/{id}"]["post"]


def rename_operation(document: dict[str, Any]) -> None:
    operation(document)["operationId"] = "changeItem"


def remove_body(document: dict[str, Any]) -> None:
    del operation(document)["requestBody"]


def optional_body(document: dict[str, Any]) -> None:
    operation(document)["requestBody"]["required"] = False


def add_media_type(where: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        holder = (
            operation(document)["requestBody"]
            if where == "request"
            else operation(document)["responses"]["200"]
        )
        holder["content"]["text/plain"] = {"schema": {"type": "string"}}

    return edit


def add_status(status: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        operation(document)["responses"][status] = {"description": status}

    return edit


def remove_status(status: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        del operation(document)["responses"][status]

    return edit


def unchanged(document: dict[str, Any]) -> None:
    """The base document as it is."""


# 3.1 type arrays: gaining `null` widens a request and a response alike.
nullable_count = set_field("ItemIn", "count", "type", ["integer", "null"])
nullable_size = set_field("ItemOut", "size", "type", ["integer", "null"])

# rule id → (edit giving "before", edit giving "after"); the rule must fire between them.
CASES: dict[str, tuple[Edit, Edit]] = {
    "server-removed": (unchanged, remove_servers),
    "server-added": (remove_servers, unchanged),
    "operation-removed": (unchanged, remove_operation),
    "operation-added": (remove_operation, unchanged),
    "operation-id-changed": (unchanged, rename_operation),
    "security-changed": (unchanged, set_security({"Other": []})),
    "security-alternative-added": (unchanged, set_security({"Key": []}, {"Other": []})),
    "parameter-removed": (unchanged, remove_parameter),
    "parameter-renamed": (unchanged, set_parameter("q", "name", "query")),
    "parameter-added-required": (unchanged, add_parameter(required=True)),
    "parameter-added-optional": (unchanged, add_parameter(required=False)),
    "parameter-made-required": (unchanged, set_parameter("q", "required", True)),
    "parameter-made-optional": (set_parameter("q", "required", True), unchanged),
    "request-body-added-required": (remove_body, unchanged),
    "request-body-added-optional": (remove_body, optional_body),
    "request-body-removed": (unchanged, remove_body),
    "request-body-made-required": (optional_body, unchanged),
    "request-body-made-optional": (unchanged, optional_body),
    "request-media-type-removed": (add_media_type("request"), unchanged),
    "request-media-type-added": (unchanged, add_media_type("request")),
    "response-media-type-removed": (add_media_type("response"), unchanged),
    "response-media-type-added": (unchanged, add_media_type("response")),
    "success-status-removed": (add_status("201"), unchanged),
    "success-status-added": (unchanged, add_status("201")),
    "error-status-removed": (unchanged, remove_status("404")),
    "error-status-added": (remove_status("404"), unchanged),
    "request-property-removed": (unchanged, remove_field("ItemIn", "note")),
    "response-property-removed": (unchanged, remove_field("ItemOut", "label")),
    "request-property-added-required": (unchanged, add_field("ItemIn", "extra", required=True)),
    "request-property-added-optional": (unchanged, add_field("ItemIn", "extra", required=False)),
    "response-property-added": (unchanged, add_field("ItemOut", "extra", required=True)),
    "request-property-made-required": (unchanged, require_field("ItemIn", "note")),
    "request-property-made-optional": (require_field("ItemIn", "note"), unchanged),
    "response-property-made-required": (unchanged, require_field("ItemOut", "label")),
    "response-property-made-optional": (require_field("ItemOut", "label"), unchanged),
    "request-type-narrowed": (nullable_count, unchanged),
    "request-type-widened": (unchanged, nullable_count),
    "request-type-changed": (unchanged, set_field("ItemIn", "count", "type", "string")),
    "response-type-narrowed": (
        set_field("ItemOut", "size", "type", ["integer", "null"]),
        unchanged,
    ),
    "response-type-widened": (unchanged, set_field("ItemOut", "size", "type", ["integer", "null"])),
    "response-type-changed": (unchanged, set_field("ItemOut", "size", "type", "string")),
    "request-enum-value-removed": (unchanged, set_field("ItemIn", "kind", "enum", ["a"])),
    "request-enum-value-added": (unchanged, set_field("ItemIn", "kind", "enum", ["a", "b", "c"])),
    "response-enum-value-removed": (unchanged, set_field("ItemOut", "status", "enum", ["on"])),
    "response-enum-value-added": (
        unchanged,
        set_field("ItemOut", "status", "enum", ["on", "off", "gone"]),
    ),
    "request-enum-introduced": (unchanged, set_field("ItemIn", "note", "enum", ["x"])),
    "request-enum-dropped": (set_field("ItemIn", "note", "enum", ["x"]), unchanged),
    "response-enum-introduced": (unchanged, set_field("ItemOut", "label", "const", "x")),
    "response-enum-dropped": (set_field("ItemOut", "label", "const", "x"), unchanged),
}


# Whether each rule breaks existing clients, written out apart from rules.py so that a flag
# flipped there fails a test (README.md, "When a vendor API changes", lists the breaking ones).
BREAKING = {
    "document-removed": True,
    "server-removed": True,
    "server-added": False,
    "operation-removed": True,
    "operation-added": False,
    "operation-id-changed": True,
    "security-changed": True,
    "security-alternative-added": False,
    "parameter-removed": True,
    "parameter-renamed": True,
    "parameter-added-required": True,
    "parameter-added-optional": False,
    "parameter-made-required": True,
    "parameter-made-optional": False,
    "request-body-added-required": True,
    "request-body-added-optional": False,
    "request-body-removed": True,
    "request-body-made-required": True,
    "request-body-made-optional": False,
    "request-media-type-removed": True,
    "request-media-type-added": False,
    "response-media-type-removed": True,
    "response-media-type-added": False,
    "success-status-removed": True,
    "success-status-added": False,
    "error-status-removed": False,
    "error-status-added": False,
    "request-property-removed": True,
    "response-property-removed": True,
    "request-property-added-required": True,
    "request-property-added-optional": False,
    "response-property-added": False,
    "request-property-made-required": True,
    "request-property-made-optional": False,
    "response-property-made-required": False,
    "response-property-made-optional": True,
    "request-type-narrowed": True,
    "request-type-widened": False,
    "request-type-changed": True,
    "response-type-narrowed": False,
    "response-type-widened": True,
    "response-type-changed": True,
    "request-enum-value-removed": True,
    "request-enum-value-added": False,
    "response-enum-value-removed": False,
    "response-enum-value-added": True,
    "request-enum-introduced": True,
    "request-enum-dropped": False,
    "response-enum-introduced": False,
    "response-enum-dropped": True,
}


def edited(edit: Edit) -> dict[str, Any]:
    document = copy.deepcopy(BASE_DOCUMENT)
    edit(document)
    return document


def rules_between(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    return [finding.rule for finding in findings_between(before, after)]


def findings_between(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[ClassifiedChange]:
    return compare(
        None if before is None else Document(before), None if after is None else Document(after)
    )


def test_every_rule_has_a_case() -> None:
    rule_ids = {rule.id for rule in RULES.values()}
    assert rule_ids - {"document-removed"} == set(CASES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires_on_its_change_only(rule: str) -> None:
    make_before, make_after = CASES[rule]
    before, after = edited(make_before), edited(make_after)
    assert rule in rules_between(before, after)
    assert rules_between(before, before) == []
    assert rules_between(after, after) == []


def test_every_rule_is_breaking_or_not_as_expected() -> None:
    assert {rule.id for rule in RULES.values()} == set(BREAKING)
    assert {rule.id: rule.breaking for rule in RULES.values()} == BREAKING
    # A rule id shared by two directions must mean the same in both.
    assert all(rule.breaking is BREAKING[rule.id] for rule in RULES.values())


@pytest.mark.parametrize("rule", sorted(CASES))
def test_finding_of_each_rule_is_breaking_or_not_as_expected(rule: str) -> None:
    make_before, make_after = CASES[rule]
    findings = findings_between(edited(make_before), edited(make_after))
    assert [f.breaking for f in findings if f.rule == rule] == [BREAKING[rule]]


def test_document_removed() -> None:
    assert [(f.rule, f.breaking) for f in findings_between(BASE_DOCUMENT, None)] == [
        ("document-removed", True)
    ]
    assert rules_between(BASE_DOCUMENT, BASE_DOCUMENT) == []


def with_numeric_statuses(document: dict[str, Any]) -> None:
    """Status codes as YAML reads an unquoted `200:`, a number."""
    responses = operation(document)["responses"]
    operation(document)["responses"] = {int(status): value for status, value in responses.items()}


def test_numeric_and_string_status_codes_are_the_same() -> None:
    assert rules_between(BASE_DOCUMENT, edited(with_numeric_statuses)) == []
    assert rules_between(edited(with_numeric_statuses), BASE_DOCUMENT) == []
    after = edited(with_numeric_statuses)
    del operation(after)["responses"][404]
    assert [(f.rule, f.location) for f in findings_between(BASE_DOCUMENT, after)] == [
        ("error-status-removed", "response 404")
    ]


def test_numeric_and_string_property_names_are_the_same() -> None:
    before, after = edited(unchanged), edited(unchanged)
    schema(before, "ItemOut")["properties"]["2"] = {"type": "string"}
    schema(after, "ItemOut")["properties"][2] = {"type": "string"}
    assert rules_between(before, after) == []
    schema(after, "ItemOut")["required"].append(2)
    assert rules_between(before, after) == ["response-property-made-required"]


def test_new_document_lists_its_operations_as_added() -> None:
    assert rules_between({}, BASE_DOCUMENT) == ["server-added", "operation-added"]


def test_same_observation_means_opposite_things_by_direction() -> None:
    request = findings_between(BASE_DOCUMENT, edited(nullable_count))
    response = findings_between(BASE_DOCUMENT, edited(nullable_size))
    assert [(f.rule, f.breaking) for f in request] == [("request-type-widened", False)]
    assert [(f.rule, f.breaking) for f in response] == [("response-type-widened", True)]


def test_finding_names_operation_location_field_and_detail() -> None:
    [finding] = findings_between(
        BASE_DOCUMENT, edited(set_field("ItemOut", "size", "type", "string"))
    )
    assert finding == ClassifiedChange(
        rule="response-type-changed",
        breaking=True,
        summary="response type changed",
        operation="POST /items/{id}",
        operation_id="updateItem",
        location="response 200",
        field="size",
        detail="integer → string",
    )


def test_nullable_and_type_array_are_the_same_type() -> None:
    before = edited(set_field("ItemOut", "label", "type", ["string", "null"]))
    after = edited(set_field("ItemOut", "label", "nullable", True))
    assert rules_between(before, after) == []


def test_number_admits_integer() -> None:
    to_number = edited(set_field("ItemIn", "count", "type", "number"))
    assert rules_between(BASE_DOCUMENT, to_number) == ["request-type-widened"]
    assert rules_between(to_number, BASE_DOCUMENT) == ["request-type-narrowed"]


def test_path_parameter_rename_is_a_parameter_rename_not_a_new_operation() -> None:
    after = copy.deepcopy(BASE_DOCUMENT)
    path_item = after["paths"].pop("/items/{id}")
    path_item["parameters"][0]["name"] = "itemId"
    after["paths"]["/items/{itemId}"] = path_item
    [finding] = findings_between(BASE_DOCUMENT, after)
    assert (finding.rule, finding.detail) == ("parameter-renamed", "`id` → `itemId`")


def test_renaming_a_security_scheme_key_is_no_change() -> None:
    after = copy.deepcopy(BASE_DOCUMENT)
    schemes = after["components"]["securitySchemes"]
    schemes["Token"] = schemes.pop("Key")
    after["security"] = [{"Token": []}]
    assert rules_between(BASE_DOCUMENT, after) == []


def test_security_added_to_an_open_operation_is_breaking() -> None:
    before = edited(set_security())
    assert rules_between(before, BASE_DOCUMENT) == ["security-changed"]


def test_all_of_members_are_merged() -> None:
    def split_item_in(document: dict[str, Any]) -> None:
        item_in = schema(document, "ItemIn")
        schema(document, "ItemIn")["allOf"] = [
            {"type": "object", "properties": {"name": item_in["properties"].pop("name")}}
        ]

    assert rules_between(BASE_DOCUMENT, edited(split_item_in)) == []
    with_required = edited(split_item_in)
    schema(with_required, "ItemIn")["allOf"][0]["required"] = ["note"]
    assert "request-property-made-required" in rules_between(BASE_DOCUMENT, with_required)


def parts_of(schema_name: str) -> Edit:
    """ItemOut gains `parts`, an array of the schema `schema_name` (by `$ref`)."""
    items = {"$ref": f"#/components/schemas/{schema_name}"}

    def edit(document: dict[str, Any]) -> None:
        schema(document, "ItemOut")["properties"]["parts"] = {"type": "array", "items": items}

    return edit


def test_reused_schema_is_compared_at_each_place_with_its_path() -> None:
    before = edited(parts_of("ItemIn"))
    after = edited(parts_of("ItemIn"))
    schema(after, "ItemIn")["properties"]["kind"]["enum"] = ["a"]
    assert [(f.rule, f.location, f.field) for f in findings_between(before, after)] == [
        ("request-enum-value-removed", "request body", "kind"),
        ("response-enum-value-removed", "response 200", "parts[].kind"),
    ]


def test_recursive_schema_stops_at_its_first_repetition() -> None:
    before = edited(parts_of("ItemOut"))
    after = edited(parts_of("ItemOut"))
    schema(after, "ItemOut")["properties"]["status"]["enum"] = ["on", "off", "gone"]
    assert [f.field for f in findings_between(before, after)] == ["status"]


def test_one_of_compares_alternatives_in_order_and_counts_them() -> None:
    def union(*types: str) -> Edit:
        def edit(document: dict[str, Any]) -> None:
            schema(document, "ItemOut")["properties"]["size"] = {
                "oneOf": [{"type": name} for name in types]
            }

        return edit

    base = edited(union("integer", "string"))
    assert rules_between(base, edited(union("integer", "boolean"))) == ["response-type-changed"]
    assert rules_between(base, edited(union("integer", "string", "null"))) == [
        "response-type-widened"
    ]


def test_all_of_including_itself_is_an_error() -> None:
    after = edited(unchanged)
    schema(after, "ItemOut")["allOf"] = [{"$ref": "#/components/schemas/ItemOut"}]
    with pytest.raises(DocumentError, match=r"^the document: .*allOf includes the schema itself$"):
        findings_between(BASE_DOCUMENT, after)


def test_enum_of_dates_is_compared() -> None:
    before = edited(set_field("ItemOut", "label", "enum", ["2026-01-01"]))
    # YAML reads an unquoted 2026-01-02 as a date.
    after = edited(set_field("ItemOut", "label", "enum", [datetime.date(2026, 1, 2)]))
    assert rules_between(before, after) == [
        "response-enum-value-removed",
        "response-enum-value-added",
    ]


# Values of every YAML kind, put where the document has another kind.
WRONG_SHAPES: tuple[Any, ...] = (None, 7, "x", [1], {"x": 1})


def node_paths(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every node under `node`, dict keys and list indices, as text."""
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        children = []
    for key, child in children:
        yield (*path, str(key))
        yield from node_paths(child, (*path, str(key)))


def replaced(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """BASE_DOCUMENT with the node at `path` replaced by `value`."""
    document = copy.deepcopy(BASE_DOCUMENT)
    holder: Any = document
    for key in path[:-1]:
        holder = holder[int(key) if isinstance(holder, list) else key]
    holder[int(path[-1]) if isinstance(holder, list) else path[-1]] = value
    return document


@pytest.mark.parametrize("path", list(node_paths(BASE_DOCUMENT)), ids=".".join)
def test_any_part_of_the_wrong_shape_is_a_document_error_not_a_crash(path: tuple[str, ...]) -> None:
    errors = []
    for value in WRONG_SHAPES:
        malformed = Document(replaced(path, value), "openapi/items.yaml")
        base = Document(BASE_DOCUMENT)
        for before, after in ((base, malformed), (malformed, base)):
            try:
                compare(before, after)
                _ = malformed.version
            except DocumentError as error:
                errors.append(str(error))
    # Each a one-line message naming the document; any other exception fails the test.
    assert all(error.startswith("openapi/items.yaml: ") for error in errors)
    assert not any("\n" in error for error in errors)
