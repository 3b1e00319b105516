"""Writing the built dataset: every serialization, byte-identical for the same input.

rdflib assembles the graph; the files are written by pyoxigraph from quads in
sorted N-Quads order (blank nodes already labelled canonically), which is what
makes the output deterministic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .blanks import readable_blank_nodes
from .headers import Headers
from .layout import BuildLayout
from .namespaces import Iris

# build/ file name -> what it holds. The README documents the same list.
FILES = {
    BuildLayout.TRIG: "the dataset: the ontology graph, one named graph per source document and the graph of "
                 "what the ontology entails about them (TriG)",
    BuildLayout.NQUADS: "the same dataset as N-Quads",
    BuildLayout.JSONLD: "the same dataset as JSON-LD",
    BuildLayout.ONTOLOGY_TTL: "the ontology (Turtle)",
    BuildLayout.ONTOLOGY_OWL: "the ontology (RDF/XML, for Protégé)",
    BuildLayout.DATA_TTL: "the data as asserted, importing the ontology (Turtle)",
    BuildLayout.DATA_OWL: "the data as asserted, importing the ontology (RDF/XML, for Protégé)",
    BuildLayout.FULL_OWL: "ontology and data as asserted in one file (RDF/XML)",
    BuildLayout.CATALOG: "XML catalog: resolves the ontology import locally in Protégé",
    BuildLayout.SUMMARY: "counts per class and the dataset version",
}


# Suffixes of the files that are RDF: the dumps VoID lists (the catalog and the summary are not).
RDF_SUFFIXES = (".trig", ".nq", ".jsonld", ".ttl", ".nt", ".owl", ".rdf")


# The files published with the dataset: all but the build's own record.
PUBLISHED = tuple(name for name in FILES if name != BuildLayout.SUMMARY)


# The published files that hold no source text (the others hold every document's erkg:text).
WITHOUT_SOURCE_TEXTS = ("ontology.ttl", "ontology.owl", "catalog-v001.xml")


def dumps(dataset: Path, rdf_only: bool = False, source_texts: bool = True) -> dict[str, Path]:
    """File name -> path of the files to publish with a dataset file: the build's files
    (PUBLISHED) beside it when it is one of them, else the file alone; without
    `source_texts`, only those known to hold no source text."""
    found = ({name: dataset.parent / name for name in PUBLISHED if (dataset.parent / name).is_file()}
             if dataset.name in FILES else {dataset.name: dataset} if dataset.is_file() else {})
    if not source_texts:
        found = {n: p for n, p in found.items() if dataset.name in FILES and n in WITHOUT_SOURCE_TEXTS}
    return {n: p for n, p in found.items() if p.suffix in RDF_SUFFIXES} if rdf_only else found


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """The dataset's quads in N-Quads line order."""
    lines = sorted(set(dataset.serialize(format="nquads").splitlines()))
    return list(ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS))


def with_inferred(quads: list[ox.Quad], inferred: list[ox.Quad]) -> list[ox.Quad]:
    """Both in one list in N-Quads line order."""
    return sorted({*quads, *inferred}, key=str)


def dataset_of(ontology: Graph, data: Dataset, iris: Iris) -> Dataset:
    """Ontology (in its own named graph) and data as one dataset."""
    ds = Dataset()
    og = ds.graph(iris.ontology)
    for t in ontology:
        og.add(t)
    for g in data.graphs():
        if len(g):
            target = ds.graph(g.identifier)
            for t in g:
                target.add(t)
    return ds


def catalog(names: list[str], ontology_file: str) -> str:
    """An XML catalog that resolves each of `names` (the ontology IRI, its version IRI) to the file."""
    entries = "".join(f'    <uri name={quoteattr(name)} uri={quoteattr(ontology_file)}/>\n' for name in names)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
            f"{entries}</catalog>\n")


def _triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def write_all(out: Path, quads: list[ox.Quad], iris: Iris) -> str:
    """Write every file of FILES but the summary into out; return the dataset version
    (SHA-256 of the N-Quads). The dataset files hold the inferred graph; the OWL and
    Turtle files hold what is asserted, since an OWL tool (Protégé) runs its own reasoner
    and would show inferred triples as asserted axioms. Each file starts with its
    ontology header (kg/headers.py); blank nodes carry readable labels."""
    prefixes = iris.prefixes()
    quads = readable_blank_nodes(quads)
    onto_graph, inferred = ox.NamedNode(str(iris.ontology)), ox.NamedNode(str(iris.inferred))
    ontology = _triples(q for q in quads if q.graph_name == onto_graph)
    data = _triples(q for q in quads if q.graph_name not in (onto_graph, inferred))
    headers = Headers(ontology, iris)
    quads = headers.dataset_first(quads)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    layout = BuildLayout(out)
    layout.dataset.write_bytes(nquads)
    ox.serialize(quads, layout / layout.TRIG, ox.RdfFormat.TRIG, prefixes=prefixes)
    ox.serialize(quads, layout / layout.JSONLD, ox.RdfFormat.JSON_LD, prefixes=prefixes)
    for ttl, owl, triples in ((layout.ONTOLOGY_TTL, layout.ONTOLOGY_OWL, headers.ontology_file()),
                              (layout.DATA_TTL, layout.DATA_OWL, headers.data_file(data))):
        ox.serialize(triples, layout / ttl, ox.RdfFormat.TURTLE, prefixes=prefixes)
        ox.serialize(triples, layout / owl, ox.RdfFormat.RDF_XML, prefixes=prefixes)
    ox.serialize(headers.full_file(data), layout.full_owl, ox.RdfFormat.RDF_XML, prefixes=prefixes)
    (layout / layout.CATALOG).write_text(catalog(headers.ontology_iris(), layout.ONTOLOGY_OWL), encoding="utf-8")
    return hashlib.sha256(nquads).hexdigest()
