"""`python -m campaign_contracts.evidence.parity FILE.har ...`: does the sandbox behave like
the recording?

Replays the recorded requests, in the order they started (several files interleaved),
against a fresh sandbox started in this process (or `--base-url URL`), and compares each
answer with the recorded one by behaviour, not bytes (a request recorded without an answer,
status 0, or with one the sandbox's fault control injected, is not replayed):

- the status;
- whether the body validates against the operation's schema for that status;
- the shape of an error (its fields) and the set of fields of any other body;
- the type of every value both have, timestamps by format only (a date-time is a date-time);
- the values the requests determined: a string the requests sent earlier that the recording
  answered at some place must come back at that place (`campaignName`, a `status` filter);
- array lengths.

Generated ids are compared by format only, and learned: an id the recording's vendor created
(at an id field, `_id`, `campaignId`, `…Id`, that no request sent before) maps to the one the
sandbox answered at the same place, and every later request has the recorded id replaced by
the sandbox's, so it reaches the same campaign. Credential placeholders of a sanitized
recording (`<engage-token-1>`) become sandbox tenants, one per placeholder (a placeholder that
only ever got a 401 stays refused); with `--base-url`, the target must accept them itself.

Writes `reports/parity/parity.md` and `parity.json`: the score per operation and overall
("412/430 exchanges behave alike") and each difference with both answers side by side.
Exit status: 0; 1 below `--min-parity`; 2, with one line, for a file that is not HAR or a
document that does not load.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import httpx

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser
from campaign_contracts.documents import Document, DocumentError
from campaign_contracts.documents import pointer as json_pointer
from campaign_contracts.evidence.analysis import SUCCESS
from campaign_contracts.evidence.documents import load_documents, recordings_parser
from campaign_contracts.evidence.report import write_reports
from campaign_contracts.evidence.schemas import json_type
from campaign_contracts.httpapi.server import serve_in_thread
from campaign_contracts.recording.reader import NOT_JSON, HarError, RecordedExchange, merged
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import SandboxConfig, build_config
from campaign_contracts.text import markdown_cell, shorten

REPORTS = Path("reports/parity")
EXIT_FAILED = 1
UNMATCHED = "(no operation)"
# Not forwarded: how the recorded connection was made, not what was asked.
HOP_HEADERS = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "accept-encoding"}
)
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ID_KEY = re.compile(r"(^|_)id$|[a-z]Id$", re.IGNORECASE)
# Differences the Markdown report shows in full (the JSON has every one).
SHOWN_DIFFERENCES = 50
BODY_CHARS = 600
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Difference:
    kind: str  # status, schema, error shape, fields, type, value, length, body
    pointer: str
    recorded: str
    replayed: str


@dataclass
class Outcome:
    where: str
    api: str
    operation: str
    request: str
    recorded_status: int
    replayed_status: int
    recorded_body: str
    replayed_body: str
    differences: list[Difference] = field(default_factory=list)


def _value_class(value: Any) -> str:
    """What a value is compared by when the requests did not determine it."""
    kind = json_type(value)
    if kind == "integer":
        return "number"
    if kind != "string":
        return kind
    if not value:
        return "empty string"
    if DATE_TIME.match(value):
        return "date-time"
    if DATE.fullmatch(value):
        return "date"
    return "string"


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (pointer, value) of a JSON value, containers included."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + json_pointer(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}/{index}")


def _pattern(json_pointer: str) -> str:
    """A pointer with array indices as `*`: the fields of a list, whatever its length."""
    return re.sub(r"/\d+(?=/|$)", "/*", json_pointer)


def _strings(value: Any) -> Iterator[str]:
    for _, leaf in _leaves(value):
        if isinstance(leaf, str) and leaf:
            yield leaf


class Ids:
    """Ids the recording's vendor created → those the replay's target created."""

    def __init__(self) -> None:
        self.mapped: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def learn(self, recorded: Any, replayed: Any, sent: set[str]) -> None:
        """Pair the ids at the same places of two answers (lists pair by index)."""
        if isinstance(recorded, dict) and isinstance(replayed, dict):
            for key, value in recorded.items():
                other = replayed.get(key)
                if (
                    ID_KEY.search(str(key))
                    and isinstance(value, str)
                    and isinstance(other, str)
                    and value
                    and value != other
                    and value not in sent
                    and value not in self.mapped
                ):
                    self.mapped[value] = other
                    self._pattern = None
                else:
                    self.learn(value, other, sent)
        elif isinstance(recorded, list) and isinstance(replayed, list):
            for one, two in zip(recorded, replayed, strict=False):
                self.learn(one, two, sent)

    def apply(self, text: str) -> str:
        """`text` with every recorded id replaced by its replay's."""
        if not self.mapped:
            return text
        if self._pattern is None:
            # Longest first, so that an id that contains another is replaced whole.
            ids = sorted(self.mapped, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, ids)))
        return self._pattern.sub(lambda found: self.mapped[found.group()], text)


