"""How a page shows what a command prints, for the tests that compare it with a real run.

A sample is a ```text block whose first line is `$ COMMAND`; the rest is the output, where
`...` stands for anything (what differs between runs, or lines left out). Runs of spaces
count as one: a table's column widths follow its widest cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from docs.hooks import render

WILDCARD = "..."


def sample(page: Path, command: str) -> str:
    """The output a page shows after `$ command` (indented blocks too, as in a list item)."""
    text = render(page.read_text(encoding="utf-8"))
    pattern = rf"^( *)```text\n\1\$ {re.escape(command)}\n(.*?)^\1```$"
    found = re.findall(pattern, text, re.MULTILINE | re.DOTALL)
    assert len(found) == 1, f"{page.name}: one sample of `{command}`"
    indent, block = found[0]
    return re.sub(rf"^{indent}", "", block, flags=re.MULTILINE)


def squeeze(text: str) -> str:
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


def matches(expected: str, actual: str) -> bool:
    """`actual` is `expected`, each `...` standing for any text, spaces in a row for one."""
    parts = [re.escape(squeeze(part)) for part in expected.split(WILDCARD)]
    return re.fullmatch(r"\s*(.*?)\s*".join(parts), squeeze(actual), re.DOTALL) is not None
