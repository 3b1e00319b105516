"""Release versions (MAJOR.MINOR.PATCH) and the releases kept in a directory: what
`erkg release` checks and the server lists, without the build's imports."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import ErkgError

_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


class ReleaseError(ErkgError):
    """The release cannot be made as asked; nothing was changed."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = _VERSION.fullmatch(text)
    if match is None:
        raise ReleaseError(f"{text!r} is not a version: give MAJOR.MINOR.PATCH, e.g. 0.2.0")
    return int(match[1]), int(match[2]), int(match[3])


def releases(directory: Path) -> list[str]:
    """The versions released in `directory`, oldest first."""
    if not directory.is_dir():
        return []
    found = [p.name for p in directory.iterdir() if p.is_dir() and _VERSION.fullmatch(p.name)]
    return sorted(found, key=parse_version)
