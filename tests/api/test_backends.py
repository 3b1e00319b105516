"""ERKG on external SPARQL engines: `erkg load` into a real Oxigraph server and a
real Virtuoso, then the same answers as the embedded engine over the protocol,
the named queries and the Linked Data pages; an engine that is killed or hangs
gives 503 within the time limit, and the service recovers when it is back.
Several server processes (`erkg serve --workers 2`) answer the same.

(tests/api/rest/test_rest.py runs the whole REST API suite on every backend as well.)
"""

from __future__ import annotations

import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.load import Target, load
from kg.namespaces import DEFAULT_BASE, Iris
from kg.queries import load_queries
from tests.engines import bulk_load, start_oxigraph, start_virtuoso

from tests.conftest import BACKENDS, ROOT

NAMED = sorted(q.name for q in load_queries(ROOT / "queries").values() if not q.is_check)
REMOTE = [b for b in BACKENDS if b != "embedded"]
PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in Iris().prefixes().items())
PAGES = ["/id/role/cmo", "/id/role/cco", "/id/document/cmo-cio-divide", "/id/person/daniel-weisbeck",
         "/graph/spors-interview"]


def dataset_counts(nq: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts


def value(cell):
    """A JSON cell compared by value: engines may write 1.0 as 1 (Virtuoso canonicalises
    decimals); GROUP_CONCAT joins its values in no defined order, and over no values
    at all gives "" on Virtuoso, nothing on Oxigraph."""
    if cell == "":
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return Decimal(str(cell)).normalize()
    if isinstance(cell, str) and ", " in cell:
        return sorted(cell.split(", "))
    return cell


def rows(answer: dict) -> list[str]:
    """The rows of a named query's JSON answer, order-free, values normalised."""
    return sorted(json.dumps({k: value(v) for k, v in row.items()}, sort_keys=True, default=str)
                  for row in answer["rows"])


def solutions(body: bytes, fmt: ox.QueryResultsFormat) -> list[tuple]:
    def term(t):
        if isinstance(t, ox.Literal) and t.datatype.value.startswith("http://www.w3.org/2001/XMLSchema#"):
            try:
                return ("number", Decimal(t.value).normalize())
            except InvalidOperation:
                pass
        return str(t)
    result = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in result.variables]
    return sorted(tuple(term(row[n]) if row[n] is not None else None for n in names) for row in result)


def graph(body: bytes, fmt: ox.RdfFormat) -> ox.Dataset:
    return ox.Dataset(ox.parse(body, format=fmt))


def isomorphic(a: ox.Dataset, b: ox.Dataset) -> bool:
    a.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    b.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return a == b


# ---------------------------------------------------------------- loading


@pytest.mark.min_cases(4)
@pytest.mark.parametrize("protocol", ["gsp", "update"])
@pytest.mark.parametrize("name", REMOTE)
def test_load_replaces_the_graphs_and_verifies_the_counts(name, protocol, request, build_dir, tmp_path):
    """`erkg load` twice gives the same store; a graph under the base that the dataset
    no longer has (a removed document) is dropped; the counts are the dataset's."""
    engine = request.getfixturevalue(f"{name}_engine")
    target = engine.target(protocol)
    stale = f"{DEFAULT_BASE}graph/removed-document"
    engine.target("gsp").put(stale, b"<https://w3id.org/erkg/id/x> <https://w3id.org/erkg/ontology#y> \"z\" .\n")
    expected = dataset_counts(build_dir / "erkg.nq")
    first = load(build_dir / "erkg.nq", target, base=DEFAULT_BASE, cache=tmp_path)
    assert first.graphs == expected and first.dropped == [stale]
    second = load(build_dir / "erkg.nq", target, base=DEFAULT_BASE, cache=tmp_path)
    assert second.graphs == expected and second.dropped == []
    assert target.graph_sizes(DEFAULT_BASE) == expected


