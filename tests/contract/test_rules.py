"""Each business rule against a stand-in vendor that breaks exactly that rule (the sandbox with
one behaviour changed), and against the sandbox, which keeps every rule. The rules run alone,
over loopback HTTP, as a run calls them after the Schemathesis phases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.registry import document_path
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.campaigns import Campaign
from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.intelsend.state import DRAFT, IntelSendBackend, ListQuery
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import apis
from contract_tests.apis import APIS
from contract_tests.cli import SANDBOX_CREDENTIALS
from contract_tests.results import ApiResult, ExitCode, RuleResult, exit_code
from contract_tests.rules import Needs, RuleContext, run_rules
from contract_tests.session import ApiSession
from contract_tests.vendors import rules_of
from tests.support.breakages import edited_though_built
from tests.support.stand_in_vendor import Exchange, Tamper

PREFIX = "contract-test-rules-"


@dataclass(frozen=True)
class RulesVerdict:
    exit_code: ExitCode
    rules: dict[str, RuleResult]

    def failed(self) -> set[str]:
        return {name for name, rule in self.rules.items() if rule.failure}


def check_rules(api: str, base_url: str, allowed: Needs = Needs.SEND) -> RulesVerdict:
    vendor = APIS[api]
    session = ApiSession(vendor, vendor.load_spec(), base_url, SANDBOX_CREDENTIALS, None)
    with session.client:
        context = RuleContext(session, PREFIX, set(), may_write=allowed >= Needs.WRITE)
        rules = list(run_rules(rules_of(api), context, allowed))
    result = ApiResult(api=api, operations={}, rules=rules)
    code = exit_code([result], strict=True)
    return RulesVerdict(code, {rule.name: rule for rule in rules})


@contextmanager
def stand_in(rewrite: Callable[[Exchange], None] | None = None) -> Iterator[str]:
    app = create_app() if rewrite is None else Tamper(create_app(), rewrite=rewrite)
    with serve_in_thread(app) as base_url:
        yield base_url


# Breakages of the backends, each patched in for one test ----------------------------------------


def update_not_stored(self: EngageBackend, tenant: str, campaign_id: str, fields: Any) -> Campaign:
    return self._campaign(tenant, campaign_id)


def get_answers_another(self: EngageBackend, tenant: str, campaign_id: str) -> Campaign:
    wanted = self._campaign(tenant, campaign_id)
    others = [c for c in self.storage.records(self.kind, tenant) if c["_id"] != campaign_id]
    return others[-1] if others else wanted


def publish_does_nothing(self: EngageBackend, tenant: str, campaign_id: str) -> None:
    self._campaign(tenant, campaign_id)


ORIGINAL_CREATE = EngageBackend.create


def create_drops_flow_id(self: EngageBackend, tenant: str, fields: dict[str, Any]) -> Campaign:
    return ORIGINAL_CREATE(self, tenant, {k: v for k, v in fields.items() if k != "flowId"})


def errors_lists_everything(self: EngageBackend, tenant: str) -> list[Campaign]:
    return self.storage.records(self.kind, tenant)


def short_name_found(exchange: Exchange) -> None:
    if exchange.path == "/_rest/v2/campaigns/" and exchange.status == 422:
        exchange.answer(404, {"message": "No campaign name contains 'abc'", "status": 404})


ORIGINAL_SAVE = IntelSendBackend.save


def edit_keeps_channels(self: IntelSendBackend, user: str, request: dict[str, Any]) -> Campaign:
    campaign_id = request.get("campaignId")
    if campaign_id is None:
        return ORIGINAL_SAVE(self, user, request)
    campaign = self._campaign(user, campaign_id)
    if campaign["status"] == DRAFT:
        campaign["name"] = request["name"]
        self._store(user, campaign)
    return campaign


def edit_of_built_accepted(self: IntelSendBackend, user: str, request: dict[str, Any]) -> Campaign:
    return edited_though_built(self, user, request) or ORIGINAL_SAVE(self, user, request)


def forgetting_changelog(step: Callable[..., None]) -> Callable[..., None]:
    def forgets(self: IntelSendBackend, user: str, campaign_id: str) -> None:
        step(self, user, campaign_id)
        campaign = self._campaign(user, campaign_id)
        campaign["changeLog"].pop()
        self._store(user, campaign)

    return forgets


ORIGINAL_BUILD = IntelSendBackend.build


def build_in_any_state(self: IntelSendBackend, user: str, campaign_id: str) -> None:
    if self._campaign(user, campaign_id)["status"] == DRAFT:
        ORIGINAL_BUILD(self, user, campaign_id)


ORIGINAL_PAGE = IntelSendBackend.page


def ignoring(field: str) -> Callable[..., dict[str, Any]]:
    """A list that ignores one of its filters (a ListQuery field)."""

    def page(self: IntelSendBackend, user: str, query: ListQuery) -> dict[str, Any]:
        ignored: dict[str, Any] = {field: None}
        return ORIGINAL_PAGE(self, user, replace(query, **ignored))

    return page


@dataclass(frozen=True)
class Breakage:
    api: str
    rule: str
    # (class, attribute, replacement) patched in for the test; or an answer rewrite.
    patch: tuple[type, str, Any] | None = None
    rewrite: Callable[[Exchange], None] | None = None
    # Fails exactly this rule, no other.
    only: bool = False


BREAKAGES = {
    "update not stored": Breakage(
        "engage", "an update persists", (EngageBackend, "update", update_not_stored)
    ),
    "get by id answers another campaign": Breakage(
        "engage", "get by id answers that campaign", (EngageBackend, "get", get_answers_another)
    ),
    "publish leaves a draft": Breakage(
        "engage",
        "publish makes a campaign active",
        (EngageBackend, "publish", publish_does_nothing),
    ),
    "create drops flowId": Breakage(
        "engage", "create keeps every field", (EngageBackend, "create", create_drops_flow_id)
    ),
    "errors lists campaigns not in error": Breakage(
        "engage",
        "errors lists only campaigns in error",
        (EngageBackend, "errors", errors_lists_everything),
    ),
    "a short name is looked up": Breakage(
        "engage", "a name under four characters is refused", rewrite=short_name_found
    ),
    "an edit keeps the old channels": Breakage(
        "intelsend",
        "create with a draft's id updates it",
        (IntelSendBackend, "save", edit_keeps_channels),
    ),
    "an edit of a built campaign is accepted": Breakage(
        "intelsend",
        "a built campaign cannot be edited",
        (IntelSendBackend, "save", edit_of_built_accepted),
    ),
    "an edit of a sent campaign is accepted": Breakage(
        "intelsend",
        "a sent campaign cannot be edited",
        (IntelSendBackend, "save", edit_of_built_accepted),
    ),
    "build leaves changeLog unchanged": Breakage(
        "intelsend",
        "build appends BUILD to changeLog",
        (IntelSendBackend, "build", forgetting_changelog(IntelSendBackend.build)),
    ),
    "send leaves changeLog unchanged": Breakage(
        "intelsend",
        "a built campaign sends",
        (IntelSendBackend, "send", forgetting_changelog(IntelSendBackend.send)),
    ),
    "build accepted in any state": Breakage(
        "intelsend", "build after send fails", (IntelSendBackend, "build", build_in_any_state)
    ),
    **{
        f"{parameter} filter ignored": Breakage(
            "intelsend",
            f"list filter {parameter} answers only matching campaigns",
            (IntelSendBackend, "page", ignoring(field)),
            only=True,
        )
        for parameter, field in (
            ("status", "status"),
            ("channel", "channel"),
            ("startDate", "start_date"),
            ("endDate", "end_date"),
        )
    },
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_vendor_that_breaks_the_rule_fails_it(
    breakage: Breakage, monkeypatch: pytest.MonkeyPatch
) -> None:
    if breakage.patch is not None:
        monkeypatch.setattr(*breakage.patch)
    with stand_in(breakage.rewrite) as base_url:
        verdict = check_rules(breakage.api, base_url)

    assert verdict.exit_code == ExitCode.BROKEN
    assert breakage.rule in verdict.failed(), {n: r.failure for n, r in verdict.rules.items()}
    if breakage.only:
        assert verdict.failed() == {breakage.rule}
    assert not any(rule.error for rule in verdict.rules.values())


@pytest.mark.parametrize("api", ["engage", "intelsend"])
def test_the_sandbox_keeps_every_rule(api: str) -> None:
    with stand_in() as base_url:
        verdict = check_rules(api, base_url)

    assert verdict.exit_code == ExitCode.KEPT
    assert {
        name: rule.failure or rule.error or rule.not_run for name, rule in verdict.rules.items()
    } == dict.fromkeys(verdict.rules)


@pytest.mark.parametrize(
    ("api", "rule", "reason"),
    [
        ("engage", "errors lists only campaigns in error", "no campaign is in error"),
        ("intelsend", "list honours limit, page and meta.count", "0 campaigns listed"),
        *(
            ("intelsend", f"list filter {parameter} answers only matching campaigns", "no campaign")
            for parameter in ("status", "channel", "startDate", "endDate")
        ),
    ],
)
def test_a_rule_that_an_empty_account_cannot_check_is_not_run_never_ok(
    api: str, rule: str, reason: str
) -> None:
    with stand_in() as base_url:
        verdict = check_rules(api, base_url, Needs.READ)

    assert verdict.exit_code == ExitCode.KEPT
    not_run = verdict.rules[rule].not_run
    assert not_run is not None
    assert reason in not_run
    assert not verdict.rules[rule].failure


def edited_intelsend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str) -> None:
    """Point the contract suite at an IntelSend document whose create gains `field`."""
    text = document_path("intelsend").read_text(encoding="utf-8")
    edited = tmp_path / "intelsend.yaml"
    edited.write_text(
        text.replace(
            "      required: [name, settings, channel, contactListId]\n      properties:\n",
            f"      required: [{field}name, settings, channel, contactListId]\n"
            "      properties:\n        scheduleAt:\n          type: string\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(
        apis, "spec_path", lambda name: edited if name == "intelsend" else document_path(name)
    )


def test_a_new_required_field_the_example_lacks_is_said_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited_intelsend(tmp_path, monkeypatch, "scheduleAt, ")
    with stand_in() as base_url:
        verdict = check_rules("intelsend", base_url)
    assert verdict.exit_code == ExitCode.COULD_NOT_RUN  # not verified, not a broken contract
    assert not verdict.failed()
    errors = {rule.error for rule in verdict.rules.values() if rule.error}
    assert (
        "ExampleOutdated: createCampaign: the document requires scheduleAt in the request body,"
        " which its example `vendorDocs` lacks; add it there (the rules send that example)"
    ) in errors


def test_a_new_optional_field_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited_intelsend(tmp_path, monkeypatch, "")
    with stand_in() as base_url:
        verdict = check_rules("intelsend", base_url)
    assert verdict.exit_code == ExitCode.KEPT, verdict.rules
