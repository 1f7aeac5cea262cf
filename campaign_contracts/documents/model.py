"""The parts of an OpenAPI document, built once from its data (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from campaign_contracts.documents.errors import DocumentError

if TYPE_CHECKING:
    # Imported where validators are built: reading a document needs only PyYAML (the change
    # gate and codegen install nothing else).
    from jsonschema_rs import Draft202012Validator, Registry

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MARKER_KINDS = ("x-assumed", "x-assumed-values", "x-quirk", "x-erratum")
JSON_MEDIA_TYPE = "application/json"


def pointer(*parts: str | int) -> str:
    """The JSON pointer to `parts` (`pointer("paths", "/a/{id}")` is `/paths/~1a~1{id}`)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def unescape(token: str) -> str:
    """One reference token of a JSON pointer as the key it stands for (RFC 6901, section 4)."""
    return token.replace("~1", "/").replace("~0", "~")


def _tokens(json_pointer: str) -> list[str]:
    return [unescape(token) for token in json_pointer.split("/")[1:]]


def node_at(root: Any, json_pointer: str, source: str) -> Any:
    """The node at `json_pointer` in the data `root` (named `source` in errors)."""
    node: Any = root
    for token in _tokens(json_pointer):
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise DocumentError(source, f"{json_pointer!r} points nowhere")
    return node


def locate(root: Any, node: Any, here: str, source: str) -> tuple[Any, str]:
    """`node`, found at pointer `here` of `root`, with its local `$ref` chain followed, and
    the pointer where the chain ends. The one `$ref` resolver of the project: external and
    circular references are a DocumentError, as is one that points nowhere."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise DocumentError(source, f"cannot resolve $ref {ref!r}")
        seen.add(ref)
        here = ref[1:]
        try:
            node = node_at(root, here, source)
        except DocumentError:
            raise DocumentError(source, f"$ref {ref!r} points nowhere") from None
    return node, here


@dataclass(frozen=True)
class SecurityScheme:
    """One entry of `components.securitySchemes`: what a client sends, and where."""

    key: str
    type: str
    # `header`, `cookie` or `query` for an apiKey; None otherwise.
    location: str | None
    # The header, cookie or query parameter name of an apiKey; None otherwise.
    name: str | None
    # The HTTP authentication scheme of an `http` scheme (`bearer`, `basic`); None otherwise.
    scheme: str | None
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Marker:
    """An `x-assumed`, `x-quirk` or `x-erratum` and the JSON pointer of the object carrying it."""

    kind: str
    pointer: str
    value: Any


@dataclass(frozen=True)
class MediaType:
    """One media type of a request body or a response."""

    media_type: str
    # The schema with its `$ref` followed, and the pointer where it is written (for validators).
    schema: Mapping[str, Any] | None
    schema_pointer: str | None
    # Example name → its value, `$ref`s followed (`example` alone is named "example").
    examples: Mapping[str, Any]
    # Where the media type object is (`$ref` followed), and the object itself.
    pointer: str
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Link:
    """One link of a response: after this answer, call `operation_id` with these values.

    `pointer` is where the link is declared (an entry of a response's `links`), so deleting
    the node there removes exactly this link."""

    # The operationId of the operation whose response carries it.
    source: str
    status: str
    name: str
    operation_id: str | None
    parameters: Mapping[str, Any]
    request_body: Any
    pointer: str


class _JsonContent:
    """What a request body and a response share: content by media type, JSON first."""

    content: Mapping[str, MediaType]

    @property
    def json(self) -> MediaType | None:
        return self.content.get(JSON_MEDIA_TYPE)

    @property
    def json_schema_pointer(self) -> str | None:
        """Where the JSON body's schema is written, for `Document.validator_at`."""
        return self.json.schema_pointer if self.json is not None else None

    @property
    def json_schema(self) -> Mapping[str, Any] | None:
        return self.json.schema if self.json is not None else None


@dataclass(frozen=True)
class Response(_JsonContent):
    """One documented response of an operation."""

    status: str
    description: str
    content: Mapping[str, MediaType]
    links: Mapping[str, Link]
    pointer: str
    raw: Mapping[str, Any]

    @property
    def messages(self) -> tuple[str, ...]:
        """The `message` strings its JSON examples print (the vendor's own words)."""
        media = self.json
        values = media.examples.values() if media is not None else ()
        return tuple(
            value["message"]
            for value in values
            if isinstance(value, Mapping) and isinstance(value.get("message"), str)
        )


@dataclass(frozen=True)
class RequestBody(_JsonContent):
    required: bool
    content: Mapping[str, MediaType]
    pointer: str
    raw: Mapping[str, Any]


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    # The schema with its `$ref` followed, and the pointer where it is written.
    schema: Mapping[str, Any]
    schema_pointer: str
    raw: Mapping[str, Any]
    # Where the parameter itself is written, its `$ref` followed: where its markers point.
    pointer: str


# The safe methods (RFC 9110) the vendors use: a call reads and changes nothing.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Operation:
    """One method on one path, path-level parameters merged in (its own replace them)."""

    api: str
    operation_id: str
    method: str
    path: str
    pointer: str
    servers: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]
    # The alternatives that satisfy it, each scheme key → scopes; () means none needed.
    security: tuple[Mapping[str, tuple[str, ...]], ...]
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def safe(self) -> bool:
        """Its method is one of SAFE_METHODS."""
        return self.method in SAFE_METHODS

    # Cached: the sandbox reads these on every request.
    @cached_property
    def security_schemes(self) -> frozenset[str]:
        """The scheme keys of the first security alternative (the one a client sends)."""
        return frozenset(self.security[0]) if self.security else frozenset()

    @property
    def success_statuses(self) -> tuple[int, ...]:
        return tuple(int(status) for status in self.responses if status.startswith("2"))

    @property
    def status_codes(self) -> tuple[int, ...]:
        """Every numeric status it documents, in ascending order (`default` left out)."""
        return tuple(sorted(int(status) for status in self.responses if status.isdigit()))

    @cached_property
    def documented_messages(self) -> Mapping[int, str]:
        """Status → the message the vendor's samples print for it (the last one, if several)."""
        return {
            int(status): response.messages[-1]
            for status, response in self.responses.items()
            if status.isdigit() and response.messages
        }

    def parameter(self, location: str, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.location == location and p.name == name), None)


