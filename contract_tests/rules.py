"""Business rules the vendor docs state and Schemathesis cannot know, as explicit scenarios.

They run after the Schemathesis phases, against the same target with the same credentials.
Each rule is one JUnit test case. The rules of an API live in its own folder,
`contract_tests/<api>/rules.py`, each a function registered there with `@rule`:

    rule = RuleBook()

    @rule("build twice fails", Needs.WRITE, assumes=["/paths/~1api~1campaign~1{id}~1build/..."])
    def build_twice_fails(ctx: RuleContext) -> None:
        \"\"\"A second build answers 409.\"\"\"   # the description every report shows

A rule runs only where the run's policy allows every request it makes (`needs`): the list
rules only read (and create their own fixtures when writes are allowed), the lifecycle rules
write, and those that run or send a campaign need `--allow-send`. `assumes` names the JSON
pointers of the `x-assumed` parts of the document the rule rests on (a test checks each one
exists and is marked). Whatever a rule creates is named with the run's prefix and recorded for
the cleanup, which runs even when a rule fails.
"""

from __future__ import annotations

import copy
import inspect
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import httpx

from contract_tests.assumptions import advice
from contract_tests.results import RuleResult
from contract_tests.session import AnswerBroken, ApiSession, RuleBroken


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


Check = Callable[[RuleContext], None]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    needs: Needs
    check: Check
    # JSON pointers of the `x-assumed` parts of the document the rule rests on.
    assumes: tuple[str, ...] = ()


class RuleBook:
    """The rules of one API, in the order they run; the book is the `@rule` decorator."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def __call__(
        self, name: str, needs: Needs, *, assumes: Iterable[str] = ()
    ) -> Callable[[Check], Check]:
        def register(check: Check) -> Check:
            description = inspect.getdoc(check)
            if not description:
                raise TypeError(f"rule {name!r}: its docstring is its description; it has none")
            self.rules.append(Rule(name, description, needs, check, tuple(assumes)))
            return check

        return register


class ExampleOutdated(ValueError):
    """The document requires a field its own example lacks: the rule cannot build a request.
    An error of the run (exit 2, not verified), not a broken contract."""


class RuleNotRun(Exception):
    """The rule cannot be checked with what the run may do; the message says why."""


def example_body(session: ApiSession, operation_id: str) -> dict[str, Any]:
    """The document's own request example (`vendorDocs`), the vendor's own; rules replace only
    the fields they name. Built from the example rather than a body of our own, so a field the
    document gains as optional changes nothing; one it gains as required, which the example
    lacks, is said as such (`nox -s changes` names the example first)."""
    body_of = session.document.operations[operation_id].request_body
    media = body_of.json if body_of is not None else None
    if media is None or "vendorDocs" not in media.examples:
        raise ExampleOutdated(f"{operation_id}: the document has no request example `vendorDocs`")
    body: dict[str, Any] = copy.deepcopy(media.examples["vendorDocs"])
    required = (media.schema or {}).get("required", [])
    missing = [name for name in required if name not in body]
    if missing:
        raise ExampleOutdated(
            f"{operation_id}: the document requires {', '.join(missing)} in the request body, "
            "which its example `vendorDocs` lacks; add it there (the rules send that example)"
        )
    return body


def differences(sent: dict[str, Any], stored: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (sent, stored) for each field sent that the campaign does not show."""
    return {
        key: (value, stored.get(key)) for key, value in sent.items() if stored.get(key) != value
    }


def run_rules(rules: Iterable[Rule], ctx: RuleContext, allowed: Needs) -> Iterator[RuleResult]:
    """Check every rule that `allowed` permits, one at a time; skipped rules are not yielded.
    Every rule of a run is checked here, and only here."""
    for rule in rules:
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
            if rule.assumes and not isinstance(broken, AnswerBroken):
                # What the rule itself found wrong: the behaviour it rests on was assumed.
                broken = RuleBroken(
                    f"{broken}; {advice(rule.assumes, 'behaves otherwise')}",
                    broken.request,
                    broken.kind,
                    rule.assumes,
                )
                result.failure = str(broken)
            result.kind = broken.kind
            result.assumed = broken.assumed
            last = ctx.session.last
            result.request = broken.request or (ctx.session.curl(last) if last else "")
        except (httpx.HTTPError, OSError, KeyError, TypeError, ValueError) as error:
            # Transport errors, and answers too malformed to read, say nothing about the rule.
            result.error = f"{type(error).__name__}: {error}"
        result.elapsed = time.perf_counter() - started
        yield result


def skipped_rules(rules: Iterable[Rule], allowed: Needs) -> list[str]:
    return [rule.name for rule in rules if rule.needs > allowed]
