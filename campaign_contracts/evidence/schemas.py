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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from jsonschema_rs import ValidationError

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

    def object(self, site: Any, place: Place, names: Iterable[str]) -> None: ...

    def finding(self, site: Any, place: Place, kind: str, detail: str, value: Any) -> None: ...

    def marker(self, at: str, valid: bool, branch: int | None, value: Any) -> None: ...


@dataclass(eq=False)
class Plan:
    """One schema node, `$ref`s followed, and what a walk needs of it, worked out once: the
    plans of its properties, items and branches. `leaf`: nothing to walk inside it, so a
    value known to be valid needs no visit at all (most fields of a body), set once the plan
    is filled."""

    at: str
    schema: Mapping[str, Any]
    marked: bool
    properties: dict[str, Plan] = field(default_factory=dict)
    # The escaped pointer token of each property, for the body's pointers.
    tokens: dict[str, str] = field(default_factory=dict)
    additional: Plan | None = None
    items: Plan | None = None
    branches: tuple[str, tuple[Plan, ...]] | None = None
    all_of: tuple[Plan, ...] = ()

    leaf: bool = False


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
        self._plans: dict[str, Plan] = {}

    def plan(self, at: str, node: Any = None) -> Plan:
        """The plan of the schema at `at` (or of `node`, found there), built once."""
        found = self._plans.get(at)
        if found is not None:
            return found
        schema, located = self.document.locate(
            self.document.node_at(at) if node is None else node, at
        )
        found = self._plans.get(located)
        if found is None:
            found = Plan(
                located, schema if isinstance(schema, Mapping) else {}, located in self.marked
            )
            # Registered before its parts are: a schema may contain itself.
            self._plans[located] = found
            self._fill(found)
        self._plans[at] = found
        return found

    def _fill(self, plan: Plan) -> None:
        schema, at = plan.schema, plan.at
        for name, node in (schema.get("properties") or {}).items():
            plan.properties[name] = self.plan(child(f"{at}/properties", name), node)
            plan.tokens[name] = pointer(name)
        if isinstance(schema.get("additionalProperties"), Mapping):
            plan.additional = self.plan(
                f"{at}/additionalProperties", schema["additionalProperties"]
            )
        if isinstance(schema.get("items"), Mapping):
            plan.items = self.plan(f"{at}/items", schema["items"])
        keyword = next((keyword for keyword in BRANCHES if keyword in schema), None)
        if keyword is not None:
            options = schema[keyword]
            plan.branches = (
                keyword,
                tuple(
                    self.plan(f"{at}/{keyword}/{index}", node) for index, node in enumerate(options)
                ),
            )
        plan.all_of = tuple(
            self.plan(f"{at}/allOf/{index}", node)
            for index, node in enumerate(schema.get("allOf", ()))
        )
        plan.leaf = not (
            plan.marked
            or plan.properties
            or plan.additional
            or plan.items
            or plan.branches
            or plan.all_of
            or schema.get("type") == "object"
        )

    def walk(self, value: Any, at: str, site: Any, tally: Tally) -> Result:
        """Report what `value`, the body whose schema is at pointer `at`, shows."""
        plan = self.plan(at)
        # A valid body needs no checks of its own, only the walk for fields and branches.
        valid = self.document.validator_at(plan.at).is_valid(value)
        state = Walk(site, tally, checked=not valid)
        self._node(plan, "", value, state)
        return Result(valid and not state.breaks, plan.at in state.breaks)

    def _node(self, plan: Plan, path: str, value: Any, state: Walk) -> None:
        if not plan.marked:
            self._visit(plan, path, value, state)
            return
        # A marker holds unless the value breaks this very node: what breaks inside it
        # (an enum deep in a list) is a finding of its own, not a verdict on the marker.
        before = len(state.breaks)
        self._visit(plan, path, value, state)
        holds = plan.at not in state.breaks[before:]
        state.tally.marker(plan.at, holds, self._branch(plan, value), value)

    def _branch(self, plan: Plan, value: Any) -> int | None:
        """The first branch of a oneOf/anyOf that `value` satisfies, if any."""
        if plan.branches is None:
            return None
        for index, option in enumerate(plan.branches[1]):
            if self.document.validator_at(option.at).is_valid(value):
                return index
        return None

    def _visit(self, plan: Plan, path: str, value: Any, state: Walk) -> None:
        if plan.branches is not None:
            self._branches(plan, path, value, state)
            return
        for part in plan.all_of:
            self._node(part, path, value, state)
        if state.checked and not self._leaf_checks(plan, path, value, state):
            return
        if isinstance(value, dict):
            self._object(plan, path, value, state)
        elif isinstance(value, list) and plan.items is not None:
            items = plan.items
            if state.checked or not items.leaf:
                for item in value:
                    self._node(items, f"{path}/*", item, state)

    def _branches(self, plan: Plan, path: str, value: Any, state: Walk) -> None:
        assert plan.branches is not None
        branch = self._branch(plan, value)
        if branch is not None:
            # Known valid: the branch's fields are walked, nothing in it is checked.
            checked, state.checked = state.checked, False
            self._node(plan.branches[1][branch], path, value, state)
            state.checked = checked
            return
        # No branch fits: walk the first whose type admits the value, to say what is wrong
        # inside it; when none does, the value is of another type than every branch.
        for option in plan.branches[1]:
            if type_allows(option.schema.get("type", json_type(value)), value):
                self._node(option, path, value, state)
                return
        self._report(state, Place(path, plan.at), "type", json_type(value), value)

    def _leaf_checks(self, plan: Plan, path: str, value: Any, state: Walk) -> bool:
        """Type, enum, const, format and constraints of one node; False when the type is
        wrong, so that nothing inside the value is checked against it."""
        schema, place = plan.schema, Place(path, plan.at)
        if "type" in schema and not type_allows(schema["type"], value):
            self._report(state, place, "type", json_type(value), value)
            return False
        if "enum" in schema and value not in schema["enum"]:
            self._report(state, place, "enum", "", value)
        elif "const" in schema and value != schema["const"]:
            self._report(state, place, "const", "", value)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            keyword = self._own_error(plan.at, value)
            if keyword is not None:
                kind = "format" if keyword == "format" else "constraint"
                self._report(state, place, kind, keyword, value)
        return True

    def _own_error(self, at: str, value: Any) -> str | None:
        """The keyword of the first error of a scalar against its own node, if any."""
        validator = self.document.validator_at(at)
        if validator.is_valid(value):
            return None
        error: ValidationError = next(validator.iter_errors(value))
        keyword = str(error.schema_path[-1]) if error.schema_path else ""
        return keyword if keyword == "format" or keyword in CONSTRAINTS else None

    def _object(self, plan: Plan, path: str, value: Mapping[str, Any], state: Walk) -> None:
        properties = plan.properties
        state.tally.object(state.site, Place(path, plan.at), value.keys())
        if state.checked:
            self._required(plan, path, value, state)
        for name, item in value.items():
            member = properties.get(name)
            if member is not None:
                if state.checked or not member.leaf:
                    self._node(member, path + plan.tokens[name], item, state)
            elif plan.additional is not None:
                self._node(plan.additional, child(path, name), item, state)
            else:
                # `additionalProperties: false` makes an undeclared field a contradiction.
                if plan.schema.get("additionalProperties") is False:
                    state.breaks.append(plan.at)
                place = Place(child(path, name), plan.at)
                state.tally.finding(state.site, place, "undeclared", name, item)

    def _required(self, plan: Plan, path: str, value: Mapping[str, Any], state: Walk) -> None:
        for name in plan.schema.get("required", ()):
            if name in value:
                continue
            self._report(state, Place(child(path, name), plan.at), "required-missing", name, None)
            member = plan.properties.get(name)
            if member is not None and member.marked:
                state.breaks.append(member.at)
                state.tally.marker(member.at, False, None, None)

    def _report(self, state: Walk, place: Place, kind: str, detail: str, value: Any) -> None:
        state.breaks.append(place.at)
        state.tally.finding(state.site, place, kind, detail, value)


def number_as_string(value: Any) -> bool:
    """A string that holds a number (`"5"`), the commonest type slip of JSON APIs."""
    return isinstance(value, str) and NUMBER_TEXT.fullmatch(value) is not None
