"""Reading a document from a file or from text, every failure one DocumentError line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from campaign_contracts.documents.errors import DocumentError
from campaign_contracts.documents.model import Document
from campaign_contracts.documents.validity import check_openapi

# libyaml's loader when PyYAML was built with it: it reads the documents about ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["DocumentError", "load_document", "parse_document", "read_yaml"]


def _position(error: yaml.YAMLError, text: str) -> tuple[int | None, int | None]:
    """The 1-based line and column of a YAML error, when it has one."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    # A ReaderError (a control character) has no mark, only a position in the text.
    position = getattr(error, "position", None)
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
    return None, None


def read_yaml(text: str, source: str) -> Any:
    """The YAML `text` (named `source` in errors) as data; DocumentError if it is not YAML.

    The message gives the line (`not valid YAML (line 3): did not find expected ',' or ']'`);
    the error's `line` and `column` attributes give both.
    """
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        line, column = _position(error, text)
        where = f" (line {line})" if line is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise DocumentError(
            source, f"not valid YAML{where}: {problem}", line=line, column=column
        ) from None


def parse_document(text: str, source: str, name: str | None = None) -> Document:
    """The document in YAML `text`; `source` names it in errors, `name` defaults to its stem.

    It must be valid OpenAPI 3.1 (`validity.py`), or its consumers would each fail their own
    way (`type: strng` judged as a change of type, a generator's `$.type`).
    """
    raw = read_yaml(text, source)
    document = Document(raw, source, name or Path(source).stem)
    check_openapi(raw, text, source)
    return document


def load_document(path: Path, name: str | None = None) -> Document:
    """The document in the file at `path`; `name` (for `$ref` URIs) defaults to its stem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DocumentError(str(path), str(error.strerror)) from None
    except UnicodeDecodeError as error:
        raise DocumentError(str(path), f"not UTF-8: {error.reason}") from None
    return parse_document(text, str(path), name)
