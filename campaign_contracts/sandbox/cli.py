"""`campaign-sandbox`: serve every imitated API and the control plane on one port."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser, port_number
from campaign_contracts.httpapi.server import base_url, listening_socket, tune_garbage_collector
from campaign_contracts.httpapi.uvicorn_adapter import serve_workers
from campaign_contracts.httpapi.validation import SpecError
from campaign_contracts.registry import APIS
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import (
    CONTROL_TOKEN_ENV,
    JOURNAL_SIZE,
    MAX_CAMPAIGNS,
    ConfigError,
    SandboxConfig,
    build_config,
)
from campaign_contracts.sandbox.operations import Vendor
from campaign_contracts.sandbox.storage import StateFileError
from campaign_contracts.sandbox.vendors import vendor_options


def _and(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return " and ".join(filter(None, (", ".join(items[:-1]), *items[-1:])))


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    vendors = list(vendor_options().values())
    labels = [entry.label for entry in APIS.values()]
    parser = ArgumentParser(
        prog="campaign-sandbox",
        description=f"A stateful sandbox of the {_and(labels)} campaign APIs.",
        epilog=(
            f"Environment: {_and([vendor.ENVIRONMENT for vendor in vendors])} add credentials too."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8080, help="port (0: any free port)")
    for vendor in vendors:
        vendor.add_arguments(parser)
    parser.add_argument(
        "--no-default-credentials",
        action="store_true",
        help=f"do not accept {_and([vendor.DEFAULT_CREDENTIALS for vendor in vendors])}",
    )
    parser.add_argument("--seed", type=int, help="seed the id generators (repeatable ids)")
    parser.add_argument(
        "--api",
        action="append",
        default=[],
        choices=list(APIS),
        help="serve only this API (repeatable; default: every one), whose document alone is read",
    )
    parser.add_argument(
        "--state",
        type=Path,
        metavar="PATH",
        help="keep every API's state in this SQLite file (default: in memory)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N processes sharing the --state file (default 1)",
    )
    parser.add_argument(
        "--control-token",
        metavar="TOKEN",
        help=f"every /_sandbox/ call but health needs Authorization: Bearer TOKEN"
        f" (also {CONTROL_TOKEN_ENV})",
    )
    parser.add_argument(
        "--insecure-control-plane",
        action="store_true",
        help="listen on a host other than loopback without a control token",
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages of this origin call the control plane (repeatable)",
    )
    parser.add_argument(
        "--max-campaigns",
        type=int,
        default=MAX_CAMPAIGNS,
        metavar="N",
        help=f"campaigns one tenant may keep (default {MAX_CAMPAIGNS})",
    )
    parser.add_argument(
        "--journal-size",
        type=int,
        default=JOURNAL_SIZE,
        metavar="N",
        help=f"exchanges the request journal keeps (default {JOURNAL_SIZE}; 0: none)",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn's log level",
    )
    parser.add_argument("--no-access-log", action="store_true", help="do not log every request")
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def banner(base_url: str, vendors: Sequence[Vendor]) -> str:
    lines = [f"campaign-sandbox listening on {base_url}"]
    for vendor in vendors:
        lines.append(f"  {APIS[vendor.api.name].label:<11}{base_url}{vendor.path_prefix}")
        lines += (f"{'':13}{line}" for line in vendor.credential_lines)
    # The control plane is described on the docs site, no longer in the README.
    control = "health, reset, seed, faults; docs: reference/control-plane.md"
    lines.append(f"  control    {base_url}/_sandbox/ ({control})")
    return "\n".join(lines)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def config_from(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox's configuration from the parsed command line; ConfigError if unusable."""
    keywords = {
        keyword: value
        for vendor in vendor_options().values()
        for keyword, value in vendor.from_arguments(args).items()
    }
    config = build_config(
        **keywords,
        default_credentials=not args.no_default_credentials,
        environ=os.environ,
        seed=args.seed,
        control_token=args.control_token,
        allow_origins=args.allow_origin,
        max_campaigns=args.max_campaigns,
        journal_size=args.journal_size,
        state=args.state,
        apis=args.api,
    )
    if args.workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {args.workers}")
    if args.workers > 1 and args.state is None:
        raise ConfigError(
            "--workers above 1 needs --state: in memory, each worker would keep a state of its"
            " own and see only the requests it serves"
        )
    if not (is_loopback(args.host) or config.control_token or args.insecure_control_plane):
        raise ConfigError(
            f"refusing to listen on {args.host} with an open control plane: anyone who reaches"
            f" it could reset every tenant; give --control-token (or {CONTROL_TOKEN_ENV}),"
            " or --insecure-control-plane"
        )
    return config


@dataclass(frozen=True)
class WorkerApp:
    """What each worker process builds its app from: the command line, parsed again there
    (uvicorn hands the factory to processes it spawns, so it must pickle)."""

    argv: tuple[str, ...]

    def __call__(self) -> Starlette:
        app = create_app(config_from(parse_args(self.argv)))
        tune_garbage_collector()
        return app


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    try:
        config = config_from(args)
    except ConfigError as error:
        print(f"campaign-sandbox: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        app = create_app(config)
    except (SpecError, StateFileError) as error:
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
    options = {"log_level": args.log_level, "access_log": not args.no_access_log}
    if args.workers > 1:
        # Each worker opens the state file itself; this process only supervises them.
        worker_config = uvicorn.Config(
            WorkerApp(tuple(argv)), factory=True, workers=args.workers, lifespan="off", **options
        )
        serve_workers(worker_config, sock)
        return 0
    tune_garbage_collector()
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", **options))
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
