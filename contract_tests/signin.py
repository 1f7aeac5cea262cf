"""Signing in for a run: a token from a username and password, fetched again on a 401.

One `SignIn` per API and run holds the current token for everyone who sends it: the run's own
calls (through `TokenAuth`, an httpx auth flow) and Schemathesis's (through the auth provider of
`register_provider`, whose reactive re-authentication replays a request once after a 401). A
401 answered to the current token signs in once more, whoever saw it first; a 401 to a token
already replaced just takes the new one. Every token is handed to `on_token` as soon as it is
issued, so the redaction of the run's output knows it before it can be printed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Mapping
from typing import Any

import httpx
from schemathesis import AuthContext, BaseSchema, Case

# Long enough never to come first: a token is fetched again when it is refused, not on a timer
# (the vendor names a lifetime but no way to read a token's expiry).
NO_REFRESH_SECONDS = 10**9


class SignInFailed(Exception):
    """The sign-in did not give a token; the message is the one line the user sees."""


class SignIn:
    """The token of one login, shared by every sender of the run, thread-safe."""

    def __init__(
        self,
        fetch: Callable[[], httpx.Response],
        headers_for: Callable[[str], Mapping[str, str]],
        on_token: Callable[[str], None],
    ) -> None:
        self._fetch = fetch
        # The headers that carry a token: the API's own builder of auth headers.
        self.headers_for = headers_for
        self._on_token = on_token
        self._token: str | None = None
        self._lock = threading.Lock()
        self.sign_ins = 0

    def token(self) -> str:
        """The current token; signs in first if there is none yet."""
        return self.renew(None)

    def renew(self, refused: str | None) -> str:
        """A token other than `refused`: the current one if it is already another, else a new
        one from signing in again (None: any token, signing in only if there is none)."""
        with self._lock:
            if self._token is None or self._token == refused:
                self._token = self._sign_in()
            return self._token

    def _sign_in(self) -> str:
        response = self._fetch()
        token: Any = None
        if response.status_code == httpx.codes.OK:
            try:
                token = response.json().get("token")
            except (ValueError, AttributeError):
                token = None
        if not isinstance(token, str) or not token:
            url = response.request.url.copy_with(query=None)
            raise SignInFailed(
                f"signing in at {url} answered HTTP {response.status_code}"
                + ("" if response.status_code != httpx.codes.OK else " without a token")
            )
        self._on_token(token)
        self.sign_ins += 1
        return token


class TokenAuth(httpx.Auth):
    """httpx's auth flow for the run's own calls: the current token, and after a 401 one
    new sign-in and the same request again."""

    def __init__(self, sign_in: SignIn) -> None:
        self.sign_in = sign_in

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.sign_in.token()
        request.headers.update(self.sign_in.headers_for(token))
        response = yield request
        if response.status_code == httpx.codes.UNAUTHORIZED:
            request.headers.update(self.sign_in.headers_for(self.sign_in.renew(token)))
            yield request


def register_provider(schema: BaseSchema, sign_in: SignIn, sign_in_operation: str) -> None:
    """Let Schemathesis send `sign_in`'s token on every operation but the sign-in itself, and
    re-authenticate (then replay the request once) when an answer is a 401."""

    class SignedInToken:
        # Schemathesis makes the instance itself, without arguments: the closure carries state.
        handed: str | None = None

        def get(self, case: Case[Any], context: AuthContext) -> str:
            # Called first, then again only after a 401 invalidated the cached token: that one
            # was refused, so it must not come back.
            self.handed = sign_in.renew(self.handed)
            return self.handed

        def set(self, case: Case[Any], data: str, context: AuthContext) -> None:
            case.headers.update(sign_in.headers_for(data))

    register = schema.auth(refresh_interval=NO_REFRESH_SECONDS, retry_on=[401])
    register.skip_for(operation_id=sign_in_operation)(SignedInToken)
