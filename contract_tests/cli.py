"""`python -m contract_tests`: verify the sandbox, or a live endpoint, against openapi/.

Exit codes (`--help` lists them too): 0 the contract is kept, 1 it is broken (a `breaking`,
`security` or `sandbox` finding; a `lenient` one with --strict), 2 the run could not be made
(bad arguments, missing credentials, a malformed document, an unreachable target or one that
does not serve the API, rejected credentials, an error that stopped an operation's tests, a
failed cleanup). Each comes with a one-line reason, which the reports carry too.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import secrets
import socket
import ssl
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from schemathesis.config import ConfigError

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser, http_url, positive_int
from campaign_contracts.documents import DocumentError
from campaign_contracts.recording.origins import Origin
from contract_tests import config, recording, verify, weather
from contract_tests.adapter import build_limiter
from contract_tests.apis import APIS, ContractApi, Credentials
from contract_tests.cleanup import clean_up
from contract_tests.coverage import (
    drive_unobserved,
    merge_session_observations,
    record_sandbox_failures,
)
from contract_tests.reports import (
    Redactor,
    RunOutcome,
    console_summary,
    forget_stale_reports,
    write_reports,
)
from contract_tests.results import ApiResult, ExitCode, exit_code
from contract_tests.rules import Needs, RuleContext, run_rules, skipped_rules
from contract_tests.safety import Policy, RunGuard
from contract_tests.session import ApiSession, RequestParts, SignInOptions
from contract_tests.signin import SignInFailed, register_provider
from contract_tests.target import SandboxDidNotStart, sandbox_process
from contract_tests.vendors import options_of, rules_of

LIVE_RATE_LIMIT = "5/s"
DEFAULT_REPORT_DIR = Path("reports/contract")
# The seed of a run that names none: runs of the same code against the same target send the
# same cases and reach the same verdict.
DEFAULT_SEED = 0
# The credentials a sandbox started without options accepts (`campaign-sandbox --help`),
# Engage's static token among them: for what calls Schemathesis without a run (benchmarks).
SANDBOX_TOKEN_CREDENTIALS = {
    credential.variable: credential.sandbox_default
    for api in APIS.values()
    for credential in api.entry.credentials
}
# What a sandbox run uses: it signs in where an API can, as a live run with a login does.
SANDBOX_CREDENTIALS = {
    credential.variable: credential.sandbox_default
    for api in APIS.values()
    for credential in api.run_credentials(sign_in=True)
}
AUTH_REJECTED = frozenset({401, 403})
# Answers to the list operation that say the path is not served at all.
NOT_SERVED = frozenset({404, 405})
VERDICTS = {
    ExitCode.KEPT: "Contract kept.",
    ExitCode.BROKEN: "Contract BROKEN",
    ExitCode.COULD_NOT_RUN: "Contract NOT verified",
}
EXIT_CODES = """\
exit codes:
  0  contract kept
  1  contract broken: a breaking, security or sandbox finding (a lenient one with --strict)
  2  not verified: bad arguments, a missing credential variable, an unreachable target or one
     that does not serve the API, rejected credentials, an error that stopped the run, a
     failed cleanup
