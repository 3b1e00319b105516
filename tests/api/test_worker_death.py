"""Worker death: query workers killed with SIGKILL under load. A query that meets a dead
worker goes to a fresh one, or gets a 503 with Retry-After: never a 500, never a dropped
connection."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
import pytest

from tests.api.test_sparql_safety import workers

KILLS = 5
SECONDS = 20  # the load stops after this, or once the kills are done and it ran a while after them


@pytest.fixture(scope="module")
def project(build_dir, start_server):
    # One client sends the load: the per-client limits (api/fairness.py) are not what is tested here.
    return start_server(build_dir / "erkg.nq", query_workers=2, timeout=5, env={"ERKG_CLIENT_QUERIES": "64"})


def _load(url: str, stop: threading.Event, outcomes: list) -> None:
    """Uncached SPARQL queries and REST requests, one after another, until `stop`."""
    with httpx.Client(timeout=15) as client:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if i % 3:
                    r = client.get(f"{url}/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {i} {time.time()}"})
                else:
                    r = client.get(f"{url}/api/v1/roles/cmo")
                outcomes.append((r.status_code, r.headers.get("retry-after"), r.text[:200]))
            except httpx.HTTPError as e:
                outcomes.append(("dropped", None, repr(e)))
            time.sleep(0.02)  # the workers are idle most of the time, as they are when killed


def test_killed_workers_cost_no_500(project):
    stop, outcomes = threading.Event(), []
    clients = [threading.Thread(target=_load, args=(project.url, stop, outcomes)) for _ in range(2)]
    for c in clients:
        c.start()
    killed = []
    started = time.monotonic()
    try:
        while len(killed) < KILLS and time.monotonic() - started < SECONDS:
            time.sleep(0.5)
            alive = sorted(workers(project) - set(killed))
            if alive:
                os.kill(alive[len(killed) % len(alive)], signal.SIGKILL)
                killed.append(alive[len(killed) % len(alive)])
        time.sleep(2)  # requests meet the workers killed last
    finally:
        stop.set()
        for c in clients:
            c.join(30)
    assert len(killed) == KILLS
    bad = [o for o in outcomes if o[0] not in (200, 503) or (o[0] == 503 and not o[1])]
    assert not bad, (len(bad), len(outcomes), bad[:5])
    assert sum(o[0] == 200 for o in outcomes) > len(outcomes) / 2, outcomes[:5]
    # Fresh workers take the places of the killed ones (when their lane next hands one out).
    for i in range(6):
        assert httpx.get(f"{project.url}/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # after {i}"},
                         timeout=15).status_code == 200
        assert httpx.get(f"{project.url}/api/v1/roles/cmo", timeout=15).status_code == 200
    assert not set(killed) & workers(project)
