"""The registry of vendor APIs: one declaration per API, for everything that is not in its document.

What a document says (paths, schemas, security schemes with their header and cookie names,
messages, links) is read from it through `campaign_contracts.documents`; what it cannot say is
declared here, once. Everything that works on "each API" iterates `APIS`, in this order:

    from campaign_contracts.registry import APIS, api

    for entry in APIS.values():
        document = entry.load()                  # the campaign_contracts.documents.Document
        entry.document_path                      # the file it came from
        entry.credential_variables               # ("ENGAGE_TOKEN",): a live run's environment
    api("intelsend").credential("INTELSEND_USER_ID").scheme   # "IntelSendUserId"

Each `Api` gives:

- `name`, the API's name everywhere (`--api engage`, `openapi/engage.yaml`, fault control,
  reports), and `label`, how people read it (`Engage`).
- `document_path`: `openapi/<name>.yaml`, read from the copy inside the installed wheel
  (`campaign_contracts/openapi/`, where pyproject.toml puts every document), else from
  the checkout's `openapi/`.
- `credentials`: each `Credential` names the environment variable a live contract run reads
  (`variable`), the security scheme of the document it fills (`scheme`), and the value the
  sandbox accepts by default (`sandbox_default`).
- `sign_in` (Engage): the operation that trades a username and password (two more
  `Credential`s, whose `scheme` is the one the issued token fills) for the token of one of
  `credentials`, which a live run may then take instead of that token.
- `error_body(status, message)`: the shape of the vendor's error answers.
- `parity`: the import path of the API's parity module (`campaign_contracts.evidence.engage`),
  which says how a sandbox accepts the credentials a recording of the API sent.
- `sandbox`: the import path of the API's sandbox package, its handlers and state
  (`campaign_contracts.sandbox.engage`).
- What the contract suite must know to run safely on a live service: `id_field` (the key of
  a campaign's id), `list_operation`, `create_operation` and `delete_operation` (None: no
  delete, so a run leaves what it created), `write_probe` (a write tried once on an unknown id
  to test credentials the list does not need), `name_fields` (operationId → the body field
  that names a campaign, which a run prefixes with its own name so it can find and remove what
  it created),
  `optional_name_operations` (of those, where the name is optional) and `sends` (operationId →
  the body values that make a call message or call real people; an empty mapping: every call).

A new API is its document in `openapi/`, one `Api(...)` in `ENTRIES` below, and its sandbox
package (handlers and state); generation, the sandbox and the contract suite find it here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from campaign_contracts.documents import Document, load_document

# Where the wheel carries the documents (pyproject.toml) and where a checkout has them.
PACKAGED_DOCUMENTS = Path(__file__).parent / "openapi"
CHECKOUT_DOCUMENTS = Path(__file__).resolve().parents[1] / "openapi"


@dataclass(frozen=True)
class Credential:
    """One credential: read from `variable` for a live run, sent as security scheme `scheme`."""

    variable: str
    scheme: str
    sandbox_default: str


@dataclass(frozen=True)
class SignIn:
    """An operation that issues, for a username and password, the token of credential `token`."""

    operation_id: str
    token: str
    username: Credential
    password: Credential

    @property
    def variables(self) -> tuple[str, str]:
        return self.username.variable, self.password.variable


ErrorBody = Callable[[int, str], dict[str, object]]


@dataclass(frozen=True)
class Api:
    """One vendor API: the facts about it that its OpenAPI document does not hold."""

    name: str
    label: str
    credentials: tuple[Credential, ...]
    error_body: ErrorBody
    sandbox: str
    id_field: str
    # The operationIds of the list and the create, and of the delete if there is one.
    list_operation: str
    create_operation: str
    delete_operation: str | None = None
    # A write that a live run with --allow-writes makes once, first, on an unknown id, to test
    # credentials the list does not need (None: the list tests them all).
    write_probe: str | None = None
    name_fields: Mapping[str, str] = field(default_factory=dict)
    optional_name_operations: frozenset[str] = frozenset()
    # operationId → body values that make the call a send ({} when any call of it is one).
    sends: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sign_in: SignIn | None = None
    # The import path of its parity module (campaign_contracts.evidence.parity): how the
    # sandbox accepts the credentials a recording of it sent. None: as the sandbox stands.
    parity: str | None = None

    @property
    def document_file(self) -> str:
        return f"{self.name}.yaml"

    @property
    def document_path(self) -> Path:
        """The document: inside the installed wheel, else in the checkout's openapi/."""
        packaged = PACKAGED_DOCUMENTS / self.document_file
        return packaged if packaged.is_file() else CHECKOUT_DOCUMENTS / self.document_file

    def load(self, path: Path | None = None) -> Document:
        """The document read from `path` (default: `document_path`); DocumentError if bad."""
        return load_document(path or self.document_path, self.name)

    @property
    def credential_variables(self) -> tuple[str, ...]:
        return tuple(credential.variable for credential in self.credentials)

    def credential(self, variable: str) -> Credential:
        """The credential read from `variable`, the sign-in's username and password included."""
        login: tuple[Credential, ...] = ()
        if self.sign_in is not None:
            login = (self.sign_in.username, self.sign_in.password)
        (found,) = (c for c in (*self.credentials, *login) if c.variable == variable)
        return found

    def is_send(self, operation_id: str, body: object) -> bool:
        """Whether this call calls or messages the contact lists of a campaign."""
        if operation_id not in self.sends:
            return False
        values = self.sends[operation_id]
        return not values or (
            isinstance(body, Mapping) and all(body.get(k) == v for k, v in values.items())
        )


