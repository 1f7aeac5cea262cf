"""Recorded exchanges against the documents: what was seen, by operation, status and pointer.

`Evidence.add` takes one exchange at a time and keeps only counts and one example of each
thing seen, so a week of traffic costs the memory of its distinct observations, not of its
exchanges. What is kept:

- per API, operation and status: how often, and the first exchange (`file#index`);
- per body (answers by status, request bodies, parameters): the findings of `SchemaWalk`,
  each with its count, a masked example and, for what the team's code sent, how often the
  vendor accepted it anyway (a 2xx);
- per `x-assumed` / `x-quirk` element: how often it was exercised and the exchanges that
  contradict it (`Evidence.ledger` judges them);
- per operation, the requests the document forbids that the vendor accepted anyway
  (`lenient`), each with its reason.

Each exchange teaches what its origin (the HAR entry's `_origin`) can: application traffic
(and a recording that does not say) everything, requests included; the contract suite's
positive cases, documented examples, rule steps, probes and sign-ins everything about the
answers, and nothing about the fields of what they sent (a generator invents property names
the document allows, which no team sends); a negative case, only how the vendor rejects:
the status and shape of its refusal, or, when it accepted what the document forbids, a
`lenient` observation of the operation (or of an undeclared method on its path).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from campaign_contracts.documents import Document, Operation, Parameter
from campaign_contracts.documents import pointer as json_pointer
from campaign_contracts.evidence.schemas import Place, SchemaWalk, json_type
from campaign_contracts.recording.origins import Origin
from campaign_contracts.recording.reader import NOT_JSON, RecordedExchange

ASSUMED = "x-assumed"
QUIRK = "x-quirk"
ASSUMED_VALUES = "x-assumed-values"
LEDGER_KINDS = (ASSUMED, QUIRK, ASSUMED_VALUES)
UNDECLARED = "undeclared"
# The statuses both documents give, by their conventions (openapi/README.md), to a body that
# is not JSON, to a request that breaks the schema and to missing credentials.
NOT_JSON_STATUS = "400"
INVALID_STATUS = "422"
UNAUTHORIZED_STATUS = "401"
# What the vendor accepted: for a request the team's code sent, whether it went through.
SUCCESS = range(200, 300)
# How many contradicting exchanges an entry keeps (the count goes on).
KEEP_EXAMPLES = 5
# How much of a contradicting value the ledger shows.
SHOWN_CHARS = 60
# Distinct unmatched method + path pairs kept (ids in paths would grow it without bound).
KEEP_UNMATCHED = 100
# Methods tried to tell on which documented path an undeclared method was sent.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class Site(NamedTuple):
    """Which body of which operation a finding is about: `response 200`, `request body`,
    `query parameter status`."""

    api: str
    operation: str
    part: str


@dataclass
class Observation:
    count: int = 0
    # Of `count`, how many came with a 2xx answer (what the vendor accepted, for requests).
    accepted: int = 0
    where: str = ""
    value: Any = None
    types: Counter[str] = field(default_factory=Counter)


@dataclass
class Leniency:
    """Requests of one operation that the document forbids and the vendor accepted."""

    count: int = 0
    pointer: str = ""
    # The first exchange of each reason, in the order seen.
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, where: str) -> None:
        self.count += 1
        if len(self.reasons) < KEEP_EXAMPLES:
            self.reasons.setdefault(reason, where)


@dataclass
class Exercise:
    """How an x-assumed or x-quirk element fared."""

    count: int = 0
    contradictions: list[tuple[str, str]] = field(default_factory=list)
    contradicted: int = 0
    # Branches a oneOf/anyOf quirk took, by index; enum values seen (x-assumed-values).
    branches: Counter[int] = field(default_factory=Counter)
    values: set[Any] = field(default_factory=set)

    def contradict(self, where: str, reason: str) -> None:
        self.contradicted += 1
        if len(self.contradictions) < KEEP_EXAMPLES:
            self.contradictions.append((where, reason))


@dataclass(frozen=True)
class LedgerEntry:
    api: str
    kind: str
    pointer: str
    what: str
    status: str  # confirmed, contradicted, unexercised
    exercised: int
    contradicted: int
    contradictions: tuple[tuple[str, str], ...]
    note: str


def _typed(raw: str, parameter: Parameter) -> Any:
    """A query or path value as its schema types it (query strings carry text); as sent when
    it is not of that type, which the walk then reports."""
    kind = parameter.schema.get("type")
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


def _shown(value: Any) -> str:
    """A value as JSON, cut to SHOWN_CHARS."""
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= SHOWN_CHARS else shown[: SHOWN_CHARS - 1] + "…"


def _names(value: Any) -> Iterable[str]:
    """Every property name of a JSON value, at any depth."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)


