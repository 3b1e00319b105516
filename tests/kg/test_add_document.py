"""Adding a document end to end: `erkg add` a new article into a copy of data/, review the
draft (simulated by accepting it), build, and find its survey finding over SPARQL."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from api.cli import main
from kg.build import build
from kg.curation import load_documents
from kg.namespaces import Iris
from kg.queries import load_store, run

from tests.conftest import ROOT, repo_config

pytestmark = pytest.mark.build  # runs the builder (reasoner included) itself

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


# ---------------------------------------------------------------- concurrent adds, bad metadata


def _fresh(tmp_path: Path) -> Path:
    for name in ("data", "ontology"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _add_process(ws: Path, article: Path, doc_id: str, *meta: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "api.cli", "add", str(article), "--id", doc_id, *_args(ws)]
    for m in meta:
        args += ["--meta", m]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _files(ws: Path, doc_id: str) -> list[Path]:
    data = ws / "data"
    return [data / "sources" / f"{doc_id}.txt", data / "sources" / f"{doc_id}.yaml", data / "facts" / f"{doc_id}.yaml"]


def test_two_adds_of_one_id_at_once_one_is_refused(tmp_path):
    ws = _fresh(tmp_path)
    articles = []
    for i in (1, 2):
        (ws / f"article{i}.txt").write_text(ARTICLE.replace("Anna Beispiel", f"Anna Beispiel{i}"), encoding="utf-8")
        articles.append(ws / f"article{i}.txt")
    runs = [_add_process(ws, a, "same", f"title=Title {i}") for i, a in enumerate(articles, 1)]
    outcomes = [(p.wait(120), *p.communicate()) for p in runs]
    assert sorted(code for code, _, _ in outcomes) == [0, 1], outcomes
    code, _, err = next(o for o in outcomes if o[0] == 1)
    assert "document 'same' exists already" in err and "Traceback" not in err
    winner = outcomes.index(next(o for o in outcomes if o[0] == 0)) + 1
    text, meta, draft = _files(ws, "same")
    # The three files are the winner's, whole.
    assert text.read_text(encoding="utf-8") == (ws / f"article{winner}.txt").read_text(encoding="utf-8")
    assert yaml.safe_load(meta.read_text(encoding="utf-8"))["title"] == f"Title {winner}"
    assert [p["person"] for p in yaml.safe_load(draft.read_text(encoding="utf-8"))["posts"]] == [f"anna-beispiel{winner}"]


def test_two_adds_shortly_after_each_other_both_succeed(tmp_path):
    ws = _fresh(tmp_path)
    (ws / "article.txt").write_text(ARTICLE, encoding="utf-8")
    first = _add_process(ws, ws / "article.txt", "first-doc")
    time.sleep(0.2)
    second = _add_process(ws, ws / "article.txt", "second-doc")
    outcomes = [(p.wait(120), *p.communicate()) for p in (first, second)]
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    for doc_id in ("first-doc", "second-doc"):
        assert all(p.is_file() for p in _files(ws, doc_id))
    ids = [d.id for d in load_documents(ws / "data", include_unreviewed=True)]
    assert "first-doc" in ids and "second-doc" in ids


BAD_META = {
    "unclosed quote": (b'title: "Umfrage\nlanguage: de\n', "line 3, column 1: found unexpected end of stream"),
    "python tag": (b"title: !!python/object/apply:os.system ['true']\n",
                   "line 1, column 8: could not determine a constructor for the tag"),
    "not UTF-8": ("title: Übersicht\n".encode("latin-1"), "not UTF-8 (invalid continuation byte at byte 7)"),
    "no such date": (b"title: Umfrage\ndate: 2024-13-45\n", "a date that does not exist (month must be in 1..12)"),
}


@pytest.mark.min_cases(4)
@pytest.mark.parametrize("kind", BAD_META)
def test_malformed_metadata_is_one_line_and_exit_code_2(kind, tmp_path):
    ws = _fresh(tmp_path)
    (ws / "article.txt").write_text(ARTICLE, encoding="utf-8")
    content, problem = BAD_META[kind]
    meta = ws / "meta.yaml"
    meta.write_bytes(content)
    run = _add_process(ws, ws / "article.txt", "bad-meta", str(meta))
    code, out, err = run.wait(120), *run.communicate()
    assert code == 2, err
    assert err.startswith(f"erkg add: error: {meta}: {problem}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not any(p.exists() for p in _files(ws, "bad-meta"))
