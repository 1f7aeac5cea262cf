"""IntelSend's business rules (registered with `@rule`; see contract_tests.rules).

The vendor pages print no status codes at all: every status these rules expect is assumed
(`x-assumed` in openapi/intelsend.yaml), which each call finds in the document itself; a rule
declares (`assumes`) the assumed behaviour its own checks rest on: the list's filters, and
that a refused edit changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from contract_tests.rules import Needs, RuleBook, RuleContext, RuleNotRun, differences, example_body
from contract_tests.session import RuleBroken

rule = RuleBook()

# Pages this large find a campaign among hundreds in a few calls; no page is assumed to hold
# what a rule created, nor any order: each search goes through every page.
PAGE_LIMIT = 100
# However many campaigns `meta.count` claims, a search stops after this many pages.
MAX_PAGES = 50

# The x-assumed behaviour the rules rest on: an edit of a campaign no longer a draft is
# refused (and changes nothing), and each filter of the list (parameters 2 to 5).
EDIT_REFUSED = "/paths/~1api~1campaign/post/responses/409"
FILTERS = "/paths/~1api~1campaign/get/parameters/"


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


def find(ctx: RuleContext, name: str) -> dict[str, Any]:
    """The campaign this run created as `name` (names are unique to the run and the rule)."""
    for campaign in all_listed(ctx):
        if campaign["name"] == name:
            ctx.created_ids.add(str(campaign["campaignId"]))
            return campaign
    raise RuleBroken(f"the campaign created as {name!r} is on no page of the list")


def create_body(ctx: RuleContext, name: str, channel: str, contact_list: int) -> dict[str, Any]:
    """A one-channel create from the document's example, for one of its contact lists."""
    body = example_body(ctx.session, "createCampaign")
    return body | {
        "name": name,
        "channel": [channel],
        "settings": {channel: body["settings"][channel]},
        "contactListId": [body["contactListId"][contact_list]],
    }


def create_campaign(ctx: RuleContext, what: str, channel: str = "email") -> dict[str, Any]:
    """Create a one-channel draft and find it (create answers no id) in the list."""
    body = create_body(ctx, ctx.name(what), channel, 0)
    ctx.session.call("createCampaign", expect=200, body=body, why="create a campaign")
    return find(ctx, body["name"])


def changelog(campaign: dict[str, Any]) -> list[str]:
    return [entry["status"] for entry in campaign["changeLog"]]


def step(ctx: RuleContext, operation_id: str, campaign: dict[str, Any], why: str) -> None:
    ctx.session.call(operation_id, expect=200, path={"id": campaign["campaignId"]}, why=why)


def expect_appended(ctx: RuleContext, before: list[str], added: str, what: str) -> list[str]:
    after = changelog(find(ctx, what))
    if after != [*before, added]:
        raise RuleBroken(f"changeLog is {after} after the step, not {[*before, added]}")
    return after


def edit(ctx: RuleContext, campaign: dict[str, Any], what: str) -> dict[str, Any]:
    """A create naming `campaign`'s id that changes every field: name, channel, settings and
    contact list."""
    channel = "sms" if campaign["channel"] != ["sms"] else "email"
    body = create_body(ctx, ctx.name(what), channel, 1)
    return body | {"campaignId": campaign["campaignId"]}


def edit_refused(ctx: RuleContext, what: str, steps: tuple[str, ...]) -> None:
    campaign = create_campaign(ctx, what)
    for operation_id in steps:
        step(ctx, operation_id, campaign, f"{operation_id} before the edit")
    before = find(ctx, campaign["name"])
    ctx.session.call(
        "createCampaign",
        expect=409,
        body=edit(ctx, before, f"{what}-edited"),
        why=f"create with the id of a campaign in {before['status']}",
    )
    if (after := find(ctx, campaign["name"])) != before:
        raise RuleBroken(f"the refused edit changed the campaign: {before} became {after}")


@rule("send before build fails", Needs.SEND)
def send_before_build_fails(ctx: RuleContext) -> None:
    """Sending a draft answers 409."""
    campaign = create_campaign(ctx, "send-draft")
    ctx.session.call(
        "sendCampaign", expect=409, path={"id": campaign["campaignId"]}, why="send a draft"
    )


@rule("build twice fails", Needs.WRITE)
def build_twice_fails(ctx: RuleContext) -> None:
    """A second build answers 409."""
    campaign = create_campaign(ctx, "build-twice")
    step(ctx, "buildCampaign", campaign, "build a draft")
    ctx.session.call(
        "buildCampaign", expect=409, path={"id": campaign["campaignId"]}, why="build again"
    )


@rule("build after send fails", Needs.SEND)
def build_after_send_fails(ctx: RuleContext) -> None:
    """A build of a sent campaign answers 409."""
    campaign = create_campaign(ctx, "build-after-send")
    step(ctx, "buildCampaign", campaign, "build a draft")
    step(ctx, "sendCampaign", campaign, "send when built")
    ctx.session.call(
        "buildCampaign", expect=409, path={"id": campaign["campaignId"]}, why="build once sent"
    )


