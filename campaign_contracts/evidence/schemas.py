"""What one JSON value shows about the schema that should describe it.

`SchemaWalk` walks a recorded body and its schema together, the schema's `$ref`s followed by
the document model (`Document.locate`), and tells a `Tally` what it saw, by the body's JSON
pointer (array items as `*`) and the pointer of the schema node in the document:

- `object`: an object checked against the node's `properties` (for "declared, never present");
- `field`: a property that is present;
- finding kinds `undeclared` (a field the schema does not declare), `required-missing`,
  `enum`, `const`, `type` (a value of another type: `null`, a number as a string), `format`
  (`""` where a date-time should be) and `constraint` (pattern, length, range);
- `marker`: a node carrying `x-assumed` or `x-quirk`, with whether the value satisfied it and,
  for a `oneOf`/`anyOf`, which branch it took (a quirk is the branches after the first).

Compiled validators (jsonschema-rs, through the model) decide branches and formats, so the
walk agrees with the validators of the sandbox and the proxy; what they cannot say (which
field is undeclared, which branch) is the walk's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from jsonschema_rs import Draft202012Validator, ValidationError

from campaign_contracts.documents import Document, pointer

JSON_TYPES = ("null", "boolean", "object", "array", "number", "string")
NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
BRANCHES = ("oneOf", "anyOf")
# Keywords jsonschema-rs reports, named as the finding kinds of this module.
CONSTRAINTS = frozenset(
    {
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
    }
)


# Python types of parsed JSON, by the JSON type they are (bool before int: it is one).
PYTHON_TYPES = ((bool, "boolean"), (int, "integer"), (str, "string"), (list, "array"))


def json_type(value: Any) -> str:
    """The JSON type of a parsed value (`integer` for whole numbers)."""
    if value is None:
        return "null"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    return next((name for kind, name in PYTHON_TYPES if isinstance(value, kind)), "object")


def type_allows(declared: Any, value: Any) -> bool:
    """Whether a schema's `type` (a name or a list of names) admits `value`."""
    names = declared if isinstance(declared, list) else [declared]
    actual = json_type(value)
    return actual in names or (actual == "integer" and "number" in names)


def child(json_pointer: str, token: str | int) -> str:
    return json_pointer + pointer(str(token))


class Place(NamedTuple):
    """Where a finding is: the body's pointer (array items as `*`) and the schema node's."""

    path: str
    at: str


class Tally(Protocol):
    """What a walk reports to; `site` names the operation and part the body belongs to."""

    def object(self, site: Any, place: Place) -> None: ...

    def field(self, site: Any, place: Place, name: str) -> None: ...

    def finding(self, site: Any, place: Place, kind: str, detail: str, value: Any) -> None: ...

    def marker(self, at: str, valid: bool, branch: int | None, value: Any) -> None: ...


@dataclass
class Walk:
    """One walk over one value: where to report, the schema nodes the value broke (pointers,
    in the order found), and whether the part walked now is checked (not known valid)."""

    site: Any
    tally: Tally
    checked: bool
    breaks: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    """A walk's verdict: whether the value satisfies its schema, and whether it breaks the
    root node itself (its type, required fields, enum), not only something inside it."""

    valid: bool
    root_broken: bool


