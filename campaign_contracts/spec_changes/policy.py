"""The gate: a breaking change ships only with a major version bump and a changelog entry.

The findings themselves carry no policy (`breaking` is a fact of the rule table); this
module is the one place that decides what a pull request must do about them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from campaign_contracts.spec_changes import SEMANTIC_VERSION
from campaign_contracts.spec_changes.diff import ClassifiedChange

# A deleted document has no version to bump: its changelog says why it went instead.
REMOVED_HEADING = "Removed"


@dataclass(frozen=True)
class Verdict:
    passed: bool
    message: str


def changelog_path(api: str) -> str:
    return f"openapi/CHANGELOG-{api}.md"


def major(version: str) -> int | None:
    """The major number of a `MAJOR.MINOR.PATCH` version, None for any other text."""
    match = SEMANTIC_VERSION.fullmatch(version)
    return int(match.group(1)) if match else None


def has_entry(changelog: str, heading: str) -> bool:
    """Whether a Markdown heading of `changelog` names `heading` (`## 3.0.0`, `## [v3.0.0]`)."""
    pattern = rf"^#{{1,6}}[ \t]+\[?v?{re.escape(heading)}\]?(?:[ \t]|$)"
    return re.search(pattern, changelog, flags=re.MULTILINE) is not None


def with_rejects(verdict: Verdict, api: str, rejects: Sequence[str]) -> Verdict:
    """`verdict`, failed when the new version rejects examples or vendor samples written for
    the document (`rejects`, see `dependents.py`): each fails the gate, whatever the version."""
    if not rejects:
        return verdict
    message = (
        f"{api}: the new version rejects {len(rejects)} of the examples and vendor samples "
        "written for it (listed under the changes). Update them with the edit, or fix the "
        "edit, before generating: the contract's business rules send these examples."
    )
    return Verdict(False, message if verdict.passed else f"{verdict.message} Also, {message}")


def judge(
    api: str,
    findings: list[ClassifiedChange],
    base_version: str | None,
    head_version: str | None,
    changelog: str,
) -> Verdict:
    """The gate's verdict on one document; `changelog` is the text of its changelog file."""
    breaking = sum(finding.breaking for finding in findings)
    if not breaking:
        return Verdict(True, f"{api}: no breaking change.")
    if head_version is None:
        return _judge_removal(api, changelog)
    changelog_file = changelog_path(api)
    count = f"{breaking} breaking change{'s' if breaking != 1 else ''}"
    them = "it" if breaking == 1 else "them"
    base_major, head_major = major(base_version or ""), major(head_version)
    if base_major is None or head_major is None:
        return Verdict(
            False,
            f"{api}: {count}, but info.version is not MAJOR.MINOR.PATCH "
            f"({base_version} → {head_version}), so no major bump can be seen. Use semantic "
            "versions in info.version.",
        )
    if head_major <= base_major:
        next_version = f"{base_major + 1}.0.0"
        return Verdict(
            False,
            f"{api}: {count} with info.version {base_version} → {head_version}. To ship "
            f"{them}, bump info.version in openapi/{api}.yaml to {next_version} and add a "
            f"'## {next_version}' entry to {changelog_file} describing {them}; otherwise "
            f"revert {them}.",
        )
    if not has_entry(changelog, head_version):
        return Verdict(
            False,
            f"{api}: {count} with info.version bumped to {head_version}, but {changelog_file} "
            f"has no entry for it. Add a '## {head_version}' heading describing {them}.",
        )
    return Verdict(
        True, f"{api}: {count}, released as {head_version} (major bump, changelog entry)."
    )


def _judge_removal(api: str, changelog: str) -> Verdict:
    changelog_file = changelog_path(api)
    if has_entry(changelog, REMOVED_HEADING):
        return Verdict(True, f"{api}: removed, as {changelog_file} records.")
    return Verdict(
        False,
        f"{api}: the document was deleted, which breaks every client. To ship it, add a "
        f"'## {REMOVED_HEADING}' entry to {changelog_file} saying why and what replaces it.",
    )
