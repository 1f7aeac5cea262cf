"""A vendor that contradicts what the document assumed (`x-assumed`) gets `assumption`
findings naming the assumed parts, and no `breaking` one: the document is to fix, not the
vendor. Each kind of assumed element once: a status, a parameter's effect, a body, a rule's
behaviour. (A vendor that breaks a documented element still gets `breaking`:
test_findings.py.)"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.sandbox.errors import InvalidTransition
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend, ListQuery
from tests.support.breakages import edited_though_built, no_request_change, unchanged
from tests.support.contract_harness import Verdict, run_against_variant
from tests.support.stand_in_vendor import Exchange

CREATE_SAVED = "/paths/~1api~1campaign/post/responses/200"
STATUS_FILTER = "/paths/~1api~1campaign/get/parameters/2"
NOT_FOUND = "/components/responses/NotFound"
EDIT_REFUSED = "/paths/~1api~1campaign/post/responses/409"


def assumptions(verdict: Verdict) -> dict[str, list[str]]:
    """check (or `rule: <name>`) -> the pointers it names, for each finding; none breaking."""
    kinds = {f["kind"] for f in verdict.findings}
    assert kinds == {"assumption"}, verdict.output
    return {
        f["check"] if f["rule"] is None else f"rule: {f['rule']}": f["assumed"]
        for f in verdict.findings
    }


def created_answers_201(exchange: Exchange) -> None:
    """IntelSend's create answers 201, not the assumed 200 (the body is the vendor's)."""
    if (exchange.method, exchange.path, exchange.status) == ("POST", "/api/campaign", 200):
        exchange.status = 201


def not_found_in_other_words(exchange: Exchange) -> None:
    """IntelSend's 404 comes with a body of its own, not the assumed Error."""
    if exchange.path.startswith("/api/campaign") and exchange.status == 404:
        exchange.answer(404, {"error": "no such campaign"})


ORIGINAL_PAGE = IntelSendBackend.page


def status_filter_ignored(self: IntelSendBackend, user: str, query: ListQuery) -> Any:
    """The list answers every campaign whatever `status` asks for."""
    return ORIGINAL_PAGE(self, user, replace(query, status=None))


ORIGINAL_SAVE = IntelSendBackend.save


def refused_edit_applied(self: IntelSendBackend, user: str, request: dict[str, Any]) -> Any:
    """The edit of a built campaign answers 409, as assumed, but changes its name all the same."""
    campaign = edited_though_built(self, user, request)
    if campaign is None:
        return ORIGINAL_SAVE(self, user, request)
    raise InvalidTransition(f"Campaign '{request['campaignId']}' is {campaign['status']}")


def test_an_assumed_status(tmp_path: Path) -> None:
    verdict = run_against_variant("intelsend", created_answers_201, no_request_change, tmp_path)

    assert verdict.exit_code == 1  # the clients are generated from the assumption
    found = assumptions(verdict)
    assert found["status_code_conformance"] == [CREATE_SAVED]
    assert found["rule: create with a draft's id updates it"] == [CREATE_SAVED]
    assert "ASSUMPTION POST /api/campaign: status_code_conformance" in verdict.output
    assert "fix the document (see `nox -s evidence`)" in json.dumps(verdict.findings)


def test_an_assumed_body(tmp_path: Path) -> None:
    verdict = run_against_variant(
        "intelsend", not_found_in_other_words, no_request_change, tmp_path
    )

    found = assumptions(verdict)
    assert found
    assert all(NOT_FOUND in pointers for pointers in found.values()), found


def test_an_assumed_parameter_effect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IntelSendBackend, "page", status_filter_ignored)
    verdict = run_against_variant("intelsend", unchanged, no_request_change, tmp_path)

    assert assumptions(verdict) == {
        "rule: list filter status answers only matching campaigns": [STATUS_FILTER]
    }


def test_an_assumed_rule_behaviour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(IntelSendBackend, "save", refused_edit_applied)
    verdict = run_against_variant("intelsend", unchanged, no_request_change, tmp_path)

    assert assumptions(verdict) == {
        "rule: a built campaign cannot be edited": [EDIT_REFUSED],
        "rule: a sent campaign cannot be edited": [EDIT_REFUSED],
    }
