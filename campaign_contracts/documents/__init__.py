"""The one reader of the OpenAPI documents: load, resolve `$ref`s once, answer what is asked.

Everything in this project that needs to know what a document says (the sandbox, the contract
suite, codegen, the change gate, a proxy or an evidence report) asks this package instead of
walking the YAML itself.

Load a document, by path or from text already read:

    from campaign_contracts.documents import DocumentError, load_document, parse_document

    document = load_document(Path("openapi/engage.yaml"))        # name "engage", from the file
    document = parse_document(text, source="HEAD:openapi/x.yaml", name="x")

Every problem is a `DocumentError` (a `ValueError`) whose message is one line starting with
the source: `openapi/engage.yaml: not valid YAML (line 3): did not find expected ',' or ']'`,
`openapi/engage.yaml: GET /_rest/v2/campaigns: KeyError: 'responses'`. It also carries
`source`, and `line` / `column` (1-based) when YAML gives a position.

Ask it:

- `document.operations`: every operation by operationId, each an `Operation` with `method`
  (upper case), `path` (the template), `pointer` (its JSON pointer), `servers` (the URLs that
  apply to it: its own, its path item's, else the document's), `parameters` (path-level and
  its own merged, `$ref`s followed, each with `schema`, the `schema_pointer` where that
  schema is written and its own `pointer`), `request_body` (`required`, `content` by media
  type, `json_schema` / `json_schema_pointer`), `responses` by status as a string (`"200"`,
  `"default"`; each with `content`, `links`, the `messages` its JSON examples print),
  `documented_messages` (status → the vendor's printed message), `success_statuses`,
  `security` (the alternatives, each a mapping scheme key → scopes) and `security_schemes`
  (the keys of the first alternative).
- `document.match("GET", "/_rest/v2/campaigns/abc")`: the `Match` (operation and path
  parameters) for a concrete method and URL path, literal segments winning over templates
  (`/campaigns/errors` before `/campaigns/{id}`); None when no operation fits. A path with a
  server's base path in front matches too (`/v1/items` with server `https://host/v1`).
- `document.security_schemes`: `SecurityScheme` by key, with `type`, `location` (`header`,
  `cookie`, `query`), `name` (the header or cookie name) and `scheme` (for `http`);
  `document.scheme_in("cookie")` is the first scheme sent in a cookie.
- `document.markers`: every `x-assumed`, `x-assumed-values`, `x-quirk` and `x-erratum` in the
  document as a `Marker` (`kind`, `pointer` of the object that carries it, `value`).
- `document.links()`: every response link (`Link`: its operation, status, name, target
  `operation_id`, `parameters`, `request_body`).
- `document.resolve(node)` follows a node's local `$ref` chain (external references are a
  DocumentError); `document.node_at(pointer)` is the node at a JSON pointer; `pointer(*parts)`
  builds an escaped pointer and `unescape(token)` reads one of its tokens back.
- `document.validator_at(pointer)`: a compiled jsonschema-rs Draft 2020-12 validator (formats
  checked) for the schema at a JSON pointer. The whole document is one resource of a schema
  registry, so the `$ref`s inside the schema resolve as written; each is compiled once, on the
  first call for its pointer, and reused after.
- `document.raw` is the parsed data, `document.title`, `document.version`, `document.servers`.

For a document that may be malformed (an edit under review), `CheckedDocument`
(`campaign_contracts.documents.checked`) hands out one part at a time instead, each checked for
shape, with errors naming the part: `openapi/x.yaml: paths./items.get: expected a mapping,
found a list`. Both follow `$ref`s through `locate`, the project's one resolver.

A `Document` is built whole on construction (a malformed operation fails at load, not at the
first request) and is read-only by convention: consumers that need an edited copy (the contract
suite removing operations) deep-copy `raw` and build a new `Document` from it.
"""

from campaign_contracts.documents.checked import CheckedDocument, CheckedOperation
from campaign_contracts.documents.loading import (
    DocumentError,
    load_document,
    parse_document,
    read_yaml,
)
from campaign_contracts.documents.model import (
    HTTP_METHODS,
    MARKER_KINDS,
    Document,
    Link,
    Marker,
    Match,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    SecurityScheme,
    locate,
    node_at,
    pointer,
    unescape,
)

__all__ = [
    "HTTP_METHODS",
    "MARKER_KINDS",
    "CheckedDocument",
    "CheckedOperation",
    "Document",
    "DocumentError",
    "Link",
    "Marker",
    "Match",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "SecurityScheme",
    "load_document",
    "locate",
    "node_at",
    "parse_document",
    "pointer",
    "read_yaml",
    "unescape",
]
