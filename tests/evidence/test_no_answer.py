"""Recordings with tries that got no answer (`response.status` 0, as a live contract run
records a dropped connection or a timeout before sending the request again): evidence reads
what was sent and nothing of an answer, parity replays only what was answered."""

from __future__ import annotations

import json
import time
from pathlib import Path

from campaign_contracts.evidence.__main__ import main as evidence
from campaign_contracts.evidence.parity import main as parity
from campaign_contracts.recording.har import HarWriter
from campaign_contracts.recording.reader import read_har
from campaign_contracts.recording.sanitize import CapturedExchange, Sanitizer

LIST = "http://vendor.test/_rest/v2/campaigns"
TOKEN = "engage-tok-no-answer-1"
JSON = [("Content-Type", "application/json")]


def listed(
    started: float, status: int, *, body: bytes | None = b"[]", comment: str = ""
) -> CapturedExchange:
    return CapturedExchange(
        started=started,
        method="GET",
        url=LIST,
        http_version="HTTP/1.1",
        request_headers=[("Authorization", TOKEN)],
        request_body=None,
        status=status,
        response_headers=JSON if status else [],
        response_body=body if status else None,
        elapsed_ms=3.0,
        comment=comment,
    )


def recording(folder: Path) -> Path:
    """A list answered, then one dropped twice over and answered at its third try."""
    writer = HarWriter(folder, "engage", Sanitizer("engage"))
    now = time.time()
    dropped = "no answer: ConnectionError: ('Connection aborted.', RemoteDisconnected())"
    for offset, status, comment in [
        (0.0, 200, ""),
        (0.1, 0, dropped),
        (0.3, 0, "no answer: ReadTimeout: Read timed out. (read timeout=1)"),
        (1.4, 200, ""),
    ]:
        writer.write(listed(now + offset, status, comment=comment))
    writer.close()
    return writer.paths[0]


def test_an_exchange_without_an_answer_is_no_status_of_the_operation(in_tmp: Path) -> None:
    har = recording(in_tmp / "recordings")
    assert [exchange.status for exchange in read_har(har)] == [200, 0, 0, 200]

    code = evidence([str(har), "--fail-on", "undocumented", "--fail-on", "contradicted"])

    assert code == 0
    report = json.loads(Path("reports/evidence/evidence.json").read_text())
    assert report["exchanges"] == 4
    assert report["edits"] == []
    (operation,) = (
        op
        for op in report["operations"]
        if (op["api"], op["operation"]) == ("engage", "listCampaigns")
    )
    assert operation["statuses"] == [
        {"status": 200, "count": 2, "documented": True, "example": f"{har}#0"}
    ]


def test_parity_replays_only_the_exchanges_that_were_answered(in_tmp: Path) -> None:
    har = recording(in_tmp / "recordings")

    code = parity([str(har)])

    assert code == 0
    report = json.loads(Path("reports/parity/parity.json").read_text())
    assert (report["exchanges"], report["alike"], report["differences"]) == (2, 2, [])
