"""The Schemathesis adapter: every internal of Schemathesis the contract suite uses, in one place.

The suite uses Schemathesis's public API wherever it offers one (`schemathesis.openapi`,
`schemathesis.checks`, `schemathesis.config.SchemathesisConfig`, `schemathesis.errors`,
`schemathesis.Case` / `Response` / `BaseSchema` / `HookContext`). What it offers no public way
to do is imported here, and only here, each with why. pyproject.toml pins Schemathesis to one
release because these move between releases; after a bump, this file is what to check.
"""

from __future__ import annotations

# The keys Schemathesis masks in failure reports by default: the suite adds IntelSend's
# `x-user-id` to them, and `output.sanitization.keys-to-sanitize` replaces the list instead of
# extending it.
from schemathesis.config._output import DEFAULT_KEYS_TO_SANITIZE

# Parses and validates a `--rate-limit` value ("5/s") the way the engine will, so a bad value
# is a one-line usage error before anything starts.
from schemathesis.config._rate_limit import build_limiter

# The failure a custom check raises with its own title and message; `schemathesis.checks`
# re-exports it but does not declare it public.
from schemathesis.core.failures import CustomFailure

# Waits on the engine's own limiter before the suite's own requests (rules, probes, cleanup),
# so a run's rate is one budget.
from schemathesis.core.rate_limit import ratelimit

# The Python engine: its event stream carries each case, its response and each check's verdict
# (contract_tests/verify.py says why it is driven from Python rather than `st run`); 4.x
# documents no public runner API.
from schemathesis.engine import Status, events, from_schema

# What a finished scenario recorded (its cases and their checks), read from its event.
from schemathesis.engine.recorder import ScenarioRecorder

# The built-in check that the suite's per-operation replacements (contract_tests/checks.py)
# call; `schemathesis.checks` offers it only through an untyped module `__getattr__`.
from schemathesis.specs.openapi.checks import positive_data_acceptance

__all__ = [
    "DEFAULT_KEYS_TO_SANITIZE",
    "CustomFailure",
    "ScenarioRecorder",
    "Status",
    "build_limiter",
    "events",
    "from_schema",
    "positive_data_acceptance",
    "ratelimit",
]
