"""Direction-aware detection of breaking changes between two versions of an OpenAPI document.

`nox -s changes` (`python -m campaign_contracts.spec_changes`) compares `openapi/*.yaml` at a
git revision with the working tree. `diff.py` walks both documents and reports neutral observations,
`rules.py` turns each into a finding whose meaning depends on who sends the data (a new
required field breaks a request, not a response), `report.py` writes Markdown and JSON,
and `policy.py` is the gate (a breaking change needs a major `info.version` bump and a
changelog entry). No library on PyPI or npm does this for OpenAPI 3.1 with request and
response told apart (oasdiff is Go, openapi-diff Java and 3.0 only).

What it compares: servers; operations by method and path (path parameter names left out
of the match); operationId; effective security (per operation, else the document's),
schemes by what a client sends rather than by their key; path, query, header and cookie
parameters by location and name, their `required` and schemas; request bodies, their
`required` and media types; response status codes (2xx apart from the others) and media
types; schemas with local `$ref`s followed and `allOf` merged: types as sets of JSON types
(3.1 type arrays, `null`, 3.0 `nullable`; `number` admits `integer`), `enum` and `const`
values, properties and `required`, `items`, `additionalProperties` schemas, and `oneOf` /
`anyOf` alternatives.

What it does not detect (limits):
- `oneOf`/`anyOf` restructuring: alternatives are compared in order when their number is
  unchanged, so a reordering reads as changed types; a change in their number is reported
  as widened or narrowed as a whole. `discriminator`, `not`, `if`/`then`/`else`,
  `prefixItems`, `patternProperties` and `dependentRequired` are not compared.
- Constraints other than type and enum: `pattern`, `format`, `minLength`/`maxLength`,
  `minimum`/`maximum`, `minItems`/`maxItems`, `uniqueItems`, `multipleOf`,
  `additionalProperties: false`, `readOnly`/`writeOnly`, `default` and `deprecated`.
- Schemas without `type` are not compared for type (only their enum and properties).
- Renames other than a parameter's (one gone and one new in the same location): a renamed
  property or operation path reads as removed plus added.
- Response headers, links, callbacks, webhooks, examples and descriptions; path- or
  operation-level `servers` and server variables; parameter `style`/`explode` and
  parameters described by `content`; OAuth2 flows (scopes are compared).
- External `$ref`s (other files, URLs): the comparison stops with an error.
"""

import re

# What info.version must look like, MAJOR.MINOR.PATCH, for the gate (the major shows a
# breaking change) and for codegen, which versions the packages after it; match with
# `fullmatch`. Here, where importing it loads nothing else (no YAML, no walker).
SEMANTIC_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
