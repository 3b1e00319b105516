"""What the ontology entails about the data, materialized into a graph of its own.

The rules are the OWL 2 RL/RDF rules for class and property hierarchies,
equivalent classes and properties, domains, ranges, inverse and symmetric
properties (kg/rules/*.rq, SPARQL Update, run by pyoxigraph). They are fixed:
each reads the ontology's axioms from a schema graph, so a new axiom needs no
new rule. schema.rq first closes the axioms (transitive subclass and
subproperty, inverses both ways) and keeps only those about object and data
properties and named classes, so only assertions about individuals (ABox) are
derived: no schema triples, no owl:Thing, no rdfs:Resource.

Evaluation is semi-naive: every ABox rule has a single premise about
individuals (the other is an axiom), so each round joins only the triples the
round before derived (its delta) with the axioms, and never repeats a join.
Round 0 reads every graph; the fixpoint is reached when a round derives nothing
that is not already known.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

RULES = Path(__file__).parent / "rules"
ABOX_RULES = ("cax-sco", "prp-spo", "prp-dom", "prp-rng", "prp-inv", "prp-symp")

# Names the rules use for the graphs: the ontology's, the closed axioms, the triples a round
# reads (its delta) and the two it writes to: its own graph, read by the next round, and the
# inferred graph (inserting twice is much cheaper than an ADD, which copies). materialize()
# puts the real graphs in; the scratch graphs exist only while it runs.
ONTOLOGY, SCHEMA, DELTA, NEXT, INFERRED = (f"urn:x-erkg:{g}" for g in ("ontology", "schema", "delta", "next", "inferred"))


@dataclass(frozen=True)
class Materialized:
    graph: ox.NamedNode  # where the inferred triples now are
    triples: int
    rounds: int  # rounds run until nothing new was derived (the last derives nothing)


def _rule(name: str, ontology: ox.NamedNode, target: ox.NamedNode, delta: str | None = None,
          derived: str = NEXT) -> str:
    """Rule `name` as it runs: reading the triples of graph `delta` (None: of every graph,
    as round 0 does), writing to graphs `derived` and `target`."""
    text = (RULES / f"{name}.rq").read_text(encoding="utf-8").replace(f"<{ONTOLOGY}>", str(ontology))
    text = text.replace(f"<{NEXT}>", f"<{derived}>").replace(f"<{INFERRED}>", str(target))
    return text.replace(f"GRAPH <{DELTA}>", f"GRAPH <{delta}>" if delta else "GRAPH ?source")


def materialize(store: ox.Store, ontology: ox.NamedNode, target: ox.NamedNode) -> Materialized:
    """Derive what the ontology (the axioms in graph `ontology`) entails about the
    individuals of every named graph of `store`, into graph `target` (emptied first).
    Round k writes into a graph of its own, which round k+1 reads as its delta (graphs
    are not renamed or added: in Oxigraph a MOVE or ADD copies every triple, slowly)."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }"

    def size(graph: str) -> int:
        return int(next(iter(store.query(count % graph)))["n"].value)

    store.update(f"DROP SILENT GRAPH <{SCHEMA}> ; DROP SILENT GRAPH {target}")
    store.update(_rule("schema", ontology, target))
    rounds, delta = 0, None
    while True:
        derived = f"{NEXT}-{rounds}"
        for name in ABOX_RULES:
            store.update(_rule(name, ontology, target, delta, derived))
        rounds += 1
        if delta:
            store.update(f"DROP SILENT GRAPH <{delta}>")
        if size(derived) == 0:
            break
        delta = derived
    store.update(f"DROP SILENT GRAPH <{SCHEMA}> ; DROP SILENT GRAPH <{derived}>")
    return Materialized(target, size(target.value), rounds)


def inferred_triples(quads: list[ox.Quad], ontology: ox.NamedNode, target: ox.NamedNode) -> list[ox.Quad]:
    """The quads (in graph `target`) that the ontology entails about the individuals of `quads`
    and that `quads` do not hold already."""
    store = ox.Store()
    store.extend(quads)
    materialize(store, ontology, target)
    return list(store.quads_for_pattern(None, None, None, target))
