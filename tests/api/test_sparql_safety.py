"""What `erkg serve` guarantees besides the protocol, shown on real servers:

- no query makes an outbound request: SERVICE is refused before evaluation,
  however it is written, and a listener the query points at gets no connection;
- a runaway query is stopped at its time limit (its worker process killed and
  replaced) while other clients are answered; a full pool answers 503;
- a query nested too deep for the engine's stack is refused before evaluation,
  and no query crashes a worker; one that dies anyway gives 503;
- CORS for browsers on other origins, without credentials;
- ETag / If-None-Match, and the answer cache (X-Cache: hit | miss);
- the SPARQL 1.1 Service Description with VoID statistics of the served data;
- answers larger than the cache limit are streamed, complete, and cut off at the
  time limit however slowly the client reads.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from api.conditional import strong_etag

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2


@pytest.fixture(scope="module")
def project(build_dir, start_server):
    """The project's graph, 2 query workers (and 1 kept for the API), a 2 s time limit."""
    server = start_server(build_dir / "erkg.nq", query_workers=2, timeout=TIMEOUT)
    warm_up(server, 2)
    return server


@pytest.fixture(scope="module")
def dataset(build_dir) -> list[ox.Quad]:
    return list(ox.parse(path=build_dir / "erkg.nq", format=ox.RdfFormat.N_QUADS))


def warm_up(server, workers: int) -> None:
    """Wait until every worker answers (they load the data when they start); one client
    (loopback address) per worker, as each client may run one query less than there are."""
    def one(i: int) -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=f"127.0.1.{i + 1}"), timeout=30) as client:
            client.get(f"{server.url}/sparql",
                       params={"query": f"ASK {{}} # warm-up {i} {time.monotonic()}"}).raise_for_status()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def unique(query: str) -> str:
    """The query made distinct (a comment), so that no cached answer serves it."""
    return f"{query}\n# {time.monotonic_ns()}"


# ---------------------------------------------------------------- no outbound requests


