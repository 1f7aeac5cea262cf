"""What keeps a contract run from harming a live account.

Three layers, from the outside in:

1. The document itself is narrowed before Schemathesis sees it (`prepare_spec`): a read-only run
   gets the GET operations only, a run without `--allow-send` loses `sendCampaign` and the `run`
   action, a live run loses Engage's sign-in (`authenticate`, called only by the run itself with
   the real login). Schemathesis cannot generate what is not in the document.
2. A `before_call` hook (`RunGuard.before_call`) inspects every request on its way out and
   refuses, by raising, any write in a read-only run and any send without `--allow-send`, so a
   generator quirk (a negative value that happens to be `"run"`) still cannot reach the wire.
   On live targets it also withholds writes aimed at campaigns this run did not create: their ids
   are swapped for one that names no campaign.
3. Everything a run creates carries its prefix (`contract-test-<run id>-`, added on the way
   out too), and its ids are recorded for the cleanup in `contract_tests.cleanup`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import schemathesis
from schemathesis import BaseSchema, Case, HookContext, Response

from campaign_contracts.documents.model import SAFE_METHODS
from contract_tests.apis import ContractApi, Request, Spec, keep_reads_only, remove_operations

# Schemathesis generates cases for any operation type; these hooks see them all.
AnyCase = Case[Any]


class UnsafeRequestBlocked(RuntimeError):
    """A request the run's policy forbids was about to be sent."""


@dataclass(frozen=True)
class Policy:
    allow_writes: bool
    allow_send: bool
    # Live targets hold campaigns of real people; the sandbox only holds the run's own.
    protect_foreign_campaigns: bool
    name_prefix: str
    # Fuzzing a live sign-in sends random logins, which can lock the account: the sandbox only.
    fuzz_sign_in: bool = False


def operation_id(case: AnyCase) -> str:
    raw: dict[str, Any] = case.operation.definition.raw
    return str(raw.get("operationId", case.operation.label))


def campaigns_in(body: object, id_field: str) -> Iterator[dict[str, Any]]:
    """Every object in `body`, at any depth, that carries a campaign id."""
    if isinstance(body, list):
        for item in body:
            yield from campaigns_in(item, id_field)
    elif isinstance(body, dict):
        if id_field in body:
            yield body
        for value in body.values():
            yield from campaigns_in(value, id_field)


