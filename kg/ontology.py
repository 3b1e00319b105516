"""Loading the hand-edited ontology (ontology/erkg.ttl) under a chosen base IRI.

Labels follow one convention: the source gives every term and concept one
rdfs:label per language, the property every tool reads (Protégé, the pages,
the REST API, the named queries). SKOS consumers expect skos:prefLabel on the
concepts of a scheme; the build adds it, equal to the rdfs:label, so the two
cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph

from .errors import ErkgError
from .namespaces import DEFAULT_BASE, RDFS, SKOS, Iris


def rebase(graph: Graph, old: str, new: str) -> Graph:
    """A copy of graph with every IRI under `old` moved under `new`."""
    if old == new:
        return graph
    def move(t):
        return URIRef(new + t[len(old):]) if isinstance(t, URIRef) and t.startswith(old) else t
    out = Graph()
    for s, p, o in graph:
        out.add((move(s), move(p), move(o)))
    return out


def load_turtle(path: Path, iris: Iris) -> Graph:
    """A hand-edited Turtle file (ontology, shapes) under the build's base IRI."""
    try:
        graph = Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise ErkgError(f"{path}: file not found") from None
    except Exception as e:  # rdflib raises several parser exception types
        raise ErkgError(f"{path}: not valid Turtle: {e}") from None
    return rebase(graph, DEFAULT_BASE, iris.base)


def with_preferred_labels(graph: Graph, path: Path) -> Graph:
    """graph with a skos:prefLabel, equal to its rdfs:label, on every concept of a scheme;
    ErkgError where the source writes a skos:prefLabel itself (the label is written once)."""
    written = sorted({str(s) for s in graph.subjects(SKOS.prefLabel, None)})
    if written:
        raise ErkgError(f"{path}: write labels as rdfs:label, not skos:prefLabel (the build adds skos:prefLabel "
                        f"to the concepts of a scheme): {', '.join(written)}")
    for concept in set(graph.subjects(SKOS.inScheme, None)):
        for label in graph.objects(concept, RDFS.label):
            graph.add((concept, SKOS.prefLabel, label))
    return graph


def load_ontology(path: Path, iris: Iris) -> Graph:
    """The ontology with its derived labels, blank nodes labelled canonically, so that
    builds are byte-identical."""
    return to_canonical_graph(with_preferred_labels(load_turtle(path, iris), path))
