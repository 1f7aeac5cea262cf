"""`python -m campaign_contracts.evidence FILE.har ...`: what recorded traffic says about the
documents.

Matches every recorded exchange to its operation in the documents (`openapi/`, or
`--documents DIR`), writes `reports/evidence/evidence.md` and `evidence.json` (statuses per
operation, findings per body and JSON pointer, the assumption ledger, suggested edits) and
prints the suggested edits.

Exit status: 0; 1 when `--fail-on contradicted` or `--fail-on undocumented` is given and an
edit of that kind is suggested; 2, with one line, for a file that is not HAR or a document
that does not load.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Sequence
from pathlib import Path

from campaign_contracts.cli import EXIT_USAGE, ArgumentParser
from campaign_contracts.documents import DocumentError
from campaign_contracts.evidence.analysis import Evidence
from campaign_contracts.evidence.documents import load_documents, recordings_parser
from campaign_contracts.evidence.report import KINDS, Report, write_reports
from campaign_contracts.recording.reader import HarError, read_hars

REPORTS = Path("reports/evidence")
EXIT_FAILED = 1


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    parser = recordings_parser(
        "python -m campaign_contracts.evidence",
        "What recorded traffic (HAR files) says about the OpenAPI documents.",
    )
    parser.add_argument(
        "--fail-on",
        action="append",
        choices=KINDS,
        default=[],
        help="exit 1 when an edit of this kind is suggested (repeatable)",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> Namespace:
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        evidence = Evidence(load_documents(args.documents))
        evidence.add_all(read_hars(args.files))
    except (DocumentError, HarError) as error:
        print(f"evidence: {error}", file=sys.stderr)
        return EXIT_USAGE
    report = Report.of(evidence)
    write_reports(REPORTS, "evidence", report.to_markdown(), report.to_json())
    for edit in report.edits:
        print(f"{edit.kind}: {edit.document} #{edit.pointer}: {edit.change} ({edit.because})")
    print(
        f"evidence: {evidence.exchanges} exchanges; {report.count('contradicted')} contradicted,"
        f" {report.count('undocumented')} undocumented, {report.count('lenient')} lenient;"
        f" wrote {REPORTS}/evidence.md and .json"
    )
    failed = [kind for kind in args.fail_on if report.count(kind)]
    if failed:
        print(f"evidence: FAILED on {' and '.join(failed)}", file=sys.stderr)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
