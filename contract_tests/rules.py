"""Business rules the vendor docs state and Schemathesis cannot know, as explicit scenarios.

They run after the Schemathesis phases, against the same target with the same credentials.
Each rule is one JUnit test case. A rule runs only where the run's policy allows every request
it makes (`needs`): the list rules only read (and create their own fixtures when writes are
allowed), the lifecycle rules write, and those that run or send a campaign need `--allow-send`
— even "run before publish fails" asks the vendor to run something. Whatever a rule creates
is named with the run's prefix and recorded for the cleanup, which runs even when a rule fails.
"""

from __future__ import annotations

import copy
import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import httpx

from contract_tests.apis import ENGAGE, INTELSEND, ContractApi
from contract_tests.results import RuleResult
from contract_tests.session import ApiSession, RuleBroken


class Needs(IntEnum):
    """What a rule sends, in the order a run's policy allows more."""

    READ = 0
    WRITE = 1
    SEND = 2


@dataclass
class RuleContext:
    session: ApiSession
    name_prefix: str
    created_ids: set[str]
    may_write: bool

    def name(self, what: str) -> str:
        return f"{self.name_prefix}{what}"


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    needs: Needs
    check: Callable[[RuleContext], None]


class ExampleOutdated(ValueError):
    """The document requires a field its own example lacks: the rule cannot build a request.
    An error of the run (exit 2, not verified), not a broken contract."""


def example_body(session: ApiSession, operation_id: str) -> dict[str, Any]:
    """The document's own request example (`vendorDocs`), the vendor's own; rules replace only
    the fields they name. Built from the example rather than a body of our own, so a field the
    document gains as optional changes nothing; one it gains as required, which the example
    lacks, is said as such (`nox -s changes` names the example first)."""
    _method, _path, operation = session.operations[operation_id]
    media = operation["requestBody"]["content"]["application/json"]
    body: dict[str, Any] = copy.deepcopy(media["examples"]["vendorDocs"]["value"])
    schema = session.api.load().operations[operation_id].request_body
    required = (schema.json_schema or {}).get("required", []) if schema else []
    missing = [name for name in required if name not in body]
    if missing:
        raise ExampleOutdated(
            f"{operation_id}: the document requires {', '.join(missing)} in the request body, "
            "which its example `vendorDocs` lacks; add it there (the rules send that example)"
        )
    return body


class RuleNotRun(Exception):
    """The rule cannot be checked with what the run may do; the message says why."""


# Engage ---------------------------------------------------------------------------------------


def create_engage_campaign(ctx: RuleContext, what: str, **fields: str) -> str:
    body = example_body(ctx.session, "createCampaign") | {"campaignName": ctx.name(what)}
    created = ctx.session.call(
        "createCampaign", expect=201, body=body | fields, why="create a campaign"
    )
    campaign_id = str(created["_id"])
    ctx.created_ids.add(campaign_id)
    return campaign_id


def get_engage_campaign(ctx: RuleContext, campaign_id: str, why: str) -> dict[str, Any]:
    found: dict[str, Any] = ctx.session.call(
        "getCampaign", expect=200, query={"id": campaign_id}, why=why
    )
    if found.get("_id") != campaign_id:
        raise RuleBroken(f"{why}: get ?id={campaign_id} answered campaign {found.get('_id')}")
    return found


