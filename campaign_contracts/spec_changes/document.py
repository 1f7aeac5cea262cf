"""An OpenAPI document as the walker sees it: local `$ref`s followed, schemas normalised."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# OpenAPI says these header parameters are ignored; the media type and security model them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

JsonObject = dict[str, Any]


class DocumentError(Exception):
    """A document that cannot be compared: not UTF-8 YAML, not an OpenAPI object, a part
    of the wrong shape, or a broken `$ref`. The message is one line naming the document."""


def parse(data: bytes | str, source: str) -> JsonObject:
    """Parse UTF-8 YAML `data` (named `source` in errors) into a mapping."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise DocumentError(
                f"{source}: not UTF-8 (line {line}): byte 0x{data[error.start]:02x}"
            ) from None
    else:
        text = data
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DocumentError(f"{source}: not valid YAML{_yaml_problem(error, text)}") from None
    if not isinstance(loaded, dict):
        raise DocumentError(f"{source}: the document is not a YAML mapping")
    return loaded


def _yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """Where and what the YAML error is, as ` (line 2, column 1): expected ...`."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    # A ReaderError (a control character) has no mark, only a position in the text.
    position = getattr(error, "position", None)
    if mark is not None:
        where = f" (line {mark.line + 1}, column {mark.column + 1})"
    elif isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        column = position - text.rfind("\n", 0, position)
        where = f" (line {line}, column {column})"
    else:
        where = ""
    problem = getattr(error, "problem", None) or getattr(error, "context", None)
    lines = str(problem or error).splitlines()
    return f"{where}: {lines[0]}" if lines else where


@dataclass(frozen=True)
class Operation:
    """One method on one path, its path-level parameters already merged in."""

    method: str
    path: str
    raw: JsonObject

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def operation_id(self) -> str:
        return str(self.raw.get("operationId", ""))

    @property
    def where(self) -> str:
        """Where the operation is in the document, for error messages."""
        return f"paths.{self.path}.{self.method}"


class Document:
    """A parsed OpenAPI document with `$ref` resolution and schema normalisation.

    The walker reads the document through these methods, which check the shape of each
    part they hand out (a mapping where a mapping belongs, ...): a valid YAML document of
    the wrong shape is a DocumentError naming `source` and the part, never a crash.
    """

    def __init__(self, raw: JsonObject, source: str = "the document") -> None:
        self.raw = raw
        self.source = source

    def error(self, where: str, problem: str) -> DocumentError:
        return DocumentError(f"{self.source}: {where}: {problem}")

    @property
    def version(self) -> str:
        return str(self.field_mapping(self.raw, "info", "info").get("version", ""))

    def resolve(self, node: Any) -> Any:
        """Follow `node`'s local `$ref` chain; external references are not supported."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                raise DocumentError(f"{self.source}: cannot resolve $ref {ref!r}")
            seen.add(ref)
            target: Any = self.raw
            for token in ref[2:].split("/"):
                key = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or key not in target:
                    raise DocumentError(f"{self.source}: $ref {ref!r} points nowhere")
                target = target[key]
            node = target
        return node

    def mapping(self, node: Any, where: str) -> JsonObject:
        """`node`, `$ref`s followed, which must be a mapping (`where` names it in errors)."""
        resolved = self.resolve(node)
        if not isinstance(resolved, dict):
            raise self.error(where, f"expected a mapping, found {yaml_kind(resolved)}")
        return resolved

    def field_mapping(self, holder: JsonObject, key: str, where: str) -> JsonObject:
        """`holder[key]` as a mapping, empty when absent."""
        return self.mapping(holder[key], where) if key in holder else {}

    def field_list(self, holder: JsonObject, key: str, where: str) -> list[Any]:
        """`holder[key]` as a list, empty when absent."""
        value = holder.get(key, [])
        if not isinstance(value, list):
            raise self.error(where, f"expected a list, found {yaml_kind(value)}")
        return value

    def schema(self, node: Any, where: str = "schema") -> JsonObject:
        """`node` resolved and checked, with `allOf` members merged into one object schema.

        Property names and `required` come out as strings, whatever YAML made of them.
        """
        return self._schema(node, where, frozenset())

    def _schema(self, node: Any, where: str, merging: frozenset[int]) -> JsonObject:
        resolved = self.resolve(node)
        if not isinstance(resolved, dict):
            return {}
        if id(resolved) in merging:
            raise self.error(where, "allOf includes the schema itself")
        merged = self._checked_schema(resolved, where)
        if "allOf" not in resolved:
            return merged
        properties: JsonObject = dict(merged.get("properties", {}))
        required: list[str] = list(merged.get("required", []))
        for index, member in enumerate(self.field_list(resolved, "allOf", f"{where} allOf")):
            part = self._schema(member, f"{where} allOf {index}", merging | {id(resolved)})
            properties.update(part.get("properties", {}))
            required += [name for name in part.get("required", []) if name not in required]
            for key, value in part.items():
                merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def _checked_schema(self, schema: JsonObject, where: str) -> JsonObject:
        """A copy of `schema` without `allOf`, the keywords the walker reads checked."""
        checked = {key: value for key, value in schema.items() if key != "allOf"}
        if "properties" in schema:
            properties = self.mapping(schema["properties"], f"{where} properties")
            checked["properties"] = {str(name): value for name, value in properties.items()}
        if "required" in schema:
            names = self.field_list(schema, "required", f"{where} required")
            if not all(is_scalar(name) for name in names):
                raise self.error(f"{where} required", "expected a list of property names")
            checked["required"] = [str(name) for name in names]
        declared = schema.get("type")
        if declared is not None and not (
            isinstance(declared, str)
            or (isinstance(declared, list) and all(isinstance(t, str) for t in declared))
        ):
            raise self.error(
                f"{where} type", f"expected a type name or a list of them, found {declared!r}"
            )
        if "enum" in schema:
            self.field_list(schema, "enum", f"{where} enum")
        return checked

    def servers(self) -> list[str]:
        return [
            str(self.mapping(server, f"servers[{index}]").get("url", ""))
            for index, server in enumerate(self.field_list(self.raw, "servers", "servers"))
        ]

    def operations(self) -> Iterator[Operation]:
        for path, node in self.field_mapping(self.raw, "paths", "paths").items():
            where = f"paths.{path}"
            item = self.mapping(node, where)
            shared = self._parameter_list(item, where)
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                raw = dict(self.mapping(item[method], f"{where}.{method}"))
                own = self._parameter_list(raw, f"{where}.{method}")
                overridden = {parameter_key(parameter) for _, parameter in own}
                inherited = [p for p in shared if parameter_key(p[1]) not in overridden]
                raw["parameters"] = [node for node, _ in inherited + own]
                yield Operation(method, str(path), raw)

    def _parameter_list(self, holder: JsonObject, where: str) -> list[tuple[Any, JsonObject]]:
        """The `parameters` of `holder`, each as (its node, resolved and checked)."""
        nodes = self.field_list(holder, "parameters", f"{where}.parameters")
        return [
            (node, self.mapping(node, f"{where}.parameters[{index}]"))
            for index, node in enumerate(nodes)
        ]

    def parameters(self, operation: Operation) -> dict[tuple[str, str], JsonObject]:
        """The operation's parameters by (location, name), ignored headers left out."""
        found: dict[tuple[str, str], JsonObject] = {}
        for _, parameter in self._parameter_list(operation.raw, operation.where):
            location, name = parameter_key(parameter)
            if location == "header" and name.lower() in IGNORED_HEADERS:
                continue
            found[location, name] = parameter
        return found

    def request_body(self, operation: Operation) -> JsonObject | None:
        node = operation.raw.get("requestBody")
        return None if node is None else self.mapping(node, f"{operation.where}.requestBody")

    def responses(self, operation: Operation) -> dict[str, JsonObject]:
        """The operation's responses by status code as a string (YAML reads `200:` as a number)."""
        where = f"{operation.where}.responses"
        found: dict[str, JsonObject] = {}
        for status, node in self.field_mapping(operation.raw, "responses", where).items():
            if str(status) in found:
                raise self.error(where, f"status {status} appears twice")
            found[str(status)] = self.mapping(node, f"{where}.{status}")
        return found

    def content(self, holder: JsonObject, where: str) -> dict[str, JsonObject]:
        """The media types of a request body or response, each a mapping."""
        content = self.field_mapping(holder, "content", f"{where}.content")
        return {
            str(media_type): self.mapping(media, f"{where}.content.{media_type}")
            for media_type, media in content.items()
        }

    def security(self, operation: Operation) -> frozenset[frozenset[str]]:
        """The alternatives that satisfy the operation, each a set of scheme descriptions.

        A scheme is described by what a client sends (type, location, name, scheme and
        scopes) rather than by its key, so renaming a scheme's key is no change while
        moving its header is. No security at all is the one empty alternative.
        """
        holder, where = (
            (operation.raw, f"{operation.where}.security")
            if "security" in operation.raw
            else (self.raw, "security")
        )
        requirements = self.field_list(holder, "security", where)
        if not requirements:
            return frozenset({frozenset()})
        components = self.field_mapping(self.raw, "components", "components")
        schemes = self.field_mapping(components, "securitySchemes", "components.securitySchemes")
        alternatives = []
        for index, node in enumerate(requirements):
            requirement = self.mapping(node, f"{where}[{index}]")
            alternative = set()
            for name, scopes in requirement.items():
                if not isinstance(scopes, list):
                    raise self.error(
                        f"{where}[{index}].{name}",
                        f"expected a list of scopes, found {yaml_kind(scopes)}",
                    )
                scheme = self.field_mapping(schemes, name, f"components.securitySchemes.{name}")
                alternative.add(describe_scheme(str(name), scheme, [str(s) for s in scopes]))
            alternatives.append(frozenset(alternative))
        return frozenset(alternatives)


