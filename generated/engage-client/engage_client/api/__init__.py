"""Contains methods for accessing the API, and what every endpoint module shares.

Every function of the endpoint modules raises errors.UnexpectedStatus if the server returns an
undocumented status code and Client.raise_on_unexpected_status is True, and
httpx.TimeoutException if the request takes longer than Client.timeout.
"""

from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any, TypeVar

import httpx

from .. import errors
from ..client import AuthenticatedClient, Client
from ..types import Response

T = TypeVar("T")

# A documented answer: the lowest and highest status it covers, and how its JSON body is read
# (None: not read, the answer parses as None).
Answer = tuple[int, int, Callable[[Any], T] | None]


def parse_response(
    client: AuthenticatedClient | Client, response: httpx.Response, answers: Sequence[Answer[T]]
) -> T | None:
    """The body of a documented answer as its parser reads it; for an undocumented status,
    None, or errors.UnexpectedStatus when the client has raise_on_unexpected_status."""
    for low, high, parser in answers:
        if low <= response.status_code <= high:
            return None if parser is None else parser(response.json())
    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    return None


def build_response(
    client: AuthenticatedClient | Client, response: httpx.Response, answers: Sequence[Answer[T]]
) -> Response[T]:
    """The `Response` the `*_detailed` functions return, its body parsed by `parse_response`."""
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parse_response(client, response, answers),
    )
