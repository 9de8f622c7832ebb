"""What is wrong with a tracker file: each problem where it is, and the error that lists them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (row and column, when known) and what."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row else "", self.column or "") if part
        )
        return f"{where}: {self.message}" if where else self.message


class TrackerFileError(Exception):
    """The file cannot be imported; `problems` says every reason, and nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def because(cls, message: str, *, row: int | None = None) -> "TrackerFileError":
        """The error for a file with one problem: the file itself, or its header."""
        return cls([Problem(message, row=row)])
