"""The business rules as their vendor folders register them: each has its description in its
docstring, and each JSON pointer it declares to rest on is an `x-assumed` part of its
document (a rename in the document fails here, not in a misleading verdict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign_contracts.documents import DocumentError
from contract_tests.apis import APIS
from contract_tests.rules import Needs, RuleBook, RuleContext
from contract_tests.vendors import rules_of

ASSUMED = {"x-assumed", "x-assumed-values"}


@pytest.mark.parametrize("api", sorted(APIS))
def test_every_declared_assumption_is_an_assumed_part_of_the_document(api: str) -> None:
    document = APIS[api].load()
    assumed = {marker.pointer for marker in document.markers if marker.kind in ASSUMED}
    rules = rules_of(api)
    assert rules, f"{api} registers no rule"
    for rule in rules:
        assert rule.description, rule.name
        for pointer in rule.assumes:
            document.node_at(pointer)  # DocumentError: points nowhere
            assert pointer in assumed, f"{rule.name}: {pointer} carries no x-assumed"


def test_a_pointer_that_points_nowhere_is_caught() -> None:
    document = APIS["engage"].load()
    with pytest.raises(DocumentError, match="points nowhere"):
        document.node_at("/paths/~1_rest~1v2~1campaigns~1/get/responses/418")


def test_the_docstring_is_the_description() -> None:
    rule = RuleBook()

    @rule("a rule", Needs.READ, assumes=["/a"])
    def check(ctx: RuleContext) -> None:
        """What it checks,
        over two lines."""

    (registered,) = rule.rules
    assert (registered.name, registered.description, registered.assumes) == (
        "a rule",
        "What it checks,\nover two lines.",
        ("/a",),
    )
    assert registered.check is check


def test_a_rule_without_a_docstring_is_refused() -> None:
    rule = RuleBook()
    with pytest.raises(TypeError, match="docstring"):
        rule("undescribed", Needs.READ)(lambda ctx: None)


def test_the_rule_table_of_the_docs_is_the_registry() -> None:
    """docs/reference/contract.md lists each rule with its docstring, needs and pointers."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "contract.md").read_text()
    for api in sorted(APIS):
        for rule in rules_of(api):
            description = " ".join(rule.description.split())
            pointers = ", ".join(f"`{pointer}`" for pointer in rule.assumes) or "-"
            row = (
                f"| {api} | {rule.name} | {description} | {rule.needs.name.lower()} | {pointers} |"
            )
            assert row in page, row