@pytest.fixture
def listener():
    """A socket listening on a loopback port: where the refused queries point."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s


def connected(listener: socket.socket, wait: float) -> bool:
    listener.settimeout(wait)
    try:
        conn, _ = listener.accept()
    except (socket.timeout, TimeoutError):
        return False
    conn.close()
    return True


def service_queries(port: int) -> dict[str, str]:
    """SERVICE to 127.0.0.1:port, written in the ways a lexical check could miss.
    The last ones exploit what Oxigraph's scannerless parser accepts: keywords
    without white space, comments ending at CR, escapes in prefixed names, `<…>`
    that is an IRI to a naive scan but operators to the parser."""
    e = f"<http://127.0.0.1:{port}/sparql>"
    p = f"PREFIX : <http://127.0.0.1:{port}/> PREFIX ex: <http://example.org/> "
    return {
        "plain": f"SELECT * WHERE {{ ?s ?p ?o SERVICE {e} {{ ?x ?y ?z }} }}",
        "silent": f"SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT {e} {{ ?x ?y ?z }} }}",
        "lowercase": f"select * where {{ ?s ?p ?o service {e} {{ ?x ?y ?z }} }}",
        "mixed case": f"SELECT * WHERE {{ ?s ?p ?o SeRvIcE {e} {{ ?x ?y ?z }} }}",
        "comments and strings around": (
            f'# SERVICE in a comment\nSELECT * WHERE {{ ?s ?p "SERVICE" . # "\n'
            f'  ?s ?p ?o SERVICE # the endpoint:\n {e} {{ ?x ?y "}}" }} }} # SERVICE'),
        "in a sub-select": f"SELECT * WHERE {{ {{ SELECT ?x WHERE {{ ?s ?p ?o SERVICE {e} {{ ?x ?y ?z }} }} }} }}",
        "in an OPTIONAL of a FILTER EXISTS": (
            f"ASK {{ ?s ?p ?o FILTER EXISTS {{ OPTIONAL {{ SERVICE {e} {{ ?x ?y ?z }} }} }} }}"),
        "in a CONSTRUCT": f"CONSTRUCT {{ ?x ?y ?z }} WHERE {{ SERVICE {e} {{ ?x ?y ?z }} }}",
        "with a variable endpoint": f"SELECT * WHERE {{ BIND({e} AS ?svc) SERVICE ?svc {{ ?x ?y ?z }} }}",
        "newline and tab around": f"SELECT * WHERE {{ ?s ?p ?o\n\tSERVICE\n\t{e}\n{{ ?x ?y ?z }} }}",
        "no space after a number": p + f"SELECT * WHERE {{ ?s ?p 1SERVICE {e} {{ ?x ?y ?z }} }}",
        "no space after a string": p + f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "x")SERVICE{e}{{ ?x ?y ?z }} }}',
        "SERVICESILENT": p + f"SELECT * WHERE {{ ?s ?p ?o SERVICESILENT{e} {{ ?x ?y ?z }} }}",
        "SERVICE:prefixed": p + "SELECT * WHERE { ?s ?p ?o SERVICE:sparql { ?x ?y ?z } }",
        "comment ending at CR": p + f"SELECT * WHERE {{ ?s ?p ?o # c\rSERVICE {e} {{ ?x ?y ?z }} }}",
        "escaped # in a prefixed name": (
            p + f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ex:a\\# ?o }} SERVICE {e} {{ ?x ?y ?z }} }}"),
        "escaped ' in a prefixed name": (
            p + f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ ?s ex:it\\'s ?o }} SERVICE {e} {{ ?x ?y ?z }} "
                "OPTIONAL { ?s ex:b 'x' } }"),
        "< > operators read as an IRI": p + "SELECT * WHERE { ?s ?p ?o FILTER(?o<2)SERVICE:sparql#>\n{ ?x ?y ?z } }",
        "long string after an operator": (
            p + "SELECT * WHERE { ?s ?p ?o FILTER(?o<#>'''\n2)SERVICE:sparql{?x ?y ?z}#'''\n }"),
        "IRI with a no-break space, then #": (
            p + f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p <http://x/\u00a0#> }} SERVICE {e} {{ ?x ?y ?z }} }}"),
        "IRI with a \\u escape, then #": (
            p + f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?p <http://x/\\u0041#> }} SERVICE {e} {{ ?x ?y ?z }} }}"),
        # `service:x {…}` is SERVICE `:x`, though a prefix `service:` is declared
        "a declared prefix service: before a group": (
            p + "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o . service:sparql { ?x ?y ?z } }"),
    }


LEXICAL_TRAPS = ["no space after a number", "no space after a string", "SERVICESILENT", "SERVICE:prefixed",
                 "comment ending at CR", "escaped # in a prefixed name", "escaped ' in a prefixed name",
                 "< > operators read as an IRI", "long string after an operator",
                 "IRI with a no-break space, then #", "IRI with a \\u escape, then #",
                 "a declared prefix service: before a group"]


def test_the_listener_catches_what_the_traps_would_do(listener):
    """Control: evaluated by Oxigraph directly, each trap does connect to the listener
    (so the listener is a real witness, and each trap a real SERVICE call)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    queries = service_queries(listener.getsockname()[1])
    for name in ["plain", *LEXICAL_TRAPS]:
        def evaluate() -> None:
            try:
                list(store.query(queries[name]))
            except Exception:
                pass  # the listener closes the connection: the SERVICE call fails
        thread = threading.Thread(target=evaluate, daemon=True)
        thread.start()
        assert connected(listener, 5), f"{name}: Oxigraph made no request"
        thread.join(10)


def test_service_is_refused_and_nothing_is_contacted(project, listener):
    queries = service_queries(listener.getsockname()[1])
    assert len(queries) >= 20
    with httpx.Client(base_url=project.url, timeout=10) as client:
        for name, query in queries.items():
            for response in (client.get("/sparql", params={"query": query}),
                             client.post("/sparql", data={"query": query}),
                             client.post("/sparql", content=query.encode(),
                                         headers={"Content-Type": "application/sparql-query"})):
                assert response.status_code == 400, (name, response.text)
                assert "SERVICE (federated query) is not allowed" in response.text, name
                assert not connected(listener, 0.05), f"{name}: the endpoint contacted the listener"
    assert not connected(listener, 1.0)


