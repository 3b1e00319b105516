"""Errors of the build, each carrying what a curator needs to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ErkgError(Exception):
    """Base of every error ERKG reports to its user."""

    exit_code = 1  # of the `erkg` command that reports it


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item of one file."""

    file: Path
    item: str  # e.g. "findings[3] 'cmo-channels'"; "" for the file as a whole
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.item}" if self.item else str(self.file)
        return f"{where}: {self.reason}"


class CurationError(ErkgError):
    """The curated sources are wrong; nothing was built."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the curated sources; nothing was built:\n{lines}")


class ValidationError(ErkgError):
    """The built graph breaks the SHACL shapes or is inconsistent under OWL."""


class QueryError(ErkgError):
    """A named query is missing, malformed or was given bad parameters."""
