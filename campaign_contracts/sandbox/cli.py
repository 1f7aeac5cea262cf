"""`campaign-sandbox`: serve every imitated API and the control plane on one port."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence

import uvicorn

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser, port_number
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import (
    ENGAGE_TOKENS_ENV,
    INTELSEND_SESSIONS_ENV,
    ConfigError,
    build_config,
)
from campaign_contracts.sandbox.operations import Vendor
from campaign_contracts.sandbox.serving import base_url, listening_socket
from campaign_contracts.sandbox.validation import SpecError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = ArgumentParser(
        prog="campaign-sandbox",
        description="A stateful sandbox of the Engage and IntelSend campaign APIs.",
        epilog=(
            f"Environment: {ENGAGE_TOKENS_ENV}=tok1,tok2 and"
            f" {INTELSEND_SESSIONS_ENV}=token=user,token2=user2 add credentials too."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8080, help="port (0: any free port)")
    parser.add_argument(
        "--engage-token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="accept this Engage token (repeatable; each token is a tenant)",
    )
    parser.add_argument(
        "--intelsend-session",
        action="append",
        default=[],
        metavar="TOKEN=USER_ID",
        help="accept this IntelSend session cookie, bound to USER_ID (repeatable)",
    )
    parser.add_argument(
        "--no-default-credentials",
        action="store_true",
        help="do not accept sandbox-token and sandbox-session=sandbox-user",
    )
    parser.add_argument("--seed", type=int, help="seed the id generators (repeatable ids)")
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn's log level",
    )
    parser.add_argument("--no-access-log", action="store_true", help="do not log every request")
    return parser.parse_args(argv)


def banner(base_url: str, vendors: Sequence[Vendor]) -> str:
    lines = [f"campaign-sandbox listening on {base_url}"]
    for vendor in vendors:
        lines.append(f"  {APIS[vendor.api.name].label:<11}{base_url}{vendor.path_prefix}")
        lines += (f"{'':13}{line}" for line in vendor.credential_lines)
    lines.append(f"  control    {base_url}/_sandbox/ (health, reset, seed, faults; see README)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = build_config(
            engage_tokens=args.engage_token,
            intelsend_sessions=args.intelsend_session,
            default_credentials=not args.no_default_credentials,
            environ=os.environ,
            seed=args.seed,
        )
    except ConfigError as error:
        print(f"campaign-sandbox: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        app = create_app(config)
    except SpecError as error:
        print(f"campaign-sandbox: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as error:
        reason = "address already in use" if error.errno == errno.EADDRINUSE else error.strerror
        print(
            f"campaign-sandbox: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr
        )
        return EXIT_USAGE
    print(banner(base_url(sock), app.state.vendors), flush=True)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=not args.no_access_log,
            lifespan="off",
        )
    )
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
