"""Stable placeholders for every credential of an exchange (see the package's docstring)."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from campaign_contracts.recording.origins import Origin

# Header name (lower case) -> the kind of secret its value is.
CREDENTIAL_HEADERS = {
    "authorization": "token",
    "proxy-authorization": "token",
    "x-user-id": "user-id",
}
COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
# Body fields (JSON, at any depth, or form) whose string values are secrets: the sign-in's
# password and the token it answers.
SECRET_FIELDS = {"password": "password", "token": "token"}
# An Authorization value keeps its scheme word; only what follows is the secret.
AUTH_SCHEMES = frozenset({"basic", "bearer", "digest", "negotiate", "token"})
# Shorter secrets (a user id `42`) are replaced only where they stand alone, not inside a
# longer word or number (the 42 of `429`, the 5 of `-5.25e+16` or of `4.32.5`): replacing
# one inside a number would break the JSON of a body it is in. contract_tests.reports.Redactor
# masks by it too.
MIN_SECRET_LENGTH = 4
JSON_MEDIA_TYPE = re.compile(r"^application/([\w.+-]+\+)?json\b", re.IGNORECASE)
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
# Up to this many forms of secrets known, a text is scanned for each before the pattern runs.
PREFILTER_FORMS = 64

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class CapturedExchange:
    """One request and its answer, as recorded: bodies decoded, None when not recorded."""

    started: float  # seconds since the epoch
    method: str
    url: str
    http_version: str
    request_headers: Headers
    request_body: bytes | None
    status: int  # 0: no answer
    response_headers: Headers
    response_body: bytes | None
    elapsed_ms: float
    comment: str = ""
    # What produced it (campaign_contracts.recording.origins), "" when nobody said; and which
    # try of its request it is.
    origin: str = ""
    attempt: int = 1

    def header(self, name: str, *, response: bool = False) -> str | None:
        """The first value of header `name` (any case) in the request or the answer."""
        wanted = name.lower()
        headers = self.response_headers if response else self.request_headers
        return next((value for key, value in headers if key.lower() == wanted), None)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "secret"


def cookie_values(header: str, *, set_cookie: bool) -> Iterator[str]:
    """The values of a Cookie header (`a=1; b=2`), or of a Set-Cookie's cookie alone."""
    pairs = header.split(";")[:1] if set_cookie else header.split(";")
    for pair in pairs:
        _name, equals, value = pair.strip().partition("=")
        value = value.strip().strip('"')
        if equals and value:
            yield value


