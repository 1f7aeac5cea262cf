"""The documents evidence and parity judge traffic by: the registry's, or those of a folder."""

from __future__ import annotations

from pathlib import Path

from campaign_contracts.cli import ArgumentParser
from campaign_contracts.documents import Document
from campaign_contracts.registry import APIS


def _shown(path: Path) -> Path:
    """`path` relative to the working directory when inside it: reports name the files the
    way the team types them (`openapi/engage.yaml`)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def load_documents(folder: Path | None = None) -> dict[str, Document]:
    """Each registered API's document, from `folder/<api>.yaml` when a folder is given;
    DocumentError, in one line, for one that does not load."""
    return {
        entry.name: entry.load(
            _shown(folder / entry.document_file if folder is not None else entry.document_path)
        )
        for entry in APIS.values()
    }


def recordings_parser(prog: str, description: str) -> ArgumentParser:
    """The options of a command that reads recordings: the HAR files, and where the
    documents are."""
    parser = ArgumentParser(prog=prog, description=description)
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.har", help="recordings")
    parser.add_argument(
        "--documents",
        type=Path,
        metavar="DIR",
        help="read <api>.yaml from DIR instead of openapi/",
    )
    return parser
