"""`erkg build` on bad input: one clear message naming file, item and reason;
a non-zero exit; the previous build left as it was. And on good input:
byte-identical output, IRIs under the chosen base."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from kg.build import build, build_if_stale
from kg.errors import CurationError, ErkgError, ValidationError
from kg.queries import load_queries, load_store, violations
from kg.namespaces import OWL, RDF, RDFS, Iris
from kg.blanks import readable_blank_nodes
from kg.output import dumps
from kg.ontology import load_ontology
from kg.targets import marked

from tests.conftest import ROOT, repo_config

pytestmark = pytest.mark.build  # runs the builder (reasoner included) itself


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the sources that a test may break."""
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def config(ws: Path, **kw):
    return repo_config(data=ws / "data", ontology=ws / "ontology" / "erkg.ttl",
                       shapes=ws / "ontology" / "shapes.ttl", queries=ws / "queries",
                       out=ws / "build", reason=False, **kw)


def edit_facts(ws: Path, doc: str, change) -> None:
    path = ws / "data" / "facts" / f"{doc}.yaml"
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(facts)
    path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fingerprint(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def first(facts: dict, key: str, **match) -> dict:
    return next(i for i in facts[key] if all(i.get(k) == v for k, v in match.items()))


def _unknown_field(f):
    first(f, "findings")["colour"] = "red"


def _quote_missing(f):
    first(f, "posts")["quote"] = "Dieser Satz steht nicht im Artikel."


def _undefined_ref(f):
    first(f, "findings")["group"] = "astronauts"


def _wrong_kind(f):
    first(f, "posts")["role"] = "daniel-weisbeck"


def _share_too_big(f):
    first(f, "findings", share=53)["share"] = 153


def _share_negative(f):
    first(f, "findings", share=53)["share"] = -1


def _missing_field(f):
    del first(f, "findings")["proposition"]


def _context_without_quote(f):
    item = first(f, "findings", share=53)
    item["context"] = "Die Netbiscuits-Studie hat gezeigt"


def _duplicate_fact_id(f):
    f["claims"][1]["id"] = f["claims"][0]["id"]


def _unknown_modality(f):
    f["claims"][0]["modality"] = "perhaps"


BAD_FACTS = [
    # (case, mutation, words the message must contain besides the file name)
    ("unknown field", _unknown_field, ["findings[0]", "unknown field 'colour'"]),
    ("quote not in text", _quote_missing, ["posts[0]", "is not in the source text"]),
    ("undefined reference", _undefined_ref, ["findings[0]", "'group'", "'astronauts' is not a defined group"]),
    ("reference of the wrong kind", _wrong_kind, ["posts[0]", "'daniel-weisbeck' is a person", "not a role"]),
    ("share above 100 %", _share_too_big, ["findings[", "share", "less than or equal to 100"]),
    ("share below 0 %", _share_negative, ["findings[", "share", "greater than or equal to 0"]),
    ("missing field", _missing_field, ["findings[0]", "missing required field 'proposition'"]),
    ("context without the quote", _context_without_quote, ["findings[", "does not occur inside its context"]),
    ("duplicate fact id", _duplicate_fact_id, ["claims[1]", "fact id already used"]),
    ("unknown vocabulary", _unknown_modality, ["claims[0]", "'perhaps' is not a defined modality"]),
]


@pytest.mark.min_cases(10)
@pytest.mark.parametrize("case, mutate, words", BAD_FACTS, ids=[c for c, *_ in BAD_FACTS])
def test_bad_fact_is_refused_and_previous_build_kept(workspace, case, mutate, words):
    build(config(workspace))
    before = fingerprint(workspace / "build")
    edit_facts(workspace, "netbiscuits-interview", mutate)
    with pytest.raises(CurationError) as err:
        build(config(workspace))
    message = str(err.value)
    for word in ["netbiscuits-interview.yaml", *words]:
        assert word in message, f"{case}: {word!r} not in {message!r}"
    assert fingerprint(workspace / "build") == before
    assert not [p for p in workspace.iterdir() if p.name.startswith(".build.") and p.suffix != ".lock"], "staging left behind"


def test_ambiguous_quote_names_the_offsets(workspace):
    # This sentence stands twice in the article (body and author box).
    quote = "Enrique Nuñez ist Marketing Manager DACH bei Rackspace."
    text = (workspace / "data" / "sources" / "cmo-cio-divide.txt").read_text(encoding="utf-8")
    assert text.count(quote) == 2

    def ambiguous(f):
        item = f["posts"][0]
        item["quote"] = quote
        item.pop("context", None)
    edit_facts(workspace, "cmo-cio-divide", ambiguous)
    with pytest.raises(CurationError) as err:
        build(config(workspace))
    assert "cmo-cio-divide.yaml: posts[0]" in str(err.value)
    assert "occurs 2 times" in str(err.value) and "add a `context`" in str(err.value)


def test_entity_defined_twice(workspace):
    def redefine(f):
        f["entities"].append({"id": "netbiscuits", "type": "organization", "name": "Netbiscuits",
                              "quote": "nextMedia.Hamburg: Würden Sie sich"})
    edit_facts(workspace, "spors-interview", redefine)
    with pytest.raises(CurationError, match=r"spors-interview\.yaml: entities\[\d+\] 'netbiscuits': id already "
                                            r"defined in \S*netbiscuits-interview\.yaml \(as organization\)"):
        build(config(workspace))


def test_all_problems_reported_at_once(workspace):
    edit_facts(workspace, "netbiscuits-interview", lambda f: (_unknown_field(f), f["posts"][0].update(colour=1)))
    edit_facts(workspace, "spors-interview", lambda f: f["claims"][0].update(colour=2))
    with pytest.raises(CurationError) as err:
        build(config(workspace))
    assert len(err.value.problems) == 3
    assert "spors-interview.yaml" in str(err.value) and "netbiscuits-interview.yaml" in str(err.value)


def test_malformed_yaml(workspace):
    (workspace / "data" / "facts" / "spors-interview.yaml").write_text("document: [unclosed\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"spors-interview\.yaml: not valid YAML"):
        build(config(workspace))


def test_source_text_not_utf8(workspace):
    (workspace / "data" / "sources" / "spors-interview.txt").write_bytes("Kundenversteherin".encode("utf-16"))
    with pytest.raises(CurationError, match=r"spors-interview\.txt: not UTF-8"):
        build(config(workspace))


def test_facts_file_names_another_document(workspace):
    edit_facts(workspace, "spors-interview", lambda f: f.update(document="cmo-challenges"))
    with pytest.raises(CurationError, match=r"spors-interview\.yaml: document: names 'cmo-challenges'"):
        build(config(workspace))


def test_broken_ontology_is_refused(workspace):
    (workspace / "ontology" / "erkg.ttl").write_text("@prefix : <x#> .\n:a :b", encoding="utf-8")
    with pytest.raises(ErkgError, match=r"erkg\.ttl: not valid Turtle"):
        build(config(workspace))


def test_cli_exit_code_and_message(workspace):
    edit_facts(workspace, "netbiscuits-interview", _undefined_ref)
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", "--no-reason", "--out", str(workspace / "build")],
        cwd=workspace, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "erkg build: error:" in result.stderr and "'astronauts' is not a defined group" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workspace / "build").exists()


def test_a_build_is_stale_once_a_source_is_newer(workspace):
    cfg = config(workspace)
    assert cfg.is_stale()  # nothing built yet
    assert build_if_stale(cfg) is not None and not cfg.is_stale()
    assert build_if_stale(cfg) is None
    facts = workspace / "data" / "facts" / "spors-interview.yaml"
    later = (workspace / "build" / "summary.json").stat().st_mtime + 5
    os.utime(facts, (later, later))
    assert cfg.is_stale()


def test_builds_started_together_take_turns(workspace):
    """Two `erkg serve` started at once on a stale build/: one builds, the other waits for it
    and serves that build, rather than both building and swapping over each other."""
    code = (f"from tests.kg.test_build import config; from kg.build import build_if_stale; from pathlib import Path; "
            f"print('built' if build_if_stale(config(Path({str(workspace)!r}))) else 'fresh')")
    runs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outcomes]
    assert sorted(out.strip() for out, _ in outcomes) == ["built", "fresh"]
    assert not config(workspace).is_stale()
    assert sorted(p.name for p in workspace.iterdir() if p.name.startswith(".")) == [".build.lock"]


