"""The one error of the document model."""

from __future__ import annotations


class DocumentError(ValueError):
    """A document that cannot be used. The message is one line naming the source first.

    `line` and `column` (1-based) say where, when YAML gave a position; None otherwise.
    """

    def __init__(
        self, source: str, problem: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
        self.line = line
        self.column = column
