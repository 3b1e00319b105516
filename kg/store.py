"""On-disk Oxigraph stores made from dataset files, for read-only serving, and
what a server tells of its dataset (DatasetStats).

A store is loaded once per dataset version (SHA-256 of the file) into a
cache directory and reused; several processes can then open it read-only.
Its statistics (triples per graph) are computed at load time, since counting
ten million triples on every start would be slow.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import ErkgError

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


def materialize(dataset: Path, cache: Path) -> StoreInfo:
    """The on-disk store of a dataset file, loading it if this version has no store yet."""
    fmt = dataset_format(dataset)
    version = file_version(dataset)
    path = cache / version[:32]
    stats_file = path / "erkg-stats.json"
    if not stats_file.exists():
        staging = cache / f".{version[:32]}.loading"
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
    graphs = json.loads(stats_file.read_text(encoding="utf-8"))
    return StoreInfo(version, sum(graphs.values()), graphs, path=path, dataset=dataset)


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples per named graph, and in the default graph (under the empty key)."""
    sizes = {"": 0}
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in rows:
        sizes[row["g"].value] = int(row["n"].value)
    sizes[""] = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return sizes
