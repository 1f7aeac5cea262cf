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

from contract_tests.apis import ENGAGE, INTELSEND, Api
from contract_tests.results import RuleResult
from contract_tests.session import ApiSession, RuleBroken

# IntelSend answers list pages newest first; a page of this size finds what a rule just created.
RECENT_PAGE = {"page": 1, "limit": 50}


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


def example_body(session: ApiSession, operation_id: str) -> dict[str, Any]:
    """The document's own request example: valid by construction, and the vendor's own."""
    _method, _path, operation = session.operations[operation_id]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    body: dict[str, Any] = copy.deepcopy(examples["vendorDocs"]["value"])
    return body


# Engage ---------------------------------------------------------------------------------------


def create_engage_campaign(ctx: RuleContext, what: str) -> str:
    body = example_body(ctx.session, "createCampaign") | {"campaignName": ctx.name(what)}
    created = ctx.session.call("createCampaign", expect=201, body=body, why="create a campaign")
    campaign_id = str(created["_id"])
    ctx.created_ids.add(campaign_id)
    return campaign_id


def engage_run_before_publish_fails(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "draft-run")
    ctx.session.call(
        "campaignAction",
        expect=500,
        path={"id": campaign_id},
        body={"action": "run"},
        why="running a draft (unpublished) campaign must fail with the documented 500",
    )


def engage_published_campaign_runs(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "published-run")
    for action in ("publish", "run"):
        answer = ctx.session.call(
            "campaignAction",
            expect=200,
            path={"id": campaign_id},
            body={"action": action},
            why=f"{action} after create{' and publish' if action == 'run' else ''}",
        )
        if answer is not True:
            raise RuleBroken(f"{action} answered {answer!r}, not true")


def engage_deleted_campaign_is_gone(ctx: RuleContext) -> None:
    campaign_id = create_engage_campaign(ctx, "deleted")
    ctx.session.call("deleteCampaign", expect=202, path={"id": campaign_id}, why="delete")
    ctx.session.call(
        "getCampaign", expect=404, query={"id": campaign_id}, why="get by id after delete"
    )
    listed = ctx.session.call("listCampaigns", expect=200, why="list after delete")
    campaigns = listed if isinstance(listed, list) else [listed]
    if any(campaign.get("_id") == campaign_id for campaign in campaigns):
        raise RuleBroken(f"the deleted campaign {campaign_id} is still listed")
    ctx.session.call("deleteCampaign", expect=404, path={"id": campaign_id}, why="delete again")


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


# IntelSend ------------------------------------------------------------------------------------


def list_page(ctx: RuleContext, **query: Any) -> dict[str, Any]:
    page: dict[str, Any] = ctx.session.call(
        "listCampaigns", expect=200, query=query, why=f"list with {query}"
    )
    return page


def create_intelsend_campaign(ctx: RuleContext, what: str, channel: str = "email") -> str:
    """Create a one-channel campaign and find its id (create answers none) in the list."""
    body = example_body(ctx.session, "createCampaign")
    name = ctx.name(what)
    body |= {"name": name, "channel": [channel], "settings": {channel: body["settings"][channel]}}
    ctx.session.call("createCampaign", expect=200, body=body, why="create a campaign")
    for campaign in list_page(ctx, **RECENT_PAGE)["result"]:
        if campaign["name"] == name:
            campaign_id = str(campaign["campaignId"])
            ctx.created_ids.add(campaign_id)
            return campaign_id
    raise RuleBroken(f"the campaign created as {name!r} is not among the newest listed")


def intelsend_send_before_build_fails(ctx: RuleContext) -> None:
    campaign_id = create_intelsend_campaign(ctx, "send-draft")
    ctx.session.call("sendCampaign", expect=409, path={"id": campaign_id}, why="send a draft")


def intelsend_build_twice_fails(ctx: RuleContext) -> None:
    campaign_id = create_intelsend_campaign(ctx, "build-twice")
    ctx.session.call("buildCampaign", expect=200, path={"id": campaign_id}, why="build a draft")
    ctx.session.call("buildCampaign", expect=409, path={"id": campaign_id}, why="build again")


def intelsend_built_campaign_sends(ctx: RuleContext) -> None:
    campaign_id = create_intelsend_campaign(ctx, "build-send")
    ctx.session.call("buildCampaign", expect=200, path={"id": campaign_id}, why="build a draft")
    ctx.session.call("sendCampaign", expect=200, path={"id": campaign_id}, why="send when built")
    listed = {c["campaignId"]: c for c in list_page(ctx, **RECENT_PAGE)["result"]}
    statuses = [entry["status"] for entry in listed[campaign_id]["changeLog"]]
    if statuses[:3] != ["DRAFT", "BUILD", "SENDING"]:
        raise RuleBroken(
            f"changeLog after build and send is {statuses}, not DRAFT, BUILD, SENDING…"
        )


def intelsend_list_pages(ctx: RuleContext) -> None:
    if ctx.may_write:
        for number in range(3):
            create_intelsend_campaign(ctx, f"page-{number}")
    limit = 2
    first, second = (list_page(ctx, page=page, limit=limit) for page in (1, 2))
    count = first["meta"]["count"]
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
    if ctx.may_write:
        create_intelsend_campaign(ctx, "filter-sms", channel="sms")
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    filters: list[tuple[dict[str, str], Callable[[dict[str, Any]], bool]]] = [
        ({"status": "DRAFT"}, lambda c: c["status"] == "DRAFT"),
        ({"channel": "sms"}, lambda c: "sms" in c["channel"]),
        ({"startDate": today}, lambda c: c["createdAt"][:10] >= today),
        ({"endDate": today}, lambda c: c["createdAt"][:10] <= today),
    ]
    for query, matches in filters:
        page = list_page(ctx, **query, limit=100)
        strays = [c["campaignId"] for c in page["result"] if not matches(c)]
        if strays:
            raise RuleBroken(f"list filtered by {query} also answered {strays}")
        if ctx.may_write and not any(c["name"] == ctx.name("filter-sms") for c in page["result"]):
            raise RuleBroken(f"list filtered by {query} misses the sms draft created today")


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
            "a built campaign sends",
            "build then send answer 200; changeLog reads DRAFT, BUILD, SENDING.",
            Needs.SEND,
            intelsend_built_campaign_sends,
        ),
        Rule(
            "list honours limit, page and meta.count",
            "Pages 1 and 2 at limit 2 hold what meta.count says, without overlap.",
            Needs.READ,
            intelsend_list_pages,
        ),
        Rule(
            "list filters return only matching campaigns",
            "status, channel, startDate and endDate each answer only campaigns that match.",
            Needs.READ,
            intelsend_list_filters,
        ),
    ],
}


def run_rules(api: Api, ctx: RuleContext, allowed: Needs) -> Iterator[RuleResult]:
    """Check every rule of `api` that `allowed` permits; skipped rules are not yielded."""
    for rule in RULES[api.name]:
        if rule.needs > allowed:
            continue
        result = RuleResult(name=rule.name, description=rule.description)
        started = time.perf_counter()
        try:
            rule.check(ctx)
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


def skipped_rules(api: Api, allowed: Needs) -> list[str]:
    return [rule.name for rule in RULES[api.name] if rule.needs > allowed]
