"""`campaign-proxy` as a process: it listens, forwards and records; bad input is one line,
exit 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from stand_in import stand_in

from campaign_contracts.proxy.cli import build_parser

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


def test_the_readme_names_every_option_and_no_other() -> None:
    readme = Path(__file__).parents[2].joinpath("README.md").read_text(encoding="utf-8")
    section = readme.partition("## Learning from real traffic")[2].partition("\n## ")[0]
    table = section.partition("| option | does |")[2].partition("\n\n")[0]
    named = set(re.findall(r"`(--[a-z-]+)", table))
    options = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert named == options
