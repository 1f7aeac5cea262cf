"""`campaign-proxy` as a process: it listens, forwards and records; bad input is one line,
exit 2."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from campaign_contracts.proxy.cli import build_parser
from tests.support.proxy_stand_in import VIOLATIONS, stand_in
from tests.support.recordings import entries

COMMAND = [sys.executable, "-m", "campaign_contracts.proxy.cli"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give at least one --upstream NAME=URL"),
        (["--upstream", "crm=http://x"], "'crm=http://x' is not NAME=URL with NAME one of"),
        (["--upstream", "engage=ftp://x"], "'ftp://x' must start with http:// or https://"),
        (
            ["--upstream", "engage=http://a", "--upstream", "engage=http://b"],
            "each API takes one --upstream",
        ),
        (["--upstream", "engage=http://a", "--record-rotate", "0"], "'0' is not a positive"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(arguments: list[str], message: str) -> None:
    result = subprocess.run([*COMMAND, *arguments], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("campaign-proxy: error: ")
    assert message in line


def test_serves_and_records(tmp_path: Path) -> None:
    with stand_in() as vendor:
        command = [*COMMAND, "--upstream", f"engage={vendor}", "--port", "0"]
        command += ["--record", str(tmp_path), "--log-level", "warning"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            first_line = process.stdout.readline()
            try:
                assert first_line.startswith("campaign-proxy listening on http://127.0.0.1:")
                base_url = first_line.split()[3]
                answer = httpx.get(
                    f"{base_url}/_rest/v2/campaigns/errors", headers={"Authorization": "t"}
                )
                assert answer.status_code == 503
                assert answer.headers["x-contract-violations"] == "1"
            finally:
                process.terminate()
            process.wait(10)
    (path,) = tmp_path.iterdir()
    assert len(json.loads(path.read_text())["log"]["entries"]) == 1


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_every_exchange_answered_is_in_the_recording_after_a_stop(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """Recording is done by a thread of its own, off the answers' path: a stop (SIGTERM,
    Ctrl-C) still writes every exchange a client got its answer to."""
    answered = 300
    with stand_in() as vendor:
        command = [*COMMAND, "--upstream", f"engage={vendor}", "--port", "0"]
        command += ["--record", str(tmp_path), "--record-rotate", "120", "--log-level", "warning"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            assert process.stdout is not None
            base_url = process.stdout.readline().split()[3]
            try:
                with httpx.Client(base_url=base_url, timeout=10) as client:
                    for index in range(answered):
                        answer = client.get("/_rest/v2/campaigns/", params={"id": str(index)})
                        assert answer.status_code == 200
            finally:
                process.send_signal(stop)
            # uvicorn stops gracefully, then lets the signal end it as it would have.
            assert process.wait(30) in {0, -stop}
    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    ids = [entry["request"]["queryString"][0]["value"] for path in files for entry in entries(path)]
    assert ids == [str(index) for index in range(answered)]


def test_the_reference_names_every_option_and_no_other() -> None:
    page = Path(__file__).parents[2].joinpath("docs/reference/proxy.md").read_text(encoding="utf-8")
    table = page.partition("| option | does |")[2].partition("\n\n")[0]
    named = set(re.findall(r"`(--[a-z-]+)", table))
    options = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert named == options


def test_the_reference_shows_the_violations_the_stand_in_gets() -> None:
    """test_proxy.py checks that the proxy logs these lines in front of the stand-in."""
    page = Path(__file__).parents[2].joinpath("docs/reference/proxy.md").read_text(encoding="utf-8")
    shown = page.partition("Each violation is one log line")[2].partition("```text\n")[2]
    logged = [f"campaign-proxy: {line}" for lines in VIOLATIONS.values() for line in lines]
    assert shown.partition("```")[0].splitlines() == logged
