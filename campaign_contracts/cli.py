"""What every command of this project shares: argument mistakes are one line and exit 2."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

EXIT_USAGE = 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with a mistake reported as one line (`prog: error: ... (see --help)`) rather
    than argparse's usage block, and exit 2; the usage is one `--help` away. `name`, if given,
    stands for `prog` in that line (a command whose `prog` is a long `python -m ...`)."""

    def __init__(self, *args: Any, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.name or self.prog}: error: {message} (see --help)\n")


def port_number(value: str) -> int:
    """A TCP port, 0 (any free port) to 65535: what the socket module would refuse later with
    an OverflowError traceback."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:  # noqa: PLR2004
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0 to 65535)")
    return port


def positive_int(value: str) -> int:
    """A whole number of at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def http_url(value: str) -> str:
    """A URL that HTTP clients can send to: anything else fails later, far from the option."""
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{value!r} must start with http:// or https://")
    return value
