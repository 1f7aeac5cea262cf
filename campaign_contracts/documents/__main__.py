"""`python -m campaign_contracts.documents FILE...`: is each file an OpenAPI 3.1 document this
project can use? One line per file; exit 2 when any is not (`nox -s lint` runs it first)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser
from campaign_contracts.documents import DocumentError, load_document


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    parser = ArgumentParser(prog="python -m campaign_contracts.documents", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status = 0
    for path in args.files:
        try:
            load_document(path)
        except DocumentError as error:
            print(error, file=sys.stderr)
            status = EXIT_USAGE
        else:
            print(f"{path}: valid OpenAPI 3.1")
    return status


if __name__ == "__main__":
    sys.exit(main())
