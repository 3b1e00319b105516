"""The hand-edited ontology: every term is labelled and defined in German and English,
nothing is imported, and every role the documents name is there, written as they write it."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import ErkgError
from kg.namespaces import OWL, RDF, RDFS, SKOS, Iris
from kg.ontology import load_ontology

from tests.conftest import ROOT

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


def test_every_concept_has_one_label_per_language(ontology):
    concepts = sorted(set(ontology.subjects(SKOS.inScheme, None)))
    assert len(concepts) > 50
    for concept in concepts:
        assert _langs(ontology, concept, RDFS.label) == ["de", "en"], concept
        assert _langs(ontology, concept, SKOS.definition) == ["de", "en"], concept


def test_the_label_is_written_once_and_the_build_adds_the_skos_preferred_label(ontology):
    assert not list(ontology.triples((None, SKOS.prefLabel, None))), "erkg.ttl writes rdfs:label only"
    loaded = load_ontology(ROOT / "ontology" / "erkg.ttl", Iris())
    concepts = set(loaded.subjects(SKOS.inScheme, None))
    assert set(loaded.subjects(SKOS.prefLabel, None)) == concepts
    for concept in concepts:
        assert set(loaded.objects(concept, SKOS.prefLabel)) == set(loaded.objects(concept, RDFS.label)), concept


def test_a_preferred_label_written_in_the_source_is_refused(tmp_path):
    source = tmp_path / "erkg.ttl"
    source.write_text((ROOT / "ontology" / "erkg.ttl").read_text(encoding="utf-8")
                      + '<https://w3id.org/erkg/id/role/cmo> skos:prefLabel "CMO"@en .\n', encoding="utf-8")
    with pytest.raises(ErkgError, match=r"erkg\.ttl: write labels as rdfs:label, not skos:prefLabel .*role/cmo"):
        load_ontology(source, Iris())


def _roles(ontology: Graph) -> list[URIRef]:
    return sorted(ontology.subjects(SKOS.inScheme, URIRef("https://w3id.org/erkg/id/scheme/roles")))


def test_role_labels_are_written_as_the_documents_write_them(ontology):
    """A role label that the documents write (in any case) is written in their case: "Chief
    Marketing Officer", "Vice Chairman". An occurrence inside a longer role label ("Head" in
    "Head of Business Development") does not count for the shorter one."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "sources").glob("*.txt")))
    labels = sorted({str(o) for r in _roles(ontology) for o in ontology.objects(r, RDFS.label)}, key=len)
    checked = 0
    for i, label in enumerate(labels):
        masked = text
        for longer in labels[i + 1:]:
            masked = masked.replace(longer, " ")
        written = {m.group() for m in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", masked, re.IGNORECASE)}
        if written:
            checked += 1
            assert label in written, f"{label!r} is written {sorted(written)} in the documents"
    assert checked >= 15


def test_executive_roles_are_titled_in_title_case(ontology):
    executive = sorted(ontology.subjects(RDF.type, URIRef("https://w3id.org/erkg/ontology#ExecutiveRole")))
    assert len(executive) == 7
    for role in executive:
        for label in ontology.objects(role, RDFS.label):
            assert all(word[0].isupper() for word in str(label).split()), f"{role}: {label!r}"


def test_nothing_is_imported(ontology):
    # ORG, PROV-O, OA, SKOS and Dublin Core are not OWL 2 DL as published; their terms are declared instead.
    assert not list(ontology.objects(None, OWL.imports))


@pytest.mark.parametrize("slug, german", [
    ("cmo", "Chief Marketing Officer"), ("cio", "Chief Information Officer"), ("cco", "Chief Customer Officer"),
    ("cdo", "Chief Digital Officer"), ("ceo", "Chief Executive Officer"), ("cto", "Chief Technology Officer"),
    ("cfo", "Chief Financial Officer"),
])
def test_executive_roles(ontology, slug, german):
    """The C-level titles are English in German texts too: the same label in both languages."""
    role = URIRef(f"https://w3id.org/erkg/id/role/{slug}")
    assert (role, RDF.type, URIRef("https://w3id.org/erkg/ontology#ExecutiveRole")) in ontology
    assert (role, RDFS.label, Literal(german, lang="de")) in ontology
    assert (role, RDFS.label, Literal(german, lang="en")) in ontology