def test_workers_cannot_reach_the_network_even_past_the_query_check(build_dir, listener):
    """Defence in depth: a SERVICE query handed to the worker pool directly (as if the
    text check had missed it) reaches no host, because each worker runs in a network
    namespace of its own."""
    from api.embedded import Pool, Source
    from api.engine import EvaluationError, Request

    pool = Pool(Source(build_dir / "erkg.nq"), workers=1, timeout=10)
    try:
        assert pool.isolated, "this machine lets processes unshare their network namespace (root in CI)"
        query = service_queries(listener.getsockname()[1])["plain"]
        with pytest.raises(EvaluationError, match="unreachable"):
            pool.ask(Request(query, format="json"))
        assert not connected(listener, 1.0)
        assert pool.ask(Request("ASK { ?s ?p ?o }")).kind == "boolean"  # the worker still serves
    finally:
        pool.close()


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND ("SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }" AS ?x) }',
    "SELECT ?x WHERE { BIND ('''multi-line\nSERVICE <http://127.0.0.1:1/> {}''' AS ?x) }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?service . ?service ex:serviceLevel ?x }",
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * WHERE { ?s a sd:Service ; sd:endpoint ?e }",
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE <http://127.0.0.1:1/> {}",
    "SELECT ?service WHERE { BIND (1 AS ?service) FILTER (?service < 2 && ?service > 0) }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:customer-service ?o }",
    # a prefix named service, declared and used, and a graph named with it
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:level ?o }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s ?p ?o . service:x service:level ?y }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { GRAPH service:g { ?s ?p ?o } }",
    "PREFIX Service: <http://example.org/>\nSELECT ?service WHERE { ?service Service:level ?o }",
])
def test_the_word_service_elsewhere_is_not_refused(project, query):
    response = httpx.get(f"{project.url}/sparql", params={"query": query})
    assert response.status_code == 200, response.text


# ---------------------------------------------------------------- time limit and workers


