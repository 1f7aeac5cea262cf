"""The document model: loading errors, `$ref`s, operations, matching, schemes, markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_contracts.documents import DocumentError, load_document, parse_document, pointer
from campaign_contracts.registry import APIS, api

TOY = """\
openapi: 3.1.0
info: {title: Toy, version: 1.0.0}
servers: [{url: https://toy.example/v1}]
security: [{Key: []}]
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '201':
          description: made
          links:
            Read: {operationId: getItem, parameters: {id: $response.body#/id}}
  /items/{id}:
    parameters:
      - {$ref: '#/components/parameters/Id'}
    get:
      operationId: getItem
      servers: [{url: https://other.example}]
      parameters:
        - {name: verbose, in: query, schema: {type: integer, default: 0}}
      responses:
        '200':
          $ref: '#/components/responses/Item'
        404:
          description: gone
          content:
            application/json:
              examples:
                gone: {value: {message: No such item}}
  /items/latest:
    get:
      operationId: latestItem
      security: []
      responses:
        '200': {$ref: '#/components/responses/Item'}
components:
  securitySchemes:
    Key: {type: apiKey, in: header, name: X-Key}
    Session: {type: apiKey, in: cookie, name: sid}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
  responses:
    Item:
      description: an item
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Item'}
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: string, x-assumed: true}
        when: {type: string, format: date}
      x-quirk: The vendor calls it a thing.
"""


def test_operations_have_their_parts_with_refs_followed() -> None:
    document = parse_document(TOY, "toy.yaml")
    get = document.operations["getItem"]
    assert (get.method, get.path, get.pointer) == ("GET", "/items/{id}", "/paths/~1items~1{id}/get")
    assert [(p.location, p.name, p.required) for p in get.parameters] == [
        ("path", "id", True),
        ("query", "verbose", False),
    ]
    assert get.parameters[0].schema_pointer == "/components/parameters/Id/schema"
    assert get.parameters[1].schema["default"] == 0
    assert get.servers == ("https://other.example",)
    assert get.status_codes == (200, 404)
    assert get.success_statuses == (200,)
    assert get.responses["200"].json_schema_pointer == "/components/schemas/Item"
    assert get.responses["200"].pointer == "/components/responses/Item"
    assert get.documented_messages == {404: "No such item"}
    assert get.security_schemes == frozenset({"Key"})
    assert document.operations["latestItem"].security == ()
    create = document.operations["createItem"]
    assert create.servers == ("https://toy.example/v1",)
    assert create.request_body is not None
    assert create.request_body.required
    assert create.request_body.json_schema == document.node_at("/components/schemas/Item")
    assert create.request_body.json_schema_pointer == "/components/schemas/Item"


def test_match_prefers_literal_segments_and_strips_server_base_paths() -> None:
    document = parse_document(TOY, "toy.yaml")
    latest = document.match("get", "/items/latest")
    assert latest is not None
    assert latest.operation.operation_id == "latestItem"
    found = document.match("GET", "/v1/items/abc")
    assert found is not None
    assert (found.operation.operation_id, found.path_params) == ("getItem", {"id": "abc"})
    assert document.match("DELETE", "/items/abc") is None
    assert document.match("GET", "/items/abc/more") is None


def test_security_schemes_markers_and_links() -> None:
    document = parse_document(TOY, "toy.yaml")
    cookie = document.scheme_in("cookie")
    assert (cookie.key, cookie.type, cookie.name) == ("Session", "apiKey", "sid")
    assert document.security_schemes["Key"].location == "header"
    with pytest.raises(
        DocumentError, match=r"toy\.yaml: components\.securitySchemes has no scheme"
    ):
        document.scheme_in("query")
    assert [(m.kind, m.pointer, m.value) for m in document.markers] == [
        ("x-assumed", "/components/schemas/Item/properties/id", True),
        ("x-quirk", "/components/schemas/Item", "The vendor calls it a thing."),
    ]
    (link,) = document.links()
    assert (link.source, link.status, link.name, link.operation_id) == (
        "createItem",
        "201",
        "Read",
        "getItem",
    )
    assert link.parameters == {"id": "$response.body#/id"}
    assert document.node_at(link.pointer) == {
        "operationId": "getItem",
        "parameters": {"id": "$response.body#/id"},
    }


def test_validators_compile_at_any_pointer_with_refs_and_formats() -> None:
    document = parse_document(TOY, "toy.yaml")
    item = document.validator_at(pointer("paths", "/items/{id}", "get", "responses", "200"))
    # A response object is not a schema: the pointer must name a schema.
    assert item.is_valid({"anything": 1})
    body = document.validator_at("/components/schemas/Item")
    assert body.is_valid({"id": "a", "when": "2026-01-02"})
    assert not body.is_valid({"when": "2026-01-02"})
    assert not body.is_valid({"id": "a", "when": "not a date"})
    path_id = document.validator_at(document.operations["getItem"].parameters[0].schema_pointer)
    assert not path_id.is_valid("ABC")


@pytest.mark.parametrize(
    ("text", "problem", "line", "column"),
    [
        ("openapi: 3.1.0\ninfo: [unclosed\n", "not valid YAML (line 3): did not find", 3, 1),
        ("openapi: 3.1.0\ninfo: \x07\n", "not valid YAML (line 2): ", 2, 7),
        ("hello\n", "not an OpenAPI document (no `paths` mapping)", None, None),
        (
            TOY.replace("schema: {$ref: '#/components/schemas/Item'}", "schema: {$ref: '#/x'}", 1),
            "toy.yaml: $ref '#/x' points nowhere",
            None,
            None,
        ),
        (
            TOY.replace("'201':\n          description: made", "'201': 3\n        '202':"),
            "toy.yaml: POST /items: AttributeError: ",
            None,
            None,
        ),
        (
            TOY.replace("{$ref: '#/components/parameters/Id'}", "{$ref: 'other.yaml#/Id'}"),
            "toy.yaml: cannot resolve $ref 'other.yaml#/Id'",
            None,
            None,
        ),
        (
            TOY.replace("'#/components/parameters/Id'", "'#/components/parameters/Nope'"),
            "toy.yaml: $ref '#/components/parameters/Nope' points nowhere",
            None,
            None,
        ),
        (
            TOY.replace("      operationId: latestItem\n", ""),
            "toy.yaml: GET /items/latest: KeyError: 'operationId'",
            None,
            None,
        ),
    ],
    ids=[
        "not YAML",
        "control character",
        "not a document",
        "dangling schema ref",
        "response not a mapping",
        "external ref",
        "dangling ref",
        "no operationId",
    ],
)
def test_every_problem_is_one_line_naming_the_source(
    text: str, problem: str, line: int | None, column: int | None
) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_document(text, "toy.yaml")
    message = str(raised.value)
    assert message.startswith("toy.yaml: "), message
    assert "\n" not in message
    assert problem in message
    assert (raised.value.line, raised.value.column) == (line, column)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as raised:
        load_document(tmp_path / "gone.yaml")
    assert str(raised.value) == f"{tmp_path / 'gone.yaml'}: No such file or directory"


@pytest.mark.parametrize("name", list(APIS))
def test_every_registered_document_loads(name: str) -> None:
    entry = api(name)
    document = entry.load()
    assert document.name == name
    assert document.source == str(entry.document_path)
    assert document.operations
    for credential in entry.credentials:
        assert credential.scheme in document.security_schemes
    for operation_id in [*entry.name_fields, *entry.sends]:
        assert operation_id in document.operations


def test_the_vendor_documents_match_what_the_sandbox_serves() -> None:
    engage = api("engage").load()
    errors = engage.match("GET", "/_rest/v2/campaigns/errors")
    assert errors is not None
    assert errors.operation.operation_id == "listCampaignErrors"
    one = engage.match("DELETE", "/_rest/v2/campaigns/abc123")
    assert one is not None
    assert one.path_params == {"id": "abc123"}
    assert engage.scheme_in("header").name == "Authorization"
    intelsend = api("intelsend").load()
    assert intelsend.scheme_in("cookie").name == "__Secure-next-auth.session-token"
    assert {marker.kind for marker in engage.markers} == {"x-assumed", "x-quirk", "x-erratum"}
    statuses = [m for m in intelsend.markers if m.kind == "x-assumed-values"]
    assert [(m.pointer, m.value) for m in statuses] == [
        ("/components/schemas/CampaignStatus", ["SENT", "FAILED"])
    ]
    listing = intelsend.operations["listCampaigns"]
    status = listing.parameter("query", "status")
    assert status is not None
    # The parameter's own place (where its x-assumed is), not its schema's ($ref'd) one.
    assert status.pointer == "/paths/~1api~1campaign/get/parameters/2"
    assert status.schema_pointer == "/components/schemas/CampaignStatus"
