"""The SPARQL 1.1 Protocol, query side, against real `erkg serve` processes.

1. The W3C SPARQL 1.1 Protocol test suite (https://github.com/w3c/rdf-tests,
   sparql/sparql11/protocol/manifest.ttl): every query-side case, its request
   (path, headers, body) copied from the manifest, its expectation (status
   class, result format, boolean) asserted. The update cases are sent as well:
   this endpoint is read-only, so each must be refused with a 4xx and leave the
   data as it was. Seven cases proposed for the suite (branch commit c7b2f5b,
   "manifest with rdf action model, revised with additional tests as per
   requirements.md", not merged) are run too. The graphs the cases name
   (http://kasei.us/2009/09/sparql/data/dataN.rdf) are served from
   tests/api/data/protocol.trig: the endpoint never fetches anything.
2. Content negotiation: Accept with q-values and wildcards, the `format`
   parameter (and `output`, `results`, as clients send them: unknown or repeated
   values leave it to Accept), 406; every result format parsed (CONSTRUCT with
   rdflib, SELECT with the standard library) and compared with the expected answer.
3. Errors: syntax errors with their position, repeated parameters, non-UTF-8
   input, wrong content types, other methods, updates, size limits; and a
   bounded fuzz run in which no request yields a 5xx.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import socket
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF

from kg.namespaces import DEFAULT_BASE

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD
DATA = Path(__file__).parent / "data" / "protocol.trig"
KASEI = "http://kasei.us/2009/09/sparql/data/"
DOCS = [f"{KASEI}data{i}.rdf" for i in range(4)]
SRX = "{http://www.w3.org/2005/sparql-results#}"

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


@pytest.fixture(scope="module")
def endpoint(start_server):
    """The protocol test data served by a real `erkg serve` (default limits)."""
    return start_server(DATA, query_workers=2, timeout=10)


@pytest.fixture(scope="module")
def client(start_app) -> httpx.Client:
    """The same data and limits served in this process: the protocol as the app answers it
    (what needs a socket, such as bytes no client library sends, goes to `endpoint`)."""
    return start_app(DATA, query_workers=2, timeout=10)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


# ---------------------------------------------------------------- result parsing


def parse_boolean(response: httpx.Response) -> bool:
    media = media_type(response)
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    if media == "application/sparql-results+xml":
        return ET.fromstring(response.content).find(f"{SRX}boolean").text == "true"
    raise AssertionError(f"not a boolean result format: {media}")


def _tsv_term(field: str) -> str:
    """The value of a term in TSV (Turtle/N-Triples syntax): IRI, literal's lexical form, number."""
    if field.startswith("<"):
        return field[1:-1]
    if field.startswith('"'):
        lexical = re.match(r'"((?:[^"\\]|\\.)*)"', field).group(1)
        return json.loads(f'"{lexical}"')  # ECHAR and \u escapes are JSON's
    return field  # a number or boolean in short form, or a blank node


def parse_table(response: httpx.Response) -> tuple[list[str], list[dict[str, str]]]:
    """(variables, rows of variable -> value) of a SELECT result in any of the four formats;
    a value is an IRI, a literal's lexical form or a blank node label."""
    media, text = media_type(response), response.content.decode("utf-8")
    if media == "application/sparql-results+json":
        doc = json.loads(text)
        return doc["head"]["vars"], [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    if media == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        variables = [v.get("name") for v in root.find(f"{SRX}head")]
        rows = [{b.get("name"): b[0].text or "" for b in result}
                for result in root.find(f"{SRX}results")]
        return variables, rows
    if media == "text/csv":
        records = list(csv.reader(io.StringIO(text, newline="")))
        return records[0], [{k: v for k, v in zip(records[0], r) if v != ""} for r in records[1:]]
    if media == "text/tab-separated-values":
        lines = text.split("\n")
        variables = [v.lstrip("?") for v in lines[0].split("\t")]
        rows = [{k: _tsv_term(v) for k, v in zip(variables, line.split("\t")) if v != ""}
                for line in lines[1:] if line]
        return variables, rows
    raise AssertionError(f"not a tabular result format: {media}")


def parse_graph(response: httpx.Response) -> rdflib.Graph:
    media = media_type(response)
    assert media in RDF_TYPES, f"not an RDF format: {media}"
    return rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media])


# ---------------------------------------------------------------- the W3C suite


@dataclass(frozen=True)
class Case:
    """One request of a W3C protocol test: `target` is the manifest's ht:absolutePath
    after its /sparql/ prefix; `expect` is "2xx/3xx" or "4xx"."""

    name: str
    method: str
    target: str
    expect: str
    body: bytes | None = None
    content_type: str | None = None
    accept: str | None = None
    boolean: bool | None = None  # mf:expectedBoolean
    fmt: str | None = None  # mf:expectedFormat: boolean, tabular or RDF
    response_type: str | None = None  # a Content-Type the case requires
    origin: str = "manifest"  # or "proposed" (branch c7b2f5b of w3c/rdf-tests)


def enc(iri: str) -> str:
    return quote(iri, safe="")


D0, D1, D2, D3 = (enc(d) for d in DOCS)
ASK_D1_D2 = (f"ASK {{ <{DOCS[1]}> a ?type . <{DOCS[2]}> a ?type . }}")
ASK_G1_G2 = (f"ASK {{ GRAPH ?g1 {{ <{DOCS[1]}> a ?type }} GRAPH ?g2 {{ <{DOCS[2]}> a ?type }} }}")
FORM, DIRECT, UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
OK, BAD = "2xx/3xx", "4xx"

