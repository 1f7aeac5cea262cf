"""HTTP calls made by the contract run itself (business rules, coverage, cleanup, probes).

Each call names its operation; the answer is checked against the document with Schemathesis,
so a rule that passes has also seen only answers the contract allows. Credentials travel in
the client's default headers, the same ones Schemathesis sends, and every call waits on the
very rate limiter Schemathesis uses, so the run's rate is one budget, not two.
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import httpx
import schemathesis
from httpx import USE_CLIENT_DEFAULT
from httpx._client import UseClientDefault
from schemathesis import BaseSchema
from schemathesis.config import SchemathesisConfig
from schemathesis.errors import FailureGroup

from campaign_contracts.recording.origins import Origin
from campaign_contracts.sandbox.operations import SANDBOX_ERROR_HEADER
from contract_tests import assumptions, recording
from contract_tests.adapter import ratelimit
from contract_tests.apis import ContractApi, Credentials, Spec, model
from contract_tests.assumptions import advice
from contract_tests.results import Kind
from contract_tests.signin import SignIn, TokenAuth
from contract_tests.weather import DEFAULT_REQUEST_TIMEOUT

if TYPE_CHECKING:
    from pyrate_limiter import Limiter

# How Schemathesis masks credentials in its curl samples; the run's own samples do the same.
MASK = "[Filtered]"
# Headers httpx adds by itself, which a reader of a curl sample does not need.
IMPLICIT_HEADERS = frozenset(
    {"host", "accept", "accept-encoding", "connection", "user-agent", "content-length"}
)


class RequestParts(TypedDict, total=False):
    path: Mapping[str, str]
    query: Mapping[str, Any]
    body: object


class RuleBroken(AssertionError):
    """A business rule or the contract did not hold; the message says where, `request` shows
    the exchange as curl, `kind` what it means (`sandbox`: the sandbox failed, not the rule;
    `assumption`: the vendor contradicts what the document assumed, at `assumed`)."""

    def __init__(
        self,
        message: str,
        request: str = "",
        kind: Kind = Kind.BREAKING,
        assumed: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.request = request
        self.kind = Kind.ASSUMPTION if assumed and kind == Kind.BREAKING else kind
        self.assumed = assumed


class AnswerBroken(RuleBroken):
    """A call's answer was not the one expected, or not one the document allows: judged by
    the document at the call, whatever rule made it."""


@dataclass(frozen=True)
class SandboxFailure:
    """An answer marked X-Sandbox-Error, to one of the run's own calls."""

    operation_id: str
    message: str
    request: str


@dataclass(frozen=True)
class SignInOptions:
    """Where a session signs in (None: on its target) and who learns each token it gets."""

    base_url: str | None = None
    on_token: Callable[[str], None] = lambda token: None


