"""On-disk Oxigraph stores made from dataset files, for read-only serving, the
leases by which servers hold a dataset version, and what a server tells of its
dataset (DatasetStats).

A store is loaded once per dataset version (SHA-256 of the file) into a
cache directory and reused; several processes can then open it read-only.
Its statistics (triples per graph) are computed at load time, since counting
ten million triples on every start would be slow.

A server serves a version it holds by a lease: a snapshot of the dataset file in
the cache (a hard link, which a rebuild's replacing the file does not touch) and
a shared lock on the version's lock file, held while the server serves it. A
version's snapshot and store are removed (prune) only once no process holds them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import ErkgError
from .locks import turn

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
           ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
           ".jsonld": ox.RdfFormat.JSON_LD}


@dataclass(frozen=True)
class DatasetStats:
    """What a server tells of its dataset: a version that changes with its content
    (for ETags) and its size per graph (for the service description)."""

    version: str
    triples: int
    graphs: dict[str, int]  # named graph IRI ("" for the default graph) -> triples


@dataclass(frozen=True)
class StoreInfo(DatasetStats):
    """An on-disk store of a dataset file; its version is the file's SHA-256."""

    path: Path
    dataset: Path


def file_version(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_format(dataset: Path) -> ox.RdfFormat:
    """The RDF format of a dataset file, by its suffix; ErkgError if it is missing or unknown."""
    if not dataset.is_file():
        raise ErkgError(f"{dataset}: dataset file not found")
    fmt = FORMATS.get(dataset.suffix.lower())
    if fmt is None:
        raise ErkgError(f"{dataset}: unknown RDF format; use one of {', '.join(sorted(FORMATS))}")
    return fmt


def materialize(dataset: Path, cache: Path, version: str | None = None) -> StoreInfo:
    """The on-disk store of a dataset file (of `version`, if known), loading it if this
    version has no store yet; processes that load one version at once take turns."""
    fmt = dataset_format(dataset)
    version = version or file_version(dataset)
    path = cache / version[:32]
    stats_file = path / "erkg-stats.json"
    if not stats_file.exists():
        with turn(path):
            if not stats_file.exists():  # else another process loaded it while this one waited
                _load(dataset, fmt, path)
    graphs = json.loads(stats_file.read_text(encoding="utf-8"))
    return StoreInfo(version, sum(graphs.values()), graphs, path=path, dataset=dataset)


def _load(dataset: Path, fmt: ox.RdfFormat, path: Path) -> None:
    """Load the dataset into a fresh store at `path`, with its statistics."""
    staging = path.parent / f".{path.name}.loading"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        store = ox.Store(str(staging))
        store.bulk_load(path=dataset, format=fmt)
        store.flush()
        graphs = graph_sizes(store)
        store.optimize()
        del store  # closes the database before it is moved and opened read-only
    except (SyntaxError, ValueError, OSError) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise ErkgError(f"{dataset}: cannot load: {e}") from None
    (staging / "erkg-stats.json").write_text(json.dumps(graphs, sort_keys=True), encoding="utf-8")
    shutil.rmtree(path, ignore_errors=True)
    staging.rename(path)


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph, and in the default graph (under the empty key)."""
    sizes = {"": 0}
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in rows:
        sizes[row["g"].value] = int(row["n"].value)
    sizes[""] = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return sizes


@dataclass(frozen=True)
class Lease:
    """A dataset version held for serving: `dataset` is its snapshot in the cache."""

    version: str
    dataset: Path
    lock: IO[str]  # holds a shared lock on the version's lock file while open

    def release(self) -> None:
        """Let the version go, and remove every version no process holds any more."""
        self.lock.close()
        prune(self.dataset.parent)


def lease(dataset: Path, cache: Path, leave_out: frozenset[str] = frozenset()) -> Lease:
    """Hold the version the dataset file has now, by a snapshot of it in `cache`: what a
    rebuild writes later is another file, and another version. With `leave_out` (predicate
    IRIs), the snapshot is the dataset without their triples, as N-Quads: another version."""
    fmt = dataset_format(dataset)
    cache.mkdir(parents=True, exist_ok=True)
    taken = cache / f".{os.getpid()}-{threading.get_ident()}.taken"
    taken.unlink(missing_ok=True)
    try:
        if leave_out:
            try:
                quads = (q for q in ox.parse(path=dataset, format=fmt) if q.predicate.value not in leave_out)
                ox.serialize(quads, output=taken, format=ox.RdfFormat.N_QUADS)
            except (SyntaxError, ValueError) as e:
                raise ErkgError(f"{dataset}: cannot load: {e}") from None
        else:
            try:
                os.link(dataset, taken)
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(dataset, taken)
        version = file_version(taken)
        lock = _hold(cache / f"{version[:32]}.lock")
        snapshot = cache / f"{version[:32]}{'.nq' if leave_out else dataset.suffix.lower()}"
        os.replace(taken, snapshot)
    finally:
        taken.unlink(missing_ok=True)
    return Lease(version, snapshot, lock)


def _hold(path: Path) -> IO[str]:
    """The file at `path`, created if missing, open with a shared lock on it; opened
    again if prune removed it before the lock was held."""
    while True:
        lock = open(path, "a")
        fcntl.flock(lock, fcntl.LOCK_SH)
        try:
            if os.stat(path).st_ino == os.fstat(lock.fileno()).st_ino:
                return lock
        except FileNotFoundError:
            pass
        lock.close()


def prune(cache: Path) -> list[str]:
    """Remove the snapshot and store of every leased version that no process holds now;
    their names. Versions never leased (no lock file: `erkg load`'s store) stay."""
    removed = []
    for path in cache.glob("*.lock"):
        if path.name.startswith("."):  # a lock of loading (materialize), not of a version
            continue
        try:
            lock = open(path, "r")
        except FileNotFoundError:  # removed by another process meanwhile
            continue
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # held
                continue
            name = path.stem
            shutil.rmtree(cache / name, ignore_errors=True)
            for snapshot in cache.glob(f"{name}.*"):
                if snapshot != path:
                    snapshot.unlink(missing_ok=True)
            path.unlink(missing_ok=True)  # last, still locked: a process waiting for it opens it anew
            removed.append(name)
    return removed
