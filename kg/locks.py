"""Taking turns between processes: an exclusive lock on a file beside what they change."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def turn(path: Path) -> Iterator[None]:
    """Hold the lock of changes to `path` (the file `.<name>.lock` beside it), waiting while
    another process holds it; released when the block ends or the process does, however it ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