@dataclass
class RunGuard:
    """The policy of one API's run, applied to every request Schemathesis sends."""

    api: ContractApi
    policy: Policy
    created_ids: set[str] = field(default_factory=set)
    foreign_ids: set[str] = field(default_factory=set)
    withheld_writes: int = 0

    def prepare_spec(self, spec: Spec) -> Spec:
        """A copy of `spec` without the operations this run may not call."""
        narrowed = copy.deepcopy(spec)
        sign_in = self.api.sign_in
        if sign_in is not None and not self.policy.fuzz_sign_in:
            remove_operations(narrowed, lambda _method, op_id: op_id != sign_in.operation_id)
        if not self.policy.allow_writes:
            keep_reads_only(narrowed)
        elif not self.policy.allow_send:
            self.api.remove_sends(narrowed)
        return narrowed

    def attach(self, schema: BaseSchema) -> None:
        """Register the per-schema hook that tracks campaign ids."""

        @schema.hook
        def after_call(context: HookContext, case: AnyCase, response: Response) -> None:
            self.record_ids(case, response)

    def name_created_campaign(self, case: AnyCase) -> None:
        name_field = self.api.name_fields.get(operation_id(case))
        if not name_field or not isinstance(case.body, dict):
            return
        name = case.body.get(name_field)
        # A case can be sent more than once (a check replays it).
        if isinstance(name, str) and not name.startswith(self.policy.name_prefix):
            case.body[name_field] = self.policy.name_prefix + name
        elif (
            name_field not in case.body
            and self.policy.protect_foreign_campaigns
            and operation_id(case) in self.api.optional_name_operations
        ):
            # Found by its name if the create's answer (and so its id) is lost. Only where the
            # name is optional: adding a required one would turn a negative case positive.
            case.body[name_field] = self.policy.name_prefix + "unnamed"

    def record_ids(self, case: AnyCase, response: Response) -> None:
        if not HTTPStatus.OK <= response.status_code < HTTPStatus.MULTIPLE_CHOICES:
            return
        try:
            body = response.json()
        except ValueError:
            return
        if operation_id(case) == self.api.entry.create_operation and isinstance(body, dict):
            if self.api.id_field in body:
                self.created_ids.add(str(body[self.api.id_field]))
            return
        # Wherever a campaign appears (Engage's list is a list or one object, IntelSend's is
        # under `result`), its id is one Schemathesis may reuse, through links or inference.
        for campaign in campaigns_in(body, self.api.id_field):
            self.record_listed(campaign)

    def record_listed(self, campaign: dict[str, Any]) -> None:
        """Note a campaign an answer showed (from `campaigns_in`): the run's own or foreign."""
        campaign_id = str(campaign[self.api.id_field])
        names = (campaign.get(field) for field in set(self.api.name_fields.values()))
        if any(
            isinstance(name, str) and name.startswith(self.policy.name_prefix) for name in names
        ):
            self.created_ids.add(campaign_id)
        elif campaign_id not in self.created_ids:
            self.foreign_ids.add(campaign_id)

    def before_call(self, case: AnyCase) -> None:
        request = Request(operation_id(case), case.method.upper(), case.body)
        if not self.policy.allow_writes and request.method not in SAFE_METHODS:
            raise UnsafeRequestBlocked(
                f"{case.method.upper()} {case.path}: a read-only run sends no writes"
            )
        if not self.policy.allow_send and self.api.is_send(request):
            raise UnsafeRequestBlocked(f"{case.operation.label}: sends need --allow-send")
        sign_in = self.api.sign_in
        if (
            sign_in
            and request.operation_id == sign_in.operation_id
            and not self.policy.fuzz_sign_in
        ):
            raise UnsafeRequestBlocked(
                f"{case.operation.label}: a live sign-in is never fuzzed (random logins can lock"
                " the account)"
            )
        if self.policy.protect_foreign_campaigns and request.method not in SAFE_METHODS:
            # Links and inference may hand over any listed id; only the run's own are touched.
            # The id of a write's target is in its path, or in its body (IntelSend's create
            # updates the draft whose `campaignId` it carries).
            self.withhold_foreign_id(case.path_parameters, "id")
            self.withhold_foreign_id(case.body, self.api.id_field)
        # Here rather than in a generation hook: the examples phase sends the document's own
        # examples, which no generation hook sees.
        self.name_created_campaign(case)

    def withhold_foreign_id(self, container: object, key: str) -> None:
        """Swap a foreign campaign's id at `container[key]` for one that names no campaign."""
        if not isinstance(container, dict):
            return
        value = container.get(key)
        # Negative cases put any JSON value there; only a listed id names a foreign campaign.
        if isinstance(value, str) and value in self.foreign_ids:
            container[key] = f"{self.policy.name_prefix}withheld-foreign-campaign"
            self.withheld_writes += 1


_ACTIVE_GUARDS: list[RunGuard] = []
_HOOK_REGISTERED = False


@contextmanager
def guarding(guard: RunGuard) -> Iterator[RunGuard]:
    """Apply `guard` to every request sent while the block runs.

    `before_call` exists only as a global Schemathesis hook, so one hook is registered for the
    process and forwards to the guard of the run in progress (runs are sequential).
    """
    global _HOOK_REGISTERED  # noqa: PLW0603 - one registration per process, see above
    if not _HOOK_REGISTERED:
        schemathesis.hook("before_call")(_before_call)
        _HOOK_REGISTERED = True
    _ACTIVE_GUARDS.append(guard)
    try:
        yield guard
    finally:
        _ACTIVE_GUARDS.remove(guard)


def _before_call(context: HookContext, case: AnyCase, kwargs: dict[str, Any]) -> None:
    for guard in _ACTIVE_GUARDS:
        guard.before_call(case)