def test_build_is_deterministic(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    build(repo_config(out=one, reason=False))
    build(repo_config(out=two, reason=False))
    assert fingerprint(one) == fingerprint(two)
    assert {"erkg.trig", "erkg.nq", "erkg.jsonld", "ontology.owl", "erkg-data.owl", "erkg-full.owl",
            "catalog-v001.xml", "summary.json"} <= set(fingerprint(one))


HEADERS = {"erkg.trig": "ontology", "erkg.nq": "ontology", "erkg.jsonld": "ontology", "ontology.ttl": "ontology",
           "ontology.owl": "ontology", "erkg-data.ttl": "data", "erkg-data.owl": "data", "erkg-full.owl": "full"}


def test_every_built_file_starts_with_its_ontology_header(build_dir):
    """The first subject of every RDF file the build writes is the ontology header of its
    artifact (rdf:type owl:Ontology first), and all of the header comes before anything else."""
    assert set(dumps(build_dir / "erkg.nq", rdf_only=True)) == set(HEADERS)
    for name, artifact in HEADERS.items():
        quads = list(ox.parse(path=build_dir / name, format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])
                              or ox.RdfFormat.RDF_XML))
        header = f"https://w3id.org/erkg/{artifact}"
        assert (quads[0].subject.value, quads[0].predicate.value, quads[0].object.value) == (
            header, str(RDF.type), str(OWL.Ontology)), name
        subjects = [q.subject for q in quads]
        first_other = next(i for i, s in enumerate(subjects) if s.value != header)
        assert all(s.value != header for s in subjects[first_other:]), f"{name}: the header is split"
        assert first_other >= 4, f"{name}: a header of {first_other} triple(s)"