class ApiSession:
    """A client of one API on one target, speaking in operationIds.

    With a username and password among the credentials (`signs_in`), it signs in as
    `sign_in_options` say and holds the token in `sign_in`, which Schemathesis is given too.
    """

    def __init__(  # noqa: PLR0913 - `transport`: the run's recording (contract_tests.recording)
        self,
        api: ContractApi,
        spec: Spec,
        base_url: str,
        credentials: Credentials,
        limiter: Limiter | str | None,
        *,
        transport: httpx.BaseTransport | None = None,
        sign_in_options: SignInOptions = SignInOptions(),
        timeout: float = DEFAULT_REQUEST_TIMEOUT,
    ) -> None:
        self.api = api
        # The document model of what the session may call, read once for the whole run.
        self.document = model(spec, api.name)
        self.schema: BaseSchema = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig())
        self.limiter = limiter
        # (operationId, status code) of every answer, for the coverage table.
        self.observed: Counter[tuple[str, int]] = Counter()
        self.sandbox_failures: list[SandboxFailure] = []
        # The latest answer, the exchange a rule's own failure shows.
        self.last: httpx.Response | None = None
        self.sign_in: SignIn | None = None
        auth: httpx.Auth | None = None
        headers: dict[str, str] = {}
        if api.signs_in(credentials):
            spec_of_sign_in = api.sign_in
            assert spec_of_sign_in is not None, "checked by signs_in"
            login = {
                "username": credentials[spec_of_sign_in.username.variable],
                "password": credentials[spec_of_sign_in.password.variable],
            }
            url = (sign_in_options.base_url or base_url).rstrip("/")

            def fetch() -> httpx.Response:
                # No auth of its own (auth=None), and the run's one rate budget.
                with recording.origin(Origin.SIGN_IN):
                    return self.request(
                        spec_of_sign_in.operation_id, base=url, body=login, auth=None
                    )

            def headers_for(token: str) -> dict[str, str]:
                return api.auth_headers({spec_of_sign_in.token: token})

            self.sign_in = SignIn(fetch, headers_for, sign_in_options.on_token)
            auth = TokenAuth(self.sign_in)
            carriers = headers_for("")
        else:
            headers = carriers = api.auth_headers(credentials)
        # The headers that carry credentials, masked in the curl samples.
        self.masked_headers = {name.lower() for name in carriers}
        self.client = httpx.Client(
            base_url=base_url,
            headers=headers,
            auth=auth,
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        operation_id: str,
        *,
        base: str | None = None,
        auth: httpx.Auth | UseClientDefault | None = USE_CLIENT_DEFAULT,
        **parts: Unpack[RequestParts],
    ) -> httpx.Response:
        """Call the operation (on `base` rather than the target: the sign-in's own host)."""
        operation = self.document.operations[operation_id]
        method = operation.method
        url = (base or "") + operation.path.format(**parts.get("path", {}))
        ratelimit(self.limiter, str(self.client.base_url))
        response = self.client.request(
            method,
            url,
            params=dict(parts.get("query", {})),
            json=parts.get("body") if method in {"POST", "PUT"} else None,
            auth=auth,
        )
        self.observed[(operation_id, response.status_code)] += 1
        self.last = response
        if SANDBOX_ERROR_HEADER in response.headers:
            self.sandbox_failures.append(
                SandboxFailure(operation_id, sandbox_failure_message(response), self.curl(response))
            )
        return response

    def curl(self, response: httpx.Response) -> str:
        """The request that got `response`, as a curl command, credentials masked."""
        request = response.request
        parts = ["curl", "-X", request.method]
        for name, value in request.headers.items():
            if name.lower() not in IMPLICIT_HEADERS:
                shown = MASK if name.lower() in self.masked_headers else value
                parts += ["-H", f"{name}: {shown}"]
        if request.content:
            parts += ["-d", request.content.decode("utf-8", "replace")]
        return shlex.join([*parts, str(request.url)])

    def call(
        self, operation_id: str, *, expect: int, why: str, **parts: Unpack[RequestParts]
    ) -> Any:
        """Call the operation, insist on `expect` and a documented answer; return the JSON body."""
        response = self.request(operation_id, **parts)
        if SANDBOX_ERROR_HEADER in response.headers:
            raise AnswerBroken(
                f"{why}: {sandbox_failure_message(response)}\n" + describe_exchange(response),
                self.curl(response),
                Kind.SANDBOX,
            )
        if response.status_code != expect:
            raise self.broken(
                f"{why}: expected HTTP {expect}, got {response.status_code}",
                response,
                assumed=assumptions.of_answer(self.document, operation_id, expect),
                did=f"answered HTTP {response.status_code}",
            )
        self.validate(operation_id, response)
        return response.json()

    def validate(self, operation_id: str, response: httpx.Response) -> None:
        operation = self.document.operations[operation_id]
        try:
            self.schema[operation.path][operation.method].validate_response(response)
        except (FailureGroup, AssertionError) as error:
            status = response.status_code
            raise self.broken(
                f"{operation_id} answered outside the contract: {error}",
                response,
                assumed=assumptions.of_answer(self.document, operation_id, status),
                did=f"answered this HTTP {status}",
            ) from None

    def broken(
        self, message: str, response: httpx.Response, *, assumed: tuple[str, ...], did: str
    ) -> AnswerBroken:
        """The answer broke `message`; where it rests on assumptions, say what to fix."""
        if assumed:
            message += "; " + advice(assumed, did)
        return AnswerBroken(
            message + "\n" + describe_exchange(response), self.curl(response), assumed=assumed
        )


def sandbox_failure_message(response: httpx.Response) -> str:
    return (
        f"sandbox failure: HTTP {response.status_code} with {SANDBOX_ERROR_HEADER}: "
        f"{response.headers[SANDBOX_ERROR_HEADER]}"
    )


def describe_exchange(response: httpx.Response) -> str:
    request = response.request
    body = request.content.decode("utf-8", "replace") if request.content else ""
    answer = response.text[:2000]
    return (
        f"Request: {request.method} {request.url}\n{body}\n"
        f"Response: HTTP {response.status_code}, "
        f"Content-Type: {response.headers.get('content-type', '(none)')}\n{answer}"
    )
