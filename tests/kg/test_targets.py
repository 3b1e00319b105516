"""The ontology marks the classes that must be traced and bilingual (erkg:mustBeTraced,
erkg:mustBeBilingual); the build makes the SHACL targets and the untraced-things query
from the marks. What they check now is what the three hand-written lists checked before,
and a newly marked class is checked with no other edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.build import build
from kg.errors import ErkgError, ValidationError
from kg.namespaces import RDFS, SH, Iris, curie
from kg.ontology import load_ontology, load_turtle
from kg.queries import run
from kg.targets import marked, untraced_check, with_targets
from tests.conftest import ROOT, repo_config

E, ORG, FOAF = "https://w3id.org/erkg/ontology#", "http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/"
OA, SKOS = "http://www.w3.org/ns/oa#", "http://www.w3.org/2004/02/skos/core#"
SHAPES = "https://w3id.org/erkg/shapes#"

# The three lists as they were written before the marks (shapes.ttl twice, the query once).
BEFORE_TRACED_SHAPE = {E + "Fact", ORG + "Post", ORG + "Membership", E + "Study", E + "RespondentGroup",
                       E + "Proposition", E + "Topic", E + "Checklist", FOAF + "Person", E + "Place"}
BEFORE_BILINGUAL_SHAPE = {E + "Fact", ORG + "Post", ORG + "Membership", E + "Study", E + "RespondentGroup",
                          E + "Proposition", E + "Topic", E + "Checklist", E + "SourceDocument", FOAF + "Person",
                          ORG + "Organization", E + "Place", SKOS + "Concept", SKOS + "ConceptScheme",
                          OA + "SpecificResource", OA + "Selector"}
BEFORE_UNTRACED_QUERY = {E + "Finding", E + "ResponsibilityClaim", E + "RelationClaim", E + "Recommendation",
                         E + "Statement", ORG + "Post", ORG + "Membership", E + "Study", E + "RespondentGroup",
                         E + "Proposition", E + "Topic", E + "Responsibility", E + "Checklist", FOAF + "Person",
                         E + "Place"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ROOT / "ontology" / "erkg.ttl", Iris())


def with_subclasses(classes: set[str], ontology: Graph) -> set[str]:
    """The classes and all their subclasses: what a target class covers."""
    return {str(s) for c in classes for s in ontology.transitive_subjects(RDFS.subClassOf, URIRef(c))}


def test_the_marks_check_what_the_three_lists_checked(ontology):
    traced = {str(c) for c in marked(ontology, Iris(), "mustBeTraced")}
    bilingual = {str(c) for c in marked(ontology, Iris(), "mustBeBilingual")}
    assert traced == BEFORE_TRACED_SHAPE and bilingual == BEFORE_BILINGUAL_SHAPE
    # The query listed subclasses of Fact and Topic where the shape listed Fact and Topic;
    # with the subclasses, both cover the same classes, and the marks cover them too.
    assert with_subclasses(BEFORE_UNTRACED_QUERY, ontology) < with_subclasses(BEFORE_TRACED_SHAPE, ontology)
    assert (with_subclasses(BEFORE_TRACED_SHAPE, ontology) - with_subclasses(BEFORE_UNTRACED_QUERY, ontology)
            == {E + "Fact", E + "Claim"})  # a direct instance of these slipped through the query only
    assert with_subclasses(traced, ontology) == with_subclasses(BEFORE_TRACED_SHAPE | BEFORE_UNTRACED_QUERY, ontology)

    shapes = with_targets(load_turtle(ROOT / "ontology" / "shapes.ttl", Iris()), ontology, Iris(), Path("shapes.ttl"))
    assert {str(c) for c in shapes.objects(URIRef(SHAPES + "Traced"), SH.targetClass)} == traced
    assert {str(c) for c in shapes.objects(URIRef(SHAPES + "Bilingual"), SH.targetClass)} == bilingual
    query = untraced_check(ontology, Iris(), Path("erkg.ttl")).text
    assert all(f" {curie(c, Iris().prefixes())} " in query for c in traced)


THROWAWAY = """
erkg:Throwaway a owl:Class ;
    erkg:mustBeTraced true ;
    rdfs:label "Wegwerfklasse"@de , "throwaway class"@en ;
    skos:definition "Nur für einen Test."@de , "Only for a test."@en .

<https://w3id.org/erkg/id/throwaway/x> a erkg:Throwaway , owl:NamedIndividual ;
    rdfs:label "x"@de , "x"@en .
"""


def test_a_newly_marked_class_is_checked_with_no_other_edit(tmp_path):
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    ontology = tmp_path / "ontology" / "erkg.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + THROWAWAY, encoding="utf-8")
    config = repo_config(data=tmp_path / "data", ontology=ontology, shapes=tmp_path / "ontology" / "shapes.ttl",
                         queries=tmp_path / "queries", out=tmp_path / "build", reason=False)
    with pytest.raises(ValidationError, match=r"id/throwaway/x http://www.w3.org/ns/prov#wasDerivedFrom: "
                                              r"must rest on a quotation"):
        build(config)
    assert not (tmp_path / "build").exists()

    # The generated query finds it too (the build stops at the shapes first).
    store = ox.Store()
    store.load(path=ontology, format=ox.RdfFormat.TURTLE)
    query = untraced_check(load_ontology(ontology, Iris()), Iris(), ontology)
    rows = [(r["thing"].value, r["type"].value) for r in run(store, query.text, Iris().prefixes())]
    assert rows == [("https://w3id.org/erkg/id/throwaway/x", E + "Throwaway")]


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("erkg:mustBeBilingual true", "erkg:mustBeBilingual \"yes\""),
     r"erkg:mustBeBilingual \"yes\": the value must be true or false"),
    (lambda t: t.replace("erkg:mustBeTraced true", "erkg:mustBeTraced false"),
     r"no class of the ontology is marked erkg:mustBeTraced true"),
])
def test_a_bad_mark_is_refused(tmp_path, edit, message):
    text = (ROOT / "ontology" / "erkg.ttl").read_text(encoding="utf-8")
    (tmp_path / "erkg.ttl").write_text(edit(text), encoding="utf-8")
    ontology = load_ontology(tmp_path / "erkg.ttl", Iris())
    with pytest.raises(ErkgError, match=message):
        with_targets(load_turtle(ROOT / "ontology" / "shapes.ttl", Iris()), ontology, Iris(), Path("shapes.ttl"))


def test_shapes_that_list_their_own_targets_are_refused(tmp_path, ontology):
    shapes = load_turtle(ROOT / "ontology" / "shapes.ttl", Iris())
    shapes.add((URIRef(SHAPES + "Traced"), SH.targetClass, URIRef(E + "Fact")))
    with pytest.raises(ErkgError, match=r"shapes.ttl: shape:Traced lists its own sh:targetClass; mark the classes"):
        with_targets(shapes, ontology, Iris(), Path("shapes.ttl"))