@rule("build appends BUILD to changeLog", Needs.WRITE)
def build_appends_to_changelog(ctx: RuleContext) -> None:
    """After build, changeLog is what it was plus BUILD."""
    campaign = create_campaign(ctx, "build-log")
    step(ctx, "buildCampaign", campaign, "build a draft")
    expect_appended(ctx, changelog(campaign), "BUILD", campaign["name"])


@rule("a built campaign sends", Needs.SEND)
def built_campaign_sends(ctx: RuleContext) -> None:
    """build then send answer 200; each appends its status (BUILD, SENDING) to changeLog."""
    campaign = create_campaign(ctx, "build-send")
    step(ctx, "buildCampaign", campaign, "build a draft")
    built = expect_appended(ctx, changelog(campaign), "BUILD", campaign["name"])
    step(ctx, "sendCampaign", campaign, "send when built")
    expect_appended(ctx, built, "SENDING", campaign["name"])


@rule("create with a draft's id updates it", Needs.WRITE)
def draft_edit_updates(ctx: RuleContext) -> None:
    """Name, channel, settings and contactListId all change to what was sent."""
    draft = create_campaign(ctx, "edit-draft")
    sent = edit(ctx, draft, "edited-draft")
    ctx.session.call("createCampaign", expect=200, body=sent, why="create with a draft's id")
    stored = find(ctx, sent["name"])
    shown = stored | {"contactListId": [entry["_id"] for entry in stored["contactListId"]]}
    if lost := differences(sent, shown):
        raise RuleBroken(f"the draft edited through create shows {lost} (sent, stored)")


@rule("a built campaign cannot be edited", Needs.WRITE, assumes=[EDIT_REFUSED])
def built_edit_refused(ctx: RuleContext) -> None:
    """Create with the id of a built campaign answers 409 and changes nothing."""
    edit_refused(ctx, "edit-built", ("buildCampaign",))


@rule("a sent campaign cannot be edited", Needs.SEND, assumes=[EDIT_REFUSED])
def sent_edit_refused(ctx: RuleContext) -> None:
    """Create with the id of a sent campaign answers 409 and changes nothing."""
    edit_refused(ctx, "edit-sent", ("buildCampaign", "sendCampaign"))


@rule("list honours limit, page and meta.count", Needs.READ)
def list_pages(ctx: RuleContext) -> None:
    """Pages 1 and 2 at limit 2 hold what meta.count says, without overlap."""
    if ctx.may_write:
        for number in range(3):
            create_campaign(ctx, f"page-{number}")
    limit = 2
    first, second = (list_page(ctx, page=page, limit=limit) for page in (1, 2))
    count = first["meta"]["count"]
    if count <= limit and ctx.may_write:
        raise RuleBroken(f"meta.count is {count}, though this run has just created 3 campaigns")
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


Matches = Callable[[dict[str, Any], str], bool]


def filter_rule(
    parameter: str, index: int, values: Callable[[], list[str]], matches: Matches
) -> None:
    """Register the rule that the list's `parameter` filter (its parameter `index`) answers
    only the campaigns that match (`matches(campaign, value)`) for each of `values()`."""

    def check(ctx: RuleContext) -> None:
        own = own_campaigns(ctx, parameter)
        seen = 0
        for value in values():
            query = {parameter: value}
            answered = {c["campaignId"]: c for c in all_listed(ctx, **query)}
            seen += len(answered)
            if strays := [i for i, c in answered.items() if not matches(c, value)]:
                raise RuleBroken(f"list filtered by {query} also answered {strays}")
            for campaign in own:
                if matches(campaign, value) and campaign["campaignId"] not in answered:
                    raise RuleBroken(f"list filtered by {query} misses {campaign['name']!r}")
        if not seen:
            raise RuleNotRun("the account lists no campaign, and a read-only run cannot make one")

    check.__doc__ = (
        f"The list filtered by {parameter} answers only campaigns that match, on every page, "
        "and the run's own that match (a draft and a built one)."
    )
    name = f"list filter {parameter} answers only matching campaigns"
    rule(name, Needs.READ, assumes=[f"{FILTERS}{index}"])(check)


def own_campaigns(ctx: RuleContext, parameter: str) -> list[dict[str, Any]]:
    """With writes: two campaigns of the run to filter on, an SMS draft and a built email,
    named after the filter (names find campaigns: each rule its own)."""
    if not ctx.may_write:
        return []
    draft = create_campaign(ctx, f"filter-{parameter}-sms", channel="sms")
    built = create_campaign(ctx, f"filter-{parameter}-built", channel="email")
    step(ctx, "buildCampaign", built, "build a campaign to filter on")
    return [draft, find(ctx, built["name"])]


def day(offset: int) -> str:
    """Today (UTC) plus `offset` days, as the date filters take it."""
    return (
        datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=offset)
    ).isoformat()


def created(campaign: dict[str, Any]) -> str:
    return str(campaign["createdAt"])[:10]


filter_rule("status", 2, lambda: ["DRAFT", "BUILD"], lambda c, value: c["status"] == value)
filter_rule("channel", 3, lambda: ["sms", "email"], lambda c, value: value in c["channel"])
filter_rule("startDate", 4, lambda: [day(0), day(1)], lambda c, value: created(c) >= value)
filter_rule("endDate", 5, lambda: [day(0), day(-1)], lambda c, value: created(c) <= value)