def test_blank_nodes_have_readable_labels(build_dir):
    """Blank nodes are named by where they hang (the same in every build: see
    test_build_is_deterministic), not by a hash or a counter."""
    labels = {term.value for q in ox.parse(path=build_dir / "erkg.nq", format=ox.RdfFormat.N_QUADS)
              for term in (q.subject, q.object) if isinstance(term, ox.BlankNode)}
    assert len(labels) > 10
    assert "share-range" in labels and "AllDisjointClasses_1-members-1" in labels, sorted(labels)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*", label) for label in labels), sorted(labels)
    nq = (build_dir / "erkg.nq").read_text(encoding="utf-8")
    assert "<https://w3id.org/erkg/ontology#share> <http://www.w3.org/2000/01/rdf-schema#range> _:share-range " in nq


def test_determinism_does_not_depend_on_hash_seed(tmp_path, build_dir):
    """Another interpreter with another hash seed writes the same bytes as the session build."""
    out = tmp_path / "b"
    subprocess.run([sys.executable, "-m", "kg.cli", "build", "--out", str(out)], cwd=ROOT, check=True,
                   env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}, capture_output=True, timeout=300)
    assert fingerprint(out) == fingerprint(build_dir)


def test_base_iri_is_configurable(tmp_path):
    base = "http://example.org/kg/"
    summary = build(repo_config(out=tmp_path / "b", base=base, reason=False))
    store = load_store(tmp_path / "b" / "erkg.nq")
    ours = [r["s"].value for r in store.query(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?s), '/erkg/') || STRSTARTS(STR(?s), 'http://example.org/')) }")]
    assert ours and all(s.startswith(base) for s in ours)
    assert summary.triples > 5000


@pytest.mark.parametrize("slug", ["a b", "a\nb", "a\x85b", "a<b>", "a\\b", "a\ufffeb"])
def test_an_id_that_cannot_be_in_an_iri_mints_none(slug):
    """rdflib would take it, and log it verbatim (a newline forges a log line)."""
    with pytest.raises(ValueError, match="not an IRI"):
        Iris().thing("role", slug)
    with pytest.raises(ValueError, match="not an IRI"):
        Iris().graph(slug)
    assert str(Iris().thing("role", "chief-marketing-officer-ü")).endswith("/id/role/chief-marketing-officer-ü")


def test_quality_queries_catch_wrong_offsets(build_dir, tmp_path):
    """The -violation queries are real checks: tamper one offset and they fire."""
    lines = (build_dir / "erkg.nq").read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if '<http://www.w3.org/ns/oa#start> "' in line)
    head, _, rest = lines[i].partition('"')
    value, _, tail = rest.partition('"')
    lines[i] = f'{head}"{int(value) + 1}"{tail}'
    tampered = tmp_path / "tampered.nq"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    queries = load_queries(ROOT / "queries")
    assert violations(load_store(build_dir / "erkg.nq"), queries, Iris().prefixes()) == {}
    found = violations(load_store(tampered), queries, Iris().prefixes())
    assert list(found) == ["quote-offsets-violation"] and len(found["quote-offsets-violation"]) == 1


