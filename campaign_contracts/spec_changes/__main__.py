"""`python -m campaign_contracts.spec_changes [BASE]`: is the working tree's API a breaking
change from BASE's?

Compares each `openapi/*.yaml` at git revision BASE (default: the merge-base of HEAD with
`main`, or `origin/main` when there is no local `main`) with the working tree, prints the
changelog as Markdown, writes it to `reports/changes.md` and `reports/changes.json`, and
appends the Markdown to `$GITHUB_STEP_SUMMARY` when that is set.

Exit status: 0 when every document passes the gate (see `policy.py`), 1 when one does
not (the message says what to do), 2 when the comparison cannot be made (unknown
revision, a document that is not UTF-8 YAML or not shaped like OpenAPI, a broken `$ref`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from campaign_contracts.cli import ArgumentParser
from campaign_contracts.documents import parse_document
from campaign_contracts.spec_changes.dependents import rejected
from campaign_contracts.spec_changes.diff import compare
from campaign_contracts.spec_changes.document import Document, DocumentError, parse
from campaign_contracts.spec_changes.policy import changelog_path, judge, with_rejects
from campaign_contracts.spec_changes.report import DocumentReport, to_json, to_markdown

OPENAPI_DIR = "openapi"
DEFAULT_BRANCHES = ("main", "origin/main")


class GitError(Exception):
    """A git command failed; its message is already one line for the user."""


def git_bytes(root: Path, *args: str) -> bytes:
    """The output of a git command as it is: documents are decoded, as UTF-8, by `parse`."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed") from error
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(f"git {' '.join(args)}: {reason[-1] if reason else 'failed'}")
    return completed.stdout


def git(root: Path, *args: str) -> str:
    # UTF-8 whatever the locale says: the working tree is read as UTF-8 too.
    return git_bytes(root, *args).decode("utf-8", errors="replace")


def default_base(root: Path) -> str:
    """The merge-base of HEAD with the main branch: what this branch started from."""
    for branch in DEFAULT_BRANCHES:
        try:
            return git(root, "merge-base", branch, "HEAD").strip()
        except GitError:
            continue
    raise GitError(
        "no `main` or `origin/main` to compare with; name a revision: nox -s changes -- BASE"
    )


def commit_of(root: Path, revision: str) -> str:
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except GitError:
        raise GitError(f"unknown git revision {revision!r}") from None


def base_documents(root: Path, commit: str) -> dict[str, bytes]:
    """The bytes of each openapi/*.yaml at `commit`, by path."""
    # A pathspec rather than `commit:openapi`: a revision without the folder lists nothing.
    # `-z`: paths as they are, not quoted when they hold non-ASCII characters.
    listing = git(root, "ls-tree", "-z", "--name-only", commit, "--", f"{OPENAPI_DIR}/")
    paths = [path for path in listing.split("\0") if path.endswith(".yaml")]
    return {path: git_bytes(root, "show", f"{commit}:{path}") for path in paths}


def head_documents(root: Path) -> dict[str, bytes]:
    """The bytes of each openapi/*.yaml in the working tree, by path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / OPENAPI_DIR).glob("*.yaml"))
    }


def load(data: bytes | None, source: str) -> Document | None:
    """The OpenAPI document in `data`, None when there is none (no file, or other YAML)."""
    if data is None:
        return None
    raw = parse(data, source)
    # openapi/ may hold other YAML (tool configs): only OpenAPI documents count.
    return Document(raw, source) if "openapi" in raw else None


def compare_tree(root: Path, commit: str) -> list[DocumentReport]:
    """One report per OpenAPI document found at `commit` or in the working tree."""
    before, after = base_documents(root, commit), head_documents(root)
    reports = []
    for path in sorted(before.keys() | after.keys()):
        old_document = load(before.get(path), f"{path} at {commit[:12]}")
        new_document = load(after.get(path), path)
        if old_document is None and new_document is None:
            continue
        if new_document is None and path in after:
            # Most likely an edit gone wrong, not a deletion of the document.
            raise DocumentError(path, "not an OpenAPI document (no top-level `openapi` field)")
        findings = (
            [] if before.get(path) == after.get(path) else compare(old_document, new_document)
        )
        # An invalid document has nothing to compare (`type: strng` would read as a change of
        # type): parse_document's DocumentError, with its line and column. Checked after the
        # comparison, whose own checks of the shape say what they expected; the base revision
        # is taken as it was. Then what the edit leaves behind: examples and vendor samples.
        rejects = []
        if new_document is not None and before.get(path) != after.get(path):
            model = parse_document(after[path].decode("utf-8"), path)
            rejects = rejected(model, root)
        api = Path(path).stem
        changelog_file = root / changelog_path(api)
        changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.is_file() else ""
        base_version = None if old_document is None else old_document.version
        head_version = None if new_document is None else new_document.version
        verdict = judge(api, findings, base_version, head_version, changelog)
        verdict = with_rejects(verdict, api, rejects)
        reports.append(
            DocumentReport(api, path, base_version, head_version, findings, verdict, rejects)
        )
    return reports


def write_reports(
    reports_dir: Path, label: str, reports: list[DocumentReport], markdown: str
) -> None:
    """changes.md and changes.json in `reports_dir`; the Markdown also to GitHub's job summary."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    (reports_dir / "changes.md").write_text(markdown, encoding="utf-8")
    (reports_dir / "changes.json").write_text(
        json.dumps(to_json(label, reports), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as summary:
            summary.write(markdown)


def build_parser() -> ArgumentParser:
    """The command's options (the docs' reference shows them as built here)."""
    parser = ArgumentParser(prog="python -m campaign_contracts.spec_changes", description=__doc__)
    parser.add_argument("base", nargs="?", help="git revision to compare with")
    parser.add_argument("--root", type=Path, default=Path(), help="repository root")
    parser.add_argument("--reports", type=Path, default=Path("reports"), help="output folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    root: Path = args.root
    if not root.is_dir():
        parser.error(f"--root {root}: no such folder")
    try:
        revision = args.base or default_base(root)
        commit = commit_of(root, revision)
        reports = compare_tree(root, commit)
    except (GitError, DocumentError) as error:
        print(f"changes: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a document that cannot be read (a folder, no permission, ...)
        print(f"changes: error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    except Exception as error:
        # A bug of the comparison: exit 1 would read as a failed gate, and it is not one.
        traceback.print_exc()
        print(f"changes: error: the comparison failed: {error!r}", file=sys.stderr)
        return 2
    label = commit[:12] if revision == commit else f"{revision} ({commit[:12]})"
    markdown = to_markdown(label, reports)
    try:
        write_reports(root / args.reports, label, reports, markdown)
    except OSError as error:
        print(f"changes: error: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    print(markdown)
    failures = [report.verdict.message for report in reports if not report.verdict.passed]
    for message in failures:
        print(f"changes: gate failed: {message}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
