"""What the contract run needs to know about each vendor API, from the registry and the documents.

Every fact about an API is declared once: what it is and where its document lives in
`campaign_contracts.registry` (which requests write, which message real people, how a campaign
is named and identified, which credential fills which security scheme), what it says in its
document, read through `campaign_contracts.documents`. This module puts the two together for
the run: the document as Schemathesis gets it (`ContractApi.load_spec`), narrowed to what a live run
may do (`keep_reads_only`, `ContractApi.remove_sends`), and the headers that carry the credentials.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_contracts import registry
from campaign_contracts.documents import Document, Link, load_document, unescape
from campaign_contracts.registry import document_path as spec_path

Spec = dict[str, Any]
JSON = "application/json"
Credentials = Mapping[str, str]


@dataclass(frozen=True)
class Request:
    """The parts of a request that decide whether it is safe to send."""

    operation_id: str
    method: str
    body: object


def model(spec: Spec, name: str = "the document") -> Document:
    """The document model of `spec`, which may be a narrowed copy of a document."""
    return Document(spec, name, name)


def _delete(document: Document, json_pointer: str) -> None:
    parent, _, key = json_pointer.rpartition("/")
    del document.node_at(parent)[unescape(key)]


def _remove(
    spec: Spec, drop: Callable[[str, str], bool], drop_link: Callable[[Link], bool]
) -> None:
    """Delete the operations for which `drop(method, operationId)` is true, and the links of
    the others that lead to one of them or for which `drop_link` is true."""
    document = model(spec)
    removed = {op_id for op_id, op in document.operations.items() if drop(op.method, op_id)}
    for link in document.links():
        if link.source not in removed and (link.operation_id in removed or drop_link(link)):
            _delete(document, link.pointer)
    for operation_id in removed:
        _delete(document, document.operations[operation_id].pointer)


def remove_operations(spec: Spec, keep: Callable[[str, str], bool]) -> None:
    """Delete from `spec` every operation for which `keep(method, operationId)` is false, and
    every link that leads to one, so Schemathesis cannot reach it by any phase."""
    _remove(spec, lambda method, op_id: not keep(method, op_id), lambda _link: False)


def keep_reads_only(spec: Spec) -> None:
    remove_operations(spec, lambda method, _operation_id: method == "GET")


def _matches(values: Mapping[str, Any], body: object) -> bool:
    return isinstance(body, Mapping) and all(body.get(k) == v for k, v in values.items())


@functools.cache
def _parsed(path: Path, _mtime_ns: int, _size: int, name: str) -> Document:
    """The document at `path` as it was at that modification time and size."""
    return load_document(path, name)


@dataclass(frozen=True)
class ContractApi:
    """One vendor API: its registry entry and what the contract run derives from it."""

    entry: registry.Api

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def name_fields(self) -> Mapping[str, str]:
        """operationId -> the body field that names the campaign, prefixed with the run's name."""
        return self.entry.name_fields

    @property
    def id_field(self) -> str:
        """The key of a campaign's id, in answers and (IntelSend's create) in request bodies."""
        return self.entry.id_field

    @property
    def optional_name_operations(self) -> frozenset[str]:
        """Operations whose name field is optional: a live run names what they create anyway."""
        return self.entry.optional_name_operations

    @property
    def sign_in(self) -> registry.SignIn | None:
        """How a run signs in with a username and password instead of a token, if it can."""
        return self.entry.sign_in

    def signs_in(self, credentials: Credentials) -> bool:
        """Whether a run with `credentials` signs in rather than sending a given token."""
        return self.sign_in is not None and self.sign_in.username.variable in credentials

    def run_credentials(self, sign_in: bool) -> tuple[registry.Credential, ...]:
        """The credentials a run reads: the registry's, where `sign_in` (and the API can) with
        the sign-in's username and password in place of the token it issues."""
        if not sign_in or self.sign_in is None:
            return self.entry.credentials
        token = self.sign_in.token
        others = tuple(c for c in self.entry.credentials if c.variable != token)
        return (*others, self.sign_in.username, self.sign_in.password)

    def sign_in_url(self) -> str:
        """The server the document names for the sign-in (its own `servers` entry)."""
        assert self.sign_in is not None, f"{self.name} has no sign-in"
        servers = self.load().operations[self.sign_in.operation_id].servers
        return servers[0].rstrip("/") if servers else ""

    def load(self) -> Document:
        """The document, parsed once per process (again only if its file changes): a run asks
        for it for every signed-in request, and a parse costs more than the request."""
        # `spec_path` looked up at each call: tests point it at a broken copy.
        path = spec_path(self.name)
        try:
            stat = path.stat()
        except OSError:
            return load_document(path, self.name)  # the DocumentError that says why
        return _parsed(path, stat.st_mtime_ns, stat.st_size, self.name)

    def load_spec(self) -> Spec:
        """A fresh copy of the document's data, which the caller may narrow."""
        return copy.deepcopy(self.load().raw)

    @property
    def title(self) -> str:
        return self.load().title

    def is_send(self, request: Request) -> bool:
        return self.entry.is_send(request.operation_id, request.body)

    def remove_sends(self, spec: Spec) -> None:
        """Leave nothing in `spec` that calls or messages people: an operation that always
        sends goes; one that sends for some body values loses those values from its request
        schema's enums, its examples and the links that would send them."""
        document = model(spec, self.name)
        for operation_id, values in self.entry.sends.items():
            if not values:
                continue
            body = document.operations[operation_id].request_body
            media = body.json if body is not None else None
            if body is None or media is None or media.schema is None:
                continue
            properties = document.mapping(media.schema.get("properties", {}))
            for field_name, value in values.items():
                schema = document.mapping(properties.get(field_name, {}))
                if "enum" in schema:
                    schema["enum"] = [item for item in schema["enum"] if item != value]
            content = document.mapping(document.mapping(body.raw).get("content", {}))
            examples = document.mapping(document.mapping(content.get(JSON)).get("examples", {}))
            for name in [
                n for n, e in examples.items() if _matches(values, document.mapping(e).get("value"))
            ]:
                del examples[name]
        sends = self.entry.sends

        def sends_people(link: Link) -> bool:
            values = sends.get(link.operation_id or "")
            return values is not None and _matches(values, link.request_body)

        _remove(spec, lambda _method, op_id: op_id in sends and not sends[op_id], sends_people)

    def auth_headers(self, credentials: Credentials) -> dict[str, str]:
        """The headers that carry the credentials, where the document's security schemes say,
        for the requests made outside Schemathesis."""
        schemes = self.load().security_schemes
        headers: dict[str, str] = {}
        cookies = []
        for credential in self.entry.credentials:
            if credential.variable not in credentials:
                continue  # a token the run signs in for: sent by the sign-in's own auth
            scheme = schemes[credential.scheme]
            value = credentials[credential.variable]
            if scheme.location == "cookie":
                cookies.append(f"{scheme.name}={value}")
            elif scheme.location == "header" and scheme.name:
                headers[scheme.name] = value
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        return headers


APIS = {name: ContractApi(entry) for name, entry in registry.APIS.items()}