def test_every_class_of_built_individuals_is_held_to_labels_in_both_languages(store):
    """The classes marked erkg:mustBeBilingual (shape:Bilingual's targets) hold every
    individual the build makes (one of its classes or a superclass of it), so a new kind of
    individual cannot go unlabelled; and the build has them labelled: one rdfs:label in
    German and one in English."""
    targets = {str(c) for c in marked(load_ontology(ROOT / "ontology" / "erkg.ttl", Iris()), Iris(), "mustBeBilingual")}
    rows = list(store.query(
        "SELECT ?s (GROUP_CONCAT(DISTINCT STR(?c); separator = ' ') AS ?classes) "
        # one row per label: an individual has several classes (asserted and inferred)
        "       (GROUP_CONCAT(DISTINCT CONCAT(LANG(?label), '|', STR(?label)); separator = '\u001f') AS ?labels) "
        "WHERE { ?s a ?c . ?c a owl:Class . OPTIONAL { ?s rdfs:label ?label } } GROUP BY ?s",
        prefixes={"owl": str(OWL), "rdfs": str(RDFS)}, use_default_graph_as_union=True))
    superclasses: dict[str, set[str]] = {}
    for row in store.query("SELECT ?c ?super WHERE { ?c rdfs:subClassOf* ?super . ?c a owl:Class }",
                           prefixes={"owl": str(OWL), "rdfs": str(RDFS)}, use_default_graph_as_union=True):
        superclasses.setdefault(row["c"].value, set()).add(row["super"].value)
    assert len(rows) > 2000
    for row in rows:
        classes = row["classes"].value.split()
        assert any(superclasses[c] & targets for c in classes), f"{row['s']} ({classes}): no label shape"
        assert sorted(label.split("|", 1)[0] for label in row["labels"].value.split("\u001f")) == ["de", "en"], row["s"]


def test_a_concept_without_an_english_label_is_refused(workspace):
    ontology = workspace / "ontology" / "erkg.ttl"
    text = ontology.read_text(encoding="utf-8")
    line = '    rdfs:label "Kolumnist"@de , "columnist"@en ;\n'
    assert text.count(line) == 1
    ontology.write_text(text.replace(line, '    rdfs:label "Kolumnist"@de ;\n'), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"id/role/columnist http://www.w3.org/2000/01/rdf-schema#label: "
                                              r"needs exactly one rdfs:label in German and one in English"):
        build(config(workspace))


def test_a_document_without_its_address_or_a_note_on_it_breaks_the_shapes():
    """What a citation needs is stated or says why not: a document with neither schema:url nor
    erkg:urlNote, or without a rights statement in both languages, breaks shape:SourceDocument."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, XSD

    from kg.validate import check_shapes

    erkg = Namespace("https://w3id.org/erkg/ontology#")
    doc = URIRef("https://w3id.org/erkg/id/document/d")
    shapes_path = ROOT / "ontology" / "shapes.ttl"
    shapes, ontology = Graph().parse(shapes_path), Graph().parse(ROOT / "ontology" / "erkg.ttl")

    def document(*extra) -> Graph:
        g = Graph()
        for t in [(doc, RDF.type, erkg.SourceDocument), (doc, RDFS.label, Literal("D", lang="de")),
                  (doc, RDFS.label, Literal("D", lang="en")), (doc, erkg.text, Literal("T")),
                  (doc, erkg.textLength, Literal(1, datatype=XSD.nonNegativeInteger)),
                  (doc, DCTERMS.language, Literal("de")), (doc, erkg.dateNote, Literal("not stated", lang="en")),
                  (doc, erkg.publisherNote, Literal("not stated", lang="en")),
                  (doc, erkg.creatorNote, Literal("not stated", lang="en")),
                  (doc, DCTERMS.rights, Literal("Rechte", lang="de")), *extra]:
            g.add(t)
        return g

    english_rights = (doc, DCTERMS.rights, Literal("rights", lang="en"))
    check_shapes(document(english_rights, (doc, erkg.urlNote, Literal("not stated", lang="en"))), ontology,
                 shapes, shapes_path)
    with pytest.raises(ValidationError, match="id/document/d"):
        check_shapes(document(english_rights), ontology, shapes, shapes_path)
    with pytest.raises(ValidationError, match="rights statement"):
        check_shapes(document((doc, erkg.urlNote, Literal("not stated", lang="en"))), ontology, shapes, shapes_path)


def test_two_blank_nodes_never_share_a_label():
    """Names by place can coincide (a node typed p and x, and the x of a node typed p);
    the nodes stay apart."""
    e, rdf_type = "http://example.org/", ox.NamedNode(str(RDF.type))
    one, two, child = ox.BlankNode("one"), ox.BlankNode("two"), ox.BlankNode("child")
    quads = [ox.Quad(one, rdf_type, ox.NamedNode(e + "p")), ox.Quad(one, ox.NamedNode(e + "x"), child),
             ox.Quad(two, rdf_type, ox.NamedNode(e + "p")), ox.Quad(two, rdf_type, ox.NamedNode(e + "x")),
             ox.Quad(child, ox.NamedNode(e + "v"), ox.Literal("1"))]
    labelled = readable_blank_nodes(quads)
    labels = {t.value for q in labelled for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert labels == {"p", "p-x", "p-x_2"}, labels