def _fields(data: object, names: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(kind, value) of every string field of `data` named in `names`, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            kind = names.get(str(key).lower())
            if kind is not None and isinstance(value, str):
                yield kind, value
            else:
                yield from _fields(value, names)
    elif isinstance(data, list):
        for item in data:
            yield from _fields(item, names)


class Sanitizer:
    """Finds the credentials of exchanges and replaces them by stable placeholders.

    One instance per API and writer: it remembers every secret it has seen, so each keeps its
    placeholder for the writer's whole life. Thread-safe: the proxy's event loop learns and
    scrubs for its log lines while its recording thread sanitizes.
    """

    def __init__(self, api: str, redact: Iterable[str] = ()) -> None:
        self.api = api
        self.redact = {name.lower(): _slug(name) for name in redact}
        self.fields = {**SECRET_FIELDS, **self.redact}
        # Most bodies name no secret field: they are not parsed at all.
        self._field_names = tuple(name.encode() for name in self.fields)
        self.placeholders: dict[str, str] = {}
        self._counts: Counter[str] = Counter()
        self._pattern: re.Pattern[bytes] | None = None
        self._replacements: dict[bytes, bytes] = {}
        self._lock = threading.RLock()

    # Finding secrets

    def learn(self, kind: str, secret: str, shortest: int = 1) -> None:
        """Remember `secret` (found as `kind`), giving it the next placeholder of its kind;
        not when it is shorter than `shortest`."""
        with self._lock:
            if (
                len(secret) < shortest
                or secret in self.placeholders
                or secret in self.placeholders.values()
            ):
                return
            self._counts[kind] += 1
            self.placeholders[secret] = f"<{self.api}-{kind}-{self._counts[kind]}>"
            self._pattern = None

    def learn_headers(self, headers: Headers, shortest: int = 1) -> None:
        for name, value in headers:
            lower = name.lower()
            if lower in COOKIE_HEADERS:
                for secret in cookie_values(value, set_cookie=lower == "set-cookie"):
                    self.learn("cookie", secret, shortest)
            elif lower in CREDENTIAL_HEADERS:
                scheme, space, rest = value.strip().partition(" ")
                secret = rest.strip() if space and scheme.lower() in AUTH_SCHEMES else value
                self.learn(CREDENTIAL_HEADERS[lower], secret.strip(), shortest)
            elif lower in self.redact:
                self.learn(self.redact[lower], value.strip(), shortest)

    def learn_body(self, body: bytes | None, content_type: str | None, shortest: int = 1) -> None:
        if not body or not content_type:
            return
        lowered = body.lower()
        if not any(name in lowered for name in self._field_names):
            return
        if JSON_MEDIA_TYPE.match(content_type):
            try:
                data = json.loads(body)
            except ValueError:
                return
            for kind, secret in _fields(data, self.fields):
                self.learn(kind, secret, shortest)
        elif content_type.lower().startswith(FORM_MEDIA_TYPE):
            self._learn_pairs(body.decode("utf-8", "replace"), self.fields, shortest)

    def _learn_pairs(self, query: str, names: dict[str, str], shortest: int = 1) -> None:
        for name, value in parse_qsl(query, keep_blank_values=True):
            kind = names.get(name.lower())
            if kind is not None:
                self.learn(kind, value, shortest)

    def learn_exchange(self, exchange: CapturedExchange) -> None:
        """Learn the secrets of an exchange; of a contract run's (any origin but application),
        only those of MIN_SECRET_LENGTH or more: its credentials are long, and a shorter value
        in a credential's place is a generator's (a negative case's `]` cookie, a `token`
        field a positive case invented and an answer echoes), which replaced wherever it
        stands would break the bodies it stands in."""
        application = exchange.origin in ("", Origin.APPLICATION)
        shortest = 1 if application else MIN_SECRET_LENGTH
        self.learn_headers(exchange.request_headers, shortest)
        if self.redact:
            self._learn_pairs(urlsplit(exchange.url).query, self.redact, shortest)
        self.learn_body(exchange.request_body, exchange.header("content-type"), shortest)
        self.learn_headers(exchange.response_headers, shortest)
        self.learn_body(
            exchange.response_body, exchange.header("content-type", response=True), shortest
        )

    # Replacing them

    def _compile(self) -> re.Pattern[bytes] | None:
        if self._pattern is None and self.placeholders:
            replacements: dict[bytes, bytes] = {}
            for secret, placeholder in self.placeholders.items():
                encoded = quote(placeholder, safe="").encode()
                for form in (quote(secret, safe=""), quote(secret), quote_plus(secret)):
                    replacements.setdefault(form.encode(), encoded)
                # A JSON string inside JSON (a body echoed in a body) is escaped twice.
                escaped = {secret}
                for _depth in range(2):
                    escaped |= {
                        json.dumps(form, ensure_ascii=ascii)[1:-1]
                        for form in escaped
                        for ascii in (True, False)
                    }
                for form in escaped:
                    replacements[form.encode()] = placeholder.encode()
            # Longest first, so a secret that contains another is replaced whole.
            patterns = [
                re.escape(form)
                if len(form) >= MIN_SECRET_LENGTH
                else rb"(?<![0-9A-Za-z.+-])" + re.escape(form) + rb"(?![0-9A-Za-z.])"
                for form in sorted(replacements, key=len, reverse=True)
            ]
            self._replacements = replacements
            self._pattern = re.compile(b"|".join(patterns))
        return self._pattern

    def scrub_bytes(self, data: bytes) -> bytes:
        with self._lock:
            pattern = self._compile()
            replacements = self._replacements
        if pattern is None:
            return data
        # Most texts hold no secret: a few substring scans say so faster than the pattern,
        # which tries each of its forms at every position.
        if len(replacements) <= PREFILTER_FORMS and not any(form in data for form in replacements):
            return data
        return pattern.sub(lambda match: replacements[match.group()], data)

    def scrub(self, text: str) -> str:
        """`text` with every known secret replaced by its placeholder."""
        if not self.placeholders:
            return text
        return self.scrub_bytes(text.encode("utf-8", "surrogateescape")).decode(
            "utf-8", "surrogateescape"
        )

    def scrub_all(self, texts: Sequence[str]) -> list[str]:
        """Each of `texts` scrubbed, in one pass over them all (a line each) where none holds a
        line break: an exchange's URL and header values cost one search, not one each."""
        if not self.placeholders:
            return list(texts)
        if any("\n" in text for text in texts):
            return [self.scrub(text) for text in texts]
        scrubbed = self.scrub("\n".join(texts)).split("\n")
        if len(scrubbed) != len(texts):  # a secret with a line break in it, across two texts
            return [self.scrub(text) for text in texts]
        return scrubbed

    def _headers(self, headers: Headers) -> tuple[tuple[str, str], ...]:
        return tuple((name, self.scrub(value)) for name, value in headers)

    def sanitize(self, exchange: CapturedExchange) -> CapturedExchange:
        """`exchange` with each of its credentials, and every secret seen before, replaced."""
        with self._lock:
            return self._sanitized(exchange)

    def _sanitized(self, exchange: CapturedExchange) -> CapturedExchange:
        self.learn_exchange(exchange)
        requests, responses = exchange.request_headers, exchange.response_headers
        url, comment, *values = self.scrub_all(
            [
                exchange.url,
                exchange.comment,
                *(value for _name, value in requests),
                *(value for _name, value in responses),
            ]
        )
        return CapturedExchange(
            started=exchange.started,
            method=exchange.method,
            url=url,
            http_version=exchange.http_version,
            request_headers=tuple(
                (name, value) for (name, _old), value in zip(requests, values, strict=False)
            ),
            request_body=None
            if exchange.request_body is None
            else self.scrub_bytes(exchange.request_body),
            status=exchange.status,
            response_headers=tuple(
                (name, value)
                for (name, _old), value in zip(responses, values[len(requests) :], strict=True)
            ),
            response_body=None
            if exchange.response_body is None
            else self.scrub_bytes(exchange.response_body),
            elapsed_ms=exchange.elapsed_ms,
            comment=comment,
            origin=exchange.origin,
            attempt=exchange.attempt,
        )
