"""`erkg build`: curated sources -> checked, validated dataset files in build/.

All files are written into a fresh directory beside the target and swapped in
only once every check has passed, so a failed build leaves the previous
build/ as it was. Builds of one target take turns (a lock file beside it), so
two commands started at once, such as two `erkg serve` on a stale build/, do
not swap over each other, and the second finds the first one's build fresh.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .curation import Document, load_documents
from .entail import inferred_triples
from .graph import Builder
from .layout import BuildLayout
from .locks import turn
from .namespaces import DEFAULT_BASE, RDF, Iris, curie
from .ontology import load_ontology, load_turtle
from .output import dataset_of, sorted_quads, with_inferred, write_all
from .errors import ValidationError
from .queries import load_queries, load_store, violations
from .targets import untraced_check, with_targets
from .validate import check_consistency, check_shapes


@dataclass(frozen=True)
class BuildConfig:
    data: Path = Path("data")
    ontology: Path = Path("ontology/erkg.ttl")
    shapes: Path = Path("ontology/shapes.ttl")
    queries: Path = Path("queries")
    out: Path = BuildLayout().root
    base: str = DEFAULT_BASE
    reason: bool = True  # run HermiT; tests of bad input may skip it for speed
    include_unreviewed: bool = False  # also build drafts of `erkg add` not yet reviewed

    @property
    def layout(self) -> BuildLayout:
        return BuildLayout(self.out)

    def sources(self) -> list[Path]:
        """The files a build reads: curated data, ontology and shapes, queries."""
        roots = {self.data, self.ontology.parent, self.shapes.parent, self.queries}
        return [p for root in sorted(roots) for p in root.rglob("*") if p.is_file()]

    def is_stale(self) -> bool:
        """True if `out` holds no finished build, or one older than any of its sources."""
        stamp = self.layout.summary
        if not stamp.exists():
            return True
        built = stamp.stat().st_mtime
        return any(p.stat().st_mtime > built for p in self.sources())


@dataclass(frozen=True)
class Summary:
    version: str
    triples: int
    documents: list[str]
    classes: dict[str, int] = field(default_factory=dict)
    inferred: int = 0  # triples of the inferred graph, part of `triples`

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def table(self) -> str:
        width = max(map(len, self.classes), default=0)
        rows = [f"  {name:<{width}}  {n:>5}" for name, n in sorted(self.classes.items())]
        return "\n".join([
            f"ERKG dataset {self.version[:12]}: {self.triples} triples ({self.inferred} inferred) "
            f"from {len(self.documents)} documents",
            "instances per class (direct types):", *rows,
        ])




def build(config: BuildConfig) -> Summary:
    """Build, validate and publish the dataset into config.out; return its summary."""
    with turn(config.out):
        return _build(config)


def build_if_stale(config: BuildConfig) -> Summary | None:
    """Build unless config.out holds a build newer than its sources; the summary if it built.
    Waits while another process builds into config.out, then sees that build."""
    with turn(config.out):
        return _build(config) if config.is_stale() else None


@dataclass(frozen=True)
class Curated:
    """The curated sources, checked and turned into RDF: what the build validates and writes."""

    iris: Iris
    ontology: Graph
    documents: list[Document]
    builder: Builder
    data: Dataset


def curate(config: BuildConfig) -> Curated:
    """Load the ontology and the documents, check them and build their graphs."""
    iris = Iris(config.base)
    ontology = load_ontology(config.ontology, iris)
    documents = load_documents(config.data, config.include_unreviewed)
    builder = Builder(documents, ontology, iris)
    return Curated(iris, ontology, documents, builder, builder.dataset())


def reason(owl_file: Path, curated: Curated) -> None:
    """HermiT's consistency check of ontology and data (erkg-full.owl); an inconsistency
    names the curated items involved."""
    check_consistency(owl_file, curated.builder.whereabouts(), curated.iris.prefixes())


def _build(config: BuildConfig) -> Summary:
    curated = curate(config)
    iris, ontology, documents, data = curated.iris, curated.ontology, curated.documents, curated.data
    shapes = with_targets(load_turtle(config.shapes, iris), ontology, iris, config.shapes)
    checks = {**load_queries(config.queries), "untraced-fact-violation": untraced_check(ontology, iris, config.ontology)}
    quads = sorted_quads(dataset_of(ontology, data, iris))
    inferred = inferred_triples(quads, ox.NamedNode(str(iris.ontology)), ox.NamedNode(str(iris.inferred)))
    quads = with_inferred(quads, inferred)

    out = config.layout
    _remove_leftovers(out)
    staging = out.staging(os.getpid())
    staging.root.mkdir()
    try:
        version = write_all(staging.root, quads, iris)
        merged = Graph()
        for g in data.graphs():
            for t in g:
                merged.add(t)
        check_shapes(merged + ontology, ontology, shapes, config.shapes)
        failed = violations(load_store(staging.dataset), checks, iris.prefixes())
        if failed:
            raise ValidationError("quality checks failed:\n" + "\n".join(
                f"  - {name}: {len(rows)} row(s), e.g. {rows[0]}" for name, rows in sorted(failed.items())))
        if config.reason:
            reason(staging.full_owl, curated)
        prefixes = iris.prefixes()
        classes = Counter(curie(str(o), prefixes) for o in merged.objects(None, RDF.type))
        summary = Summary(version, len(quads), [d.id for d in documents], dict(classes), len(inferred))
        staging.summary.write_text(summary.to_json(), encoding="utf-8")
        _swap(staging, out)
    finally:
        shutil.rmtree(staging.root, ignore_errors=True)
    return summary


def _remove_leftovers(out: BuildLayout) -> None:
    """Remove the staging directories of builds killed midway. Called under the lock of
    builds into `out`: no other build is writing one."""
    for staging in out.staged():
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: BuildLayout, out: BuildLayout) -> None:
    """Replace out by staging; out is missing only between two renames."""
    retired = out.retired(os.getpid())
    if out.root.exists():
        out.root.rename(retired)
    staging.root.rename(out.root)
    shutil.rmtree(retired, ignore_errors=True)