def differences(sent: dict[str, Any], stored: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (sent, stored) for each field sent that the campaign does not show."""
    return {
        key: (value, stored.get(key)) for key, value in sent.items() if stored.get(key) != value
    }


def engage_action(ctx: RuleContext, campaign_id: str, action: str, expect: int, why: str) -> Any:
    """POST `action` (publish, run) to the campaign's action endpoint; its answer."""
    return ctx.session.call(
        "campaignAction", expect=expect, path={"id": campaign_id}, body={"action": action}, why=why
    )


def engage_run_before_publish_fails(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "draft-run")
    why = "running a draft (unpublished) campaign must fail with the documented 500"
    engage_action(ctx, campaign_id, "run", 500, why)


def engage_published_campaign_runs(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "published-run")
    for action in ("publish", "run"):
        why = f"{action} after create{' and publish' if action == 'run' else ''}"
        answer = engage_action(ctx, campaign_id, action, 200, why)
        if answer is not True:
            raise RuleBroken(f"{action} answered {answer!r}, not true")


def engage_publish_activates(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "published")
    engage_action(ctx, campaign_id, "publish", 200, "publish a draft")
    active = get_engage_campaign(ctx, campaign_id, "get after publish").get("active")
    if active != 1:
        raise RuleBroken(f"publish answered true, but the campaign's active is {active!r}, not 1")


def engage_create_keeps_fields(ctx: RuleContext) -> None:
    sent = example_body(ctx.session, "createCampaign") | {
        "campaignName": ctx.name("all-fields"),
        "campaignDescription": "created by the contract run",
    }
    created = ctx.session.call("createCampaign", expect=201, body=sent, why="create")
    campaign_id = str(created["_id"])
    ctx.created_ids.add(campaign_id)
    for what, campaign in (
        ("the create answer", created),
        ("get after create", get_engage_campaign(ctx, campaign_id, "get after create")),
    ):
        if lost := differences(sent, campaign):
            raise RuleBroken(f"{what} does not keep what create was given: {lost}")


def engage_update_persists(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "update")
    sent = {
        "campaignName": ctx.name("updated"),
        "flowId": "5d24c0e64886e81bb4cbf069",
        "callerIdentification": "+13122735567",
        "campaignDescription": "updated by the contract run",
    }
    ctx.session.call(
        "updateCampaign", expect=200, path={"id": campaign_id}, body=sent, why="update"
    )
    if lost := differences(sent, get_engage_campaign(ctx, campaign_id, "get after update")):
        raise RuleBroken(f"update answered 200, but a get after it shows {lost} (sent, stored)")


def engage_get_by_id_among_several(ctx: RuleContext) -> None:
    names = [ctx.name(f"by-id-{number}") for number in range(3)]
    ids = [create_engage_campaign(ctx, f"by-id-{number}") for number in range(3)]
    for campaign_id, name in zip(ids, names, strict=True):
        found = get_engage_campaign(ctx, campaign_id, "get by id among several campaigns")
        if found.get("campaignName") != name:
            raise RuleBroken(f"get ?id={campaign_id} answered {found.get('campaignName')!r}")


def engage_deleted_campaign_is_gone(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "deleted")
    ctx.session.call("deleteCampaign", expect=202, path={"id": campaign_id}, why="delete")
    ctx.session.call(
        "getCampaign", expect=404, query={"id": campaign_id}, why="get by id after delete"
    )
    if any(campaign.get("_id") == campaign_id for campaign in engage_listing(ctx)):
        raise RuleBroken(f"the deleted campaign {campaign_id} is still listed")
    ctx.session.call("deleteCampaign", expect=404, path={"id": campaign_id}, why="delete again")


def engage_listing(ctx: RuleContext, operation_id: str = "listCampaigns") -> list[dict[str, Any]]:
    listed = ctx.session.call(operation_id, expect=200, why=f"{operation_id}")
    return listed if isinstance(listed, list) else [listed]


def engage_errors_lists_errors_only(ctx: RuleContext) -> None:
    own = create_engage_campaign(ctx, "not-in-error") if ctx.may_write else None
    errors = engage_listing(ctx, "listCampaignErrors")
    if strays := [c.get("_id") for c in errors if c.get("status") != "Error"]:
        raise RuleBroken(f"the errors list holds campaigns whose status is not Error: {strays}")
    if own is None and not errors:
        raise RuleNotRun("no campaign is in error and a read-only run cannot make a draft")


def engage_get_by_name_matches(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "found-by-name")
    found = ctx.session.call(
        "getCampaign",
        expect=200,
        query={"name": ctx.name("found-by-name")},
        why="get by the exact name of a campaign just created",
    )
    if found.get("_id") != campaign_id:
        raise RuleBroken(f"get by name answered campaign {found.get('_id')}, not {campaign_id}")


def engage_short_name_is_refused(ctx: RuleContext) -> None:
    ctx.session.call(
        "getCampaign",
        expect=422,
        query={"name": "abc"},
        why="get by a name of three characters (four at least)",
    )


# IntelSend ------------------------------------------------------------------------------------

# Pages this large find a campaign among hundreds in a few calls; no page is assumed to hold
# what a rule created, nor any order: each search goes through every page.
PAGE_LIMIT = 100
# However many campaigns `meta.count` claims, a search stops after this many pages.
MAX_PAGES = 50


def list_page(ctx: RuleContext, **query: Any) -> dict[str, Any]:
    page: dict[str, Any] = ctx.session.call(
        "listCampaigns", expect=200, query=query, why=f"list with {query}"
    )
    return page


def all_listed(ctx: RuleContext, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every campaign the list answers with `filters`, page after page."""
    for page in range(1, MAX_PAGES + 1):
        answer = list_page(ctx, **filters, page=page, limit=PAGE_LIMIT)
        yield from answer["result"]
        if not answer["result"] or page * PAGE_LIMIT >= answer["meta"]["count"]:
            return


def find_intelsend(ctx: RuleContext, name: str) -> dict[str, Any]:
    """The campaign this run created as `name` (names are unique to the run and the rule)."""
    for campaign in all_listed(ctx):
        if campaign["name"] == name:
            ctx.created_ids.add(str(campaign["campaignId"]))
            return campaign
    raise RuleBroken(f"the campaign created as {name!r} is on no page of the list")


def intelsend_body(ctx: RuleContext, name: str, channel: str, contact_list: int) -> dict[str, Any]:
    """A one-channel create from the document's example, for one of its contact lists."""
    body = example_body(ctx.session, "createCampaign")
    return body | {
        "name": name,
        "channel": [channel],
        "settings": {channel: body["settings"][channel]},
        "contactListId": [body["contactListId"][contact_list]],
    }


def create_intelsend_campaign(
    ctx: RuleContext, what: str, channel: str = "email"
) -> dict[str, Any]:
    """Create a one-channel draft and find it (create answers no id) in the list."""
    body = intelsend_body(ctx, ctx.name(what), channel, 0)
    ctx.session.call("createCampaign", expect=200, body=body, why="create a campaign")
    return find_intelsend(ctx, body["name"])


def changelog(campaign: dict[str, Any]) -> list[str]:
    return [entry["status"] for entry in campaign["changeLog"]]


def step(ctx: RuleContext, operation_id: str, campaign: dict[str, Any], why: str) -> None:
    ctx.session.call(operation_id, expect=200, path={"id": campaign["campaignId"]}, why=why)


def intelsend_send_before_build_fails(ctx: RuleContext) -> None:
    campaign = create_intelsend_campaign(ctx, "send-draft")
    ctx.session.call(
        "sendCampaign", expect=409, path={"id": campaign["campaignId"]}, why="send a draft"
    )


def intelsend_build_twice_fails(ctx: RuleContext) -> None:
    campaign = create_intelsend_campaign(ctx, "build-twice")
    step(ctx, "buildCampaign", campaign, "build a draft")
    ctx.session.call(
        "buildCampaign", expect=409, path={"id": campaign["campaignId"]}, why="build again"
    )


def intelsend_build_after_send_fails(ctx: RuleContext) -> None:
    campaign = create_intelsend_campaign(ctx, "build-after-send")
    step(ctx, "buildCampaign", campaign, "build a draft")
    step(ctx, "sendCampaign", campaign, "send when built")
    ctx.session.call(
        "buildCampaign", expect=409, path={"id": campaign["campaignId"]}, why="build once sent"
    )


def expect_appended(ctx: RuleContext, before: list[str], added: str, what: str) -> list[str]:
    after = changelog(find_intelsend(ctx, what))
    if after != [*before, added]:
        raise RuleBroken(f"changeLog is {after} after the step, not {[*before, added]}")
    return after


def intelsend_build_appends_to_changelog(ctx: RuleContext) -> None:
    campaign = create_intelsend_campaign(ctx, "build-log")
    step(ctx, "buildCampaign", campaign, "build a draft")
    expect_appended(ctx, changelog(campaign), "BUILD", campaign["name"])


def intelsend_built_campaign_sends(ctx: RuleContext) -> None:
    campaign = create_intelsend_campaign(ctx, "build-send")
    step(ctx, "buildCampaign", campaign, "build a draft")
    built = expect_appended(ctx, changelog(campaign), "BUILD", campaign["name"])
    step(ctx, "sendCampaign", campaign, "send when built")
    expect_appended(ctx, built, "SENDING", campaign["name"])


def edit(ctx: RuleContext, campaign: dict[str, Any], what: str) -> dict[str, Any]:
    """A create naming `campaign`'s id that changes every field: name, channel, settings and
    contact list."""
    channel = "sms" if campaign["channel"] != ["sms"] else "email"
    body = intelsend_body(ctx, ctx.name(what), channel, 1)
    return body | {"campaignId": campaign["campaignId"]}


def intelsend_draft_edit_updates(ctx: RuleContext) -> None:
    draft = create_intelsend_campaign(ctx, "edit-draft")
    sent = edit(ctx, draft, "edited-draft")
    ctx.session.call("createCampaign", expect=200, body=sent, why="create with a draft's id")
    stored = find_intelsend(ctx, sent["name"])
    shown = stored | {"contactListId": [entry["_id"] for entry in stored["contactListId"]]}
    if lost := differences(sent, shown):
        raise RuleBroken(f"the draft edited through create shows {lost} (sent, stored)")


def edit_refused(ctx: RuleContext, what: str, steps: tuple[str, ...]) -> None:
    campaign = create_intelsend_campaign(ctx, what)
    for operation_id in steps:
        step(ctx, operation_id, campaign, f"{operation_id} before the edit")
    before = find_intelsend(ctx, campaign["name"])
    ctx.session.call(
        "createCampaign",
        expect=409,
        body=edit(ctx, before, f"{what}-edited"),
        why=f"create with the id of a campaign in {before['status']}",
    )
    if (after := find_intelsend(ctx, campaign["name"])) != before:
        raise RuleBroken(f"the refused edit changed the campaign: {before} became {after}")


def intelsend_built_edit_refused(ctx: RuleContext) -> None:
    edit_refused(ctx, "edit-built", ("buildCampaign",))


def intelsend_sent_edit_refused(ctx: RuleContext) -> None:
    edit_refused(ctx, "edit-sent", ("buildCampaign", "sendCampaign"))


def intelsend_list_pages(ctx: RuleContext) -> None:
    if ctx.may_write:
        for number in range(3):
            create_intelsend_campaign(ctx, f"page-{number}")
    limit = 2
    first, second = (list_page(ctx, page=page, limit=limit) for page in (1, 2))
    count = first["meta"]["count"]
    if count <= limit:
        raise RuleNotRun(f"{count} campaigns listed: too few for two pages of {limit}")
    for number, page in enumerate((first, second), start=1):
        expected = max(0, min(limit, count - (number - 1) * limit))
        if page["meta"] != {"count": count, "page": number, "limit": limit}:
            raise RuleBroken(f"page {number} meta is {page['meta']}")
        if len(page["result"]) != expected:
            raise RuleBroken(
                f"page {number} of {count} campaigns at limit {limit} holds "
                f"{len(page['result'])}, not {expected}"
            )
    overlap = {c["campaignId"] for c in first["result"]} & {
        c["campaignId"] for c in second["result"]
    }
    if overlap:
        raise RuleBroken(f"pages 1 and 2 both hold {sorted(overlap)}")


def intelsend_list_filters(ctx: RuleContext) -> None:
    """Each filter answers only matching campaigns, on every page; with writes, also the
    run's own campaigns it matches and none it does not, one a draft and one built."""
    own: list[dict[str, Any]] = []
    if ctx.may_write:
        own.append(create_intelsend_campaign(ctx, "filter-sms", channel="sms"))
        built = create_intelsend_campaign(ctx, "filter-built", channel="email")
        step(ctx, "buildCampaign", built, "build a campaign to filter on")
        own.append(find_intelsend(ctx, built["name"]))
    day = datetime.datetime.now(datetime.UTC).date()
    today, tomorrow, yesterday = (
        (day + datetime.timedelta(days=offset)).isoformat() for offset in (0, 1, -1)
    )
    filters: list[tuple[dict[str, str], Callable[[dict[str, Any]], bool]]] = [
        ({"status": "DRAFT"}, lambda c: c["status"] == "DRAFT"),
        ({"status": "BUILD"}, lambda c: c["status"] == "BUILD"),
        ({"channel": "sms"}, lambda c: "sms" in c["channel"]),
        ({"channel": "email"}, lambda c: "email" in c["channel"]),
        ({"startDate": today}, lambda c: c["createdAt"][:10] >= today),
        ({"endDate": today}, lambda c: c["createdAt"][:10] <= today),
        ({"startDate": tomorrow}, lambda c: c["createdAt"][:10] >= tomorrow),
        ({"endDate": yesterday}, lambda c: c["createdAt"][:10] <= yesterday),
    ]
    seen = 0
    for query, matches in filters:
        answered = {c["campaignId"]: c for c in all_listed(ctx, **query)}
        seen += len(answered)
        if strays := [i for i, c in answered.items() if not matches(c)]:
            raise RuleBroken(f"list filtered by {query} also answered {strays}")
        for campaign in own:
            if matches(campaign) and campaign["campaignId"] not in answered:
                raise RuleBroken(f"list filtered by {query} misses {campaign['name']!r}")
    if not seen:
        raise RuleNotRun("the account lists no campaign, and a read-only run cannot make one")


RULES: dict[str, list[Rule]] = {
    ENGAGE.name: [
        Rule(
            "run before publish fails",
            "Running a draft answers the documented 500.",
            Needs.SEND,
            engage_run_before_publish_fails,
        ),
        Rule(
            "a published campaign runs",
            "create, publish, run: each answers 200 true.",
            Needs.SEND,
            engage_published_campaign_runs,
        ),
        Rule(
            "publish makes a campaign active",
            "After publish, a get shows active 1.",
            Needs.WRITE,
            engage_publish_activates,
        ),
        Rule(
            "create keeps every field",
            "The create answer and a get after it show each field create was given.",
            Needs.WRITE,
            engage_create_keeps_fields,
        ),
        Rule(
            "an update persists",
            "A get after the PUT shows every field sent.",
            Needs.WRITE,
            engage_update_persists,
        ),
        Rule(
            "get by id answers that campaign",
            "Among several campaigns, get ?id= answers the one with that id.",
            Needs.WRITE,
            engage_get_by_id_among_several,
        ),
        Rule(
            "a deleted campaign is gone",
            "After delete (202), get by id and a second delete answer 404 and the list omits it.",
            Needs.WRITE,
            engage_deleted_campaign_is_gone,
        ),
        Rule(
            "get by name finds the campaign",
            "getCampaign ?name= answers the campaign with that name.",
            Needs.WRITE,
            engage_get_by_name_matches,
        ),
        Rule(
            "errors lists only campaigns in error",
            "Every campaign listCampaignErrors answers has the status Error (a new draft none).",
            Needs.READ,
            engage_errors_lists_errors_only,
        ),
        Rule(
            "a name under four characters is refused",
            "getCampaign ?name= of three characters answers 422.",
            Needs.READ,
            engage_short_name_is_refused,
        ),
    ],
    INTELSEND.name: [
        Rule(
            "send before build fails",
            "Sending a draft answers 409.",
            Needs.SEND,
            intelsend_send_before_build_fails,
        ),
        Rule(
            "build twice fails",
            "A second build answers 409.",
            Needs.WRITE,
            intelsend_build_twice_fails,
        ),
        Rule(
            "build after send fails",
            "A build of a sent campaign answers 409.",
            Needs.SEND,
            intelsend_build_after_send_fails,
        ),
        Rule(
            "build appends BUILD to changeLog",
            "After build, changeLog is what it was plus BUILD.",
            Needs.WRITE,
            intelsend_build_appends_to_changelog,
        ),
        Rule(
            "a built campaign sends",
            "build then send answer 200; each appends its status (BUILD, SENDING) to changeLog.",
            Needs.SEND,
            intelsend_built_campaign_sends,
        ),
        Rule(
            "create with a draft's id updates it",
            "Name, channel, settings and contactListId all change to what was sent.",
            Needs.WRITE,
            intelsend_draft_edit_updates,
        ),
        Rule(
            "a built campaign cannot be edited",
            "Create with the id of a built campaign answers 409 and changes nothing.",
            Needs.WRITE,
            intelsend_built_edit_refused,
        ),
        Rule(
            "a sent campaign cannot be edited",
            "Create with the id of a sent campaign answers 409 and changes nothing.",
            Needs.SEND,
            intelsend_sent_edit_refused,
        ),
        Rule(
            "list honours limit, page and meta.count",
            "Pages 1 and 2 at limit 2 hold what meta.count says, without overlap.",
            Needs.READ,
            intelsend_list_pages,
        ),
        Rule(
            "list filters return only matching campaigns",
            "status, channel, startDate and endDate each answer only campaigns that match, "
            "on every page, and the run's own that match (a draft and a built one).",
            Needs.READ,
            intelsend_list_filters,
        ),
    ],
}


def run_rules(api: ContractApi, ctx: RuleContext, allowed: Needs) -> Iterator[RuleResult]:
    """Check every rule of `api` that `allowed` permits; skipped rules are not yielded."""
    for rule in RULES.get(api.name, []):
        if rule.needs > allowed:
            continue
        result = RuleResult(name=rule.name, description=rule.description)
        started = time.perf_counter()
        try:
            rule.check(ctx)
        except RuleNotRun as reason:
            result.not_run = str(reason)
        except RuleBroken as broken:
            result.failure = str(broken)
            result.kind = broken.kind
            last = ctx.session.last
            result.request = broken.request or (ctx.session.curl(last) if last else "")
        except (httpx.HTTPError, OSError, KeyError, TypeError, ValueError) as error:
            # Transport errors, and answers too malformed to read, say nothing about the rule.
            result.error = f"{type(error).__name__}: {error}"
        result.elapsed = time.perf_counter() - started
        yield result


def skipped_rules(api: ContractApi, allowed: Needs) -> list[str]:
    return [rule.name for rule in RULES.get(api.name, []) if rule.needs > allowed]
