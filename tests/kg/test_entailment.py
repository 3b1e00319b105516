"""What the ontology entails about the data is served: the build materializes it into
<base>graph/inferred (kg/entail.py), the default graph includes it, and it is what
HermiT concludes. The asserted graphs alone are one protocol parameter away."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.entail import materialize
from kg.namespaces import ORG, OWL, RDF, Iris
from kg.queries import asserted_graphs, run

from tests.conftest import ROOT

pytestmark = pytest.mark.build  # runs HermiT (Java) and the build itself

PREFIXES = Iris().prefixes()
OWL_CLASS, RDF_TYPE = ox.NamedNode(str(OWL.Class)), ox.NamedNode(str(RDF.type))


def count(store: ox.Store, where: str, default_graph: list[ox.NamedNode] | None = None) -> int:
    rows = run(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", PREFIXES, default_graph=default_graph)
    return int(next(iter(rows))["n"].value)


# ---------------------------------------------------------------- the served graph


@pytest.mark.parametrize("where, because", [
    ("?x a org:Role", "?x a erkg:Role"),                         # ExecutiveRole ⊑ Role ⊑ org:Role
    ("?x a prov:Entity", "?x a erkg:Fact"),                      # Fact ⊑ prov:Entity
    ("?x a erkg:Fact", "?x a erkg:Finding"),                     # Finding ⊑ Fact
    ("?p org:holds ?post", "?post org:heldBy ?p"),               # inverse
    ("?o org:hasPost ?post", "?post org:postIn ?o"),
    ("?d erkg:ledBy ?r", "?r erkg:leadsDepartment ?d"),
    ("?x a skos:Concept", "?x skos:inScheme ?scheme"),           # Role, Department … ⊑ skos:Concept
    ("?c erkg:relates ?x", "?c erkg:firstParty|erkg:secondParty ?x"),  # subproperties
])
def test_the_union_answers_what_the_ontology_entails(store, iris, where, because):
    """The asserted graphs hold none of these; the union holds one for every row of `because`."""
    assert count(store, where, asserted_graphs(store, str(iris.inferred))) == 0
    assert count(store, where) >= count(store, because) > 0


def test_every_concept_is_a_skos_concept_by_entailment(store, iris):
    assert count(store, "?x skos:inScheme ?s FILTER NOT EXISTS { ?x a skos:Concept }") == 0
    assert count(store, f"GRAPH <{iris.inferred}> {{ ?x a skos:Concept }}") == count(store, "?x skos:inScheme ?s")


def test_only_assertions_about_individuals_are_inferred(store, iris):
    inferred = ox.NamedNode(str(iris.inferred))
    quads = list(store.quads_for_pattern(None, None, None, inferred))
    assert quads
    # classes, properties, datatypes, axioms: what the ontology types with the OWL or RDFS vocabulary
    terms = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, None, ox.NamedNode(str(iris.ontology)))
             if q.object.value.startswith((str(OWL), "http://www.w3.org/2000/01/rdf-schema#"))}
    assert len(terms) > 100
    for q in quads:
        assert q.subject not in terms, f"about a term of the ontology: {q}"
        assert q.object.value not in (str(OWL.Thing), "http://www.w3.org/2000/01/rdf-schema#Resource"), q
        assert q.predicate == RDF_TYPE or not q.predicate.value.startswith((str(OWL), str(RDF))), q
        # nothing inferred is also asserted
        assert not [o for o in store.quads_for_pattern(q.subject, q.predicate, q.object) if o.graph_name != inferred]


def test_the_dataset_files_hold_the_inferred_graph_and_the_owl_files_do_not(build_dir, iris, summary):
    inferred = str(iris.inferred)
    assert f"<{inferred}>" in (build_dir / "erkg.trig").read_text(encoding="utf-8")
    assert f"<{inferred}>" in (build_dir / "erkg.nq").read_text(encoding="utf-8")
    assert inferred in (build_dir / "erkg.jsonld").read_text(encoding="utf-8")
    assert summary.inferred > 0
    for name in ("erkg-data.owl", "erkg-full.owl", "erkg-data.ttl"):
        g = Graph().parse(build_dir / name)
        assert not list(g.triples((None, ORG.holds, None))), name
        assert not list(g.triples((None, RDF.type, ORG.Role))), name


# ---------------------------------------------------------------- HermiT


def test_the_served_class_assertions_are_hermits(build_dir, store, iris):
    """HermiT (owlready2) realizes erkg-full.owl, which holds what is asserted only. Every class
    assertion it infers about a named individual and a named class of the ontology is served,
    and the served graph holds none it does not infer."""
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((build_dir / "erkg-full.owl").resolve().as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    classes = {q.subject.value for q in store.quads_for_pattern(None, RDF_TYPE, OWL_CLASS, ox.NamedNode(str(iris.ontology)))}
    individuals = {r["x"].value for r in run(store, "SELECT DISTINCT ?x { ?x ?p ?o FILTER isIRI(?x) }", PREFIXES)}
    individuals -= classes | {str(iris.ontology)}
    hermit = set()
    for iri in individuals:
        thing = world[iri]
        if isinstance(thing, owlready2.Thing):
            hermit |= {(iri, c.iri) for c in thing.INDIRECT_is_a if isinstance(c, owlready2.ThingClass) and c.iri in classes}
    served = {(r["x"].value, r["c"].value) for r in run(store, "SELECT DISTINCT ?x ?c { ?x a ?c FILTER isIRI(?x) }", PREFIXES)
              if r["c"].value in classes and r["x"].value in individuals}
    asserted = {(r["x"].value, r["c"].value) for r in run(store, "SELECT DISTINCT ?x ?c { ?x a ?c }", PREFIXES,
                                                          default_graph=asserted_graphs(store, str(iris.inferred)))}
    assert len(hermit - asserted) > 1000, "HermiT infers class assertions that are not asserted"
    assert hermit - served == set(), "HermiT infers these and the served graph lacks them"
    assert served - hermit == set(), "served but not HermiT's conclusion"


# ---------------------------------------------------------------- the rules


def test_the_rules_follow_the_ontologys_axioms_to_a_fixpoint():
    """A new axiom needs no new rule: subclass chains, equivalence, inverses, symmetry,
    subproperties and domains combine however the ontology states them."""
    store = ox.Store()
    onto, data = ox.NamedNode("urn:t:onto"), ox.NamedNode("urn:t:data")
    store.update(f"""
        PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX : <urn:t:>
        INSERT DATA {{
          GRAPH {onto} {{
            :A a owl:Class . :B a owl:Class . :C a owl:Class . :D a owl:Class . :E a owl:Class .
            :A rdfs:subClassOf :B . :B owl:equivalentClass :C . :C rdfs:subClassOf owl:Thing .
            :p a owl:ObjectProperty ; owl:inverseOf :q . :q a owl:ObjectProperty ; rdfs:domain :D .
            :s a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:subPropertyOf :p .
            :label a owl:AnnotationProperty ; rdfs:domain :E .
          }}
          GRAPH {data} {{ :x a :A ; :s :y . :y :label "y" . }}
        }}""")
    target = ox.NamedNode("urn:t:inferred")
    done = materialize(store, onto, target)
    t = {(q.subject.value[6:], q.predicate.value.rsplit("#", 1)[-1].removeprefix("urn:t:"), q.object.value[6:])
         for q in store.quads_for_pattern(None, None, None, target)}
    assert t == {
        ("x", "type", "B"), ("x", "type", "C"),   # subclass, then equivalent class (owl:Thing left out)
        ("y", "s", "x"),                          # symmetric
        ("x", "p", "y"), ("y", "p", "x"),         # subproperty of both directions
        ("y", "q", "x"), ("x", "q", "y"),         # inverse
        ("y", "type", "D"), ("x", "type", "D"),   # domain of the inverse
    }
    assert done.triples == len(t) and done.rounds >= 3
    assert {g.value for g in store.named_graphs()} == {"urn:t:onto", "urn:t:data", "urn:t:inferred"}


# ---------------------------------------------------------------- over HTTP


def test_the_service_description_states_the_regime_and_the_inferred_graph(server, iris, store):
    answer = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    g = Graph().parse(data=answer.text, format="turtle")
    rows = {str(r.regime) for r in g.query(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT ?regime WHERE { ?s a sd:Service ; sd:defaultEntailmentRegime ?regime }")}
    assert rows == {"http://www.w3.org/ns/entailment/OWL-RDF-Based"}
    size = g.query(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> PREFIX void: <http://rdfs.org/ns/void#> "
        "SELECT ?n ?regime WHERE { ?named sd:name ?name ; sd:entailmentRegime ?regime ; sd:graph/void:triples ?n }",
        initBindings={"name": URIRef(str(iris.inferred))})
    (n, regime), = [(int(r.n), str(r.regime)) for r in size]
    assert n == count(store, f"GRAPH <{iris.inferred}> {{ ?s ?p ?o }}") > 0
    assert regime == "http://www.w3.org/ns/entailment/OWL-RDF-Based"


def test_default_graph_uri_names_the_asserted_graphs(server, store, iris):
    query = "PREFIX org: <http://www.w3.org/ns/org#> SELECT (COUNT(*) AS ?n) WHERE { ?x a org:Role }"

    def roles(params: list[tuple[str, str]]) -> int:
        answer = httpx.get(f"{server.url}/sparql", params=[("query", query), *params],
                           headers={"Accept": "application/sparql-results+json"}, timeout=10)
        answer.raise_for_status()
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    asserted = [("default-graph-uri", g.value) for g in asserted_graphs(store, str(iris.inferred))]
    assert roles([]) == count(store, "?x a org:Role") > 0
    assert roles(asserted) == 0


def test_erkg_query_asserted(build_dir):
    import subprocess
    import sys
    cmd = [sys.executable, "-m", "kg.cli", "query", "--dataset", str(build_dir / "erkg.nq"), "-f", "csv",
           "SELECT (COUNT(*) AS ?n) WHERE { ?x a org:Role }"]
    union = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    asserted = subprocess.run(cmd + ["--asserted"], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
    assert union[0] == asserted[0] == "n"
    assert int(union[1]) > 0 and asserted[1] == "0"
