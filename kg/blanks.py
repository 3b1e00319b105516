"""Readable, stable labels for the blank nodes of the built files.

A blank node is named by where it hangs: the local name of the IRI that refers to it
and the property, `_:share-range` (the rdfs:range of erkg:share); an item of an RDF
list by its position, `_:share-range-withRestrictions-2`; a blank node no one refers to
(an owl:AllDisjointClasses axiom) by its type. Where several share a name, they are
numbered (`_:AllDisjointClasses_2`) in the order of their input labels. The blank nodes
(today all in the ontology) come labelled canonically, by content (kg/ontology.py), so
the same sources give the same names in every build."""

from __future__ import annotations

import re

import pyoxigraph as ox

from .namespaces import RDF

FIRST, REST, TYPE = (ox.NamedNode(str(p)) for p in (RDF.first, RDF.rest, RDF.type))


def _local(term: ox.NamedNode) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", re.split(r"[#/]", term.value.rstrip("/#"))[-1]) or "node"


def readable_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """`quads` with each blank node relabelled by where it hangs, in N-Quads line order."""
    referrers: dict[ox.BlankNode, list[ox.Quad]] = {}
    types: dict[ox.BlankNode, list[str]] = {}
    blanks: set[ox.BlankNode] = set()
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.BlankNode):
                blanks.add(term)
        if isinstance(q.object, ox.BlankNode):
            referrers.setdefault(q.object, []).append(q)
        if isinstance(q.subject, ox.BlankNode) and q.predicate == TYPE and isinstance(q.object, ox.NamedNode):
            types.setdefault(q.subject, []).append(_local(q.object))
    lists = {q.subject for q in quads if q.predicate == FIRST}
    names: dict[ox.BlankNode, str] = {}

    def referrer(node: ox.BlankNode) -> ox.Quad | None:
        refs = sorted(referrers.get(node, []), key=str)
        return refs[0] if refs else None

    def depth(node: ox.BlankNode, seen: frozenset[ox.BlankNode] = frozenset()) -> int:
        ref = referrer(node)
        if ref is None or not isinstance(ref.subject, ox.BlankNode) or ref.subject in seen | {node}:
            return 0
        return 1 + depth(ref.subject, seen | {node})

    def candidate(node: ox.BlankNode) -> str:
        """The name by where it hangs; the blank node it hangs from is named already."""
        ref = referrer(node)
        if ref is None or ref.subject not in names and isinstance(ref.subject, ox.BlankNode):
            return "-".join(sorted(types.get(node, []))) or "node"
        owner = names[ref.subject] if isinstance(ref.subject, ox.BlankNode) else _local(ref.subject)
        if ref.predicate == REST:  # the next item of a list: one position further
            head, _, position = owner.rpartition("-")
            return f"{head}-{int(position) + 1}" if position.isdigit() else f"{owner}-2"
        if ref.predicate == FIRST:
            return f"{owner}-item"
        return f"{owner}-{_local(ref.predicate)}" + ("-1" if node in lists else "")

    levels: dict[int, list[ox.BlankNode]] = {}
    used: set[str] = set()
    for node in sorted(blanks, key=lambda b: b.value):  # canonical labels: a stable order
        levels.setdefault(depth(node), []).append(node)
    for level in sorted(levels):  # a blank node's referrer is named before it
        by_name: dict[str, list[ox.BlankNode]] = {}
        for node in levels[level]:
            by_name.setdefault(candidate(node), []).append(node)
        for label, nodes in by_name.items():
            for i, node in enumerate(nodes, 1):
                name = label if len(nodes) == 1 else f"{label}_{i}"
                while name in used:  # two blank nodes must never share a label: that would merge them
                    i += len(nodes)
                    name = f"{label}_{i}"
                names[node] = name
                used.add(name)

    def relabel(term):
        return ox.BlankNode(names[term]) if isinstance(term, ox.BlankNode) else term

    return sorted((ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph_name) for q in quads), key=str)
