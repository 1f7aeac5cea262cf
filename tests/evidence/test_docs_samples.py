"""The evidence and parity reports that docs/how-to/record-traffic.md shows are those of the
stand-in's recording now (docs/samples.py says how a page shows a sample)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from campaign_contracts.evidence import parity
from campaign_contracts.evidence.__main__ import main as evidence
from docs.samples import matches, sample
from tests.support.evidence_recordings import Recordings

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "record-traffic.md"


@pytest.fixture
def recorded(recordings: Recordings, in_tmp: Path) -> list[str]:
    """The stand-in's recording, in `recordings/` as the page has it."""
    folder = in_tmp / "recordings"
    folder.mkdir()
    return [str(Path(shutil.copy(path, folder)).relative_to(in_tmp)) for path in recordings.standin]


def test_the_evidence_sample_is_the_report(recorded: list[str], in_tmp: Path) -> None:
    assert evidence(recorded) == 0
    report = (in_tmp / "reports" / "evidence" / "evidence.md").read_text(encoding="utf-8")
    assert matches(sample(PAGE, "cat reports/evidence/evidence.md"), report), report


def test_the_parity_sample_is_the_report(recorded: list[str], in_tmp: Path) -> None:
    assert parity.main(recorded) == 0
    report = (in_tmp / "reports" / "parity" / "parity.md").read_text(encoding="utf-8")
    assert matches(sample(PAGE, "cat reports/parity/parity.md"), report), report
