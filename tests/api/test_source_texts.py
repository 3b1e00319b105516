"""What the server shows of the stored source texts (ERKG_SOURCE_TEXTS), against real
servers: `full` serves the texts; `quotes` serves only the quoted sentences with their
context, and the full texts nowhere: not at /api/v1/documents/{id}/text, not on the
document pages, not through SPARQL, not in the downloads."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pyoxigraph as ox
import pytest

from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
ERKG = "https://w3id.org/erkg/ontology#"
DOCUMENTS = sorted(p.stem for p in SOURCES.glob("*.txt"))


def count(server, pattern: str) -> int:
    response = httpx.get(f"{server.url}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def page(server, path: str, **params) -> str:
    response = httpx.get(f"{server.url}{path}", params=params, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.text


def test_full_serves_the_texts(server):
    assert count(server, f"?d <{ERKG}text> ?t") == len(DOCUMENTS)
    for doc in DOCUMENTS:
        text = (SOURCES / f"{doc}.txt").read_bytes().decode("utf-8")
        response = httpx.get(f"{server.url}/api/v1/documents/{doc}/text")
        assert response.status_code == 200 and response.text == text
        assert httpx.get(f"{server.url}/api/v1/documents/{doc}").json()["text_served"] is True
    html = page(server, "/id/document/spors-interview")
    assert 'class="source-text"' in html and "Quoted sentences" not in html
    assert "ERKG_SOURCE_TEXTS=full" in page(server, "/")
    assert httpx.get(f"{server.url}/download/erkg.nq").status_code == 200


@pytest.mark.min_cases(5)  # the five source documents
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_quotes_refuses_the_text_and_says_where_the_quotes_are(quotes_server, doc):
    response = httpx.get(f"{quotes_server.url}/api/v1/documents/{doc}/text")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "ERKG_SOURCE_TEXTS=quotes" in problem["detail"] and f"/id/document/{doc}" in problem["detail"]
    # the metadata stays, the length of the text too (every offset points into it)
    item = httpx.get(f"{quotes_server.url}/api/v1/documents/{doc}").json()
    assert item["text_served"] is False
    assert item["length"] == len((SOURCES / f"{doc}.txt").read_bytes().decode("utf-8"))
    assert item["rights"]["de"] and item["rights"]["en"]


def test_quotes_unknown_document_is_still_404(quotes_server):
    assert httpx.get(f"{quotes_server.url}/api/v1/documents/nothing-here/text").status_code == 404


def test_quotes_sparql_does_not_hold_the_texts(quotes_server, server):
    assert count(quotes_server, f"?d <{ERKG}text> ?t") == 0
    assert count(quotes_server, f"?d <{ERKG}textLength> ?n") == len(DOCUMENTS)
    # everything else is served as in full: the quotations, their sentences and selectors
    others = f"?s ?p ?o FILTER (?p != <{ERKG}text>)"
    assert count(quotes_server, others) == count(server, others)


def test_quotes_downloads_only_what_holds_no_text(quotes_server):
    refused = httpx.get(f"{quotes_server.url}/download/erkg.trig")
    assert refused.status_code == 403 and "ERKG_SOURCE_TEXTS=quotes" in refused.json()["detail"]
    assert httpx.get(f"{quotes_server.url}/download/ontology.ttl").status_code == 200
    description = httpx.get(f"{quotes_server.url}/sparql", headers={"Accept": "application/n-triples"}).content
    dumps = {str(t.object.value).rsplit("/", 1)[-1] for t in ox.parse(description, format=ox.RdfFormat.N_TRIPLES)
             if t.predicate.value == "http://rdfs.org/ns/void#dataDump"}
    assert dumps == {"ontology.ttl", "ontology.owl"}
    home = page(quotes_server, "/")
    assert "ERKG_SOURCE_TEXTS=quotes" in home and "download/erkg.nq" not in home


def quotations(server, doc: str) -> list[tuple[int, int, str]]:
    """(start, end, exact) of every quotation of a document, from the graph."""
    query = f"""SELECT DISTINCT ?start ?end ?exact WHERE {{
      ?q a erkg:Quotation ; oa:hasSource <https://w3id.org/erkg/id/document/{doc}> ;
         oa:hasSelector ?p , ?e . ?p oa:start ?start ; oa:end ?end . ?e oa:exact ?exact }}"""
    response = httpx.get(f"{server.url}/sparql", params={"query": query},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return sorted((int(b["start"]["value"]), int(b["end"]["value"]), b["exact"]["value"])
                  for b in response.json()["results"]["bindings"])


def test_quotes_page_shows_each_quotation_in_its_sentence(quotes_server):
    doc = "netbiscuits-interview"
    text = (SOURCES / f"{doc}.txt").read_bytes().decode("utf-8")
    quotes = quotations(quotes_server, doc)
    html = page(quotes_server, f"/id/document/{doc}")
    assert 'class="source-text"' not in html and "Quoted sentences" in html
    marked = [unescape(m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.S)]
    assert marked == [exact for _, _, exact in quotes]
    # a sentence of the interview that no fact quotes is not shown
    unquoted = "Vielen Dank für das Interview."
    assert unquoted in text and not any(s <= text.index(unquoted) < e for s, e, _ in quotes)
    assert unquoted not in unescape(html)
    # a range asked for marks the passages within it; the range is checked against the text's length
    start, end, exact = quotes[0]
    ranged = page(quotes_server, f"/id/document/{doc}", start=start, end=end)
    assert unescape(re.search(r'<mark id="quote">(.*?)</mark>', ranged, re.S).group(1)) == exact
    beyond = httpx.get(f"{quotes_server.url}/id/document/{doc}", params={"start": 0, "end": len(text) + 1},
                       headers={"Accept": "text/html"})
    assert beyond.status_code == 422 and str(len(text)) in beyond.text
    assert "ERKG_SOURCE_TEXTS=quotes" in page(quotes_server, "/", lang="de")


def test_quotes_with_a_remote_endpoint_is_refused(build_dir, start_server):
    with pytest.raises(RuntimeError, match="embedded engine only"):
        start_server(build_dir / "erkg.nq", env={"ERKG_SOURCE_TEXTS": "quotes",
                                                 "ERKG_ENDPOINT": "http://127.0.0.1:9/sparql"})
