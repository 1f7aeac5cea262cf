"""`campaign-proxy`: the command line (`campaign-proxy --help`)."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser, http_url, port_number, positive_int
from campaign_contracts.documents import DocumentError
from campaign_contracts.httpapi.server import base_url, listening_socket, tune_garbage_collector
from campaign_contracts.proxy.app import (
    DEFAULT_RECORD_ROTATE,
    DEFAULT_VALIDATION_LIMIT,
    Proxy,
    ProxySettings,
    unknown_upstreams,
)
from campaign_contracts.proxy.contract import APIS, load_contracts
from campaign_contracts.registry import APIS as REGISTRY

# The answer's headers are the upstream's: no Date or Server of the proxy's own. The
# lifespan closes the upstream client and the recordings. X-Forwarded-* are the client's to
# send upstream, not uvicorn's to act on (and reading them costs every request).
SERVER_OPTIONS: dict[str, Any] = {
    "access_log": False,
    "server_header": False,
    "date_header": False,
    "proxy_headers": False,
    "lifespan": "on",
}
# The sign-ins, whose documents may put them on another server than the rest of the API.
SIGN_INS = ", ".join(
    f"{entry.name}.{entry.sign_in.operation_id}=URL for {entry.label}'s sign-in"
    for entry in REGISTRY.values()
    if entry.sign_in is not None
)
UPSTREAM_HELP = f"""\
where API NAME ({", ".join(APIS)}) really is (repeatable; at least one). NAME.OPERATION=URL
sends that one operation (an operationId of NAME's document) elsewhere, and the rest of NAME
still to NAME's URL: {SIGN_INS}, which its document puts on another server than the
campaigns"""


def upstream(value: str) -> tuple[str, str]:
    name, equals, url = value.partition("=")
    api, _dot, _operation = name.partition(".")
    if not equals or api not in APIS or name.endswith("."):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not NAME=URL with NAME one of {', '.join(APIS)} (or NAME.OPERATION=URL)"
        )
    return name, http_url(url)


def add_positive(
    parser: ArgumentParser, option: str, metavar: str, default: int, text: str
) -> None:
    parser.add_argument(
        option,
        type=positive_int,
        default=default,
        metavar=metavar,
        help=f"{text} (default {default})",
    )


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="campaign-proxy",
        description="Forward the campaign APIs' traffic unchanged, check every exchange against"
        " openapi/ and optionally record it, sanitized, as HAR.",
    )
    parser.add_argument(
        "--upstream",
        type=upstream,
        metavar="NAME=URL",
        help=UPSTREAM_HELP,
        action="append",
        default=[],
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8081, help="port (0: any free port)")
    parser.add_argument(
        "--record", type=Path, metavar="DIR", help="write every exchange, sanitized, as HAR"
    )
    add_positive(
        parser,
        "--record-rotate",
        "N",
        DEFAULT_RECORD_ROTATE,
        "start a new HAR file every N exchanges of an API",
    )
    parser.add_argument(
        "--redact",
        metavar="NAME",
        help="also replace the value of any header, query parameter or body field NAME"
        " in recordings and logs (repeatable)",
        action="append",
        default=[],
    )
    parser.add_argument(
        "--violations", type=Path, metavar="FILE", help="append each violation as a JSON line"
    )
    add_positive(
        parser,
        "--validation-limit",
        "BYTES",
        DEFAULT_VALIDATION_LIMIT,
        "larger bodies are forwarded unchecked and unrecorded",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    return parser


def parse_args(
    argv: Sequence[str] | None, parser: ArgumentParser | None = None
) -> argparse.Namespace:
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    if not args.upstream:
        parser.error("give at least one --upstream NAME=URL")
    names = [name for name, _url in args.upstream]
    if len(set(names)) != len(names):
        parser.error("each API takes one --upstream")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parse_args(argv, parser)
    logging.basicConfig(
        level=args.log_level.upper(), format="campaign-proxy: %(message)s", stream=sys.stderr
    )
    settings = ProxySettings(
        upstreams=dict(args.upstream),
        record_dir=args.record,
        record_rotate=args.record_rotate,
        redact=tuple(args.redact),
        violations_file=args.violations,
        validation_limit=args.validation_limit,
    )
    try:
        contracts = load_contracts()
    except DocumentError as error:
        print(f"campaign-proxy: {error}", file=sys.stderr)
        return EXIT_USAGE
    for problem in unknown_upstreams(settings.upstreams, contracts):
        parser.error(f"argument --upstream: {problem}")
    try:
        if args.record is not None:
            args.record.mkdir(parents=True, exist_ok=True)
        proxy = Proxy(settings, contracts)
        sock = listening_socket(args.host, args.port)
    except DocumentError as error:
        print(f"campaign-proxy: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        what = "address already in use" if error.errno == errno.EADDRINUSE else error.strerror
        print(f"campaign-proxy: cannot use {error.filename or args.host}: {what}", file=sys.stderr)
        return EXIT_USAGE
    routes = ", ".join(f"{name} → {url}" for name, url in settings.upstreams.items())
    print(f"campaign-proxy listening on {base_url(sock)} ({routes})", flush=True)
    tune_garbage_collector()
    config = uvicorn.Config(proxy, log_level=args.log_level, **SERVER_OPTIONS)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