def _first_sentence(text: str) -> str:
    """A description's first sentence, on one line."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat[: end + 1] if end >= 0 else flat


def _listed_items(body: Any) -> list[Mapping[str, Any]]:
    """The objects a list answer lists: the body itself, or its first array of objects."""
    candidates = [body, *body.values()] if isinstance(body, Mapping) else [body]
    for candidate in candidates:
        if isinstance(candidate, list) and all(isinstance(i, Mapping) for i in candidate):
            return candidate
    return []


class ApiEvidence:
    """What one document's walk needs, built once per API."""

    def __init__(self, name: str, document: Document) -> None:
        self.name = name
        self.document = document
        self.markers = {
            marker.pointer: marker for marker in document.markers if marker.kind in LEDGER_KINDS
        }
        self.walk = SchemaWalk(document, frozenset(self.markers))
        # Where the path of every operation starts, to tell whose an unmatched path is.
        self.prefix = min((op.path for op in document.operations.values()), key=len, default="")


class Evidence:
    """The accumulated evidence of every exchange given to `add` (see the module docstring)."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        self.apis = {name: ApiEvidence(name, doc) for name, doc in documents.items()}
        self.exchanges = 0
        self.files: list[str] = []
        self.statuses: Counter[tuple[str, str, int]] = Counter()
        self.status_examples: dict[tuple[str, str, int], str] = {}
        # The first body of each status an operation does not document.
        self.undocumented_bodies: dict[tuple[str, str, int], Any] = {}
        self.unmatched: dict[tuple[str, str, str], Observation] = {}
        self.objects: Counter[tuple[Site, str, str]] = Counter()
        # The names of the fields each object had (declared or not), by body and pointer.
        self.fields: dict[tuple[Site, str, str], Counter[str]] = {}
        self.findings: dict[tuple[Site, str, str, str, str], Observation] = {}
        self.exercises: dict[tuple[str, str], Exercise] = {}
        # (api, operation or `METHOD path`) -> what the vendor accepted although forbidden.
        self.lenient: dict[tuple[str, str], Leniency] = {}
        # (api, pointer of an assumed refusal) -> how many of its contradictions are such
        # acceptances, which the lenient observation says already.
        self.refusals_contradicted: Counter[tuple[str, str]] = Counter()
        self.origins: Counter[str] = Counter()
        self._exchange: RecordedExchange | None = None
        # Property names the generated requests (any origin but application) sent so far.
        self.invented: set[str] = set()
        self._api = ""

    # -- the Tally a SchemaWalk reports to ---------------------------------------------------

    def object(self, site: Site, place: Place, names: Iterable[str]) -> None:
        key = (site, place.path, place.at)
        self.objects[key] += 1
        found = self.fields.get(key)
        if found is None:
            found = self.fields[key] = Counter()
        found.update(names)

    def finding(self, site: Site, place: Place, kind: str, detail: str, value: Any) -> None:
        if kind == UNDECLARED and detail in self.invented:
            # The echo of a name a generated request invented (a create answers what it was
            # sent, a list what was created): the generator's, not the vendor's.
            return
        key = (site, place.path, place.at, kind, detail)
        found = self.findings.get(key)
        if found is None:
            found = self.findings[key] = Observation()
            assert self._exchange is not None
            found.where = self._exchange.where
            found.value = value
        found.count += 1
        found.types[json_type(value)] += 1
        if self._exchange is not None and self._exchange.status in SUCCESS:
            found.accepted += 1

    def marker(self, at: str, valid: bool, branch: int | None, value: Any) -> None:
        exercise = self.exercise(self._api, at)
        exercise.count += 1
        if branch is not None:
            exercise.branches[branch] += 1
        if isinstance(value, (str, int, float, bool)) or value is None:
            exercise.values.add(value)
        if not valid:
            assert self._exchange is not None
            exercise.contradict(self._exchange.where, f"the value there was {_shown(value)}")

    def exercise(self, api: str, at: str) -> Exercise:
        found = self.exercises.get((api, at))
        if found is None:
            found = self.exercises[api, at] = Exercise()
        return found

    # -- exchanges ---------------------------------------------------------------------------

    def add_all(self, exchanges: Iterable[RecordedExchange]) -> None:
        for exchange in exchanges:
            if not self.files or self.files[-1] != exchange.file:
                self.files.append(exchange.file)
            self.add(exchange)

    def add(self, exchange: RecordedExchange) -> None:
        self.exchanges += 1
        self.origins[exchange.origin] += 1
        self._exchange = exchange
        if exchange.origin is not Origin.APPLICATION and exchange.request_text:
            self.invented.update(_names(exchange.request_json))
        negative = exchange.origin is Origin.NEGATIVE
        for api in self.apis.values():
            found = api.document.match(exchange.method, exchange.path)
            if found is not None:
                self._api = api.name
                self._matched(api, exchange, found.operation, found.path_params)
                return
        owner = next((a.name for a in self.apis.values() if exchange.path.startswith(a.prefix)), "")
        if negative:
            # An undeclared method, sent to be refused: only its acceptance is news.
            if owner and exchange.status in SUCCESS:
                api = self.apis[owner]
                self._lenient(api, f"{exchange.method} {self._path_of(api, exchange)}", "/paths")
            return
        key = (owner, exchange.method, exchange.path)
        unmatched = self.unmatched.get(key)
        if unmatched is None and len(self.unmatched) < KEEP_UNMATCHED:
            unmatched = self.unmatched[key] = Observation(where=exchange.where)
        if unmatched is not None:
            unmatched.count += 1

    @staticmethod
    def _path_of(api: ApiEvidence, exchange: RecordedExchange) -> str:
        """The documented path an undeclared method was sent to, else the path itself."""
        for method in METHODS:
            found = api.document.match(method, exchange.path)
            if found is not None:
                return found.operation.path
        return exchange.path

    def _lenient(self, api: ApiEvidence, what: str, pointer: str, reason: str = "") -> None:
        assert self._exchange is not None
        found = self.lenient.get((api.name, what))
        if found is None:
            found = self.lenient[api.name, what] = Leniency(pointer=pointer)
        found.add(reason or f"accepted with {self._exchange.status}", self._exchange.where)

    def _status(self, api: ApiEvidence, exchange: RecordedExchange, operation: Operation) -> None:
        key = (api.name, operation.operation_id, exchange.status)
        self.statuses[key] += 1
        if key not in self.status_examples:
            self.status_examples[key] = exchange.where
            if str(exchange.status) not in operation.responses:
                self.undocumented_bodies[key] = exchange.response_json

    def _forbidden(
        self,
        api: ApiEvidence,
        exchange: RecordedExchange,
        operation: Operation,
        path: Mapping[str, str],
    ) -> tuple[str, str] | None:
        """Why the document forbids this request and the status it says refuses it, or None
        when it allows the request."""
        missing = self._missing_credentials(api, exchange, operation)
        if missing:
            return f"a request without {missing[0]}", UNAUTHORIZED_STATUS
        sources = {"query": exchange.query, "path": path}
        for parameter in operation.parameters:
            if parameter.location not in sources:
                continue
            raw = sources[parameter.location].get(parameter.name)
            if raw is None and parameter.required:
                what = f"a request without the {parameter.location} parameter {parameter.name}"
                return what, INVALID_STATUS
            value = None if raw is None else _typed(raw, parameter)
            if raw is not None and not api.document.validator_at(parameter.schema_pointer).is_valid(
                value
            ):
                return f"{parameter.location} parameter {parameter.name} {_shown(value)}", (
                    INVALID_STATUS
                )
        return self._forbidden_body(api, exchange, operation)

    @staticmethod
    def _forbidden_body(
        api: ApiEvidence, exchange: RecordedExchange, operation: Operation
    ) -> tuple[str, str] | None:
        body = operation.request_body
        if body is None or body.json_schema_pointer is None:
            return None
        if not exchange.request_text:
            return ("a request without its body", INVALID_STATUS) if body.required else None
        if exchange.request_json is NOT_JSON:
            return "a body that is not JSON", NOT_JSON_STATUS
        validator = api.document.validator_at(body.json_schema_pointer)
        error = next(iter(validator.iter_errors(exchange.request_json)), None)
        if error is None:
            return None
        where = json_pointer(*error.instance_path) or "/"
        return f"a body that breaks the schema at {where}", INVALID_STATUS

    def _matched(
        self,
        api: ApiEvidence,
        exchange: RecordedExchange,
        operation: Operation,
        path: Mapping[str, str],
    ) -> None:
        status = exchange.status
        if exchange.origin is Origin.NEGATIVE:
            self._refusal(api, exchange, operation, path)
            return
        if not exchange.answered:
            # What was sent is evidence; of the vendor's answers (none, or the sandbox's fault
            # control's), nothing is.
            self._request(api, exchange, operation, path, accepted=False)
            return
        self._status(api, exchange, operation)
        accepted = status in SUCCESS
        self._request(api, exchange, operation, path, accepted)
        self._answer(api, exchange, operation)

    def _refusal(
        self, api: ApiEvidence, exchange: RecordedExchange, operation: Operation, path: Any
    ) -> None:
        """A negative case: how the vendor refused it, or that it accepted it."""
        if not exchange.answered:
            return
        if exchange.status not in SUCCESS:
            self._status(api, exchange, operation)
            self._answer(api, exchange, operation)
            return
        forbidden = self._forbidden(api, exchange, operation, path)
        if forbidden is not None:
            self._status(api, exchange, operation)
            what = f"{forbidden[0]} answered {exchange.status}"
            self._lenient(api, operation.operation_id, operation.pointer, what)

    def _answer(self, api: ApiEvidence, exchange: RecordedExchange, operation: Operation) -> None:
        """The answer against its documented response: assumptions, shape and fields."""
        status = exchange.status
        accepted = status in SUCCESS
        response = operation.responses.get(str(status)) or operation.responses.get("default")
        if response is None:
            if accepted:
                # An answer in another 2xx than the one assumed contradicts the assumption.
                for documented in operation.responses.values():
                    if documented.status.startswith("2"):
                        self._contradict(
                            api, documented.pointer, f"answered {status}, not {documented.status}"
                        )
            return
        self._exercised(api, response.pointer)
        schema_at = response.json_schema_pointer
        if schema_at is None:
            return
        body = exchange.response_json
        site = Site(api.name, operation.operation_id, f"response {status}")
        if body is NOT_JSON:
            if exchange.response_text:
                media = exchange.response_header("content-type") or "no content type"
                place = Place("", response.pointer)
                self.finding(site, place, "not-json", media, exchange.response_text[:40])
                self._contradict(api, response.pointer, f"the answer is not JSON ({media})")
            return
        if api.walk.walk(body, schema_at, site, self).root_broken:
            # The answer's shape itself (not a value deep inside it, a finding of its own).
            self._contradict(api, response.pointer, "the answer's body has another shape")

    def _request(
        self,
        api: ApiEvidence,
        exchange: RecordedExchange,
        operation: Operation,
        path: Mapping[str, str],
        accepted: bool,
    ) -> None:
        """What was sent: the team's own requests (application traffic) field by field
        against the schemas; the assumed parameters it used; and, whoever sent it, whether
        the vendor accepted a request the document forbids."""
        if exchange.origin is Origin.APPLICATION:
            self._request_body(api, exchange, operation)
            self._parameters(api, exchange, operation, path)
        sources = {"query": exchange.query, "path": path}
        for parameter in operation.parameters:
            raw = sources.get(parameter.location, {}).get(parameter.name)
            if raw is not None:
                self._parameter(api, exchange, parameter, _typed(raw, parameter))
        if not accepted:
            return
        forbidden = self._forbidden(api, exchange, operation, path)
        if forbidden is not None:
            reason, refusal = forbidden
            what = f"{reason} answered {exchange.status}"
            self._lenient(api, operation.operation_id, operation.pointer, what)
            # The refusal the document says such a request gets: contradicted, and said once,
            # by the lenient observation.
            response = operation.responses.get(refusal)
            if response is not None and response.pointer in api.markers:
                self._contradict(api, response.pointer, what)
                self.refusals_contradicted[api.name, response.pointer] += 1

    def _request_body(
        self, api: ApiEvidence, exchange: RecordedExchange, operation: Operation
    ) -> None:
        """Walk the request body against its schema."""
        body = operation.request_body
        if body is None or body.json_schema_pointer is None or exchange.request_json is NOT_JSON:
            return
        site = Site(api.name, operation.operation_id, "request body")
        api.walk.walk(exchange.request_json, body.json_schema_pointer, site, self)

    def _parameters(
        self,
        api: ApiEvidence,
        exchange: RecordedExchange,
        operation: Operation,
        path: Mapping[str, str],
    ) -> None:
        """Walk the query and path parameters sent against their schemas."""
        sources = {"query": exchange.query, "path": path}
        for parameter in operation.parameters:
            raw = sources.get(parameter.location, {}).get(parameter.name)
            if raw is None:
                continue
            part = f"{parameter.location} parameter {parameter.name}"
            site = Site(api.name, operation.operation_id, part)
            api.walk.walk(_typed(raw, parameter), parameter.schema_pointer, site, self)
        declared = {p.name for p in operation.parameters if p.location == "query"}
        for name, value in exchange.query.items():
            if name not in declared:
                site = Site(api.name, operation.operation_id, "query parameter")
                place = Place(f"/{name}", operation.pointer)
                self.finding(site, place, "undeclared-parameter", name, value)

    @staticmethod
    def _missing_credentials(
        api: ApiEvidence, exchange: RecordedExchange, operation: Operation
    ) -> list[str]:
        """The header, cookie or query names of the operation's credentials not sent."""
        missing = []
        cookies = exchange.request_header("cookie") or ""
        for key in operation.security_schemes:
            scheme = api.document.security_schemes.get(key)
            if scheme is None or scheme.name is None:
                continue
            if scheme.location == "header":
                sent = exchange.request_header(scheme.name) is not None
            elif scheme.location == "cookie":
                sent = f"{scheme.name}=" in cookies
            else:
                sent = scheme.name in exchange.query
            if not sent:
                missing.append(scheme.name)
        return missing

    def _parameter(
        self, api: ApiEvidence, exchange: RecordedExchange, parameter: Parameter, value: Any
    ) -> None:
        """An assumed parameter sent: exercised; contradicted when a list it filters holds
        an item whose field of the same name does not have the value sent."""
        at = parameter.pointer
        if at not in api.markers:
            return
        self._exercised(api, at)
        if exchange.status not in SUCCESS or not isinstance(value, str):
            return
        for item in _listed_items(exchange.response_json):
            if parameter.name not in item:
                continue
            found = item[parameter.name]
            if not (value in found if isinstance(found, list) else found == value):
                reason = f"{parameter.name}={value} answered one with {parameter.name} {found!r}"
                self.exercise(api.name, at).contradict(exchange.where, reason)
                return

    def _exercised(self, api: ApiEvidence, at: str) -> None:
        if at in api.markers:
            self.exercise(api.name, at).count += 1

    def _contradict(self, api: ApiEvidence, at: str, reason: str) -> None:
        if at in api.markers:
            assert self._exchange is not None
            self.exercise(api.name, at).contradict(self._exchange.where, reason)

    # -- the ledger --------------------------------------------------------------------------

    def ledger(self) -> list[LedgerEntry]:
        """Every x-assumed, x-assumed-values and x-quirk element of the documents, judged."""
        entries = []
        for api in self.apis.values():
            for at, marker in api.markers.items():
                exercise = self.exercises.get((api.name, at), Exercise())
                status, note = self._judge(marker.kind, marker.value, exercise, api, at)
                against = exercise if status == "contradicted" else Exercise()
                entries.append(
                    LedgerEntry(
                        api=api.name,
                        kind=marker.kind,
                        pointer=at,
                        what=self._what(api, at, marker.kind, marker.value),
                        status=status,
                        exercised=exercise.count,
                        contradicted=against.contradicted,
                        contradictions=tuple(against.contradictions),
                        note=note,
                    )
                )
        return entries

    def _judge(
        self, kind: str, value: Any, exercise: Exercise, api: ApiEvidence, at: str
    ) -> tuple[str, str]:
        if exercise.contradicted and kind != ASSUMED_VALUES:
            return "contradicted", ""
        if not exercise.count:
            return "unexercised", ""
        node = api.document.resolve(api.document.node_at(at))
        if kind == ASSUMED_VALUES:
            return self._judge_values(list(value), list(node.get("enum", ())), exercise)
        has_branches = isinstance(node, Mapping) and any(k in node for k in ("oneOf", "anyOf"))
        if kind == QUIRK and has_branches:
            quirky = sum(n for branch, n in exercise.branches.items() if branch > 0)
            if not quirky:
                return "unexercised", f"seen {exercise.count} times, never in the quirk's form"
            return "confirmed", f"in the quirk's form {quirky} of {exercise.count} times"
        return "confirmed", ""

    @staticmethod
    def _judge_values(assumed: list[Any], enum: list[Any], exercise: Exercise) -> tuple[str, str]:
        """Assumed enum values: confirmed by any of them seen; contradicted when only values
        outside the enum took their place (the vendor's states are others)."""
        seen = [str(v) for v in assumed if v in exercise.values]
        unseen = [str(v) for v in assumed if v not in exercise.values]
        others = sorted(str(v) for v in exercise.values if v not in enum)
        if seen:
            never = f"; never seen: {', '.join(unseen)}" if unseen else ""
            return "confirmed", f"seen: {', '.join(seen)}{never}"
        if others:
            return "contradicted", f"{', '.join(others)} seen, never {', '.join(unseen)}"
        return "unexercised", f"none of {', '.join(unseen)} seen"

    @staticmethod
    def _what(api: ApiEvidence, at: str, kind: str, value: Any) -> str:
        users = []
        description = ""
        for operation in api.document.operations.values():
            for response in operation.responses.values():
                if response.pointer == at:
                    users.append(f"{operation.operation_id} {response.status}")
                    description = _first_sentence(response.description)
            for parameter in operation.parameters:
                if parameter.pointer == at:
                    users.append(f"{operation.operation_id} {parameter.location} {parameter.name}")
        if users:
            return ", ".join(users) + (f": {description}" if description else "")
        if kind == QUIRK and isinstance(value, str):
            return _first_sentence(value)
        if kind == ASSUMED_VALUES:
            return "enum values " + ", ".join(map(str, value))
        return "schema " + at.rsplit("/", 1)[-1]