QUERY_CASES = [
    Case("query_post_form", "POST", f"?default-graph-uri={D0}", OK, b"query=ASK%20%7B%7D", FORM,
         boolean=True, fmt="boolean"),
    Case("query_dataset_default_graphs_get", "GET",
         f"?query={quote(ASK_D1_D2, safe='')}&default-graph-uri={D1}&default-graph-uri={D2}", OK,
         boolean=True, fmt="boolean"),
    Case("query_dataset_default_graphs_post", "POST", f"?default-graph-uri={D1}&default-graph-uri={D2}", OK,
         ASK_D1_D2.encode(), DIRECT, boolean=True, fmt="boolean"),
    Case("query_dataset_named_graphs_post", "POST", f"?named-graph-uri={D1}&named-graph-uri={D2}", OK,
         ASK_G1_G2.encode(), DIRECT, boolean=True, fmt="boolean"),
    Case("query_dataset_named_graphs_get", "GET",
         f"?query={quote(ASK_G1_G2, safe='')}&named-graph-uri={D1}&named-graph-uri={D2}", OK,
         boolean=True, fmt="boolean"),
    Case("query_dataset_full", "POST", f"?default-graph-uri={D3}&named-graph-uri={D1}&named-graph-uri={D2}", OK,
         (f"ASK {{\n  <{DOCS[3]}> a ?type\n  GRAPH ?g1 {{ <{DOCS[1]}> a ?type }}\n"
          f"  GRAPH ?g2 {{ <{DOCS[2]}> a ?type }}\n}}").encode(), DIRECT, boolean=True, fmt="boolean"),
    Case("query_multiple_dataset", "POST", f"?named-graph-uri={D1}&named-graph-uri={D2}", OK,
         (f"ASK FROM <{DOCS[3]}> {{ GRAPH ?g1 {{ <{DOCS[1]}> a ?type }} "
          f"GRAPH ?g2 {{ <{DOCS[2]}> a ?type }} }}").encode(), DIRECT, boolean=True, fmt="boolean"),
    Case("query_get", "GET", f"?query=ASK%20%7B%7D&default-graph-uri={D0}", OK, boolean=True, fmt="boolean"),
    Case("query_content_type_select", "POST", f"?default-graph-uri={D0}", OK, b"SELECT (1 AS ?value) {}", DIRECT,
         fmt="tabular"),
    Case("query_content_type_ask", "POST", f"?default-graph-uri={D0}", OK, b"ASK {}", DIRECT, fmt="boolean"),
    Case("query_content_type_describe", "POST", f"?default-graph-uri={D0}", OK, b"DESCRIBE <http://example.org/>",
         DIRECT, fmt="RDF"),
    Case("query_content_type_construct", "POST", f"?default-graph-uri={D0}", OK, b"CONSTRUCT { <s> <p> 1 } WHERE {}",
         DIRECT, fmt="RDF"),
    Case("query_post_direct", "POST", "", OK, b"ASK {}", DIRECT, boolean=True, fmt="boolean"),
    Case("bad_query_method", "PUT", f"?query=ASK%20%7B%7D&default-graph-uri={D0}", BAD, content_type=FORM),
    Case("bad_multiple_queries", "GET", "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", BAD),
    Case("bad_query_wrong_media_type", "POST", "", BAD, b"ASK {}", "text/plain"),
    Case("bad_query_missing_form_type", "POST", "", BAD, b"query=ASK%20%7B%7D"),
    Case("bad_query_missing_direct_type", "POST", "", BAD, b"ASK {}"),
    Case("bad_query_non_utf8", "POST", "", BAD, "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
    Case("bad_query_syntax", "GET", "?query=ASK%20%7B", BAD),
    # Proposed for the suite (w3c/rdf-tests branch commit c7b2f5b), not yet in its manifest.
    Case("query_dataset_default_graph", "POST", "", OK,
         (f"query=ASK%20%7B%20%3C{D1}%3E%20%3Fp%20%3Fo%20%7D&default-graph-uri={D1}").encode(), FORM,
         accept="application/sparql-results+xml", boolean=True, fmt="boolean",
         response_type="application/sparql-results+xml", origin="proposed"),
    Case("query_post_form_dataset", "POST", "", OK,
         (f"query=ASK%20%7B%20%3C{D1}%3E%20%3Fp%20%3Fo%20%7D&default-graph-uri={D1}").encode(), FORM,
         boolean=True, fmt="boolean", origin="proposed"),
    Case("query_content_negotiation_json", "POST", "", OK, f"query=ASK%20%7B%7D&default-graph-uri={D1}".encode(),
         FORM, accept="application/sparql-results+json", fmt="boolean",
         response_type="application/sparql-results+json", origin="proposed"),
    Case("query_content_negotiation_xml", "POST", "", OK, f"query=ASK%20%7B%7D&default-graph-uri={D1}".encode(),
         FORM, accept="application/sparql-results+xml", fmt="boolean",
         response_type="application/sparql-results+xml", origin="proposed"),
    Case("bad_multiple_queries_form", "POST", "", BAD, b"query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", FORM,
         origin="proposed"),
    Case("bad_query_get_with_body", "GET", f"?query=ASK%20%7B%7D&default-graph-uri={D1}", BAD,
         b"unexpected body content", origin="proposed"),
    # The case's first request is an update (refused here); its graph is preloaded instead.
    Case("query_base_uri", "POST", "", OK,
         b"BASE <http://example.org/>\nASK {\n  GRAPH <protocol-base-query-test/> {\n    <s> <p> <o>\n  }\n}",
         DIRECT, boolean=True, fmt="boolean", origin="proposed"),
]

_UPDATE_DATASET = (
    "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
    f"INSERT DATA {{\n    GRAPH <{DOCS[1]}> {{ <{DOCS[1]}> a foaf:Document }}\n"
    f"    GRAPH <{DOCS[2]}> {{ <{DOCS[2]}> a foaf:Document }}\n    GRAPH <{DOCS[3]}> {{ <{DOCS[3]}> a foaf:Document }}\n}} ;\n"
    "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
    "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"
).encode()

# The update side of the suite: this endpoint is read-only, so every one is refused.
UPDATE_CASES = [
    Case("update_dataset_default_graph", "POST", f"?using-graph-uri={D1}", BAD,
         ("PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nCLEAR ALL ;\n"
          f"INSERT DATA {{\n    GRAPH <{DOCS[1]}> {{\n        <{DOCS[1]}> a foaf:Document\n    }}\n}} ;\n"
          "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n        ?s a dc:BibliographicResource\n"
          "    }\n}\nWHERE {\n    ?s a foaf:Document\n}").encode(), UPDATE),
    Case("update_dataset_default_graphs", "POST", f"?using-graph-uri={D1}&using-graph-uri={D2}", BAD,
         _UPDATE_DATASET, UPDATE),
    Case("update_dataset_named_graphs", "POST", f"?using-named-graph-uri={D1}&using-named-graph-uri={D2}", BAD,
         _UPDATE_DATASET, UPDATE),
    Case("update_dataset_full", "POST", f"?using-graph-uri={D1}&using-named-graph-uri={D2}", BAD,
         _UPDATE_DATASET, UPDATE),
    Case("update_post_form", "POST", "", BAD, b"update=CLEAR+ALL", FORM),
    Case("update_post_direct", "POST", "", BAD, b"CLEAR ALL", UPDATE),
    Case("update_base_uri", "POST", "", BAD,
         b"CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
         b"<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }", UPDATE),
    Case("bad_update_get", "GET", "?update=CLEAR%20ALL", BAD),
    Case("bad_multiple_updates", "POST", "", BAD, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),
    Case("bad_update_wrong_media_type", "POST", "", BAD, b"CLEAR NAMED", "text/plain"),
    Case("bad_update_missing_form_type", "POST", "", BAD, b"update=CLEAR%20NAMED"),
    Case("bad_update_non_utf8", "POST", "", BAD, "CLEAR NAMED".encode("utf-16"), "application/sparql-update; charset=UTF-16"),
    Case("bad_update_syntax", "POST", "", BAD, b"update=CLEAR%20XYZ", FORM),
    Case("bad_update_dataset_conflict", "POST", "?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", BAD,
         b"PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
         b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
         b"WHERE {\n    ?person foaf:givenName 'Bill'\n}", UPDATE),
]

# The entries of the suite's manifest (w3c/rdf-tests at ad541a5): the table above must cover them all.
MANIFEST_QUERY_SIDE = {
    "query_post_form", "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
    "query_dataset_named_graphs_post", "query_dataset_named_graphs_get", "query_dataset_full",
    "query_multiple_dataset", "query_get", "query_content_type_select", "query_content_type_ask",
    "query_content_type_describe", "query_content_type_construct", "query_post_direct", "bad_query_method",
    "bad_multiple_queries", "bad_query_wrong_media_type", "bad_query_missing_form_type",
    "bad_query_missing_direct_type", "bad_query_non_utf8", "bad_query_syntax",
}
MANIFEST_UPDATE_SIDE = {
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri", "bad_update_get",
    "bad_multiple_updates", "bad_update_wrong_media_type", "bad_update_missing_form_type",
    "bad_update_non_utf8", "bad_update_syntax", "bad_update_dataset_conflict",
}


def test_the_w3c_tables_cover_the_whole_manifest():
    names = [c.name for c in QUERY_CASES + UPDATE_CASES]
    assert len(names) == len(set(names))
    assert {c.name for c in QUERY_CASES if c.origin == "manifest"} == MANIFEST_QUERY_SIDE
    assert {c.name for c in UPDATE_CASES} == MANIFEST_UPDATE_SIDE
    assert len(QUERY_CASES) >= 27 and len(UPDATE_CASES) >= 14


def send(client: httpx.Client, case: Case) -> httpx.Response:
    headers = {}
    if case.content_type:
        headers["Content-Type"] = case.content_type
    if case.accept:
        headers["Accept"] = case.accept
    return client.request(case.method, "/sparql" + case.target, content=case.body, headers=headers)


def check_expectation(response: httpx.Response, case: Case) -> None:
    if case.expect == OK:
        assert 200 <= response.status_code < 400, response.text
    else:
        assert 400 <= response.status_code < 500, response.text
        return
    media = media_type(response)
    if case.response_type:
        assert media == case.response_type
    if case.fmt == "boolean":
        assert media in BOOLEAN_TYPES
        value = parse_boolean(response)
        if case.boolean is not None:
            assert value is case.boolean
    elif case.fmt == "tabular":
        assert media in RESULT_TYPES
        variables, rows = parse_table(response)
        assert variables == ["value"] and rows == [{"value": "1"}]
    elif case.fmt == "RDF":
        parse_graph(response)


@pytest.mark.min_cases(27)
@pytest.mark.parametrize("case", QUERY_CASES, ids=lambda c: c.name)
def test_w3c_protocol_query(client, case):
    response = send(client, case)
    check_expectation(response, case)
    if case.name == "query_content_type_construct":
        # A relative IRI resolves against the service's base IRI, the project's.
        assert set(parse_graph(response)) == {(URIRef(DEFAULT_BASE + "s"), URIRef(DEFAULT_BASE + "p"), Literal(1))}
    if case.name == "query_content_type_describe":
        assert len(parse_graph(response)) == 0


@pytest.mark.min_cases(14)
@pytest.mark.parametrize("case", UPDATE_CASES, ids=lambda c: c.name)
def test_w3c_protocol_update_is_refused(client, case):
    response = send(client, case)
    check_expectation(response, case)
    # 403 read-only, or 415 where the update comes without a content type this endpoint reads.
    assert response.status_code in (403, 415), response.text
    if response.status_code == 403:
        assert "read-only" in response.text


def test_refused_updates_leave_the_data_as_it_was(client):
    for case in UPDATE_CASES:
        send(client, case)
    _, rows = parse_table(client.get("/sparql", params={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"}))
    assert {r["g"]: int(r["n"]) for r in rows} == {**{d: 1 for d in DOCS}, "http://example.org/protocol-base-query-test/": 1}


# ---------------------------------------------------------------- the protocol dataset


def ask(client: httpx.Client, query: str, **params) -> bool:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return parse_boolean(response)


def test_without_a_dataset_the_default_graph_is_the_union_of_all_graphs(client):
    assert ask(client, f"ASK {{ <{DOCS[0]}> a ?t . <{DOCS[3]}> a ?t }}")


def test_a_protocol_default_graph_alone_leaves_no_named_graphs(client):
    # As with FROM without FROM NAMED (SPARQL 1.1 Query §13.2).
    assert ask(client, f"ASK {{ <{DOCS[1]}> a ?t }}", **{"default-graph-uri": DOCS[1]})
    assert not ask(client, f"ASK {{ <{DOCS[2]}> a ?t }}", **{"default-graph-uri": DOCS[1]})
    assert not ask(client, "ASK { GRAPH ?g { ?s ?p ?o } }", **{"default-graph-uri": DOCS[1]})


def test_protocol_named_graphs_alone_leave_an_empty_default_graph(client):
    assert not ask(client, "ASK { ?s ?p ?o }", **{"named-graph-uri": DOCS[1]})
    _, rows = parse_table(client.get("/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": [DOCS[1], DOCS[2]]}))
    assert {r["g"] for r in rows} == {DOCS[1], DOCS[2]}


def test_a_from_clause_replaces_the_union_default_graph(client):
    assert ask(client, f"ASK FROM <{DOCS[3]}> {{ <{DOCS[3]}> a ?t }}")
    assert not ask(client, f"ASK FROM <{DOCS[3]}> {{ <{DOCS[1]}> a ?t }}")


# ---------------------------------------------------------------- content negotiation

SELECT = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?g ?doc ?label ?n WHERE {
  GRAPH ?g { ?doc a foaf:Document }
  BIND (CONCAT(STRAFTER(STR(?doc), "data/"), ", \\"quoted\\"\\tü") AS ?label)
  BIND (STRLEN(STR(?doc)) AS ?n)
} ORDER BY ?g"""
SELECT_ROWS = [{"g": d, "doc": d, "label": f'{d.rsplit("/", 1)[1]}, "quoted"\tü', "n": str(len(d))} for d in DOCS]

EX = rdflib.Namespace("http://example.org/ns#")
CONSTRUCT = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX ex: <{EX}>
CONSTRUCT {{ ?doc a foaf:Document ; ex:label ?label ; ex:de "Dokument"@de ; ex:n ?n }}
WHERE {{
  GRAPH ?g {{ ?doc a foaf:Document }}
  BIND (CONCAT("« ", STRAFTER(STR(?doc), "data/"), " »") AS ?label)
  BIND (STRLEN(STR(?doc)) AS ?n)
}}"""


def construct_expected() -> set:
    triples = set()
    for d in DOCS:
        doc = URIRef(d)
        triples |= {(doc, RDF.type, FOAF.Document), (doc, EX.label, Literal(f"« {d.rsplit('/', 1)[1]} »")),
                    (doc, EX.de, Literal("Dokument", lang="de")), (doc, EX.n, Literal(len(d), datatype=rdflib.namespace.XSD.integer))}
    return triples


@pytest.mark.parametrize("fmt, media", [("json", "application/sparql-results+json"),
                                        ("xml", "application/sparql-results+xml"),
                                        ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_select_in_every_format_parses_to_the_expected_rows(client, fmt, media):
    by_accept = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media})
    by_format = client.get("/sparql", params={"query": SELECT, "format": fmt})
    for response in (by_accept, by_format):
        assert response.status_code == 200, response.text
        assert media_type(response) == media
        assert response.headers["content-type"].endswith("charset=utf-8")
        variables, rows = parse_table(response)
        assert variables == ["g", "doc", "label", "n"]
        assert rows == SELECT_ROWS
    assert by_accept.content == by_format.content


@pytest.mark.parametrize("fmt, media", [("turtle", "text/turtle"), ("ntriples", "application/n-triples"),
                                        ("rdfxml", "application/rdf+xml"), ("jsonld", "application/ld+json")])
def test_construct_in_every_format_parses_to_the_expected_triples(client, fmt, media):
    by_accept = client.post("/sparql", content=CONSTRUCT.encode(), headers={"Content-Type": DIRECT, "Accept": media})
    by_format = client.post("/sparql", data={"query": CONSTRUCT, "format": fmt})
    for response in (by_accept, by_format):
        assert response.status_code == 200, response.text
        assert media_type(response) == media
        assert set(parse_graph(response)) == construct_expected()


@pytest.mark.parametrize("accept, expected", [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.9, text/tab-separated-values;q=0.95", "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, application/sparql-results+xml;q=0.2", "application/sparql-results+xml"),
    ("*/*;q=0.1, text/tab-separated-values;q=0.5", "text/tab-separated-values"),
    ("text/csv;q=0, */*", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/*", "text/csv"),
    ("application/*", "application/sparql-results+json"),
    ("application/*;q=0.5, text/*", "text/csv"),
    ("application/json", "application/sparql-results+json"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
    ("", "application/sparql-results+json"),
])
def test_accept_with_q_values_and_wildcards_for_select(client, accept, expected):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert parse_table(response)[1] == SELECT_ROWS


@pytest.mark.parametrize("accept, expected", [
    ("application/rdf+xml;q=0.4, text/turtle;q=0.3", "application/rdf+xml"),
    ("text/turtle;q=0.1, application/ld+json", "application/ld+json"),
    ("text/*", "text/turtle"),
    ("application/*", "application/n-triples"),  # not text/turtle, though application/x-turtle is its alias
    ("text/plain", "application/n-triples"),
    ("application/json", "application/ld+json"),
    ("*/*", "text/turtle"),
    ("text/turtle;q=0, */*;q=0.5", "application/n-triples"),
])
def test_accept_with_q_values_and_wildcards_for_construct(client, accept, expected):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert set(parse_graph(response)) == construct_expected()


def test_the_format_parameter_wins_over_a_browsers_accept(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for fmt, media in [("csv", "text/csv"), ("json", "application/sparql-results+json"),
                       ("text/tab-separated-values", "text/tab-separated-values")]:
        response = client.get("/sparql", params={"query": SELECT, "format": fmt}, headers={"Accept": browser})
        assert media_type(response) == media
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "ntriples"}, headers={"Accept": browser})
    assert media_type(response) == "application/n-triples"


@pytest.mark.parametrize("query, params, accept", [
    (SELECT, {}, "image/png"),
    (SELECT, {}, "text/turtle"),
    (SELECT, {}, "*/*;q=0"),
    (SELECT, {"format": "png"}, "image/png"),  # an unknown format: Accept decides
    (SELECT, {"format": "turtle"}, None),
    ("ASK {}", {}, "application/rdf+xml"),
    (CONSTRUCT, {}, "application/sparql-results+json"),
    (CONSTRUCT, {"format": "csv"}, None),
])
def test_nothing_acceptable_is_406_naming_what_is_available(client, query, params, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    assert "available:" in response.text


# (query, parameters as clients send them, Accept, the media type answered or 406)
FORMAT_PARAMETERS = [
    (SELECT, [("format", "png")], None, "application/sparql-results+json"),  # unknown: Accept decides
    (SELECT, [("format", "")], "text/csv", "text/csv"),
    # SPARQLWrapper's TSV: each parameter twice, a short name and a media type
    (SELECT, [(p, v) for p in ("format", "output", "results") for v in ("tsv", "text/tab-separated-values")],
     "text/tab-separated-values", "text/tab-separated-values"),
    (SELECT, [("format", "json"), ("format", "xml")], "text/csv", "text/csv"),  # repeated: Accept decides
    (SELECT, [("output", "xml")], None, "application/sparql-results+xml"),
    (SELECT, [("results", "csv")], "application/sparql-results+json", "text/csv"),
    (SELECT, [("format", "png"), ("output", "tsv")], None, "text/tab-separated-values"),
    (SELECT, [("format", "xml"), ("output", "csv")], None, "application/sparql-results+xml"),  # format first
    (SELECT, [("format", "turtle")], "*/*", 406),  # known, but no format of solutions
    (SELECT, [("format", "rdf+xml"), ("format", "")], "*/*", 406),  # SPARQLWrapper's RDFXML on a SELECT
    ("ASK {}", [("format", "n3")], None, 406),
    (CONSTRUCT, [("format", "n3"), ("output", "n3"), ("results", "n3")], "text/n3", "text/turtle"),  # N3 wanted: Turtle is N3
    (CONSTRUCT, [("format", "json")], "*/*", "application/ld+json"),  # the JSON form of a graph
    (CONSTRUCT, [("format", "xml")], "*/*", "application/rdf+xml"),   # as SPARQLWrapper's XML means
    (CONSTRUCT, [("format", "rdf+xml"), ("format", "application/rdf+xml")], "application/rdf+xml",
     "application/rdf+xml"),
    (CONSTRUCT, [("format", "json-ld"), ("format", "application/ld+json,application/x-json+ld")],
     "application/ld+json,application/x-json+ld", "application/ld+json"),
    (CONSTRUCT, [("format", "tsv"), ("format", "")], "*/*", 406),  # SPARQLWrapper's TSV on a CONSTRUCT
    (CONSTRUCT, [("format", "csv")], None, 406),
]


@pytest.mark.min_cases(36)
@pytest.mark.parametrize("query, params, accept, expected", FORMAT_PARAMETERS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_format_parameters_as_clients_send_them(client, method, query, params, accept, expected):
    """Unknown or repeated format parameters leave it to Accept (as Oxigraph server does);
    a known format that cannot be produced for the query is a 406."""
    headers = {"Accept": accept} if accept else {}
    fields = [("query", query), *params]
    if method == "GET":
        response = client.get("/sparql", params=fields, headers=headers)
    else:
        response = client.post("/sparql", content=urlencode(fields).encode(),
                               headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
    if expected == 406:
        assert response.status_code == 406, response.text
        assert "available:" in response.text
        return
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    if query == SELECT:
        assert parse_table(response)[1] == SELECT_ROWS
    elif query == CONSTRUCT:
        assert set(parse_graph(response)) == construct_expected()


def test_406_does_not_cost_a_worker(client):
    for _ in range(6):  # more than the workers: each abandoned query must free its worker
        assert client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/sparql", params={"query": SELECT + " # after 406"}).status_code == 200


def test_boolean_as_csv_and_tsv(client):
    for media in ("text/csv", "text/tab-separated-values"):
        response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": media})
        assert response.status_code == 200 and media_type(response) == media
        assert response.text.strip() == "true"


# ---------------------------------------------------------------- errors


def test_a_syntax_error_is_400_with_the_parsers_message_and_position(client):
    query = "SELECT ?s\nWHERE { ?s ?p ?o .\n  FILTER (?o = ) }"
    for response in (client.get("/sparql", params={"query": query}),
                     client.post("/sparql", content=query.encode(), headers={"Content-Type": DIRECT})):
        assert response.status_code == 400
        assert media_type(response) == "text/plain"
        assert "SPARQL syntax error" in response.text
        line, column = map(int, re.search(r"(\d+):(\d+)", response.text).groups())
        assert line == 3 and 1 <= column <= len("  FILTER (?o = ) }") + 1


@pytest.mark.parametrize("where", ["url", "form", "url+form"])
def test_a_repeated_query_parameter_is_400(client, where):
    if where == "url":
        response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    elif where == "form":
        response = client.post("/sparql", content=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D",
                               headers={"Content-Type": FORM})
    else:
        response = client.post("/sparql?query=ASK%20%7B%7D", content=b"query=ASK%20%7B%7D",
                               headers={"Content-Type": FORM})
    assert response.status_code == 400
    assert "'query'" in response.text and "2 times" in response.text


def raw_request(port: int, request: bytes) -> tuple[int, bytes]:
    """Send bytes that an HTTP client library would not (e.g. non-ASCII in the URL); (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("how", ["get-percent", "get-raw-byte", "direct", "form-percent", "form-raw-byte",
                                 "direct-utf16", "direct-latin1"])
def test_a_query_that_is_not_utf8_is_refused(client, endpoint, how):
    if how == "get-percent":
        response = client.get("/sparql?query=ASK%20%7B%7D%FF")
        status, text = response.status_code, response.text
    elif how == "get-raw-byte":
        status, body = raw_request(endpoint.port, b"GET /sparql?query=ASK%20%7B%7D\xff HTTP/1.1\r\n"
                                                  b"Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        text = body.decode("utf-8", "replace")
        assert status == 400  # the HTTP server refuses a raw non-ASCII byte in the request line
        return
    else:
        content_type, body = {
            "direct": (DIRECT, "ASK { ?s ?p 'é' }".encode("latin-1")),
            "form-percent": (FORM, b"query=ASK%20%7B%20%3Fs%20%3Fp%20'%E9'%20%7D"),
            "form-raw-byte": (FORM, b"query=ASK {\xff}"),
            "direct-utf16": (DIRECT, "ASK {}".encode("utf-16")),
            "direct-latin1": (DIRECT + "; charset=ISO-8859-1", "ASK { ?s ?p 'é' }".encode("latin-1")),
        }[how]
        response = client.post("/sparql", content=body, headers={"Content-Type": content_type})
        status, text = response.status_code, response.text
    assert status in (400, 415), text
    assert "UTF-8" in text


def test_utf8_queries_with_any_characters_work(client):
    query = "SELECT ?x WHERE { BIND ('Fähigkeit – ☃ 𝄞' AS ?x) }"
    for response in (client.get("/sparql", params={"query": query}),
                     client.post("/sparql", content=query.encode(), headers={"Content-Type": DIRECT + "; charset=UTF-8"}),
                     client.post("/sparql", data={"query": query})):
        assert response.status_code == 200
        assert parse_table(response)[1] == [{"x": "Fähigkeit – ☃ 𝄞"}]


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/sparql-results+json",
                                          "multipart/form-data; boundary=x", None])
def test_a_post_with_another_content_type_is_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client, method):
    response = client.request(method, "/sparql?query=ASK%20%7B%7D", content=b"ASK {}",
                              headers={"Content-Type": DIRECT})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}


@pytest.mark.parametrize("how", ["direct", "form", "form-with-query", "url-get", "url-post"])
def test_updates_are_403(client, how):
    update = "INSERT DATA { <http://ex/s> <http://ex/p> <http://ex/o> }"
    if how == "direct":
        response = client.post("/sparql", content=update.encode(), headers={"Content-Type": UPDATE})
    elif how == "form":
        response = client.post("/sparql", data={"update": update})
    elif how == "form-with-query":
        response = client.post("/sparql", data={"update": update, "query": "ASK {}"})
    elif how == "url-get":
        response = client.get("/sparql", params={"update": update, "query": "ASK {}"})
    else:
        response = client.post("/sparql", params={"update": update}, content=b"ASK {}",
                               headers={"Content-Type": DIRECT})
    assert response.status_code == 403
    assert "read-only" in response.text
    assert not ask(client, "ASK { <http://ex/s> ?p ?o }")


@pytest.mark.parametrize("update", ["CLEAR ALL", "INSERT DATA { <http://ex/s> <http://ex/p> <http://ex/o> }",
                                    "PREFIX ex: <http://ex/> DELETE WHERE { ?s ex:p ?o }"])
def test_an_update_given_as_a_query_is_400_saying_so(client, update):
    """Not a legal query (400, as the protocol says), named for what it is."""
    for response in (client.post("/sparql", content=update.encode(), headers={"Content-Type": DIRECT}),
                     client.get("/sparql", params={"query": update})):
        assert response.status_code == 400
        assert "SPARQL Update, not a query" in response.text and "read-only" in response.text
    assert ask(client, "ASK { ?s <http://ex/p> ?o }") is False


def test_an_undeclared_prefix_is_named_in_the_syntax_error(client):
    response = client.get("/sparql", params={"query": "PREFIX ex: <http://ex/> SELECT * { ?s schema:name ?o ; "
                                                      "ex:p ?x ; foaf:name ?n }"})
    assert response.status_code == 400
    assert "SPARQL syntax error" in response.text and "prefix 'schema:' without declaring it" in response.text
    assert "foaf:" not in response.text.split("(the query uses")[1]  # predeclared: not the one missing


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["relative/graph", "http://ex/a graph", ""])
def test_a_dataset_iri_that_is_not_one_is_400_naming_the_parameter(client, name, value):
    response = client.get("/sparql", params={"query": "ASK {}", name: value})
    assert response.status_code == 400
    assert f"the parameter '{name}' must be an absolute IRI" in response.text


def test_a_direct_post_with_a_query_in_the_url_too_is_400(client):
    response = client.post("/sparql", params={"query": "ASK { ?s ?p ?o }"}, content=b"ASK {}",
                           headers={"Content-Type": DIRECT})
    assert response.status_code == 400 and "give one of them" in response.text


def test_if_none_match_weak_and_any_give_304_and_a_post_412(client):
    query = f"ASK {{}} # {time.monotonic_ns()}"
    etag = client.get("/sparql", params={"query": query}).headers["etag"]
    for condition in (etag, f"W/{etag}", "*", f'"other", W/{etag}'):
        assert client.get("/sparql", params={"query": query}, headers={"If-None-Match": condition}).status_code == 304
    posted = client.post("/sparql", content=query.encode(), headers={"Content-Type": DIRECT, "If-None-Match": etag})
    assert posted.status_code == 412 and posted.headers["etag"] == etag
    assert client.get("/sparql", params={"query": query}, headers={"If-None-Match": '"other"'}).status_code == 200
    # `*` matches an answer that exists: not one never computed, nor a query that is refused
    unseen = f"ASK {{}} # {time.monotonic_ns()} unseen"
    assert client.get("/sparql", params={"query": unseen}, headers={"If-None-Match": "*"}).status_code == 200
    for refused in ("INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }", "ASK " + "{" * 1001 + "}" * 1001):
        assert client.get("/sparql", params={"query": refused}, headers={"If-None-Match": "*"}).status_code == 400


@pytest.mark.parametrize("q", ["nan", "inf", "2", "-1", "0.5x", "1.5"])
def test_a_malformed_q_value_makes_its_range_unacceptable(client, q):
    response = client.get("/sparql", params={"query": SELECT},
                          headers={"Accept": f"text/csv;q={q}, application/sparql-results+xml;q=0.1"})
    assert media_type(response) == "application/sparql-results+xml"


def test_the_service_description_in_a_format_it_does_not_come_in_is_406(client):
    response = client.get("/sparql", params={"format": "csv"})
    assert response.status_code == 406 and "turtle" in response.text
    assert media_type(client.get("/sparql", params={"format": "jsonld"})) == "application/ld+json"
    # the format parameters are read as for a query
    assert media_type(client.get("/sparql", params={"output": "json"})) == "application/ld+json"
    assert media_type(client.get("/sparql", params={"format": "n3"})) == "text/turtle"
    assert media_type(client.get("/sparql", params=[("format", "xml"), ("format", "application/rdf+xml")],
                                 headers={"Accept": "application/n-triples"})) == "application/n-triples"
    assert media_type(client.get("/sparql", params={"format": "png"})) == "text/turtle"
    # Accept only asks: a description nothing acceptable fits comes as Turtle
    assert media_type(client.get("/sparql", headers={"Accept": "text/csv"})) == "text/turtle"


def test_post_without_a_query_and_an_empty_query_are_400(client):
    assert client.post("/sparql", data={"format": "json"}).status_code == 400
    assert client.post("/sparql", content=b"  \n", headers={"Content-Type": DIRECT}).status_code == 400
    assert client.get("/sparql", params={"query": ""}).status_code == 400


@pytest.fixture(scope="module")
def limited(start_server):
    """A server with small limits: queries of at most 200 characters, bodies of at most 1000 bytes."""
    return start_server(DATA, env={"ERKG_MAX_QUERY_LENGTH": "200", "ERKG_MAX_BODY": "1000"})


def test_limits_allow_what_fits(limited):
    query = "ASK { ?s ?p ?o }" + " " * (200 - 16)
    assert len(query) == 200
    assert httpx.get(f"{limited.url}/sparql", params={"query": query}).status_code == 200
    assert httpx.post(f"{limited.url}/sparql", content=query.encode(),
                      headers={"Content-Type": DIRECT}).status_code == 200


@pytest.mark.parametrize("how", ["get", "direct", "form"])
def test_a_query_longer_than_the_limit_is_413(limited, how):
    query = "ASK { ?s ?p ?o }" + " " * 185  # 201 characters, in a body well under 1000 bytes
    url = f"{limited.url}/sparql"
    response = {"get": lambda: httpx.get(url, params={"query": query}),
                "direct": lambda: httpx.post(url, content=query.encode(), headers={"Content-Type": DIRECT}),
                "form": lambda: httpx.post(url, data={"query": query})}[how]()
    assert response.status_code == 413
    assert "201 characters" in response.text and "200" in response.text


@pytest.mark.parametrize("how", ["direct", "form", "chunked"])
def test_a_body_larger_than_the_limit_is_413(limited, how):
    body = b"ASK {}" + b" " * 1200
    url = f"{limited.url}/sparql"
    if how == "direct":
        response = httpx.post(url, content=body, headers={"Content-Type": DIRECT})
    elif how == "form":
        response = httpx.post(url, content=b"query=" + body, headers={"Content-Type": FORM})
    else:  # no Content-Length: the limit is enforced while reading
        response = httpx.post(url, content=iter([body[:500], body[500:]]), headers={"Content-Type": DIRECT})
        assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413
    assert "1000 bytes" in response.text


def test_no_input_yields_a_5xx(endpoint):
    """Random methods, content types, bodies, query strings and headers: bounded in number and time."""
    rng = random.Random(20261123)
    queries = ["ASK {}", SELECT, CONSTRUCT, "DESCRIBE <http://example.org/>", "SELECT * { ?s ?p ?o }"]
    pieces = ["query", "update", "format", "default-graph-uri", "named-graph-uri", "=", "&", "%", "%FF", "%00",
              "%C3%A9", "+", "json", "xml", "csv", "ttl", "%ZZ", ";", "?", "<", ">", "{", "}", "SERVICE"]
    types = [None, DIRECT, FORM, UPDATE, "text/plain", DIRECT + "; charset=utf-16", FORM + "; charset=latin1",
             "application/x-www-form-urlencoded; charset", ";", "*/*", "application/sparql-query;;;"]
    accepts = [None, "", "*/*", "text/csv;q=nan", "application/json;q=-1", ",,,", "*/*;q=0", "text/*;q=x",
               "application/sparql-results+xml;q=1e999", "a/b/c", "text/html"]
    seen: set[int] = set()
    deadline = time.monotonic() + 25
    with httpx.Client(base_url=endpoint.url, timeout=10) as c:
        for i in range(300):
            if time.monotonic() > deadline:
                break
            kind = rng.randrange(4)
            if kind == 0:  # random bytes
                body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
            elif kind == 1:  # a mutated query
                q = bytearray(rng.choice(queries).encode())
                for _ in range(rng.randrange(1, 6)):
                    q[rng.randrange(len(q))] = rng.randrange(256)
                body = bytes(q)
            elif kind == 2:  # a random form
                body = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))).encode()
            else:
                body = b"query=" + quote(rng.choice(queries)).encode()
            target = "/sparql?" + "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
            headers = {}
            if (t := rng.choice(types)) is not None:
                headers["Content-Type"] = t
            if (a := rng.choice(accepts)) is not None:
                headers["Accept"] = a
            method = rng.choice(["GET", "POST", "POST", "POST", "PUT", "HEAD", "OPTIONS"])
            response = c.request(method, target, content=body if method != "GET" or i % 5 == 0 else None,
                                 headers=headers)
            seen.add(response.status_code)
            assert response.status_code < 500, (method, target, headers, body, response.text)
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert {200, 400} <= seen


@pytest.mark.parametrize("host", ["a%zz", "a%"])
def test_the_service_description_never_names_the_host_header(client, host):
    """The description names the endpoint by the server's own address (or ERKG_PUBLIC_URL):
    a Host header that makes no IRI (it was a 500, then a 400) changes nothing."""
    response = client.get("/sparql", headers={"Host": host, "Accept": "application/n-triples"})
    assert response.status_code == 200 and host not in response.text
    assert f"<{client.base_url.join('/sparql')}> <http://www.w3.org/ns/sparql-service-description#endpoint> " \
           in response.text


def test_a_query_file_with_a_byte_order_mark_is_read_without_it(client):
    """Editors on Windows save UTF-8 with a BOM; `curl --data-binary @query.rq` sends it."""
    response = client.post("/sparql", content="\ufeffASK {}".encode(), headers={"Content-Type": DIRECT})
    assert response.status_code == 200 and parse_boolean(response) is True