@dataclass
class SentCredentials:
    """What one API's recorded requests sent as credentials, and what each got: the values of
    each security scheme (one only ever refused with a 401 is not accepted), the values sent
    together, and the bodies of its sign-ins."""

    statuses: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    # (scheme, value, other scheme) -> the first value of the other scheme sent with it.
    together: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # The JSON body of each sign-in the vendor answered with a 2xx.
    sign_ins: list[Any] = field(default_factory=list)

    def accepted(self, scheme: str) -> list[str]:
        return sorted(
            value
            for (key, value), statuses in self.statuses.items()
            if key == scheme and statuses != {401}
        )

    def sent_with(self, scheme: str, value: str, other: str) -> str | None:
        """The value of scheme `other` first sent beside `value` of `scheme`."""
        return self.together.get((scheme, value, other))


class ParityCredentials(Protocol):
    """An API's parity module (the registry's `parity`): how a sandbox accepts what a
    recording of it sent."""

    def sandbox_keywords(self, sent: SentCredentials, /) -> dict[str, Any]:
        """The `build_config` keywords under which the sandbox accepts the recording's
        credentials (its placeholders) as the vendor did."""
        ...


def _sent_credentials(document: Document, exchange: RecordedExchange) -> dict[str, str]:
    """Scheme key → the value this exchange sent for it."""
    cookies = dict(
        pair.strip().partition("=")[::2]
        for pair in (exchange.request_header("cookie") or "").split(";")
        if "=" in pair
    )
    found = {}
    for key, scheme in document.security_schemes.items():
        if scheme.name is None:
            continue
        if scheme.location == "header":
            value = exchange.request_header(scheme.name)
        elif scheme.location == "cookie":
            value = cookies.get(scheme.name)
        else:
            value = exchange.query.get(scheme.name)
        if value:
            found[key] = value
    return found


def _api_of(documents: Mapping[str, Document], exchange: RecordedExchange) -> tuple[str, Any]:
    for name, document in documents.items():
        found = document.match(exchange.method, exchange.path)
        if found is not None:
            return name, found.operation
    return "", None


def gather_credentials(
    documents: Mapping[str, Document], exchanges: Iterable[RecordedExchange]
) -> dict[str, SentCredentials]:
    """Per API, the credentials its exchanges sent (campaign_contracts.registry's APIs)."""
    found = {name: SentCredentials() for name in documents}
    for exchange in exchanges:
        api, operation = _api_of(documents, exchange)
        if not api:
            continue
        credentials = found[api]
        sent = _sent_credentials(documents[api], exchange)
        for key, value in sent.items():
            credentials.statuses[key, value].add(exchange.status)
            for other, other_value in sent.items():
                credentials.together.setdefault((key, value, other), other_value)
        sign_in = APIS[api].sign_in if api in APIS else None
        if (
            sign_in is not None
            and operation.operation_id == sign_in.operation_id
            and exchange.status in SUCCESS
        ):
            credentials.sign_ins.append(exchange.request_json)
    return found


def sandbox_config(credentials: Mapping[str, SentCredentials]) -> SandboxConfig:
    """The sandbox's defaults, plus what accepts each credential placeholder of the recording
    (each API's parity module says how: a tenant per token, a login per sign-in, ...)."""
    keywords: dict[str, Any] = {}
    for name, sent in credentials.items():
        module = APIS[name].parity if name in APIS else None
        if module is not None:
            mapping = cast(ParityCredentials, importlib.import_module(module))
            keywords.update(mapping.sandbox_keywords(sent))
    return build_config(**keywords)


