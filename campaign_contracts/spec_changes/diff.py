"""Walk two versions of an OpenAPI document side by side and list what changed.

The walker matches operations by method and path (path parameter names do not take part
in the match, so renaming one reports `parameter-renamed`), parameters by location and
name, responses by status code, bodies by media type and schema properties by name. It
follows local `$ref`s, merges `allOf`, and compares 3.1 type arrays and `null` (and 3.0
`nullable`) as sets of JSON types, `number` admitting `integer`. Each observation becomes
a finding through the direction-aware table in `rules.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from campaign_contracts.spec_changes.document import (
    Document,
    JsonObject,
    Operation,
    admits,
    enum_values,
    schema_types,
    scheme_identity,
)
from campaign_contracts.spec_changes.rules import Direction, Kind, rule_for

PATH_PARAMETER = re.compile(r"\{[^}]*\}")
COMPOSITIONS = ("oneOf", "anyOf")

K = TypeVar("K")
V = TypeVar("V")


def _match(old: Mapping[K, V], new: Mapping[K, V]) -> tuple[list[K], list[K], list[tuple[K, V, V]]]:
    """The keys only in `old`, those only in `new`, and the pairs in both, in document order."""
    removed = [key for key in old if key not in new]
    added = [key for key in new if key not in old]
    common = [(key, value, new[key]) for key, value in old.items() if key in new]
    return removed, added, common


@dataclass(frozen=True)
class ClassifiedChange:
    """One change, classified: which rule, where in which operation, and what exactly."""

    rule: str
    breaking: bool
    summary: str
    operation: str  # "METHOD /path", or "" for the document as a whole
    operation_id: str
    location: str  # e.g. "request body", "response 200", "query parameter `limit`"
    field: str  # dotted path inside the schema, "" for the location itself
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Place:
    """Where the walker is: who sends the data, which part of the operation, which field."""

    direction: Direction
    location: str
    field: str = ""

    def child(self, name: str) -> Place:
        return Place(self.direction, self.location, f"{self.field}.{name}" if self.field else name)

    def suffixed(self, suffix: str) -> Place:
        return Place(self.direction, self.location, f"{self.field}{suffix}")


def compare(old: Document | None, new: Document | None) -> list[ClassifiedChange]:
    """The findings between `old` and `new`; None stands for a missing document."""
    if new is None:
        if old is None:
            return []
        removed = rule_for(Kind.DOCUMENT_REMOVED, Direction.OPERATION)
        return [
            ClassifiedChange(
                removed.id, removed.breaking, removed.summary, "", "", "document", "", ""
            )
        ]
    walker = _Walker(old or Document({}), new)
    walker.walk()
    return walker.findings


class _Walker:
    def __init__(self, old: Document, new: Document) -> None:
        self.old = old
        self.new = new
        self.findings: list[ClassifiedChange] = []
        self._operation: Operation | None = None

    def emit(self, kind: Kind, place: Place, detail: str = "") -> None:
        rule = rule_for(kind, place.direction)
        operation = self._operation
        self.findings.append(
            ClassifiedChange(
                rule=rule.id,
                breaking=rule.breaking,
                summary=rule.summary,
                operation=operation.label if operation else "",
                operation_id=operation.operation_id if operation else "",
                location=place.location,
                field=place.field,
                detail=detail,
            )
        )

    def walk(self) -> None:
        self._servers()
        old_operations = {_operation_key(op): op for op in self.old.operations()}
        new_operations = {_operation_key(op): op for op in self.new.operations()}
        whole = Place(Direction.OPERATION, "operation")
        for key, old_operation in old_operations.items():
            self._operation = new_operations.get(key, old_operation)
            if key not in new_operations:
                self.emit(Kind.OPERATION_REMOVED, whole)
            else:
                self._operation_pair(old_operation, new_operations[key])
        for key, new_operation in new_operations.items():
            if key not in old_operations:
                self._operation = new_operation
                self.emit(Kind.OPERATION_ADDED, whole)
        self._operation = None

    def _servers(self) -> None:
        removed, added, _ = _match(
            dict.fromkeys(self.old.servers()), dict.fromkeys(self.new.servers())
        )
        servers = Place(Direction.OPERATION, "servers")
        for url in removed:
            self.emit(Kind.SERVER_REMOVED, servers, url)
        for url in added:
            self.emit(Kind.SERVER_ADDED, servers, url)

    def _operation_pair(self, old: Operation, new: Operation) -> None:
        if old.operation_id != new.operation_id:
            self.emit(
                Kind.OPERATION_ID_CHANGED,
                Place(Direction.OPERATION, "operation"),
                f"{old.operation_id} → {new.operation_id}",
            )
        self._security(old, new)
        self._parameters(old, new)
        self._request_body(old, new)
        self._responses(old, new)

    def _security(self, old: Operation, new: Operation) -> None:
        old_alternatives, new_alternatives = self.old.security(old), self.new.security(new)
        old_sent, new_sent = _wire_identity(old_alternatives), _wire_identity(new_alternatives)
        if old_sent == new_sent:
            return
        kind = Kind.SECURITY_ALTERNATIVE_ADDED if old_sent < new_sent else Kind.SECURITY_CHANGED
        detail = f"{_render_security(old_alternatives)} → {_render_security(new_alternatives)}"
        self.emit(kind, Place(Direction.REQUEST, "security"), detail)

    def _parameters(self, old: Operation, new: Operation) -> None:
        old_parameters, new_parameters = self.old.parameters(old), self.new.parameters(new)
        removed, added, common = _match(old_parameters, new_parameters)
        # One parameter gone and one new in the same place reads as a rename.
        for location in sorted({place for place, _ in removed}):
            gone = [key for key in removed if key[0] == location]
            came = [key for key in added if key[0] == location]
            if len(gone) == 1 and len(came) == 1:
                self.emit(
                    Kind.PARAMETER_RENAMED,
                    _parameter_place(gone[0]),
                    f"`{gone[0][1]}` → `{came[0][1]}`",
                )
                removed.remove(gone[0])
                added.remove(came[0])
        for key in removed:
            self.emit(Kind.PARAMETER_REMOVED, _parameter_place(key))
        for key in added:
            required = new_parameters[key].get("required")
            kind = Kind.PARAMETER_ADDED_REQUIRED if required else Kind.PARAMETER_ADDED_OPTIONAL
            self.emit(kind, _parameter_place(key))
        for key, old_parameter, new_parameter in common:
            place = _parameter_place(key)
            was_required = bool(old_parameter.get("required"))
            is_required = bool(new_parameter.get("required"))
            if is_required != was_required:
                kind = Kind.PARAMETER_MADE_REQUIRED if is_required else Kind.PARAMETER_MADE_OPTIONAL
                self.emit(kind, place)
            self._schemas(old_parameter.get("schema", {}), new_parameter.get("schema", {}), place)

    def _request_body(self, old: Operation, new: Operation) -> None:
        old_body, new_body = self.old.request_body(old), self.new.request_body(new)
        place = Place(Direction.REQUEST, "request body")
        if old_body is None and new_body is None:
            return
        if new_body is None:
            self.emit(Kind.BODY_REMOVED, place)
            return
        if old_body is None:
            required = new_body.get("required", False)
            self.emit(Kind.BODY_ADDED_REQUIRED if required else Kind.BODY_ADDED_OPTIONAL, place)
            return
        was_required, is_required = bool(old_body.get("required")), bool(new_body.get("required"))
        if is_required != was_required:
            self.emit(Kind.BODY_MADE_REQUIRED if is_required else Kind.BODY_MADE_OPTIONAL, place)
        self._content(
            self.old.content(old_body, f"{old.where}.requestBody"),
            self.new.content(new_body, f"{new.where}.requestBody"),
            place,
        )

    def _responses(self, old: Operation, new: Operation) -> None:
        removed, added, common = _match(self.old.responses(old), self.new.responses(new))
        for status in removed:
            success = _is_success(status)
            kind = Kind.SUCCESS_STATUS_REMOVED if success else Kind.ERROR_STATUS_REMOVED
            self.emit(kind, _response_place(status))
        for status in added:
            success = _is_success(status)
            kind = Kind.SUCCESS_STATUS_ADDED if success else Kind.ERROR_STATUS_ADDED
            self.emit(kind, _response_place(status))
        for status, old_response, new_response in common:
            where = f"responses.{status}"
            self._content(
                self.old.content(old_response, f"{old.where}.{where}"),
                self.new.content(new_response, f"{new.where}.{where}"),
                _response_place(status),
            )

    def _content(
        self, old_content: Mapping[str, Any], new_content: Mapping[str, Any], place: Place
    ) -> None:
        removed, added, common = _match(old_content, new_content)
        for media_type in removed:
            self.emit(Kind.MEDIA_TYPE_REMOVED, place, media_type)
        for media_type in added:
            self.emit(Kind.MEDIA_TYPE_ADDED, place, media_type)
        for media_type, old_media, new_media in common:
            # JSON is the common case and named by the location alone.
            media_place = (
                place
                if media_type == "application/json"
                else Place(place.direction, f"{place.location} {media_type}")
            )
            self._schemas(old_media.get("schema", {}), new_media.get("schema", {}), media_place)

    def _schemas(
        self,
        old_node: Any,
        new_node: Any,
        place: Place,
        ancestors: frozenset[tuple[int, int]] = frozenset(),
    ) -> None:
        # A recursive schema meets itself again below; stop there, not at a mere reuse. The
        # key is the node the `$ref`s lead to, as merging `allOf` builds a new dict each time.
        pair = (id(self.old.resolve(old_node)), id(self.new.resolve(new_node)))
        if pair in ancestors:
            return
        ancestors |= {pair}
        where = self._schema_where(place)
        old, new = self.old.schema(old_node, where), self.new.schema(new_node, where)
        self._types(old, new, place)
        self._enums(old, new, place)
        self._properties(old, new, place, ancestors)
        for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
            if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
                self._schemas(old[key], new[key], place.suffixed(suffix), ancestors)
        for composition in COMPOSITIONS:
            self._alternatives(old, new, composition, place, ancestors)

    def _schema_where(self, place: Place) -> str:
        """The schema at `place`, in error messages: `POST /items, request body `count``."""
        operation = f"{self._operation.label}, " if self._operation else ""
        field = f" `{place.field}`" if place.field else ""
        return f"{operation}{place.location}{field} schema"

    def _types(self, old: JsonObject, new: JsonObject, place: Place) -> None:
        old_types, new_types = schema_types(old), schema_types(new)
        if old_types is None or new_types is None:
            return
        lost = {json_type for json_type in old_types if not admits(new_types, json_type)}
        gained = {json_type for json_type in new_types if not admits(old_types, json_type)}
        if not lost and not gained:
            return
        if lost and gained:
            kind = Kind.TYPE_CHANGED
        else:
            kind = Kind.TYPE_NARROWED if lost else Kind.TYPE_WIDENED
        self.emit(kind, place, f"{_render(old_types, ' | ')} → {_render(new_types, ' | ')}")

    def _enums(self, old: JsonObject, new: JsonObject, place: Place) -> None:
        old_values, new_values = enum_values(old), enum_values(new)
        if old_values is None:
            if new_values is not None:
                self.emit(Kind.ENUM_INTRODUCED, place, _render(new_values, ", "))
            return
        if new_values is None:
            self.emit(Kind.ENUM_DROPPED, place, _render(old_values, ", "))
            return
        for value in sorted(old_values - new_values):
            self.emit(Kind.ENUM_VALUE_REMOVED, place, value)
        for value in sorted(new_values - old_values):
            self.emit(Kind.ENUM_VALUE_ADDED, place, value)

    def _properties(
        self,
        old: JsonObject,
        new: JsonObject,
        place: Place,
        ancestors: frozenset[tuple[int, int]],
    ) -> None:
        old_properties: JsonObject = old.get("properties", {})
        new_properties: JsonObject = new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        removed, added, common = _match(old_properties, new_properties)
        for name in removed:
            self.emit(Kind.PROPERTY_REMOVED, place.child(name))
        for name in added:
            required = name in new_required
            kind = Kind.PROPERTY_ADDED_REQUIRED if required else Kind.PROPERTY_ADDED_OPTIONAL
            self.emit(kind, place.child(name))
        for name, old_property, new_property in common:
            was_required, is_required = name in old_required, name in new_required
            if is_required != was_required:
                kind = Kind.PROPERTY_MADE_REQUIRED if is_required else Kind.PROPERTY_MADE_OPTIONAL
                self.emit(kind, place.child(name))
            self._schemas(old_property, new_property, place.child(name), ancestors)

    def _alternatives(
        self,
        old: JsonObject,
        new: JsonObject,
        composition: str,
        place: Place,
        ancestors: frozenset[tuple[int, int]],
    ) -> None:
        old_branches, new_branches = old.get(composition), new.get(composition)
        if not isinstance(old_branches, list) or not isinstance(new_branches, list):
            return
        if len(old_branches) != len(new_branches):
            more = len(new_branches) > len(old_branches)
            detail = f"{composition}: {len(old_branches)} → {len(new_branches)} alternatives"
            self.emit(Kind.TYPE_WIDENED if more else Kind.TYPE_NARROWED, place, detail)
            return
        # Same number of alternatives: compared in order (a reordering is not recognised).
        branches = zip(old_branches, new_branches, strict=True)
        for index, (old_branch, new_branch) in enumerate(branches):
            branch_place = place.suffixed(f"({composition} {index})")
            self._schemas(old_branch, new_branch, branch_place, ancestors)


def _operation_key(operation: Operation) -> tuple[str, str]:
    return PATH_PARAMETER.sub("{}", operation.path), operation.method


def _parameter_place(key: tuple[str, str]) -> Place:
    return Place(Direction.REQUEST, f"{key[0]} parameter `{key[1]}`")


def _response_place(status: str) -> Place:
    return Place(Direction.RESPONSE, f"response {status}")


def _is_success(status: str) -> bool:
    return str(status).upper().startswith("2")


def _wire_identity(alternatives: frozenset[frozenset[str]]) -> frozenset[frozenset[str]]:
    return frozenset(
        frozenset(scheme_identity(scheme) for scheme in alternative) for alternative in alternatives
    )


def _render_security(alternatives: frozenset[frozenset[str]]) -> str:
    rendered = sorted(" and ".join(sorted(alternative)) or "none" for alternative in alternatives)
    return " or ".join(f"[{text}]" for text in rendered)


def _render(values: frozenset[str], separator: str) -> str:
    return separator.join(sorted(values))
