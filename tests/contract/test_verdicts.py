"""Verdicts a team can trust: the same run against an unchanged target says the same thing
every time (a fixed seed, printed), and the reports say what was run and never outlive it.
The stand-in answers IntelSend's create with 201 where the document assumes 200."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from tests.contract.test_assumptions import created_answers_201
from tests.support.stand_in_vendor import Tamper, stand_in_app

FAST = ["--rate-limit", "1000/s", "--max-examples", "5", "--api", "intelsend", "--allow-writes"]
SEED_LINE = re.compile(r"^contract: .*, seed (\d+)$", re.MULTILINE)


def verdict(folder: Path, base_url: str, *flags: str) -> tuple[int, list[Any], str]:
    """Exit code, findings (without the requests, whose ids differ) and the console."""
    report_dir = folder / "reports"
    code = cli.main(["--base-url", base_url, *FAST, "--report-dir", str(report_dir), *flags])
    findings = json.loads((report_dir / "findings.json").read_text(encoding="utf-8"))
    summary = [
        (f["api"], f["operationId"], f["rule"], f["check"], f["kind"]) for f in findings["findings"]
    ]
    return code, sorted(summary, key=str), findings["verdict"]


def test_the_same_target_gets_the_same_verdict_every_run(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(Tamper(stand_in_app(), rewrite=created_answers_201)) as base_url:
        runs = [verdict(live_env / str(number), base_url) for number in range(3)]
        seeds = SEED_LINE.findall(capsys.readouterr().out)
        _code, _findings, line = verdict(live_env / "random", base_url, "--seed", "random")
        out = capsys.readouterr().out

    assert runs[0] == runs[1] == runs[2]
    code_of_first, findings, _line = runs[0]
    assert code_of_first == 1
    assert (
        "intelsend",
        "createCampaign",
        None,
        "status_code_conformance",
        "assumption",
    ) in findings
    assert seeds == [str(cli.DEFAULT_SEED)] * 3
    (random_seed,) = SEED_LINE.findall(out)
    assert f"Seed: {random_seed}" in (live_env / "random" / "reports" / "summary.md").read_text()
    assert out.rstrip().splitlines()[-1] == line


def test_the_console_ends_with_the_verdict_and_its_reason(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(Tamper(stand_in_app(), rewrite=created_answers_201)) as base_url:
        code = cli.main(["--base-url", base_url, *FAST])
    last = capsys.readouterr().out.rstrip().splitlines()[-1]

    assert code == 1
    assert re.fullmatch(r"Contract BROKEN: \d+ findings? fail the run \(.+\)", last), last
    summary = (live_env / "reports" / "contract" / "summary.md").read_text()
    assert summary.startswith(f"## Contract verification\n\n{last}\n")
    assert f"Target: {base_url}" in summary
    assert f"Seed: {cli.DEFAULT_SEED} (`--seed {cli.DEFAULT_SEED}` repeats this run)" in summary
    assert "`--profile default`" in summary
    assert "`--max-examples 5`" in summary


def test_an_argument_error_leaves_no_report_of_an_earlier_run(
    live_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = live_env / "elsewhere"
    reports.mkdir()
    earlier = ["summary.md", "findings.json", "engage.xml", "intelsend.xml", "engage.har"]
    for name in earlier:
        (reports / name).write_text("an earlier run's\n")

    with pytest.raises(SystemExit) as stop:
        cli.main(["--report-dir", str(reports), "--seed", "-3"])

    assert stop.value.code == 2
    assert "--seed" in capsys.readouterr().err
    assert sorted(path.name for path in reports.iterdir()) == []


def test_a_run_of_one_api_keeps_the_other_apis_reports(live_env: Path) -> None:
    reports = live_env / "reports" / "contract"
    reports.mkdir(parents=True)
    (reports / "engage.xml").write_text("engage's latest\n")
    (reports / "engage.har").write_text("engage's latest\n")
    with serve_in_thread(stand_in_app()) as base_url:
        code = cli.main(["--base-url", base_url, *FAST])

    assert code == 0
    assert (reports / "engage.xml").read_text() == "engage's latest\n"
    assert (reports / "engage.har").read_text() == "engage's latest\n"
    assert (reports / "intelsend.xml").is_file()