class Replay:
    """Replays exchanges one after the other against `client` and compares the answers."""

    def __init__(self, documents: Mapping[str, Document], client: httpx.Client) -> None:
        self.documents = documents
        self.client = client
        self.ids = Ids()
        self.sent: set[str] = set()

    def run(self, exchanges: Iterable[RecordedExchange]) -> Iterator[Outcome]:
        for exchange in exchanges:
            # No answer was recorded (a dropped try, sent again in the next entry): nothing to
            # compare, and a write may or may not have been done. An answer the sandbox's fault
            # control injected came before anything was done: nothing to replay.
            if exchange.answered:
                yield self.replay(exchange)

    def replay(self, exchange: RecordedExchange) -> Outcome:
        api, operation = _api_of(self.documents, exchange)
        url = self.ids.apply(exchange.url)
        path = httpx.URL(url)
        body = self.ids.apply(exchange.request_text) if exchange.request_text else None
        headers = [
            (name, self.ids.apply(value))
            for name, value in exchange.request_headers
            if name.lower() not in HOP_HEADERS
        ]
        self.client.cookies.clear()
        try:
            answer = self.client.request(
                exchange.method,
                path.raw_path.decode("ascii"),
                headers=headers,
                content=body.encode() if body is not None else None,
            )
            status, text = answer.status_code, answer.text
        except httpx.HTTPError as error:
            status, text = 0, f"no answer: {type(error).__name__}"
        outcome = Outcome(
            where=exchange.where,
            api=api,
            operation=operation.operation_id if operation is not None else UNMATCHED,
            request=f"{exchange.method} {exchange.path}",
            recorded_status=exchange.status,
            replayed_status=status,
            recorded_body=shorten(exchange.response_text or "", BODY_CHARS),
            replayed_body=shorten(text or "", BODY_CHARS),
        )
        # What this request sent may come back from now on (recorded spelling, ids unmapped).
        if exchange.request_json is not NOT_JSON:
            self.sent.update(_strings(exchange.request_json))
        self.sent.update(value for value in exchange.query.values() if value)
        self.sent.update(segment for segment in exchange.path.split("/") if segment)
        replayed = _json(text)
        outcome.differences = self.compare(api, operation, exchange, status, replayed)
        if exchange.response_json is not NOT_JSON and replayed is not NOT_JSON:
            self.ids.learn(exchange.response_json, replayed, self.sent)
        return outcome

    def compare(
        self, api: str, operation: Any, exchange: RecordedExchange, status: int, replayed: Any
    ) -> list[Difference]:
        if status != exchange.status:
            return [Difference("status", "", str(exchange.status), str(status))]
        recorded = exchange.response_json
        if (recorded is NOT_JSON) != (replayed is NOT_JSON):
            one, two = ("JSON" if v is not NOT_JSON else "not JSON" for v in (recorded, replayed))
            return [Difference("body", "", one, two)]
        if recorded is NOT_JSON:
            return []
        differences = []
        response = operation.responses.get(str(status)) if operation is not None else None
        schema_at = response.json_schema_pointer if response is not None else None
        if schema_at is not None:
            verdicts = [self._verdict(api, schema_at, body) for body in (recorded, replayed)]
            if (verdicts[0] == "valid") != (verdicts[1] == "valid"):
                differences.append(Difference("schema", schema_at, *verdicts))
        differences += self._fields(recorded, replayed, error=status not in SUCCESS)
        differences += self._values(recorded, replayed)
        return differences

    def _verdict(self, api: str, schema_at: str, body: Any) -> str:
        validator = self.documents[api].validator_at(schema_at)
        if validator.is_valid(body):
            return "valid"
        error = next(validator.iter_errors(body))
        where = "/" + "/".join(map(str, error.instance_path))
        return f"invalid at {where}: {error.message[:160]}"

    @staticmethod
    def _fields(recorded: Any, replayed: Any, error: bool) -> list[Difference]:
        def fields(body: Any) -> set[str]:
            return {
                _pattern(pointer)
                for pointer, _ in _leaves(body)
                if pointer and not re.fullmatch(r".*/\d+", pointer)
            }

        one, two = fields(recorded), fields(replayed)
        kind = "error shape" if error else "fields"
        return [
            Difference(
                kind,
                pointer,
                "present" if pointer in one else "absent",
                "present" if pointer in two else "absent",
            )
            for pointer in sorted(one ^ two)
        ]

    def _values(self, recorded: Any, replayed: Any) -> list[Difference]:
        others = dict(_leaves(replayed))
        differences = []
        for pointer, value in _leaves(recorded):
            if pointer not in others:
                continue
            other = others[pointer]
            if isinstance(value, list) and isinstance(other, list) and len(value) != len(other):
                differences.append(
                    Difference("length", pointer or "/", str(len(value)), str(len(other)))
                )
            one, two = _value_class(value), _value_class(other)
            if one != two:
                differences.append(Difference("type", pointer or "/", one, two))
            elif isinstance(value, str) and value in self.sent:
                expected = self.ids.apply(value)
                if other != expected:
                    differences.append(
                        Difference("value", pointer or "/", json.dumps(value), json.dumps(other))
                    )
        return differences


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else NOT_JSON
    except ValueError:
        return NOT_JSON


