"""Loading the hand-edited ontology (ontology/erkg.ttl) under a chosen base IRI."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph

from .errors import ErkgError
from .namespaces import DEFAULT_BASE, Iris


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


def load_ontology(path: Path, iris: Iris) -> Graph:
    """The ontology with blank nodes labelled canonically, so that builds are byte-identical."""
    return to_canonical_graph(load_turtle(path, iris))
