"""The default target: the sandbox, started by its own command line on a free loopback port."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

# The first line `campaign-sandbox` prints once its socket is bound.
LISTENING = re.compile(r"listening on (?P<url>http://\S+)")


class SandboxDidNotStart(RuntimeError):
    """`campaign-sandbox` exited before listening; the message is its own last line."""


def forward(source: IO[str], sink: IO[str] | None) -> None:
    """Copy `source` to `sink` (None: discard) until it closes, so the sandbox never blocks
    on a full pipe nor fails on a closed one."""
    for line in source:
        if sink is not None:
            sink.write(line)


@contextmanager
def sandbox_process(apis: Sequence[str] = ()) -> Iterator[str]:
    """Run `campaign-sandbox --port 0` with its default credentials; yield its base URL.

    A subprocess rather than a thread: the engine and the server then use one core each
    instead of sharing one interpreter lock, which makes a run about three times faster on
    this project's 2-core machines.
    """
    command = [sys.executable, "-m", "campaign_contracts.sandbox.cli", "--port", "0"]
    command += ["--log-level", "error", "--no-access-log"]
    # Only the APIs under test: a broken document of another does not stop the run.
    command += [argument for api in apis for argument in ("--api", api)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None, "stdout=PIPE"
        assert process.stderr is not None, "stderr=PIPE"
        match = LISTENING.search(process.stdout.readline())
        if match is None:
            code = process.wait()
            last_line = (process.stderr.read().strip().splitlines() or [f"exit code {code}"])[-1]
            # campaign-sandbox's one-line errors (a malformed document, ...) start with its name.
            raise SandboxDidNotStart(last_line.removeprefix("campaign-sandbox: "))
        # The rest of the banner is dropped; errors the sandbox logs still reach the console.
        threading.Thread(target=forward, args=(process.stdout, None), daemon=True).start()
        threading.Thread(target=forward, args=(process.stderr, sys.stderr), daemon=True).start()
        yield match["url"]
    finally:
        process.terminate()
        process.wait()
