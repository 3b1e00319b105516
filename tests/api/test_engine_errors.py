"""One answer per kind of engine error (api.problems.engine_problem), the same on every
surface: /sparql, the REST API, the named-query endpoints and the Linked Data pages give
the same status and the same Retry-After. /sparql writes it as plain text (what SPARQL
clients show), the others as a problem document.

Provoked for real: every worker busy (one worker, none kept for the API, a short queue
timeout, a runaway query holding it), a remote engine that hangs (SIGSTOP: the time
limit) and one that is gone (killed).
"""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from api import engine as errors
from api.fairness import TooManyQueries
from api.problems import engine_problem
from tests.api.test_backends import wait_until
from tests.api.test_sparql_safety import RUNAWAY, busy_worker, in_background, unique, workers

# One request per surface, each the first of its kind on a fresh server: nothing cached.
SURFACES = {
    "sparql": ("/sparql", {"query": "SELECT * WHERE { ?s a <https://w3id.org/erkg/ontology#Topic> } LIMIT 2"}),
    "rest": ("/api/v1/roles", {}),
    "named query": ("/api/v1/queries/roles", {}),
    "page": ("/id/role/cmo", {}),
}


def answers(url: str) -> dict[str, httpx.Response]:
    out = {}
    for name, (path, params) in SURFACES.items():
        if name == "sparql":
            params = {"query": unique(params["query"])}
        out[name] = httpx.get(url + path, params=params, timeout=30)
    return out


def assert_the_same(responses: dict[str, httpx.Response], status: int, *words: str) -> None:
    seen = {name: (r.status_code, r.headers.get("retry-after")) for name, r in responses.items()}
    assert set(seen.values()) == {(status, "1")}, seen
    for name, r in responses.items():
        media = r.headers["content-type"].split(";")[0]
        assert media == ("text/plain" if name == "sparql" else "application/problem+json"), (name, media)
        if name != "sparql":
            body = r.json()
            assert body["status"] == status and body["instance"] == SURFACES[name][0], body
        assert all(w in r.text for w in words), (name, r.text)


def test_each_kind_has_one_status_and_retry_after_where_a_retry_may_succeed():
    kinds = [errors.QuerySyntaxError("x"), errors.EvaluationError("x"), errors.Refused("x"),
             errors.NotAcceptable("graph"), errors.QueryTimeout("x"), errors.Busy("x"), errors.Unavailable("x"),
             TooManyQueries("x", 7), errors.EngineError("x")]
    assert {type(k) for k in kinds} >= set(errors.EngineError.__subclasses__())  # none left out
    for kind in kinds:
        p = engine_problem(kind)
        assert p.status == kind.status and p.detail == str(kind)
        retry = (p.headers or {}).get("Retry-After")
        assert (retry is not None) == (p.status in (429, 503)), kind
    assert engine_problem(TooManyQueries("x", 7)).headers == {"Retry-After": "7"}


def test_busy_is_503_with_retry_after_everywhere(build_dir, start_server):
    server = start_server(build_dir / "erkg.nq", query_workers=1, timeout=8,
                          env={"ERKG_QUEUE_TIMEOUT": "0.3", "ERKG_RESERVED_WORKERS": "0"})
    with in_background(server.url, RUNAWAY) as runaway:
        busy_worker(workers(server))
        busy = answers(server.url)
    assert runaway["status"] == 503
    assert_the_same(busy, 503, "busy")
    # and once the worker is free, every surface answers
    wait_until(lambda: all(r.status_code == 200 for r in answers(server.url).values()), 30)


@pytest.fixture
def remote(served_from, build_dir, start_server):
    """An Oxigraph server holding the build, and a fresh `erkg serve` answering from it."""
    engine, _ = served_from("oxigraph")
    return engine, start_server(build_dir / "erkg.nq", env={"ERKG_ENDPOINT": engine.query_url}, timeout=1)


def test_a_hung_engine_is_503_with_retry_after_everywhere(remote):
    engine, server = remote
    os.kill(engine.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        hung = answers(server.url)
        assert time.monotonic() - started < 4 * 3
    finally:
        os.kill(engine.process.pid, signal.SIGCONT)
    assert_the_same(hung, 503, "time limit of 1 s")


def test_a_gone_engine_is_503_with_retry_after_everywhere(remote):
    engine, server = remote
    engine.kill()
    try:
        gone = answers(server.url)
    finally:
        engine.restart()
    assert_the_same(gone, 503, "cannot be reached")
    wait_until(lambda: all(r.status_code == 200 for r in answers(server.url).values()), 30)
