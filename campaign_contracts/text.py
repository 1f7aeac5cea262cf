"""Text helpers the reports and error messages share."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_cell(text: str) -> str:
    """`text` as one Markdown table cell, plain or inside a code span: a `|` would end the
    cell, a newline the row, a backtick the code span."""
    return text.replace("|", "\\|").replace("\n", " ").replace("`", "'")
