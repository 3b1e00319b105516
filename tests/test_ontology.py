"""The hand-edited ontology: every term is labelled and defined in German and English,
nothing is imported, and every role the documents name is there."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from kg.namespaces import OWL, RDF, RDFS, SKOS

from .conftest import ROOT

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDFS.Datatype)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "erkg.ttl")


def _langs(graph: Graph, term, prop) -> list[str]:
    return sorted(o.language for o in graph.objects(term, prop) if getattr(o, "language", None))


def test_every_term_has_labels_and_definitions_in_both_languages(ontology):
    terms = sorted({s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)})
    assert len(terms) > 60
    for term in terms:
        assert _langs(ontology, term, RDFS.label) == ["de", "en"], f"{term}: one rdfs:label per language"
        assert _langs(ontology, term, SKOS.definition) == ["de", "en"], f"{term}: a definition per language"


def test_every_concept_has_one_preferred_label_per_language(ontology):
    concepts = sorted(set(ontology.subjects(SKOS.inScheme, None)))
    assert len(concepts) > 50
    for concept in concepts:
        assert _langs(ontology, concept, SKOS.prefLabel) == ["de", "en"], concept
        assert _langs(ontology, concept, SKOS.definition) == ["de", "en"], concept


def test_nothing_is_imported(ontology):
    # ORG, PROV-O, OA, SKOS and Dublin Core are not OWL 2 DL as published; their terms are declared instead.
    assert not list(ontology.objects(None, OWL.imports))


@pytest.mark.parametrize("slug, german", [
    ("cmo", "Chief Marketing Officer"), ("cio", "Chief Information Officer"), ("cco", "Chief Customer Officer"),
    ("cdo", "Chief Digital Officer"), ("ceo", "Chief Executive Officer"), ("cto", "Chief Technology Officer"),
    ("cfo", "Chief Financial Officer"),
])
def test_executive_roles(ontology, slug, german):
    role = URIRef(f"https://w3id.org/erkg/id/role/{slug}")
    assert (role, RDF.type, URIRef("https://w3id.org/erkg/ontology#ExecutiveRole")) in ontology
    assert (role, SKOS.prefLabel, Literal(german, lang="de")) in ontology
