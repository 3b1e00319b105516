"""Adding a document end to end: `erkg add` a new article into a copy of data/, review the
draft (simulated by accepting it), build, and find its survey finding over SPARQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from api.cli import main
from kg.build import build
from kg.curation import load_documents
from kg.namespaces import Iris
from kg.queries import load_store, run

from .conftest import ROOT, repo_config

ARTICLE = """\
Umfrage: CMOs wollen die Kundenerfahrung verantworten

Die Studie „Customer Experience Leadership 2024“ zeigt, dass 62 Prozent der CMOs die Verantwortung für die Kundenerfahrung übernehmen wollen. Fast die Hälfte der IT-Leiter sieht das anders.

„Wir brauchen eine gemeinsame Strategie“, sagt Anna Beispiel, seit 2019 Chief Marketing Officer bei Beispielwerk.
"""

FINDING = """
SELECT ?finding ?share ?qualifier ?wording ?role ?quote ?start WHERE {
  ?finding a erkg:Finding ; erkg:share ?share ; erkg:shareQualifier ?qualifier ; erkg:shareWording ?wording ;
           erkg:respondentGroup ?group ; prov:wasDerivedFrom ?q .
  ?group erkg:groupRole ?role .
  ?q oa:hasSource document:customer-experience-survey ;
     oa:hasSelector ?sel .
  ?sel oa:exact ?quote .
  OPTIONAL { ?q oa:hasSelector/oa:start ?start }
} ORDER BY ?share
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("add")
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, ws / name)
    (ws / "article.txt").write_text(ARTICLE, encoding="utf-8")
    return ws


def _args(ws: Path) -> list[str]:
    return ["--data", str(ws / "data"), "--ontology", str(ws / "ontology" / "erkg.ttl")]


@pytest.fixture(scope="module")
def added(workspace) -> Path:
    ws = workspace
    assert main(["add", str(ws / "article.txt"), "--id", "customer-experience-survey", *_args(ws),
                 "--meta", "title=Umfrage: CMOs wollen die Kundenerfahrung verantworten",
                 "--meta", "label-en=Survey: CMOs want to own the customer experience",
                 "--meta", "language=de", "--meta", "date=2024-05-01"]) == 0
    return ws


def test_add_stores_text_metadata_and_unreviewed_draft(added):
    data = added / "data"
    assert (data / "sources" / "customer-experience-survey.txt").read_text(encoding="utf-8") == ARTICLE
    meta = yaml.safe_load((data / "sources" / "customer-experience-survey.yaml").read_text(encoding="utf-8"))
    assert meta["label"] == {"de": "Umfrage: CMOs wollen die Kundenerfahrung verantworten",
                             "en": "Survey: CMOs want to own the customer experience"}
    draft = yaml.safe_load((data / "facts" / "customer-experience-survey.yaml").read_text(encoding="utf-8"))
    assert draft["review"]["status"] == "unreviewed"
    shares = sorted((f["share"], f["qualifier"], f["group"]) for f in draft["findings"])
    assert shares == [(50, "almost", "it-leaders"), (62, "exactly", "cmos")]  # curated groups, referenced
    assert [(p["person"], p["role"], p["since"]) for p in draft["posts"]] == [("anna-beispiel", "cmo", 2019)]
    assert all(0 <= c <= 1 for c in draft["review"]["confidence"].values())
    # the repository's own data is untouched
    assert not (ROOT / "data" / "sources" / "customer-experience-survey.txt").exists()


def test_adding_twice_is_refused(added, capsys):
    assert main(["add", str(added / "article.txt"), "--id", "customer-experience-survey", *_args(added)]) == 1
    assert "exists already" in capsys.readouterr().err


def test_unreviewed_drafts_are_not_built(added):
    ids = [d.id for d in load_documents(added / "data")]
    assert "customer-experience-survey" not in ids and len(ids) == 5
    assert "customer-experience-survey" in [d.id for d in load_documents(added / "data", include_unreviewed=True)]


@pytest.fixture(scope="module")
def reviewed_build(added) -> Path:
    facts = added / "data" / "facts" / "customer-experience-survey.yaml"
    draft = yaml.safe_load(facts.read_text(encoding="utf-8"))
    draft["review"]["status"] = "reviewed"  # the curator accepts the draft as it is
    facts.write_text(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = added / "build"
    summary = build(repo_config(data=added / "data", ontology=added / "ontology" / "erkg.ttl",
                                shapes=added / "ontology" / "shapes.ttl", queries=added / "queries", out=out))
    assert "customer-experience-survey" in summary.documents
    return out


def test_the_finding_is_in_the_graph(reviewed_build):
    iris = Iris()
    rows = list(run(load_store(reviewed_build / "erkg.nq"), FINDING, iris.prefixes()))
    got = [(float(r["share"].value), r["qualifier"].value.rsplit("/", 1)[-1], r["wording"].value,
            r["role"].value.rsplit("/", 1)[-1]) for r in rows]
    assert got == [(0.5, "almost", "Fast die Hälfte", "cio"), (0.62, "exactly", "62 Prozent", "cmo")]  # shares as fractions
    for r in rows:
        assert r["quote"].value in ARTICLE


def test_served_over_sparql(reviewed_build, start_server):
    server = start_server(reviewed_build / "erkg.nq", query_workers=1, timeout=10)
    query = ("PREFIX erkg: <https://w3id.org/erkg/ontology#> "
             "SELECT ?person ?since WHERE { ?post a <http://www.w3.org/ns/org#Post> ; "
             "?p <https://w3id.org/erkg/id/role/cmo> . ?post ?q ?person . "
             "?person a <http://xmlns.com/foaf/0.1/Person> . FILTER(CONTAINS(STR(?person), 'anna-beispiel')) }")
    r = httpx.get(f"{server.url}/sparql", params={"query": FINDING_HTTP}, timeout=30)
    r.raise_for_status()
    shares = sorted(float(b["share"]["value"]) for b in r.json()["results"]["bindings"])
    assert shares == [0.5, 0.62]
    r = httpx.get(f"{server.url}/sparql", params={"query": query}, timeout=30)
    r.raise_for_status()
    assert r.json()["results"]["bindings"], "the post of Anna Beispiel is served"


FINDING_HTTP = """
PREFIX erkg: <https://w3id.org/erkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?finding ?share WHERE {
  ?finding a erkg:Finding ; erkg:share ?share ; prov:wasDerivedFrom ?q .
  ?q oa:hasSource <https://w3id.org/erkg/id/document/customer-experience-survey> .
}
"""


def test_build_with_include_unreviewed(tmp_path):
    """`erkg build --include-unreviewed` builds a draft as it is; without it the draft is left out."""
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["add", str(tmp_path / "article.txt"), "--id", "draft-doc", *_args(tmp_path)]) == 0
    config = dict(data=tmp_path / "data", ontology=tmp_path / "ontology" / "erkg.ttl",
                  shapes=tmp_path / "ontology" / "shapes.ttl", queries=tmp_path / "queries", reason=False)
    assert "draft-doc" not in build(repo_config(out=tmp_path / "b1", **config)).documents
    assert "draft-doc" in build(repo_config(out=tmp_path / "b2", include_unreviewed=True, **config)).documents
