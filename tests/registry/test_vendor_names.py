"""Shared code names no API: vendors are found through the registry and their own folders.

Counted with `ast`, in the code the project ships and runs (`campaign_contracts/`,
`contract_tests/`, `codegen/`): every name (variable, attribute, function, class, argument,
keyword, import) and every string constant that says `engage` or `intelsend` in any case.
Docstrings and comments are prose and do not count. Folders and files named after an API
(`sandbox/engage/`, `rules/intelsend.py`) and `campaign_contracts/registry.py` are where
vendors live, so they are not looked at.

`ALLOWED` holds what is left to move, per file, as a ceiling; it only shrinks. When you move
vendor code out of a file, lower (or delete) its line, so that the room you made is not taken
by a new name. (A ceiling rather than an exact count: helpers shrink these files in parallel,
and an improvement must not fail the suite.) Before issue 22: 284 in 12 files (main at
0428295; the issue's 256 left imports out).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("campaign_contracts", "contract_tests", "codegen")
VENDOR_HOMES = ("campaign_contracts/registry.py",)
API_NAME = re.compile(r"engage|intelsend", re.IGNORECASE)

# File → names and constants it may still hold (each owner shrinks its own lines).
ALLOWED: dict[str, int] = {}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the string nodes that are docstrings (prose, like comments)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def _words(node: ast.AST) -> Iterator[str]:
    """The identifiers and string constants a node spells out."""
    match node:
        case ast.Name(id=name) | ast.Attribute(attr=name) | ast.arg(arg=name):
            yield name
        case ast.FunctionDef(name=name) | ast.AsyncFunctionDef(name=name) | ast.ClassDef(name=name):
            yield name
        case ast.keyword(arg=str() as name):
            yield name
        case ast.alias(name=name, asname=asname):
            yield name
            if asname:
                yield asname
        case ast.ImportFrom(module=str() as module):
            yield module
        case ast.Constant(value=str() as text):
            yield text


def count_api_names(source: str) -> int:
    """How many names and string constants of `source` name an API (docstrings aside)."""
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    return sum(
        1
        for node in ast.walk(tree)
        if id(node) not in skipped
        for word in _words(node)
        if API_NAME.search(word)
    )


def is_vendor_home(relative: Path) -> bool:
    """A folder or file named after an API, or the registry."""
    if relative.as_posix() in VENDOR_HOMES:
        return True
    return any(API_NAME.fullmatch(part.removesuffix(".py")) for part in relative.parts)


def shared_counts(root: Path = ROOT) -> Counter[str]:
    counts: Counter[str] = Counter()
    for top in SHIPPED:
        for path in sorted((root / top).rglob("*.py")):
            relative = path.relative_to(root)
            if not is_vendor_home(relative):
                found = count_api_names(path.read_text(encoding="utf-8"))
                if found:
                    counts[relative.as_posix()] = found
    return counts


def test_shared_code_names_no_api_beyond_its_allowance() -> None:
    counts = shared_counts()
    over = {path: n for path, n in counts.items() if n > ALLOWED.get(path, 0)}
    assert not over, (
        f"shared code names an API (file: names; allowed {ALLOWED}): {over}; look vendors up"
        " through campaign_contracts.registry, or move the code into a folder named after the API"
    )


def test_the_count_sees_names_and_constants_but_not_prose() -> None:
    source = '''
"""Engage and IntelSend, in prose."""
from campaign_contracts.sandbox.engage import state  # one (the module)
import campaign_contracts.sandbox.intelsend  # two (the alias)

def intelsend_finish(engage: int, *, api: str = "Engage") -> None:  # three, four, five
    """Finish an IntelSend delivery."""
    # engage, in a comment
    call(intelsend_session=api.engage_token)  # six, seven
'''
    assert count_api_names(source) == 7


def test_vendor_folders_and_the_registry_are_homes_not_shared_code() -> None:
    assert is_vendor_home(Path("campaign_contracts/sandbox/engage/state.py"))
    assert is_vendor_home(Path("contract_tests/rules/intelsend.py"))
    assert is_vendor_home(Path("campaign_contracts/registry.py"))
    assert not is_vendor_home(Path("campaign_contracts/sandbox/engagement.py"))
    assert not is_vendor_home(Path("campaign_contracts/sandbox/config.py"))