"""


class CouldNotRun(Exception):
    """The run cannot be made; the message is the one line the user sees."""


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    # A mistake in the arguments is one line and exit 2 (ExitCode.COULD_NOT_RUN), as for
    # every command of the project.
    parser = ArgumentParser(
        prog="python -m contract_tests",
        name="contract",
        description="Verify that the sandbox (default) or a live endpoint keeps the contract "
        "in openapi/. Live credentials come only from the environment: "
        + "; ".join(
            " and ".join(c.variable for c in api.run_credentials(sign_in=True))
            + (f" (or {api.sign_in.token})" if api.sign_in else "")
            for api in APIS.values()
        )
        + ".",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--api", choices=[*APIS, "all"], default="all")
    parser.add_argument(
        "--base-url",
        type=http_url,
        help="a live endpoint (scheme, host, port); without it the sandbox is started locally",
    )
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="live only: also call operations that create or change campaigns (GET only without)",
    )
    parser.add_argument(
        "--allow-send",
        action="store_true",
        help="live only, with --allow-writes: also "
        + " and ".join(sends for api in APIS if (sends := options_of(api).sends)),
    )
    parser.add_argument(
        "--rate-limit",
        type=validate_rate_limit,
        help=f"requests per time unit, N/s, N/m or N/h (live default {LIVE_RATE_LIMIT})",
    )
    for api in APIS:
        options_of(api).add_arguments(parser)
    parser.add_argument(
        "--request-timeout",
        type=positive_seconds,
        default=weather.DEFAULT_REQUEST_TIMEOUT,
        help="seconds to wait for each answer (default %(default)g); live, a GET that times "
        "out is sent once more",
    )
    parser.add_argument(
        "--max-retry-after",
        type=positive_seconds,
        default=weather.DEFAULT_MAX_RETRY_AFTER,
        help="live: on a 429, wait as its Retry-After says, at most this long (default "
        "%(default)g s), then send the request again",
    )
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR)
    parser.add_argument("--profile", choices=sorted(config.PROFILES), default="default")
    parser.add_argument(
        "--seed",
        type=seed_option,
        default=DEFAULT_SEED,
        help="the seed of every random choice of Schemathesis and Hypothesis (default "
        "%(default)s: every run sends the same cases); `random` picks one, printed, to explore",
    )
    parser.add_argument("--max-examples", type=positive_int)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="lenient findings (the vendor accepts what the document rejects) fail the run "
        "too; always on against the sandbox, which must be exact",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.base_url is None and (args.allow_writes or args.allow_send):
        parser.error("--allow-writes and --allow-send apply to --base-url runs only")
    if args.allow_send and not args.allow_writes:
        parser.error("--allow-send needs --allow-writes")
    for api in APIS:
        options_of(api).check(args, parser.error)
    return args


def validate_rate_limit(value: str) -> str:
    # `0/s` would pass Schemathesis' parser and then fail an assert of its rate limiter.
    if value.partition("/")[0].strip().strip("0") == "":
        raise argparse.ArgumentTypeError(f"{value}: the number of requests must be at least 1")
    try:
        build_limiter(value)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def seed_option(value: str) -> int:
    """`--seed`: a whole number, or `random` for a new one (printed, so the run can be repeated)."""
    if value == "random":
        return secrets.randbelow(2**32)
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is neither a whole number nor random"
        ) from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return seed


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds < math.inf:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of seconds")
    return seconds


@dataclass(frozen=True)
class Target:
    """Where the run goes, with what, and what it may do there."""

    base_url: str
    credentials: Credentials
    allowed: Needs
    rate_limit: str | None
    is_sandbox: bool
    # Lenient findings fail the run too: always against the sandbox, which is ours.
    strict: bool = False
    # The in-process app to call instead of `base_url` (the drift tests); None: real HTTP.
    app: Any = None
    # Where each API that signs in does so; none: on `base_url` (the sandbox serves it).
    sign_in_base_urls: Mapping[str, str] = field(default_factory=dict)
    # Every value to mask in output and reports: the credentials, then each token signed in.
    secrets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.secrets.extend(v for v in secret_values(self.credentials) if v not in self.secrets)


# A username is no secret, and the sandbox's (`sandbox`) is a word the run's own messages use.
USERNAME_VARIABLES = frozenset(
    api.sign_in.username.variable for api in APIS.values() if api.sign_in is not None
)


def secret_values(credentials: Credentials) -> list[str]:
    """The credential values to mask: all of them but sign-in usernames."""
    return [value for name, value in credentials.items() if name not in USERNAME_VARIABLES]


def live_credentials(apis: list[ContractApi]) -> dict[str, str]:
    """The credentials of each API from the environment: a login where the API can sign in and
    either of its variables is set (a token would stop working when it expires), else its
    token. A login needs both its variables."""
    credentials = {}
    for api in apis:
        sign_in = api.sign_in is not None and any(os.environ.get(v) for v in api.sign_in.variables)
        for credential in api.run_credentials(sign_in):
            name = credential.variable
            value = os.environ.get(name)
            if not value:
                together = (
                    f" (sign-in takes {' and '.join(api.sign_in.variables)})"
                    if (sign_in and api.sign_in is not None)
                    else ""
                )
                raise CouldNotRun(
                    f"{name} is not set: live {api.name} credentials come from it{together}"
                )
            credentials[name] = value
    return credentials


def used_variables(api: ContractApi, credentials: Credentials) -> list[str]:
    """The credential variables a run of `api` with `credentials` reads, for messages."""
    return [c.variable for c in api.run_credentials(api.signs_in(credentials))]


@contextmanager
def sandbox_target(
    rate_limit: str | None, secrets: list[str], apis: Sequence[ContractApi]
) -> Iterator[Target]:
    with sandbox_process([api.name for api in apis]) as base_url:
        yield Target(
            base_url=base_url,
            credentials=SANDBOX_CREDENTIALS,
            allowed=Needs.SEND,
            rate_limit=rate_limit,
            is_sandbox=True,
            strict=True,
            secrets=secrets,
        )


def probe(session: ApiSession, target: Target) -> None:
    """Fail fast, with one line, when the target is unreachable or rejects the credentials."""
    api = session.api
    if session.sign_in is not None:
        try:
            session.sign_in.token()
        except httpx.HTTPError as error:
            where = target.sign_in_base_urls.get(api.name, target.base_url)
            raise CouldNotRun(
                f"{api.name}: cannot reach the sign-in at {where}: {unreachable_reason(error)}"
            ) from None
        except SignInFailed as error:
            variables = ", ".join(used_variables(api, target.credentials))
            raise CouldNotRun(f"{api.name}: {error}; check {variables}") from None
    listing = api.entry.list_operation
    checks: list[tuple[str, RequestParts]] = [(listing, {})]
    write_probe = api.entry.write_probe
    if write_probe is not None and target.allowed >= Needs.WRITE:
        checks.append((write_probe, {"path": {"id": "contract-probe-unknown"}}))
    for operation_id, request in checks:
        try:
            response = session.request(operation_id, **request)
        except weather.StillRateLimited as error:
            raise CouldNotRun(
                f"{api.name}: {target.base_url} is {error}: a lower --rate-limit may help"
            ) from None
        except httpx.HTTPError as error:
            raise CouldNotRun(
                f"{api.name}: cannot reach {target.base_url}: {unreachable_reason(error)}"
            ) from None
        if response.status_code in AUTH_REJECTED:
            variables = ", ".join(used_variables(api, target.credentials))
            advice = options_of(api.name).credential_mistake(target.credentials)
            raise CouldNotRun(
                f"{api.name}: {target.base_url} rejected the credentials "
                f"(HTTP {response.status_code} to {operation_id}); "
                f"{advice or f'check {variables}'}"
            )
        if operation_id == listing and not serves_the_api(response):
            # A wrong --base-url (another service, a web page) would otherwise fail every
            # check and read as a broken contract.
            content_type = response.headers.get("content-type", "no Content-Type")
            raise CouldNotRun(
                f"{api.name}: {target.base_url} does not look like the {api.name} API: "
                f"{response.request.method} {response.request.url.path} answered HTTP "
                f"{response.status_code} ({content_type}); check --base-url"
            )


def unreachable_reason(error: httpx.HTTPError) -> str:
    """Why a request got no answer, in words: httpx says `ConnectError` for all of these."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed ({cause.reason or cause}): is it https? is its certificate valid?"
        if isinstance(cause, socket.gaierror):
            return f"DNS: the host name does not resolve ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused: nothing listens on that port (a server down?)"
        if isinstance(cause, httpx.TimeoutException):
            return f"timed out ({type(cause).__name__})"
        cause = cause.__cause__ or cause.__context__
    return f"{type(error).__name__}: {error}"