@dataclass(frozen=True)
class Match:
    """The operation a concrete request is for, and the values of its path parameters."""

    operation: Operation
    path_params: Mapping[str, str]


def _with_string_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _with_string_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_string_keys(value) for value in node]
    return node


def _template_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"\{([^}/]+)\}", path)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<p{index // 2}>[^/]+)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex)


class Document:
    """One OpenAPI document, its parts built on construction (DocumentError if it cannot be).

    `raw` is the parsed data, `source` names it in errors (a path, `REV:path`), `name` is the
    API's name, which makes the URI the schema registry files the document under.
    """

    def __init__(self, raw: Any, source: str, name: str) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("paths"), dict):
            raise DocumentError(source, "not an OpenAPI document (no `paths` mapping)")
        self.raw: dict[str, Any] = raw
        self.source = source
        self.name = name
        self.servers: tuple[str, ...] = self._server_urls(raw)
        self.security_schemes: Mapping[str, SecurityScheme] = self._schemes()
        self.operations: Mapping[str, Operation] = self._operations()
        # Most literal first: `/campaigns/errors` is tried before `/campaigns/{id}`.
        self._routes = sorted(
            ((_template_pattern(op.path), op) for op in self.operations.values()),
            key=lambda route: (route[1].path.count("{"), -len(route[1].path)),
        )
        self._validators: dict[str, Draft202012Validator] = {}

    def __repr__(self) -> str:
        return f"Document({self.name!r}, {self.source!r})"

    # -- general access -------------------------------------------------------------------

    def error(self, problem: str) -> DocumentError:
        return DocumentError(self.source, problem)

    @property
    def title(self) -> str:
        return str(self.mapping(self.raw.get("info", {})).get("title", ""))

    @property
    def version(self) -> str:
        return str(self.mapping(self.raw.get("info", {})).get("version", ""))

    def node_at(self, json_pointer: str) -> Any:
        """The node at a JSON pointer of the document (`""` is the whole document)."""
        return node_at(self.raw, json_pointer, self.source)

    def locate(self, node: Any, here: str) -> tuple[Any, str]:
        """`node` (found at pointer `here`) with its `$ref` chain followed, and where it ends."""
        return locate(self.raw, node, here, self.source)

    def resolve(self, node: Any) -> Any:
        """`node` with its local `$ref` chain followed; external refs are a DocumentError."""
        return self.locate(node, "")[0]

    def mapping(self, node: Any) -> dict[str, Any]:
        """`node` resolved, or an empty mapping when it is not one (callers read optional
        parts; what must be there is checked where it is needed)."""
        resolved = self.resolve(node)
        return resolved if isinstance(resolved, dict) else {}

    # -- security -------------------------------------------------------------------------

    def _schemes(self) -> dict[str, SecurityScheme]:
        components = self.mapping(self.raw.get("components", {}))
        schemes = self.mapping(components.get("securitySchemes", {}))
        found = {}
        for key, node in schemes.items():
            scheme = self.mapping(node)
            kind = str(scheme.get("type", ""))
            found[str(key)] = SecurityScheme(
                key=str(key),
                type=kind,
                location=str(scheme["in"]) if "in" in scheme else None,
                name=scheme.get("name") if isinstance(scheme.get("name"), str) else None,
                scheme=str(scheme["scheme"]) if "scheme" in scheme else None,
                raw=scheme,
            )
        return found

    def scheme_in(self, place: str) -> SecurityScheme:
        """The first security scheme sent in `place` (`header`, `cookie`, `query`), which
        must name its header or cookie; DocumentError if there is none."""
        if "securitySchemes" not in self.mapping(self.raw.get("components", {})):
            raise self.error(f"components.securitySchemes has no scheme `in: {place}`")
        for scheme in self.security_schemes.values():
            if scheme.location == place:
                if not scheme.name:
                    raise self.error(f"security scheme {scheme.key!r} names no {place}")
                return scheme
        raise self.error(f"components.securitySchemes has no scheme `in: {place}`")

    # -- operations -----------------------------------------------------------------------

    @staticmethod
    def _server_urls(holder: Mapping[str, Any]) -> tuple[str, ...]:
        servers = holder.get("servers")
        if not isinstance(servers, list):
            return ()
        return tuple(str(s.get("url", "")) for s in servers if isinstance(s, dict))

    def _operations(self) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for path, node in self.raw["paths"].items():
            item = self.mapping(node)
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                try:
                    operation = self._operation(str(path), method, item)
                except DocumentError:
                    raise
                except (KeyError, TypeError, ValueError, AttributeError) as error:
                    # openapi-spec-validator (nox -s lint) tells more; here, which operation.
                    raise self.error(
                        f"{method.upper()} {path}: {type(error).__name__}: {error}"
                    ) from None
                found[operation.operation_id] = operation
        return found

    def _operation(self, path: str, method: str, item: Mapping[str, Any]) -> Operation:
        raw = item[method]
        here = pointer("paths", path, method)
        shared = self._parameters(item.get("parameters", []), pointer("paths", path))
        own = self._parameters(raw.get("parameters", []), here)
        overridden = {(p.location, p.name) for p in own}
        security = raw.get("security", self.raw.get("security", []))
        return Operation(
            api=self.name,
            operation_id=str(raw["operationId"]),
            method=method.upper(),
            path=path,
            pointer=here,
            servers=self._server_urls(raw) or self._server_urls(item) or self.servers,
            parameters=tuple(p for p in shared if (p.location, p.name) not in overridden) + own,
            request_body=self._request_body(raw, here),
            responses=self._responses(str(raw["operationId"]), raw["responses"], here),
            security=tuple(
                {str(key): tuple(map(str, scopes)) for key, scopes in requirement.items()}
                for requirement in security
            ),
            raw=raw,
        )

    def _parameters(self, declared: list[Any], here: str) -> tuple[Parameter, ...]:
        parameters = []
        for index, node in enumerate(declared):
            parameter, at = self.locate(node, f"{here}/parameters/{index}")
            schema, schema_at = self.locate(parameter.get("schema", {}), f"{at}/schema")
            parameters.append(
                Parameter(
                    name=str(parameter["name"]),
                    location=str(parameter["in"]),
                    required=bool(parameter.get("required", False)),
                    schema=schema,
                    schema_pointer=schema_at,
                    raw=parameter,
                    pointer=at,
                )
            )
        return tuple(parameters)

    def _content(self, holder: Mapping[str, Any], here: str) -> dict[str, MediaType]:
        content = {}
        for media_type, node in self.mapping(holder.get("content", {})).items():
            media, at = self.locate(node, f"{here}/content/{pointer(str(media_type))[1:]}")
            schema, schema_at = (None, None)
            if "schema" in media:
                schema, schema_at = self.locate(media["schema"], f"{at}/schema")
            examples = {
                str(name): self.mapping(example).get("value")
                for name, example in self.mapping(media.get("examples", {})).items()
            }
            if "example" in media:
                examples.setdefault("example", media["example"])
            content[str(media_type)] = MediaType(
                str(media_type), schema, schema_at, examples, at, media
            )
        return content

    def _request_body(self, raw: Mapping[str, Any], here: str) -> RequestBody | None:
        if "requestBody" not in raw:
            return None
        body, at = self.locate(raw["requestBody"], f"{here}/requestBody")
        return RequestBody(bool(body.get("required", False)), self._content(body, at), at, body)

    def _responses(self, source: str, declared: Any, here: str) -> dict[str, Response]:
        responses = {}
        for status, node in self.mapping(declared).items():
            response, at = self.locate(node, f"{here}/responses/{status}")
            links = {}
            for name, link_node in self.mapping(response.get("links", {})).items():
                declared_at = f"{at}/links/{pointer(str(name))[1:]}"
                link = self.mapping(link_node)
                links[str(name)] = Link(
                    source=source,
                    status=str(status),
                    name=str(name),
                    operation_id=link.get("operationId"),
                    parameters=self.mapping(link.get("parameters", {})),
                    request_body=link.get("requestBody"),
                    pointer=declared_at,
                )
            # YAML reads `200:` as a number; statuses are strings, as OpenAPI writes them.
            responses[str(status)] = Response(
                status=str(status),
                description=str(response.get("description", "")),
                content=self._content(response, at),
                links=links,
                pointer=at,
                raw=response,
            )
        return responses

    def links(self) -> Iterator[Link]:
        for operation in self.operations.values():
            for response in operation.responses.values():
                yield from response.links.values()

    def match(self, method: str, path: str) -> Match | None:
        """The operation answering `method` on the concrete URL `path` (no query string)."""
        method = method.upper()
        candidates = [path, *self._without_base_paths(path)]
        for pattern, operation in self._routes:
            if operation.method != method:
                continue
            for candidate in candidates:
                found = pattern.fullmatch(candidate)
                if found is not None:
                    names = re.findall(r"\{([^}/]+)\}", operation.path)
                    return Match(operation, dict(zip(names, found.groups(), strict=True)))
        return None

    @cached_property
    def _base_paths(self) -> frozenset[str]:
        """The servers' base paths: worked out once, `match` runs for every recorded exchange."""
        return frozenset(
            base
            for operation in self.operations.values()
            for url in operation.servers
            if (base := urlsplit(url).path.rstrip("/"))
        )

    def _without_base_paths(self, path: str) -> list[str]:
        return [path[len(base) :] for base in self._base_paths if path.startswith(base + "/")]

    # -- markers --------------------------------------------------------------------------

    @cached_property
    def markers(self) -> tuple[Marker, ...]:
        """Every x-assumed, x-quirk and x-erratum, in document order."""
        found: list[Marker] = []

        def walk(node: Any, here: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in MARKER_KINDS:
                        found.append(Marker(str(key), here, value))
                    else:
                        walk(value, f"{here}/{pointer(str(key))[1:]}")
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    walk(value, f"{here}/{index}")

        walk(self.raw, "")
        return tuple(found)

    # -- validation -----------------------------------------------------------------------

    @property
    def base_uri(self) -> str:
        """The URI the document is registered under for `$ref` resolution."""
        return f"urn:campaign-contracts:openapi:{self.name}"

    @cached_property
    def schema_registry(self) -> Registry:
        from jsonschema_rs import Registry  # noqa: PLC0415 -- see the import at the top

        # YAML reads `404:` as a number; JSON, and so the registry, has string keys only.
        return Registry([(self.base_uri, _with_string_keys(self.raw))])

    def validator_at(self, json_pointer: str) -> Draft202012Validator:
        """A Draft 2020-12 validator (formats checked) for the schema at `json_pointer`,
        compiled on the first call for that pointer and reused after."""
        found = self._validators.get(json_pointer)
        if found is None:
            from jsonschema_rs import Draft202012Validator  # noqa: PLC0415 -- as above

            # Two threads may both compile it: the same validator, one of them kept.
            found = self._validators[json_pointer] = Draft202012Validator(
                # A fragment is part of a URI: `{id}` in a path must be percent-encoded.
                {"$ref": f"{self.base_uri}#{quote(json_pointer, safe='/~')}"},
                registry=self.schema_registry,
                validate_formats=True,
            )
        return found
