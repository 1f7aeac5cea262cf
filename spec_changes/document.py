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
    """A document that cannot be compared: not YAML, not an object, or a broken `$ref`."""


def parse(text: str, source: str) -> JsonObject:
    """Parse YAML `text` (named `source` in errors) into a mapping."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise DocumentError(f"{source}:{where} is not valid YAML") from error
    if not isinstance(loaded, dict):
        raise DocumentError(f"{source}: the document is not a YAML mapping")
    return loaded


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


class Document:
    """A parsed OpenAPI document with `$ref` resolution and schema normalisation."""

    def __init__(self, raw: JsonObject) -> None:
        self.raw = raw

    @property
    def version(self) -> str:
        return str(self.raw.get("info", {}).get("version", ""))

    def resolve(self, node: Any) -> Any:
        """Follow `node`'s local `$ref` chain; external references are not supported."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                raise DocumentError(f"cannot resolve $ref {ref!r}")
            seen.add(ref)
            target: Any = self.raw
            for token in ref[2:].split("/"):
                key = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or key not in target:
                    raise DocumentError(f"$ref {ref!r} points nowhere")
                target = target[key]
            node = target
        return node

    def schema(self, node: Any) -> JsonObject:
        """`node` resolved, with `allOf` members merged into one object schema."""
        resolved = self.resolve(node)
        if not isinstance(resolved, dict):
            return {}
        if "allOf" not in resolved:
            return resolved
        merged: JsonObject = {key: value for key, value in resolved.items() if key != "allOf"}
        properties: JsonObject = dict(merged.get("properties", {}))
        required: list[str] = list(merged.get("required", []))
        for member in resolved["allOf"]:
            part = self.schema(member)
            properties.update(part.get("properties", {}))
            required += [name for name in part.get("required", []) if name not in required]
            for key, value in part.items():
                merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged

    def servers(self) -> list[str]:
        return [str(server.get("url", "")) for server in self.raw.get("servers", [])]

    def operations(self) -> Iterator[Operation]:
        for path, path_item in self.raw.get("paths", {}).items():
            item = self.resolve(path_item)
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                raw = dict(self.resolve(item[method]))
                own = raw.get("parameters", [])
                overridden = {parameter_key(self.resolve(p)) for p in own}
                inherited = [p for p in shared if parameter_key(self.resolve(p)) not in overridden]
                raw["parameters"] = inherited + own
                yield Operation(method, path, raw)

    def parameters(self, operation: Operation) -> dict[tuple[str, str], JsonObject]:
        """The operation's parameters by (location, name), ignored headers left out."""
        found: dict[tuple[str, str], JsonObject] = {}
        for node in operation.raw.get("parameters", []):
            parameter = self.resolve(node)
            location, name = parameter_key(parameter)
            if location == "header" and name.lower() in IGNORED_HEADERS:
                continue
            found[location, name] = parameter
        return found

    def security(self, operation: Operation) -> frozenset[frozenset[str]]:
        """The alternatives that satisfy the operation, each a set of scheme descriptions.

        A scheme is described by what a client sends (type, location, name, scheme and
        scopes) rather than by its key, so renaming a scheme's key is no change while
        moving its header is. No security at all is the one empty alternative.
        """
        requirements = operation.raw.get("security", self.raw.get("security", []))
        if not requirements:
            return frozenset({frozenset()})
        schemes = self.raw.get("components", {}).get("securitySchemes", {})
        return frozenset(
            frozenset(
                describe_scheme(name, self.resolve(schemes.get(name, {})), scopes)
                for name, scopes in requirement.items()
            )
            for requirement in requirements
        )


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
    return frozenset(json.dumps(value, sort_keys=True) for value in values)