def serves_the_api(response: httpx.Response) -> bool:
    """Whether the list operation's path exists on the target and answers JSON."""
    content_type = response.headers.get("content-type", "")
    return response.status_code not in NOT_SERVED and "json" in content_type.lower()


def verify_api(
    api: ContractApi,
    target: Target,
    args: argparse.Namespace,
    run_id: str,
    progress: verify.Progress,
) -> ApiResult:
    """Schemathesis phases, business rules, coverage, then cleanup whatever happened."""
    prefix = f"contract-test-{run_id}-"
    guard = RunGuard(
        api,
        Policy(
            allow_writes=target.allowed >= Needs.WRITE,
            allow_send=target.allowed >= Needs.SEND,
            protect_foreign_campaigns=not target.is_sandbox,
            name_prefix=prefix,
            fuzz_sign_in=target.is_sandbox,
        ),
    )
    settings = config.RunSettings(
        base_url=target.base_url,
        credentials=target.credentials,
        profile=config.PROFILES[args.profile],
        seed=args.seed,
        max_examples=args.max_examples,
        rate_limit=target.rate_limit,
        allow_writes=guard.policy.allow_writes,
        request_timeout=args.request_timeout,
    )
    schema = verify.load_schema(config.build(api, settings), guard, app=target.app)
    # Live vendors have weather: 429s, slow answers, dropped connections (contract_tests.weather).
    weathered = None if target.is_sandbox else weather.Weather(args.max_retry_after)
    # From here on, every exchange of the run goes into reports/contract/<api>.har.
    recorded = recording.RunRecording(
        api.name,
        args.report_dir,
        api.auth_headers(target.credentials),
        weather=weathered,
    )
    session = ApiSession(
        api,
        api.load_spec(),
        target.base_url,
        target.credentials,
        schema.config.rate_limit,
        transport=recorded.transport,
        sign_in_options=SignInOptions(
            target.sign_in_base_urls.get(api.name), target.secrets.append
        ),
        timeout=args.request_timeout,
    )
    if session.sign_in is not None and api.sign_in is not None:
        register_provider(schema, session.sign_in, api.sign_in.operation_id)
    cleanup_errors: list[str] = []
    # Schemathesis's requests too, for the whole run: its traffic meets the same weather.
    with weather.patched_requests(weathered) if weathered else nullcontext():
        try:
            with recording.origin(Origin.PROBE):
                probe(session, target)
            result = verify.run(schema, guard, progress=progress)
            # Schemathesis's traffic alone: the probe's own list call succeeded, by definition.
            seen = [status for op in result.operations.values() for status in op.observed]
            if seen and all(status in AUTH_REJECTED for status in seen):
                raise CouldNotRun(
                    f"{api.name}: every response was 401 or 403: credentials rejected"
                )
            progress(f"[{api.name}] business rules")
            context = RuleContext(session, prefix, guard.created_ids, guard.policy.allow_writes)
            rules = rules_of(api.name)
            # Each rule's steps run as the loop asks for its result: inside the block.
            with recording.origin(Origin.RULE):
                for rule in run_rules(rules, context, target.allowed):
                    verdict = "FAILED" if rule.failure else "ERROR" if rule.error else "ok"
                    shown = "not run" if rule.not_run else verdict
                    progress(f"[{api.name}]   {rule.name}: {shown}")
                    result.rules.append(rule)
            result.excluded_rules = skipped_rules(rules, target.allowed)
            merge_session_observations(result, session)
            if target.is_sandbox:
                progress(f"[{api.name}] coverage: injecting the documented codes not yet seen")
                with (
                    httpx.Client(base_url=target.base_url) as control,
                    recording.origin(Origin.PROBE),
                ):
                    drive_unobserved(result, session, control)
            record_sandbox_failures(result, session)
        finally:
            if guard.policy.allow_writes:
                with recording.origin(Origin.CLEANUP):
                    report = clean_up(session, guard.created_ids, prefix)
                progress(report.describe(api))
                # Said here too: after a failure the run ends before they could join the result.
                for error in report.errors:
                    progress(f"[{api.name}] {error}")
                cleanup_errors = report.errors
            if guard.withheld_writes:
                progress(
                    f"[{api.name}] {guard.withheld_writes} writes aimed at campaigns this run did "
                    "not create were redirected to an unknown id"
                )
            session.close()
            recorded.close()
    result.errors += cleanup_errors
    result.retried = weathered.describe() if weathered else None
    return result


