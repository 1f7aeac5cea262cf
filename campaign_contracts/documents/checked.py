"""A document that may be malformed, read part by part, each part's shape checked on the way.

`Document` (campaign_contracts.documents.model) is built whole and fails at load on the first
problem: right for a server that must not start on a broken document. The change gate must
instead say, of any edit, what is wrong and where (`paths./items.get: expected a mapping, found
a list`); `CheckedDocument` hands out one part at a time, `$ref`s followed by the same
resolver, and raises a DocumentError naming the part when one has the wrong shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from campaign_contracts.documents.errors import DocumentError
from campaign_contracts.documents.model import HTTP_METHODS, locate

# OpenAPI says these header parameters are ignored; the media type and security model them.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class CheckedOperation:
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


class CheckedDocument:
    """A parsed OpenAPI document with `$ref` resolution and schema normalisation.

    Its methods check the shape of each part they hand out (a mapping where a mapping
    belongs, ...): a valid YAML document of the wrong shape is a DocumentError naming `source`
    and the part, never a crash.
    """

    def __init__(self, raw: JsonObject, source: str = "the document") -> None:
        self.raw = raw
        self.source = source

    def error(self, where: str, problem: str) -> DocumentError:
        return DocumentError(self.source, f"{where}: {problem}")

    @property
    def version(self) -> str:
        return str(self.field_mapping(self.raw, "info", "info").get("version", ""))

    def resolve(self, node: Any) -> Any:
        """Follow `node`'s local `$ref` chain; external references are not supported."""
        return locate(self.raw, node, "", self.source)[0]

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

    def servers(self) -> list[str]:
        return [
            str(self.mapping(server, f"servers[{index}]").get("url", ""))
            for index, server in enumerate(self.field_list(self.raw, "servers", "servers"))
        ]

    def operations(self) -> Iterator[CheckedOperation]:
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
                yield CheckedOperation(method, str(path), raw)

    def _parameter_list(self, holder: JsonObject, where: str) -> list[tuple[Any, JsonObject]]:
        """The `parameters` of `holder`, each as (its node, resolved and checked)."""
        nodes = self.field_list(holder, "parameters", f"{where}.parameters")
        return [
            (node, self.mapping(node, f"{where}.parameters[{index}]"))
            for index, node in enumerate(nodes)
        ]

    def parameters(self, operation: CheckedOperation) -> dict[tuple[str, str], JsonObject]:
        """The operation's parameters by (location, name), ignored headers left out."""
        found: dict[tuple[str, str], JsonObject] = {}
        for _, parameter in self._parameter_list(operation.raw, operation.where):
            location, name = parameter_key(parameter)
            if location == "header" and name.lower() in IGNORED_HEADERS:
                continue
            found[location, name] = parameter
        return found

    def request_body(self, operation: CheckedOperation) -> JsonObject | None:
        node = operation.raw.get("requestBody")
        return None if node is None else self.mapping(node, f"{operation.where}.requestBody")

    def responses(self, operation: CheckedOperation) -> dict[str, JsonObject]:
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

    def security(self, operation: CheckedOperation) -> frozenset[frozenset[str]]:
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