def test_load_refuses_bad_targets_clearly(oxigraph_engine, build_dir, tmp_path):
    from api.cli import main
    from kg.errors import ErkgError
    refused = Target("http://127.0.0.1:9/store", query_url="http://127.0.0.1:9/query", timeout=5)
    with pytest.raises(ErkgError, match="cannot count the store's triples"):
        load(build_dir / "erkg.nq", refused, base=DEFAULT_BASE, cache=tmp_path)
    wrong = Target(oxigraph_engine.query_url, protocol="update", query_url=oxigraph_engine.query_url)
    with pytest.raises(ErkgError, match="update was refused"):
        load(build_dir / "erkg.nq", wrong, base=DEFAULT_BASE, cache=tmp_path)
    assert main(["load", "--to", oxigraph_engine.store_url, "--data", str(tmp_path / "missing.nq")]) == 1


@pytest.mark.min_cases(2)
@pytest.mark.parametrize("name", REMOTE)
def test_native_bulk_loaders_keep_every_quad(name, tmp_path, build_dir):
    """The benchmarks load large graphs with the engines' own loaders (tests/engines.py)."""
    start = {"oxigraph": lambda: start_oxigraph(tmp_path),
             "virtuoso": lambda: start_virtuoso(tmp_path, dirs_allowed=(build_dir,))}[name]
    engine = start()
    try:
        bulk_load(engine, build_dir / "erkg.nq")
        assert engine.target().graph_sizes(DEFAULT_BASE) == dataset_counts(build_dir / "erkg.nq")
    finally:
        engine.stop()


# ---------------------------------------------------------------- same answers


@pytest.mark.min_cases(10)
@pytest.mark.parametrize("name", NAMED)
def test_named_queries_answer_the_same_on_every_backend(backend, server, name):
    here = httpx.get(f"{backend.url}/api/v1/queries/{name}", timeout=30)
    embedded = httpx.get(f"{server.url}/api/v1/queries/{name}", timeout=30)
    assert here.status_code == embedded.status_code == 200, here.text
    assert here.json()["count"] == embedded.json()["count"] > 0
    assert rows(here.json()) == rows(embedded.json())


# Each named query asked about one thing (its header's examples), some in one language: bound by
# substitution on the embedded engine, in the query text on a remote one (kg.sparql_text.with_values).
QUESTIONS = [
    ("cco-aligned-departments", {"role": "role:cco", "lang": "en"}),
    ("cmo-vs-cio-findings", {"roleA": "role:cmo", "roleB": "role:cio"}),
    ("findings", {"study": "study:netbiscuits-study", "lang": "en"}),
    ("mobile-web-strategy-ownership", {"lang": "de"}),
    ("posts", {"person": "person:daniel-weisbeck"}),
    ("provenance", {"fact": "finding:netbiscuits-interview/f-cmos-interaction-channels"}),
    ("recommendations", {"audience": "role:cmo"}),
    ("role-relations", {"party": "role:cmo", "lang": "de"}),
    ("role-responsibilities", {"role": "role:cio"}),
    ("roles", {"role": "role:cmo"}),
]


@pytest.mark.min_cases(10)
@pytest.mark.parametrize(("name", "params"), QUESTIONS, ids=[name for name, _ in QUESTIONS])
def test_named_queries_with_parameters_answer_the_same_on_every_backend(backend, server, name, params):
    here = httpx.get(f"{backend.url}/api/v1/queries/{name}", params=params, timeout=30)
    embedded = httpx.get(f"{server.url}/api/v1/queries/{name}", params=params, timeout=30)
    assert here.status_code == embedded.status_code == 200, here.text
    everything = httpx.get(f"{server.url}/api/v1/queries/{name}", timeout=30).json()["count"]
    assert 0 < here.json()["count"] == embedded.json()["count"] <= everything
    assert rows(here.json()) == rows(embedded.json())


def both(backend, server, query: str, media_type: str) -> list[bytes]:
    """The answers of the backend and of the embedded server to one query in one format."""
    bodies = []
    for url in (backend.url, server.url):
        response = httpx.post(f"{url}/sparql", data={"query": PREFIXES + query}, headers={"Accept": media_type},
                              timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type)
        bodies.append(response.content)
    return bodies