def run(
    args: argparse.Namespace, target: Target, apis: list[ContractApi], emit: verify.Progress
) -> int:
    run_id = f"{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}-{secrets.token_hex(2)}"
    results: list[ApiResult] = []
    reason = None
    try:
        for api in apis:
            result = verify_api(api, target, args, run_id, emit)
            emit(console_summary(result, strict=target.strict))
            results.append(result)
    except (Exception, KeyboardInterrupt) as error:  # exit 2 with one line, never a traceback
        reason = reason_of(error)
    return finish(
        args,
        apis,
        results,
        strict=target.strict,
        reason=reason,
        credentials=target.secrets,
        emit=emit,
        target=describe(target),
    )


def reason_of(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    if isinstance(error, (CouldNotRun, DocumentError, SandboxDidNotStart)):
        return str(error)
    return f"{type(error).__name__}: {error}"


def finish(  # noqa: PLR0913 - everything the reports say comes together here
    args: argparse.Namespace,
    apis: list[ContractApi],
    results: list[ApiResult],
    *,
    strict: bool,
    reason: str | None,
    credentials: Iterable[str],
    emit: verify.Progress,
    target: str = "",
) -> int:
    """Write every report, even when the run stopped early (then with the reason), so no
    report of an earlier run is left to be mistaken for this one's; print the verdict last."""
    code = exit_code(results, strict=strict)
    if reason and code != ExitCode.BROKEN:  # broken wins over not verified
        code = ExitCode.COULD_NOT_RUN
    outcome = RunOutcome(
        verdict=verdict_line(code, reason, results, strict=strict),
        strict=strict,
        reason=reason,
        apis=tuple(api.name for api in apis),
        target=target,
        seed=args.seed,
        options=shaping_options(args, strict=strict),
    )
    ran = [api.name for api in apis]
    written = write_reports(results, args.report_dir, outcome, Redactor(credentials), ran)
    # main() removed the earlier recordings of these APIs: those there now are this run's.
    written += [path for api in ran if (path := recording.har_path(args.report_dir, api)).is_file()]
    if results:
        emit(f"reports: {', '.join(str(path) for path in written)}")
    emit(outcome.verdict)
    return code


def verdict_line(
    code: ExitCode, reason: str | None, results: list[ApiResult], *, strict: bool
) -> str:
    """The run's verdict with its reason, the last line of the console and the first of
    summary.md: `Contract BROKEN: 2 findings fail the run (1 breaking, 1 assumption)`."""
    if code == ExitCode.KEPT:
        return VERDICTS[code]
    if code == ExitCode.COULD_NOT_RUN:
        errors = [error for result in results for error in result.all_errors()]
        return f"Contract NOT verified: {reason or (errors[0] if errors else 'an error')}"
    kinds = Counter(kind for result in results for kind in result.failing_finding_kinds(strict))
    count = sum(kinds.values())
    described = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"Contract BROKEN: {count} finding{'s' * (count != 1)} fail the run ({described})"


def shaping_options(args: argparse.Namespace, *, strict: bool) -> tuple[str, ...]:
    """The options that shaped the run, as summary.md lists them."""
    options = [f"--api {args.api}", f"--profile {args.profile}", f"--seed {args.seed}"]
    if args.max_examples is not None:
        options.append(f"--max-examples {args.max_examples}")
    options += [
        flag
        for flag in ("--allow-writes", "--allow-send")
        if getattr(args, flag[2:].replace("-", "_"))
    ]
    if args.rate_limit is not None:
        options.append(f"--rate-limit {args.rate_limit}")
    if strict:
        options.append("--strict" if args.strict else "strict (the sandbox must be exact)")
    return tuple(options)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as stop:
        if stop.code == EXIT_USAGE:
            forget_reports(argv)
        raise
    weather.quiet_retries()
    apis = list(APIS.values()) if args.api == "all" else [APIS[args.api]]
    # No recording of an earlier run may be taken for this one's (another API's stays).
    recording.forget_stale(args.report_dir, [api.name for api in apis])
    # The target's own list once there is one: tokens join it as they are signed in.
    secrets_seen: list[str] = []

    def emit(line: str) -> None:
        print(Redactor(secrets_seen)(line), flush=True)

    try:
        if args.base_url is None:
            with sandbox_target(args.rate_limit, secrets_seen, apis) as target:
                emit(f"contract: {describe(target)}, seed {args.seed}")
                return run(args, target, apis, emit)
        credentials = live_credentials(apis)
        secrets_seen += secret_values(credentials)
        allowed = (
            Needs.SEND if args.allow_send else Needs.WRITE if args.allow_writes else Needs.READ
        )
        target = Target(
            base_url=args.base_url.rstrip("/"),
            credentials=credentials,
            allowed=allowed,
            rate_limit=args.rate_limit or LIVE_RATE_LIMIT,
            is_sandbox=False,
            strict=args.strict,
            sign_in_base_urls={
                api.name: (options_of(api.name).sign_in_url(args) or api.sign_in_url()).rstrip("/")
                for api in apis
                if api.sign_in is not None
            },
            secrets=secrets_seen,
        )
        emit(f"contract: {describe(target)}, seed {args.seed}")
        return run(args, target, apis, emit)
    except (Exception, KeyboardInterrupt) as error:  # before any API ran: one line, exit 2
        strict = args.strict or args.base_url is None
        return finish(
            args,
            apis,
            [],
            strict=strict,
            reason=reason_of(error),
            credentials=secrets_seen,
            emit=emit,
            target="the sandbox" if args.base_url is None else args.base_url,
        )


def describe(target: Target) -> str:
    """Which target the run verifies, as the console and summary.md name it."""
    if target.is_sandbox:
        return f"the sandbox, started locally at {target.base_url}"
    return target.base_url


def forget_reports(argv: Sequence[str] | None) -> None:
    """After an argument error, remove the reports of an earlier run from the report folder
    the arguments name (or the default), so none is taken for this run's."""
    finder = argparse.ArgumentParser(add_help=False)
    finder.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR)
    try:
        report_dir = finder.parse_known_args(argv)[0].report_dir
    except SystemExit:
        report_dir = DEFAULT_REPORT_DIR
    forget_stale_reports(report_dir, APIS)
    recording.forget_stale(report_dir, APIS)
