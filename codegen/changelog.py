"""The "Changes" section of each generated package's README, from openapi/CHANGELOG-<api>.md.

A consumer upgrading a package reads on its index page (or in its README under node_modules)
what changed: the document's changelog entries up to the package's version, newest first.
An entry whose major is above the one before it is marked breaking: the changes gate lets a
breaking change ship only with a major bump and an entry (campaign_contracts/spec_changes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The headings the gate accepts (`## 3.0.0`, `## [v3.0.0] - 2026-12-01`), level two only.
ENTRY = re.compile(r"^## \[?v?(\d+)\.(\d+)\.(\d+)\b[^\n]*\n", re.MULTILINE)
INNER_HEADING = re.compile(r"^(#{3,5}) ", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    version: tuple[int, int, int]
    body: str
    breaking: bool

    @property
    def name(self) -> str:
        return ".".join(map(str, self.version))


def changelog_file(root: Path, api: str) -> Path:
    return root / "openapi" / f"CHANGELOG-{api}.md"


def entries(text: str) -> list[Entry]:
    """The changelog's version entries, newest first, each marked breaking or not."""
    headings = list(ENTRY.finditer(text))
    found = [
        (
            (int(heading[1]), int(heading[2]), int(heading[3])),
            text[heading.end() : following.start() if following else len(text)].strip(),
        )
        for heading, following in zip(headings, [*headings[1:], None], strict=True)
    ]
    found.sort(reverse=True)
    older = [version for version, _ in found[1:]] + [None]
    return [
        Entry(version, body, before is not None and version[0] > before[0])
        for (version, body), before in zip(found, older, strict=True)
    ]


def _parse(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def _entries_markdown(root: Path, api: str, version: str, level: int) -> str:
    """The entries of `api`'s changelog up to `version`, as headings of `level`."""
    path = changelog_file(root, api)
    if not path.is_file():
        return ""
    hashes = "#" * level
    blocks = []
    for entry in entries(path.read_text(encoding="utf-8")):
        if entry.version > _parse(version):
            continue
        mark = " (**breaking**)" if entry.breaking else ""
        # The entry's own subheadings move down with it.
        body = INNER_HEADING.sub(lambda match: f"{match[1]}{'#' * (level - 2)} ", entry.body)
        blocks.append(f"{hashes} {entry.name}{mark}\n\n{body}\n")
    return "\n".join(blocks)


BREAKING_NOTE = (
    "A version marked **breaking** raised the major version: code written against an earlier"
    " one may need changes."
)


def changes_section(root: Path, api: str, version: str) -> str:
    """`## Changes` of the client of `api` at `version`; empty without a changelog."""
    listed = _entries_markdown(root, api, version, level=3)
    if not listed:
        return ""
    source = changelog_file(root, api).relative_to(root).as_posix()
    intro = f"From `{source}`, the changelog of `openapi/{api}.yaml`, up to this version."
    return f"\n## Changes\n\n{intro} {BREAKING_NOTE}\n\n{listed}"


def models_changes_section(root: Path, versions: Mapping[str, str]) -> str:
    """`## Changes` of the models package: each document's entries up to its version."""
    parts = [
        f"### {api} {version}\n\n{listed}"
        for api, version in versions.items()
        if (listed := _entries_markdown(root, api, version, level=4))
    ]
    if not parts:
        return ""
    intro = "From the changelog of each document (`openapi/CHANGELOG-<api>.md`), up to its version."
    return f"\n## Changes\n\n{intro} {BREAKING_NOTE}\n\n" + "\n".join(parts)