# bool before int: True is an int too.
YAML_KINDS: tuple[tuple[type, str], ...] = (
    (type(None), "null"),
    (bool, "a boolean"),
    (int, "a number"),
    (float, "a number"),
    (str, "a string"),
    (list, "a list"),
    (dict, "a mapping"),
)


def yaml_kind(value: Any) -> str:
    """What `value` is, in YAML's words, for error messages."""
    kind = next((name for python_type, name in YAML_KINDS if isinstance(value, python_type)), None)
    return kind or f"a {type(value).__name__}"


def is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def parameter_key(parameter: Mapping[str, Any]) -> tuple[str, str]:
    return str(parameter.get("in", "")), str(parameter.get("name", ""))


def describe_scheme(name: str, scheme: Mapping[str, Any], scopes: list[str]) -> str:
    """A readable description of what a client must send for a security scheme."""
    kind = scheme.get("type", "unknown")
    if kind == "apiKey":
        text = f"apiKey {scheme.get('name')} in {scheme.get('in')}"
    elif kind == "http":
        text = f"http {scheme.get('scheme')}"
    else:
        text = str(kind)
    if scopes:
        text += f" scopes {','.join(sorted(scopes))}"
    return f"{name}: {text}"


def scheme_identity(description: str) -> str:
    """A scheme description without its key, the part that matters on the wire."""
    return description.split(": ", 1)[1]


def schema_types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema admits (3.0 `nullable` and 3.1 type arrays alike), or None.

    None means the schema does not say (no `type`), which the walker does not compare.
    """
    declared = schema.get("type")
    if declared is None:
        return None
    types = {declared} if isinstance(declared, str) else set(declared)
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def admits(types: frozenset[str], json_type: str) -> bool:
    """Whether `types` admits values of `json_type` (`number` includes `integer`)."""
    return json_type in types or (json_type == "integer" and "number" in types)


def enum_values(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The allowed values (`enum`, or `const` as a one-value enum) as JSON text, or None."""
    if "enum" in schema:
        values = list(schema["enum"])
    elif "const" in schema:
        values = [schema["const"]]
    else:
        return None
    # `default=str`: YAML reads an unquoted 2026-01-01 as a date, which JSON has no type for.
    return frozenset(json.dumps(value, sort_keys=True, default=str) for value in values)
