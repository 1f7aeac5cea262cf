"""What each API's own folder adds to the contract run, found through the registry.

Shared code of the contract suite names no API. Each API of `campaign_contracts.registry` may
have a package named after it here, `contract_tests/<name>/`, holding its part of the run:

- `rules.py`: its business rules, each a function registered with `@rule` (a `RuleBook`
  named `rule`, see `contract_tests.rules`);
- `checks.py`: its own Schemathesis checks (importing it registers them);
- `options.py`: `OPTIONS`, an `Options` with its command-line options and the advice it gives
  when the target refuses its credentials.

A new API adds its folder; nothing here or elsewhere in the suite changes.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, NoReturn

from campaign_contracts import registry
from contract_tests.rules import Rule, RuleBook

PACKAGE = "contract_tests"


class Options:
    """An API's own options of the contract run and its advice; these defaults add none."""

    # How the help of --allow-send says what a send is for this API (`run Engage campaigns`).
    sends: str | None = None

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the API's own options to the contract run's parser."""

    def check(self, args: argparse.Namespace, error: Callable[[str], NoReturn]) -> None:
        """Refuse, with `error(message)`, a combination of options that cannot run."""

    def sign_in_url(self, args: argparse.Namespace) -> str | None:
        """Where a live run signs in, if the options say (None: the document's server)."""
        return None

    def credential_mistake(self, credentials: Mapping[str, str]) -> str | None:
        """A mistake in the credentials that explains a refusal, when one is known."""
        return None


def part(api: str, name: str) -> ModuleType | None:
    """The module `contract_tests.<api>.<name>`, or None when the API has no such part."""
    module = f"{PACKAGE}.{api}.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name not in {module, f"{PACKAGE}.{api}"}:
            raise  # a part that exists but imports something missing
        return None


def rules_of(api: str) -> list[Rule]:
    """The business rules of `api`, in the order its rules.py registers them."""
    module = part(api, "rules")
    if module is None:
        return []
    book: RuleBook = module.rule
    return list(book.rules)


def options_of(api: str) -> Options:
    module = part(api, "options")
    found: Options = module.OPTIONS if module is not None else Options()
    return found


def case_assumptions(api: str, operation_id: str, case: Any) -> tuple[str, ...]:
    """What the API's own checks know a case rests on: `assumed(operation_id, case)` in its
    checks.py gives the `x-assumed` pointers of the answer the document expects for a case
    that OpenAPI cannot single out (Engage's get with neither `id` nor `name`)."""
    module = part(api, "checks")
    assumed: Callable[[str, Any], tuple[str, ...]] | None = getattr(module, "assumed", None)
    return assumed(operation_id, case) if assumed is not None else ()


def register_checks() -> None:
    """Import every API's own Schemathesis checks, which registers them."""
    for name in registry.APIS:
        part(name, "checks")