def message_and_status(status: int, message: str) -> dict[str, object]:
    """Engage's error body, which the sandbox's control plane and unknown paths answer too."""
    return {"message": message, "status": status}


def intelsend_error_body(status: int, message: str) -> dict[str, object]:
    return {"result": "error", "message": message}


ENTRIES = (
    Api(
        name="engage",
        label="Engage",
        # Sent raw as `Authorization`, without `Bearer ` (the document's EngageToken).
        credentials=(Credential("ENGAGE_TOKEN", "EngageToken", "sandbox-token"),),
        error_body=message_and_status,
        sandbox="campaign_contracts.sandbox.engage",
        id_field="_id",
        list_operation="listCampaigns",
        create_operation="createCampaign",
        delete_operation="deleteCampaign",
        name_fields={"createCampaign": "campaignName", "updateCampaign": "campaignName"},
        optional_name_operations=frozenset({"createCampaign"}),
        # `run` conducts a live campaign; `publish` does not.
        sends={"campaignAction": {"action": "run"}},
        # The vendor's token lives 24 hours: a login is what a nightly job can keep.
        sign_in=SignIn(
            operation_id="authenticate",
            token="ENGAGE_TOKEN",
            username=Credential("ENGAGE_USERNAME", "EngageToken", "sandbox"),
            password=Credential("ENGAGE_PASSWORD", "EngageToken", "sandbox-password"),
        ),
        parity="campaign_contracts.evidence.engage",
    ),
    Api(
        name="intelsend",
        label="IntelSend",
        credentials=(
            Credential("INTELSEND_SESSION_TOKEN", "IntelSendSession", "sandbox-session"),
            Credential("INTELSEND_USER_ID", "IntelSendUserId", "sandbox-user"),
        ),
        error_body=intelsend_error_body,
        sandbox="campaign_contracts.sandbox.intelsend",
        id_field="campaignId",
        list_operation="listCampaigns",
        create_operation="createCampaign",
        # IntelSend's list takes only the user id; a build of an unknown id tests the cookie.
        write_probe="buildCampaign",
        name_fields={"createCampaign": "name"},
        sends={"sendCampaign": {}},
        parity="campaign_contracts.evidence.intelsend",
    ),
)
APIS: Mapping[str, Api] = MappingProxyType({entry.name: entry for entry in ENTRIES})


def document_path(name: str) -> Path:
    """The document of the registered API `name` (KeyError if there is none)."""
    return APIS[name].document_path


def api(name: str) -> Api:
    """The registered API called `name`; KeyError naming the known ones otherwise."""
    try:
        return APIS[name]
    except KeyError:
        raise KeyError(f"no API {name!r}; registered: {', '.join(APIS)}") from None