@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.TSV])
def test_select_in_every_results_format(backend, server, fmt):
    query = "SELECT ?finding ?share ?role WHERE { ?finding a erkg:Finding ; erkg:share ?share ; " \
            "erkg:respondentGroup/erkg:groupRole ?role }"
    here, embedded = (solutions(body, fmt) for body in both(backend, server, query, fmt.media_type))
    assert here == embedded and len(here) >= 6


def test_select_as_csv(backend, server):
    """CSV carries no datatypes (pyoxigraph does not read it back): compared as rows of text."""
    query = "SELECT ?post ?person ?since WHERE { ?post org:heldBy ?person OPTIONAL { ?post erkg:heldSince ?since } }"
    here, embedded = ((t[0], sorted(t[1:])) for t in (b.decode().splitlines() for b in both(backend, server, query, "text/csv")))
    assert here == embedded and len(here[1]) >= 10


@pytest.mark.parametrize("fmt", [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD])
def test_construct_in_every_graph_format(backend, server, fmt):
    query = "CONSTRUCT { ?post ?p ?o } WHERE { ?post a org:Post ; ?p ?o }"
    here, embedded = (graph(body, fmt) for body in both(backend, server, query, fmt.media_type))
    assert len(here) > 50 and isomorphic(here, embedded)