class SchemaWalk:
    """Walks values against the schemas of one document; one per document, reused."""

    def __init__(self, document: Document, marked: frozenset[str]) -> None:
        self.document = document
        # Pointers of the schema nodes that carry x-assumed, x-assumed-values or x-quirk.
        self.marked = marked
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, at: str) -> Draft202012Validator:
        found = self._validators.get(at)
        if found is None:
            found = self._validators[at] = self.document.validator_at(at)
        return found

    def walk(self, value: Any, at: str, site: Any, tally: Tally) -> Result:
        """Report what `value`, the body whose schema is at pointer `at`, shows."""
        schema, at = self.document.locate(self.document.node_at(at), at)
        # A valid body needs no checks of its own, only the walk for fields and branches.
        valid = self.validator(at).is_valid(value)
        state = Walk(site, tally, checked=not valid)
        self._node(schema, Place("", at), value, state)
        return Result(valid and not state.breaks, at in state.breaks)

    def _node(self, schema: Any, place: Place, value: Any, state: Walk) -> None:
        schema, at = self.document.locate(schema, place.at)
        place = Place(place.path, at)
        if not isinstance(schema, Mapping):
            return
        if at not in self.marked:
            self._visit(schema, place, value, state)
            return
        # A marker holds unless the value breaks this very node: what breaks inside it
        # (an enum deep in a list) is a finding of its own, not a verdict on the marker.
        before = len(state.breaks)
        self._visit(schema, place, value, state)
        holds = at not in state.breaks[before:]
        state.tally.marker(at, holds, self._branch(schema, at, value), value)

    def _branch(self, schema: Mapping[str, Any], at: str, value: Any) -> int | None:
        """The first branch of a oneOf/anyOf that `value` satisfies, if any."""
        for keyword in BRANCHES:
            for index, _ in enumerate(schema.get(keyword, ())):
                if self.validator(f"{at}/{keyword}/{index}").is_valid(value):
                    return index
        return None

    def _visit(self, schema: Mapping[str, Any], place: Place, value: Any, state: Walk) -> None:
        if any(keyword in schema for keyword in BRANCHES):
            self._branches(schema, place, value, state)
            return
        for index, part in enumerate(schema.get("allOf", ())):
            self._node(part, Place(place.path, f"{place.at}/allOf/{index}"), value, state)
        if state.checked and not self._leaf_checks(schema, place, value, state):
            return
        if isinstance(value, dict):
            self._object(schema, place, value, state)
        elif isinstance(value, list) and "items" in schema:
            items = Place(f"{place.path}/*", f"{place.at}/items")
            for item in value:
                self._node(schema["items"], items, item, state)

    def _branches(self, schema: Mapping[str, Any], place: Place, value: Any, state: Walk) -> None:
        keyword = next(keyword for keyword in BRANCHES if keyword in schema)
        options = list(schema[keyword])
        branch = self._branch(schema, place.at, value)
        if branch is not None:
            # Known valid: the branch's fields are walked, nothing in it is checked.
            checked, state.checked = state.checked, False
            self._node(
                options[branch], Place(place.path, f"{place.at}/{keyword}/{branch}"), value, state
            )
            state.checked = checked
            return
        # No branch fits: walk the first whose type admits the value, to say what is wrong
        # inside it; when none does, the value is of another type than every branch.
        for index, option in enumerate(options):
            resolved, option_at = self.document.locate(option, f"{place.at}/{keyword}/{index}")
            if isinstance(resolved, Mapping) and type_allows(
                resolved.get("type", json_type(value)), value
            ):
                self._node(resolved, Place(place.path, option_at), value, state)
                return
        self._report(state, place, "type", json_type(value), value)

    def _leaf_checks(
        self, schema: Mapping[str, Any], place: Place, value: Any, state: Walk
    ) -> bool:
        """Type, enum, const, format and constraints of one node; False when the type is
        wrong, so that nothing inside the value is checked against it."""
        if "type" in schema and not type_allows(schema["type"], value):
            self._report(state, place, "type", json_type(value), value)
            return False
        if "enum" in schema and value not in schema["enum"]:
            self._report(state, place, "enum", "", value)
        elif "const" in schema and value != schema["const"]:
            self._report(state, place, "const", "", value)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            keyword = self._own_error(place.at, value)
            if keyword is not None:
                kind = "format" if keyword == "format" else "constraint"
                self._report(state, place, kind, keyword, value)
        return True

    def _own_error(self, at: str, value: Any) -> str | None:
        """The keyword of the first error of a scalar against its own node, if any."""
        validator = self.validator(at)
        if validator.is_valid(value):
            return None
        error: ValidationError = next(validator.iter_errors(value))
        keyword = str(error.schema_path[-1]) if error.schema_path else ""
        return keyword if keyword == "format" or keyword in CONSTRAINTS else None

    def _object(
        self, schema: Mapping[str, Any], place: Place, value: Mapping[str, Any], state: Walk
    ) -> None:
        properties = schema.get("properties") or {}
        additional = schema.get("additionalProperties", True)
        at = place.at
        state.tally.object(state.site, place)
        for name in schema.get("required", ()):
            if name not in value:
                self._report(
                    state, Place(child(place.path, name), at), "required-missing", name, None
                )
                if child(f"{at}/properties", name) in self.marked:
                    state.breaks.append(child(f"{at}/properties", name))
                    state.tally.marker(child(f"{at}/properties", name), False, None, None)
        for name, item in value.items():
            item_path = child(place.path, name)
            if name in properties:
                state.tally.field(state.site, place, name)
                self._node(
                    properties[name], Place(item_path, child(f"{at}/properties", name)), item, state
                )
            elif isinstance(additional, Mapping):
                self._node(additional, Place(item_path, f"{at}/additionalProperties"), item, state)
            else:
                # `additionalProperties: false` makes an undeclared field a contradiction.
                if additional is False:
                    state.breaks.append(at)
                state.tally.finding(state.site, Place(item_path, at), "undeclared", name, item)

    def _report(self, state: Walk, place: Place, kind: str, detail: str, value: Any) -> None:
        state.breaks.append(place.at)
        state.tally.finding(state.site, place, kind, detail, value)


def number_as_string(value: Any) -> bool:
    """A string that holds a number (`"5"`), the commonest type slip of JSON APIs."""
    return isinstance(value, str) and NUMBER_TEXT.fullmatch(value) is not None
