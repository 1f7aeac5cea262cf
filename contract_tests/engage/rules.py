"""Engage's business rules (registered with `@rule`; see contract_tests.rules)."""

from __future__ import annotations

from typing import Any

from contract_tests.rules import Needs, RuleBook, RuleContext, RuleNotRun, differences, example_body
from contract_tests.session import RuleBroken

rule = RuleBook()


def create_campaign(ctx: RuleContext, what: str, **fields: str) -> str:
    body = example_body(ctx.session, "createCampaign") | {"campaignName": ctx.name(what)}
    created = ctx.session.call(
        "createCampaign", expect=201, body=body | fields, why="create a campaign"
    )
    campaign_id = str(created["_id"])
    ctx.created_ids.add(campaign_id)
    return campaign_id


def get_campaign(ctx: RuleContext, campaign_id: str, why: str) -> dict[str, Any]:
    found: dict[str, Any] = ctx.session.call(
        "getCampaign", expect=200, query={"id": campaign_id}, why=why
    )
    if found.get("_id") != campaign_id:
        raise RuleBroken(f"{why}: get ?id={campaign_id} answered campaign {found.get('_id')}")
    return found


def action(ctx: RuleContext, campaign_id: str, name: str, expect: int, why: str) -> Any:
    """POST the action `name` (publish, run) to the campaign's action endpoint; its answer."""
    return ctx.session.call(
        "campaignAction", expect=expect, path={"id": campaign_id}, body={"action": name}, why=why
    )


def listing(ctx: RuleContext, operation_id: str = "listCampaigns") -> list[dict[str, Any]]:
    listed = ctx.session.call(operation_id, expect=200, why=f"{operation_id}")
    return listed if isinstance(listed, list) else [listed]


@rule("run before publish fails", Needs.SEND)
def run_before_publish_fails(ctx: RuleContext) -> None:
    """Running a draft answers the documented 500."""
    campaign_id = create_campaign(ctx, "draft-run")
    why = "running a draft (unpublished) campaign must fail with the documented 500"
    action(ctx, campaign_id, "run", 500, why)


@rule("a published campaign runs", Needs.SEND)
def published_campaign_runs(ctx: RuleContext) -> None:
    """create, publish, run: each answers 200 true."""
    campaign_id = create_campaign(ctx, "published-run")
    for name in ("publish", "run"):
        why = f"{name} after create{' and publish' if name == 'run' else ''}"
        answer = action(ctx, campaign_id, name, 200, why)
        if answer is not True:
            raise RuleBroken(f"{name} answered {answer!r}, not true")


@rule("publish makes a campaign active", Needs.WRITE)
def publish_activates(ctx: RuleContext) -> None:
    """After publish, a get shows active 1."""
    campaign_id = create_campaign(ctx, "published")
    action(ctx, campaign_id, "publish", 200, "publish a draft")
    active = get_campaign(ctx, campaign_id, "get after publish").get("active")
    if active != 1:
        raise RuleBroken(f"publish answered true, but the campaign's active is {active!r}, not 1")


@rule("create keeps every field", Needs.WRITE)
def create_keeps_fields(ctx: RuleContext) -> None:
    """The create answer and a get after it show each field create was given."""
    sent = example_body(ctx.session, "createCampaign") | {
        "campaignName": ctx.name("all-fields"),
        "campaignDescription": "created by the contract run",
    }
    created = ctx.session.call("createCampaign", expect=201, body=sent, why="create")
    campaign_id = str(created["_id"])
    ctx.created_ids.add(campaign_id)
    for what, campaign in (
        ("the create answer", created),
        ("get after create", get_campaign(ctx, campaign_id, "get after create")),
    ):
        if lost := differences(sent, campaign):
            raise RuleBroken(f"{what} does not keep what create was given: {lost}")


@rule("an update persists", Needs.WRITE)
def update_persists(ctx: RuleContext) -> None:
    """A get after the PUT shows every field sent."""
    campaign_id = create_campaign(ctx, "update")
    sent = {
        "campaignName": ctx.name("updated"),
        "flowId": "5d24c0e64886e81bb4cbf069",
        "callerIdentification": "+13122735567",
        "campaignDescription": "updated by the contract run",
    }
    ctx.session.call(
        "updateCampaign", expect=200, path={"id": campaign_id}, body=sent, why="update"
    )
    if lost := differences(sent, get_campaign(ctx, campaign_id, "get after update")):
        raise RuleBroken(f"update answered 200, but a get after it shows {lost} (sent, stored)")


@rule("get by id answers that campaign", Needs.WRITE)
def get_by_id_among_several(ctx: RuleContext) -> None:
    """Among several campaigns, get ?id= answers the one with that id."""
    names = [ctx.name(f"by-id-{number}") for number in range(3)]
    ids = [create_campaign(ctx, f"by-id-{number}") for number in range(3)]
    for campaign_id, name in zip(ids, names, strict=True):
        found = get_campaign(ctx, campaign_id, "get by id among several campaigns")
        if found.get("campaignName") != name:
            raise RuleBroken(f"get ?id={campaign_id} answered {found.get('campaignName')!r}")


@rule("a deleted campaign is gone", Needs.WRITE)
def deleted_campaign_is_gone(ctx: RuleContext) -> None:
    """After delete (202), get by id and a second delete answer 404 and the list omits it."""
    campaign_id = create_campaign(ctx, "deleted")
    ctx.session.call("deleteCampaign", expect=202, path={"id": campaign_id}, why="delete")
    ctx.session.call(
        "getCampaign", expect=404, query={"id": campaign_id}, why="get by id after delete"
    )
    if any(campaign.get("_id") == campaign_id for campaign in listing(ctx)):
        raise RuleBroken(f"the deleted campaign {campaign_id} is still listed")
    ctx.session.call("deleteCampaign", expect=404, path={"id": campaign_id}, why="delete again")


@rule("get by name finds the campaign", Needs.WRITE)
def get_by_name_matches(ctx: RuleContext) -> None:
    """getCampaign ?name= answers the campaign with that name."""
    campaign_id = create_campaign(ctx, "found-by-name")
    found = ctx.session.call(
        "getCampaign",
        expect=200,
        query={"name": ctx.name("found-by-name")},
        why="get by the exact name of a campaign just created",
    )
    if found.get("_id") != campaign_id:
        raise RuleBroken(f"get by name answered campaign {found.get('_id')}, not {campaign_id}")


@rule("errors lists only campaigns in error", Needs.READ)
def errors_lists_errors_only(ctx: RuleContext) -> None:
    """Every campaign listCampaignErrors answers has the status Error (a new draft none)."""
    own = create_campaign(ctx, "not-in-error") if ctx.may_write else None
    errors = listing(ctx, "listCampaignErrors")
    if strays := [c.get("_id") for c in errors if c.get("status") != "Error"]:
        raise RuleBroken(f"the errors list holds campaigns whose status is not Error: {strays}")
    if own is None and not errors:
        raise RuleNotRun("no campaign is in error and a read-only run cannot make a draft")


@rule("a name under four characters is refused", Needs.READ)
def short_name_is_refused(ctx: RuleContext) -> None:
    """getCampaign ?name= of three characters answers 422."""
    ctx.session.call(
        "getCampaign",
        expect=422,
        query={"name": "abc"},
        why="get by a name of three characters (four at least)",
    )