def children(pid: int) -> dict[int, str]:
    """The child processes of `pid` (from /proc): pid -> command line."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry)] = cmdline
    return found


def workers(server) -> set[int]:
    return {pid for pid, cmd in children(server.process.pid).items() if "spawn_main" in cmd}


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def in_background(url: str, query: str, client: str = "127.0.0.3"):
    """Send a query from another client (another loopback address: each client may run one
    query less than there are workers); yields a dict that gets status, text, headers, seconds."""
    result: dict = {}

    def run() -> None:
        start = time.monotonic()
        with httpx.Client(transport=httpx.HTTPTransport(local_address=client), timeout=30) as other:
            response = other.get(f"{url}/sparql", params={"query": query})
        result.update(status=response.status_code, text=response.text, headers=response.headers,
                      seconds=time.monotonic() - start)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield result
    finally:
        thread.join(30)


def busy_worker(pids: set[int], seconds: float = 3.0) -> int:
    """The worker that starts burning CPU within `seconds`."""
    before = {p: cpu_seconds(p) for p in pids}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
        used = {p: cpu_seconds(p) - before[p] for p in pids}
        pid, most = max(used.items(), key=lambda kv: kv[1])
        if most >= 0.2:
            return pid
    raise AssertionError(f"no worker got busy: {used}")


def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(project):
    pids = workers(project)
    assert len(pids) == 3  # 2 for clients, 1 kept for the API
    with in_background(project.url, RUNAWAY) as runaway:
        busy = busy_worker(pids)
        for _ in range(3):  # another client is served by the other worker meanwhile
            start = time.monotonic()
            response = httpx.get(f"{project.url}/sparql", params={"query": unique("ASK { ?s ?p ?o }")}, timeout=5)
            assert response.status_code == 200 and response.headers["x-cache"] == "miss"
            assert time.monotonic() - start < 1.0
        assert "status" not in runaway  # still running
    assert runaway["status"] == 503
    assert "time limit of 2 s" in runaway["text"] and "stopped" in runaway["text"]
    assert runaway["seconds"] <= TIMEOUT + 2
    # The worker that ran it was killed (CPU freed) and a fresh one took its place.
    assert not Path(f"/proc/{busy}").exists()
    after = workers(project)
    assert busy not in after and len(after) == 3 and len(after - pids) == 1
    response = httpx.get(f"{project.url}/sparql", params={"query": unique("SELECT * WHERE { ?s ?p ?o } LIMIT 3")},
                         timeout=10)
    assert response.status_code == 200 and len(json.loads(response.text)["results"]["bindings"]) == 3


def test_slow_sparql_queries_do_not_starve_the_rest_api(project):
    """Two runaways hold both workers of the SPARQL clients; the REST API (here a named
    query, which is not cached) is answered meanwhile by the worker kept for it."""
    pids = workers(project)
    with in_background(project.url, unique(RUNAWAY)) as first, \
            in_background(project.url, unique(RUNAWAY), client="127.0.0.4") as second:
        busy_worker(pids)
        time.sleep(0.3)
        for _ in range(3):
            start = time.monotonic()
            response = httpx.get(f"{project.url}/api/v1/queries/roles", timeout=10)
            assert response.status_code == 200 and response.json()
            assert time.monotonic() - start < 1.0
        assert "status" not in first and "status" not in second  # both still running
    assert first["status"] == second["status"] == 503
    warm_up(project, 2)


def test_a_runaway_construct_stopped_while_streaming_frees_its_worker(project):
    """The limit also holds once the answer has started: the stream is cut, the worker
    replaced, and the log says so in a line (no traceback)."""
    pids = workers(project)
    offset = project.log.stat().st_size
    # All triples first (more than the cache's 1 MiB: the answer streams), then a runaway branch.
    query = unique("CONSTRUCT { ?a ?b ?c } WHERE { { ?a ?b ?c } UNION { { SELECT ?a ?b ?c WHERE "
                   "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 1 OFFSET 100000000000 } } }")
    received = 0
    with pytest.raises(httpx.HTTPError):
        with httpx.stream("GET", f"{project.url}/sparql", params={"query": query},
                          headers={"Accept": "application/n-triples"}, timeout=30) as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                received += len(chunk)
    assert received > 1 << 20  # it had streamed past the cache limit when it was cut
    deadline = time.monotonic() + 5
    while len(workers(project) - pids) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = workers(project)
    assert len(after) == 3 and len(after - pids) == 1
    log = new_log(project, offset)
    assert "a SPARQL answer was cut off" in log and "time limit of 2 s" in log and "Traceback" not in log
    warm_up(project, 2)


def raw_request(server, request: bytes, receive_buffer: int | None = None, client: str = "127.0.0.1") -> socket.socket:
    """A client socket (from the address `client`) that has sent `request` and read nothing yet."""
    s = socket.socket()
    if receive_buffer:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    s.bind((client, 0))
    s.connect(("127.0.0.1", server.port))
    s.sendall(request)
    return s


def read_to_end(s: socket.socket) -> bytes:
    s.settimeout(10)
    received = bytearray()
    while piece := s.recv(1 << 16):
        received += piece
    return bytes(received)


def new_log(server, offset: int) -> str:
    return server.log.read_bytes()[offset:].decode(errors="replace")


def test_a_client_that_stops_reading_holds_no_worker_past_the_time_limit(project):
    """Two clients ask for endless answers and read nothing: without a limit on the whole
    answer, each holds a worker (blocked on its full pipe) for good, and every other
    query gets 503. At the time limit both answers are cut off and the workers freed."""
    pids = workers(project)
    offset = project.log.stat().st_size
    target = "/sparql?" + urlencode({"query": unique("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")})
    request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n\r\n".encode()
    stalled = [raw_request(project, request, receive_buffer=4096, client=client) for client in ("127.0.0.3", "127.0.0.4")]
    try:
        time.sleep(TIMEOUT + 1.5)
        for _ in range(2):
            start = time.monotonic()
            response = httpx.get(f"{project.url}/sparql", params={"query": unique("ASK {}")}, timeout=10)
            assert response.status_code == 200, response.text
            assert time.monotonic() - start < 1.5
        for s in stalled:  # each answer broke off: the connection closed before the last chunk
            received = read_to_end(s)
            assert received.startswith(b"HTTP/1.1 200") and not received.endswith(b"\r\n0\r\n\r\n")
    finally:
        for s in stalled:
            s.close()
    assert len(workers(project) - pids) == 2  # both killed and replaced
    log = new_log(project, offset)
    assert "a SPARQL answer was cut off" in log and "Traceback" not in log
    warm_up(project, 2)


def test_a_client_gone_mid_request_body_leaves_no_error(project):
    offset = project.log.stat().st_size
    s = raw_request(project, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK {")
    s.close()
    response = httpx.get(f"{project.url}/sparql", params={"query": unique("ASK {}")}, timeout=10)
    assert response.status_code == 200
    assert "Traceback" not in new_log(project, offset)


def test_a_full_pool_answers_503_with_retry_after(build_dir, start_server):
    server = start_server(build_dir / "erkg.nq", query_workers=1, timeout=3, env={"ERKG_QUEUE_TIMEOUT": "0.5"})
    with in_background(server.url, RUNAWAY) as runaway:
        busy_worker(workers(server))
        start = time.monotonic()
        response = httpx.get(f"{server.url}/sparql", params={"query": unique("ASK {}")}, timeout=10)
        waited = time.monotonic() - start
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert "busy" in response.text
        assert 0.4 <= waited < 2.0
    assert runaway["status"] == 503 and "time limit" in runaway["text"]
    assert runaway["headers"]["retry-after"] == "1"
    response = httpx.get(f"{server.url}/sparql", params={"query": unique("ASK {}")}, timeout=30)
    assert response.status_code == 200


def test_a_worker_that_dies_mid_query_gives_503_and_is_replaced(server):
    """Killed from outside (as the kernel's OOM killer would): the client is told at once."""
    pids = workers(server)
    with in_background(server.url, unique(RUNAWAY)) as runaway:
        busy = busy_worker(pids)
        os.kill(busy, signal.SIGKILL)
    assert runaway["status"] == 503 and runaway["headers"]["retry-after"] == "1"
    assert "worker stopped while evaluating the query" in runaway["text"]
    assert runaway["seconds"] < 5  # not left waiting for the time limit
    warm_up(server, 2)
    after = workers(server)
    assert busy not in after and len(after) == 3


def post(server, query: str) -> httpx.Response:
    return httpx.post(f"{server.url}/sparql", content=query.encode(),
                      headers={"Content-Type": "application/sparql-query"}, timeout=10)


DEEP = {
    "parentheses": "SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}",
    "function calls": "SELECT (" + "STR(" * 3000 + "1" + ")" * 3000 + " AS ?x) {}",
    "groups": "SELECT * " + "{" * 1001 + "}" * 1001,
    "OPTIONALs": "SELECT * {" + "OPTIONAL {" * 3000 + "}" * 3000 + "}",
    "FILTER EXISTS": "SELECT * {" + "FILTER(EXISTS{" * 800 + "})" * 800 + "}",
}


@pytest.mark.min_cases(5)
@pytest.mark.parametrize("name", DEEP)
def test_a_query_nested_too_deep_is_refused_before_evaluation(project, name):
    pids = workers(project)
    response = post(project, unique(DEEP[name]))
    assert response.status_code == 400
    assert "levels deep" in response.text and "line 1, column" in response.text
    assert "the limit is 1000" in response.text
    assert workers(project) == pids


@pytest.mark.parametrize("query", [
    "SELECT (" + "!" * 20000 + "true AS ?x) {}",
    "SELECT (" + "true && " * 10000 + "true AS ?x) {}",
    "SELECT * {" + "OPTIONAL {" * 900 + "}" * 900 + "}",
], ids=["20000 negations", "10000 conjunctions", "900 nested OPTIONALs"])
def test_deep_expressions_within_the_limits_are_answered_without_crashing_a_worker(project, query):
    """No brackets limit chained operators, yet each nests the expression one level deeper."""
    pids = workers(project)
    response = post(project, unique(query))
    assert response.status_code == 200, response.text
    assert workers(project) == pids


# ---------------------------------------------------------------- CORS


def test_cors_preflight_allows_any_origin_without_credentials(project):
    response = httpx.options(f"{project.url}/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_cors_on_a_query_from_another_origin(project):
    response = httpx.get(f"{project.url}/sparql", params={"query": "ASK {}"},
                         headers={"Origin": "https://yasgui.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "x-cache"} <= exposed


def test_cors_on_an_error_and_vary_on_every_answer(project):
    """A page on another origin can read why its query failed; a cache keeps answers to
    other origins apart (Vary: Origin), as for every other path of the app."""
    error = httpx.get(f"{project.url}/sparql", params={"query": "SELEC * {}"},
                      headers={"Origin": "https://yasgui.example"})
    assert error.status_code == 400 and error.headers["access-control-allow-origin"] == "*"
    plain = httpx.get(f"{project.url}/sparql", params={"query": "ASK {}"})
    assert "access-control-allow-origin" not in plain.headers
    assert {v.strip() for v in plain.headers["vary"].split(",")} >= {"Accept", "Origin"}
    # OPTIONS that is not a CORS preflight is a method /sparql does not answer
    assert httpx.options(f"{project.url}/sparql").status_code == 405


# ---------------------------------------------------------------- ETag and the cache


def test_etag_304_and_the_answer_cache(project):
    query = unique("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 20")
    url = f"{project.url}/sparql"
    first = httpx.get(url, params={"query": query})
    assert first.status_code == 200 and first.headers["x-cache"] == "miss"
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')

    second = httpx.get(url, params={"query": query})
    assert second.headers["x-cache"] == "hit"
    assert second.headers["etag"] == etag and second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    posted = httpx.post(url, content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert posted.headers["x-cache"] == "hit" and posted.headers["etag"] == etag

    not_modified = httpx.get(url, params={"query": query}, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    listed = httpx.get(url, params={"query": query}, headers={"If-None-Match": f'"other", {etag}'})
    assert listed.status_code == 304
    stale = httpx.get(url, params={"query": query}, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content

    other_query = httpx.get(url, params={"query": query.replace("LIMIT 20", "LIMIT 21")})
    other_accept = httpx.get(url, params={"query": query}, headers={"Accept": "text/csv"})
    other_format = httpx.get(url, params={"query": query, "format": "xml"})
    other_dataset = httpx.get(url, params={"query": query, "default-graph-uri": "https://w3id.org/erkg/ontology"})
    etags = {r.headers["etag"] for r in (first, other_query, other_accept, other_format, other_dataset)}
    assert len(etags) == 5
    assert "Accept" in first.headers["vary"]


@pytest.mark.parametrize("call, differ", [
    ("NOW()", lambda a, b: a != b),
    ("RAND()", lambda a, b: a != b),
    ("UUID()", lambda a, b: a != b),
    ("STRUUID()", lambda a, b: a != b),
    ("BNODE()", lambda a, b: True),  # a fresh blank node each time: its label may repeat
    ("now ()", lambda a, b: a != b),
])
def test_an_answer_that_may_change_between_runs_is_never_cached(project, call, differ):
    """Asked again, a query that calls NOW, RAND, UUID, STRUUID or BNODE is evaluated
    again: no cached answer, no ETag to revalidate, so NOW() moves and RAND() changes."""
    query = unique(f"SELECT ?x WHERE {{ BIND ({call} AS ?x) }}")
    url = f"{project.url}/sparql"
    answers = []
    for _ in range(3):
        response = httpx.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        assert response.headers["x-cache"] == "miss" and "etag" not in response.headers
        assert response.headers["cache-control"] == "no-store"
        answers.append(response.json()["results"]["bindings"][0]["x"]["value"])
        time.sleep(0.002)  # NOW() has sub-microsecond resolution; still, let it move
    assert differ(answers[0], answers[1]) or differ(answers[1], answers[2]), answers


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND ("NOW()" AS ?x) }',
    "SELECT ?now WHERE { ?now <http://example.org/rand> ?o } # UUID()",
    "PREFIX ex: <http://example.org/> SELECT ?x WHERE { ?s ex:uuid ?x . ?s ex:bnode ?b }",
])
def test_a_function_name_in_a_string_a_comment_or_a_name_leaves_the_answer_cached(project, query):
    query = unique(query)
    url = f"{project.url}/sparql"
    assert httpx.get(url, params={"query": query}).headers["x-cache"] == "miss"
    again = httpx.get(url, params={"query": query})
    assert again.headers["x-cache"] == "hit" and "etag" in again.headers


def test_no_two_answers_share_an_etag_by_how_their_parts_join():
    """Joined by a control character, a query ending in it and a dataset IRI starting
    with it would be one to the cache: a wrong cached answer, or a wrong 304."""
    assert strong_etag("v1", "ASK {} #\x1f", ()) != strong_etag("v1", "ASK {} #", ("\x1f",))
    assert strong_etag("v1", "a\x1fb", "c") != strong_etag("v1", "a", "b\x1fc")
    assert strong_etag("v1", ("a", "b")) != strong_etag("v1", ("a\x1eb",))
    assert strong_etag("v1", "a") == strong_etag("v1", "a") != strong_etag("v2", "a")


# ---------------------------------------------------------------- service description


@pytest.mark.parametrize("accept, media, fmt", [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_service_description(project, dataset, accept, media, fmt):
    headers = {"Accept": accept} if accept else {"Accept": ""}
    response = httpx.get(f"{project.url}/sparql", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    g = rdflib.Graph().parse(data=response.content, format=fmt)
    service = URIRef(f"{project.url}/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert set(g.objects(service, SD.resultFormat)) == {FORMATS[f] for f in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "RDF_XML", "JSON-LD")}
    (described,) = g.objects(service, SD.defaultDataset)
    assert g.value(described, VOID.triples) == Literal(len(dataset))
    default = g.value(described, SD.defaultGraph)
    assert g.value(default, VOID.triples) == Literal(len({(q.subject, q.predicate, q.object) for q in dataset}))
    sizes = Counter(q.graph_name.value for q in dataset if isinstance(q.graph_name, ox.NamedNode))
    named = list(g.objects(described, SD.namedGraph))
    assert len(named) == len(sizes)
    assert {str(g.value(n, SD.name)): int(g.value(g.value(n, SD.graph), VOID.triples)) for n in named} == sizes


def test_a_browser_gets_the_query_page_not_the_description(project):
    response = httpx.get(f"{project.url}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


# ---------------------------------------------------------------- streaming


def test_an_answer_larger_than_the_cache_limit_streams_complete(project, dataset):
    url = f"{project.url}/sparql"
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    for attempt in range(2):
        response = httpx.get(url, params={"query": query}, headers={"Accept": "application/n-triples"}, timeout=30)
        assert response.status_code == 200
        assert "content-length" not in response.headers  # streamed (chunked), not held whole
        assert response.headers["x-cache"] == "miss"  # and never cached, however often asked
        assert len(response.content) > 1 << 20  # more than the cache's largest answer (1 MiB)
    g = rdflib.Graph().parse(data=response.content, format="nt")
    assert len(g) == len({(q.subject, q.predicate, q.object) for q in dataset})


def test_a_large_select_streams_complete(project, dataset):
    response = httpx.get(f"{project.url}/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200 and "content-length" not in response.headers
    rows = json.loads(response.content)["results"]["bindings"]
    assert len(rows) == len(dataset)
    assert Counter(r["g"]["value"] for r in rows) == Counter(q.graph_name.value for q in dataset)


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/api/v1/roles", "/id/role/cmo", "/sparql"])
def test_headers_over_64_kb_are_refused_before_anything_reads_them(project, path):
    """httptools limits the request line only: an Accept of megabytes was parsed on the
    event loop and again by a query worker (a worker lost to the time limit)."""
    url = f"{project.url}{path}"
    refused = httpx.get(url, headers={"Accept": "a/b;q=0.5," * 7000 + "*/*"}, timeout=10)
    assert refused.status_code == 431 and "64 KB" in refused.text
    assert refused.headers["access-control-allow-origin"] == "*"
    assert httpx.get(url, headers={"Accept": "a/b;q=0.5," * 500 + "*/*"}, timeout=10).status_code == 200


def doubling(levels: int) -> str:
    """A query whose string doubles at each level: 2**levels characters in the end."""
    binds = " ".join(f"BIND (CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(levels))
    return f'SELECT (STRLEN(?x{levels}) AS ?n) WHERE {{ BIND ("a" AS ?x0) {binds} }}'


def test_a_query_past_its_memory_is_stopped_and_the_worker_replaced(build_dir, start_server):
    """Without a limit, a query that doubles a string filled the worker past a GB in a few
    seconds and would have kept going until the timeout: on a shared machine, the memory
    of every process."""
    server = start_server(build_dir / "erkg.nq", query_workers=1, timeout=20, env={"ERKG_QUERY_MEMORY": "300"})
    assert post(server, doubling(20)).text.count("1048576") == 1  # 1 MB: well within
    started = time.monotonic()
    response = post(server, doubling(29))  # 512 MB, and copies of it
    assert response.status_code == 503, response.text
    assert "ran out of memory" in response.text and "300 MB" in response.text
    assert time.monotonic() - started < 10  # stopped by the limit, not by the time limit
    warm_up(server, 1)
    assert post(server, doubling(20)).status_code == 200
