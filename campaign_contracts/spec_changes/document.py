"""An OpenAPI document as the change gate's walker sees it: local `$ref`s followed, each part's
shape checked (`campaign_contracts.documents.checked`), schemas normalised here."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from campaign_contracts.documents import DocumentError
from campaign_contracts.documents.checked import (
    CheckedDocument,
    CheckedOperation,
    JsonObject,
    is_scalar,
)

__all__ = ["Document", "DocumentError", "JsonObject", "Operation", "parse"]

Operation = CheckedOperation


def parse(data: bytes | str, source: str) -> JsonObject:
    """Parse UTF-8 YAML `data` (named `source` in errors) into a mapping."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise DocumentError(
                source, f"not UTF-8 (line {line}): byte 0x{data[error.start]:02x}"
            ) from None
    else:
        text = data
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DocumentError(source, f"not valid YAML{_yaml_problem(error, text)}") from None
    if not isinstance(loaded, dict):
        raise DocumentError(source, "the document is not a YAML mapping")
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


class Document(CheckedDocument):
    """A parsed OpenAPI document with `$ref` resolution and schema normalisation.

    The walker reads the document through these methods, which check the shape of each
    part they hand out (a mapping where a mapping belongs, ...): a valid YAML document of
    the wrong shape is a DocumentError naming `source` and the part, never a crash.
    """

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
