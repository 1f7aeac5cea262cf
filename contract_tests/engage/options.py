"""Engage's own options of the contract run: where a live run signs in, and what a refused
token most often means."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import NoReturn

from campaign_contracts.cli import http_url
from contract_tests.vendors import Options


class EngageOptions(Options):
    sends = "run Engage campaigns"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--engage-auth-url",
            type=http_url,
            help="live only: where Engage signs in with ENGAGE_USERNAME/ENGAGE_PASSWORD (scheme, "
            "host, port; default the server openapi/engage.yaml names for authenticate)",
        )

    def check(self, args: argparse.Namespace, error: Callable[[str], NoReturn]) -> None:
        if args.engage_auth_url is not None and args.base_url is None:
            error("--engage-auth-url applies to --base-url runs only")

    def sign_in_url(self, args: argparse.Namespace) -> str | None:
        url: str | None = args.engage_auth_url
        return url

    def credential_mistake(self, credentials: Mapping[str, str]) -> str | None:
        token = credentials.get("ENGAGE_TOKEN", "")
        if token.lower().startswith("bearer "):
            return "ENGAGE_TOKEN starts with `Bearer `: Engage takes the raw token, drop the prefix"
        return None


OPTIONS = EngageOptions()