@dataclass
class Scores:
    alike: Counter[tuple[str, str]] = field(default_factory=Counter)
    total: Counter[tuple[str, str]] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    differing: list[Outcome] = field(default_factory=list)
    kept: int = 200

    def add(self, outcome: Outcome) -> None:
        key = (outcome.api, outcome.operation)
        self.total[key] += 1
        if not outcome.differences:
            self.alike[key] += 1
            return
        self.kinds.update({difference.kind for difference in outcome.differences})
        if len(self.differing) < self.kept:
            self.differing.append(outcome)

    @property
    def exchanges(self) -> int:
        return sum(self.total.values())

    @property
    def behaving(self) -> int:
        return sum(self.alike.values())

    @property
    def ratio(self) -> float:
        return self.behaving / self.exchanges if self.exchanges else 1.0

    def to_json(self, target: str) -> dict[str, Any]:
        return {
            "target": target,
            "exchanges": self.exchanges,
            "alike": self.behaving,
            "parity": round(self.ratio, 4),
            "operations": [
                {"api": api, "operation": op, "alike": self.alike[api, op], "exchanges": n}
                for (api, op), n in sorted(self.total.items())
            ],
            "difference_kinds": dict(sorted(self.kinds.items())),
            "differences": [asdict(outcome) for outcome in self.differing],
        }

    def to_markdown(self, target: str) -> str:
        lines = [
            f"# Parity: {self.behaving}/{self.exchanges} exchanges behave alike ({self.ratio:.1%})",
            "",
            f"Replayed against {target}.",
            "",
            "| API | operation | alike | exchanges | parity |",
            "| --- | --- | --- | --- | --- |",
        ]
        for (api, operation), total in sorted(self.total.items()):
            alike = self.alike[api, operation]
            lines.append(
                f"| {api or '?'} | {operation} | {alike} | {total} | {alike / total:.0%} |"
            )
        lines += ["", "## Differences", ""]
        if not self.differing:
            lines.append("None.")
        for outcome in self.differing[:SHOWN_DIFFERENCES]:
            lines += [
                f"### `{outcome.where}` {outcome.request} ({outcome.operation})",
                "",
                "| difference | pointer | recorded | replayed |",
                "| --- | --- | --- | --- |",
            ]
            lines += [
                f"| {d.kind} | `{d.pointer or '/'}` | {markdown_cell(d.recorded)}"
                f" | {markdown_cell(d.replayed)} |"
                for d in outcome.differences
            ]
            lines += [
                "",
                f"| recorded ({outcome.recorded_status}) | replayed ({outcome.replayed_status}) |",
                "| --- | --- |",
                f"| `{markdown_cell(outcome.recorded_body)}`"
                f" | `{markdown_cell(outcome.replayed_body)}` |",
                "",
            ]
        hidden = len(self.differing) - SHOWN_DIFFERENCES
        if hidden > 0:
            lines.append(f"{hidden} more in parity.json.")
        return "\n".join(lines) + "\n"


class TargetError(ValueError):
    """The `--base-url` target cannot be reached; the message is one line."""


@contextmanager
def target(base_url: str | None, config: SandboxConfig) -> Iterator[str]:
    """`base_url`, or a fresh sandbox on a free loopback port for the replay's duration."""
    if base_url is not None:
        try:
            httpx.get(base_url, timeout=TIMEOUT_SECONDS)
        except httpx.HTTPError as error:
            raise TargetError(f"cannot reach {base_url}: {type(error).__name__}") from None
        yield base_url.rstrip("/")
        return
    with serve_in_thread(create_app(config)) as url:
        yield url


def parity(
    files: Sequence[Path], documents: Mapping[str, Document], base_url: str | None
) -> tuple[Scores, str]:
    """Replay `files` against `base_url` or a fresh sandbox; the scores and what was replayed
    against. The files are read twice, as streams: once for the credentials, once to replay."""
    config = sandbox_config(gather_credentials(documents, merged(files)))
    scores = Scores()
    with (
        target(base_url, config) as url,
        httpx.Client(base_url=url, timeout=TIMEOUT_SECONDS) as client,
    ):
        for outcome in Replay(documents, client).run(merged(files)):
            scores.add(outcome)
    return scores, base_url or "a fresh sandbox"


def ratio(text: str) -> float:
    """A share of exchanges, 0 to 1 (`0.95`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    parser = recordings_parser(
        "python -m campaign_contracts.evidence.parity",
        "Replay recorded requests against the sandbox and compare the answers.",
    )
    parser.add_argument(
        "--base-url", help="replay against this server instead of a fresh in-process sandbox"
    )
    parser.add_argument(
        "--min-parity",
        type=ratio,
        metavar="RATIO",
        help="exit 1 when fewer exchanges than this share (0.95) behave alike",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        documents = load_documents(args.documents)
        scores, where = parity(args.files, documents, args.base_url)
    except (DocumentError, HarError, TargetError) as error:
        print(f"parity: {error}", file=sys.stderr)
        return EXIT_USAGE
    write_reports(REPORTS, "parity", scores.to_markdown(where), scores.to_json(where))
    print(
        f"parity: {scores.behaving}/{scores.exchanges} exchanges behave alike"
        f" ({scores.ratio:.1%}); wrote {REPORTS}/parity.md and .json"
    )
    if args.min_parity is not None and scores.ratio < args.min_parity:
        print(f"parity: FAILED: {scores.ratio:.1%} is below {args.min_parity:.1%}", file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