def test_protocol_guarantees_hold_on_every_backend(backend, build_dir):
    url = f"{backend.url}/sparql"
    ask = httpx.get(url, params={"query": "ASK { ?s a <https://w3id.org/erkg/ontology#Finding> }"},
                    headers={"Accept": "application/sparql-results+json"})
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    # the protocol's dataset: only the named graph given is the default graph
    graph = f"{DEFAULT_BASE}graph/spors-interview"
    one = httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": graph},
                    headers={"Accept": "text/csv"})
    assert one.status_code == 200 and int(one.text.split()[1]) == dataset_counts(build_dir / "erkg.nq")[graph]
    assert httpx.get(url, params={"query": "SELECT * WHERE { ?s ?p }"}).status_code == 400
    service = httpx.get(url, params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert service.status_code == 400 and "SERVICE" in service.text
    assert httpx.get(url, params={"query": "ASK {}"}, headers={"Accept": "text/turtle"}).status_code == 406
    first = httpx.get(url, params={"query": "SELECT ?s WHERE { ?s a <https://w3id.org/erkg/ontology#Study> }"})
    again = httpx.get(url, params={"query": "SELECT ?s WHERE { ?s a <https://w3id.org/erkg/ontology#Study> }"},
                      headers={"If-None-Match": first.headers["etag"]})
    assert first.status_code == 200 and again.status_code == 304
    description = httpx.get(url, headers={"Accept": "text/turtle"})
    total = sum(dataset_counts(build_dir / "erkg.nq").values())
    assert description.status_code == 200 and f"void:triples {total} " in description.text.replace("\t", " ")


@pytest.mark.min_cases(5)
@pytest.mark.parametrize("path", PAGES)
def test_linked_data_pages_are_the_same_graphs(backend, server, path):
    here = httpx.get(f"{backend.url}{path}", headers={"Accept": "application/n-triples"}, timeout=30)
    embedded = httpx.get(f"{server.url}{path}", headers={"Accept": "application/n-triples"}, timeout=30)
    assert here.status_code == embedded.status_code == 200, here.text
    assert isomorphic(graph(here.content, ox.RdfFormat.N_TRIPLES), graph(embedded.content, ox.RdfFormat.N_TRIPLES))


# ---------------------------------------------------------------- an engine down or hung


def wait_until(check, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.min_cases(2)
@pytest.mark.parametrize("name", REMOTE)
def test_a_killed_engine_gives_503_and_the_service_recovers(name, served_from, build_dir, start_server):
    engine, _ = served_from(name)
    # a server of its own: one whose caches hold nothing yet has to ask the engine
    server = start_server(build_dir / "erkg.nq", env={"ERKG_ENDPOINT": engine.query_url})
    query = {"query": "SELECT * WHERE { ?s a <https://w3id.org/erkg/ontology#Proposition> } LIMIT 3"}
    assert httpx.get(f"{server.url}/sparql", params=query).status_code == 200
    engine.kill()
    try:
        started = time.monotonic()
        down = httpx.get(f"{server.url}/sparql", params={**query, "format": "csv"}, timeout=30)
        assert down.status_code == 503 and "cannot be reached" in down.text and time.monotonic() - started < 5
        rest = httpx.get(f"{server.url}/api/v1/persons", timeout=30)
        assert rest.status_code == 503 and rest.headers["content-type"].startswith("application/problem+json")
    finally:
        engine.restart()
    wait_until(lambda: httpx.get(f"{server.url}/sparql", params=query, timeout=30).status_code == 200)
    assert httpx.get(f"{server.url}/api/v1/persons", timeout=30).status_code == 200


def test_a_hung_engine_gives_503_within_the_time_limit(oxigraph_engine, build_dir, start_server):
    """The engine stops answering (SIGSTOP: connections are accepted, nothing comes back)."""
    server = start_server(build_dir / "erkg.nq", env={"ERKG_ENDPOINT": oxigraph_engine.query_url}, timeout=2)
    query = {"query": "SELECT * WHERE { ?s a <https://w3id.org/erkg/ontology#Topic> }", "format": "json"}
    assert httpx.get(f"{server.url}/sparql", params=query).status_code == 200
    os.kill(oxigraph_engine.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        hung = httpx.get(f"{server.url}/sparql", params={**query, "query": query["query"] + " LIMIT 5"}, timeout=30)
        assert hung.status_code == 503 and "time limit of 2 s" in hung.text
        assert time.monotonic() - started < 4
    finally:
        os.kill(oxigraph_engine.process.pid, signal.SIGCONT)
    wait_until(lambda: httpx.get(f"{server.url}/sparql", params=query, timeout=30).status_code == 200)


# ---------------------------------------------------------------- several server processes


def test_several_server_processes_answer_the_same(build_dir, start_server):
    """`erkg serve --workers 2`: two HTTP processes over one on-disk store. Each is
    stopped in turn (SIGSTOP): the other alone takes every connection, and answers the same."""
    many = start_server(build_dir / "erkg.nq", workers=2, query_workers=1)
    paths = ["/api/v1/roles/cmo", "/api/v1/findings?limit=5", "/api/v1/queries/roles", "/id/role/cio"]
    expected = {p: httpx.get(f"{many.url}{p}").content for p in paths}
    pid = many.process.pid
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    servers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(servers) == 2, children

    def one(path: str) -> bytes:  # a new connection each time
        response = httpx.get(f"{many.url}{path}", headers={"Connection": "close"}, timeout=10)
        assert response.status_code == 200, response.text
        return response.content

    for stopped in servers:
        os.kill(stopped, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(4) as pool:
                answers = list(pool.map(one, paths * 5))
        finally:
            os.kill(stopped, signal.SIGCONT)
        assert answers == [expected[p] for p in paths * 5]


def test_auto_store_keeps_in_memory_what_fits(tmp_path):
    """ERKG_STORE=auto: each query worker loads the dataset into memory if all the copies fit
    into half the memory available; larger datasets are queried on disk."""
    from api.app import available_memory, fits_in_memory
    from api.settings import Settings
    small, large = tmp_path / "small.nq", tmp_path / "large.nq"
    small.write_bytes(b"<urn:a> <urn:b> <urn:c> <urn:g> .\n")
    with large.open("wb") as f:
        f.truncate(available_memory() // 4)  # sparse: 2.5 bytes per byte, 2 workers > half of it
    assert fits_in_memory(Settings(dataset=small))
    assert not fits_in_memory(Settings(dataset=large))
    assert fits_in_memory(Settings(dataset=large, query_workers=1, memory_store_max_bytes=large.stat().st_size))
    assert not fits_in_memory(Settings(dataset=small, memory_store_max_bytes=10))


@pytest.mark.parametrize("store", ["memory", "disk"])
def test_a_dataset_that_does_not_parse_is_refused_with_the_parsers_message(store, tmp_path):
    from api.app import create_service
    from api.engine import EngineError
    from api.settings import Settings
    from kg.errors import ErkgError
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises((EngineError, ErkgError), match=r"bad\.ttl: cannot load: .*line 2"):
        create_service(Settings(dataset=bad, store=store, store_cache=tmp_path / "stores"))
