"""A rebuild while serving: the server goes on serving the version it started with, whole
(a query worker killed meanwhile comes back on that version, not on the new files), until
SIGHUP switches it to the new build; from then on every answer, ETag and the service
description are of the new version, and the old version's snapshot and store are removed.
Under a bounded loop of queries: every answer of exactly one version, never a 5xx."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from kg.build import BuildConfig, build
from kg.queries import load_store
from kg.store import file_version, graph_sizes
from tests.api.test_hostile_clients import read_answer
from tests.api.test_sparql_safety import workers
from tests.conftest import ROOT, repo_config

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DROPPED = "spors-interview"  # the first version is built without this document


def _first_build(tmp_path: Path) -> tuple[Path, Path]:
    """The first version, built without one document into tmp_path/build; and the store cache."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    for path in [data / "facts" / f"{DROPPED}.yaml", *(data / "sources").glob(f"{DROPPED}.*")]:
        path.unlink()
    out = tmp_path / "build"
    build(repo_config(data=data, out=out, reason=False))
    return out, tmp_path / "build.stores"


def _count_of(dataset: Path) -> tuple[int, int]:
    """COUNT of the query above and the dataset's size as the service description tells it."""
    store = load_store(dataset)
    n = int(next(iter(store.query(COUNT, use_default_graph_as_union=True)))["n"].value)
    return n, sum(graph_sizes(store).values())


class Load:
    """One client asking, one request after another, until stopped (at most `seconds`): the
    same query (cacheable: its ETag names the version) and unique ones (each to a worker)."""

    def __init__(self, url: str, seconds: float = 180) -> None:
        self.url, self.seconds = url, seconds
        self.seen: list[tuple[int, int | None, str | None, str]] = []  # status, count, ETag (same query), text
        self.stop, self.held, self.waiting = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self) -> None:
        deadline = time.monotonic() + self.seconds
        # A new connection each time: a keep-alive connection may be closed as a request is sent.
        with httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            i = 0
            while not self.stop.is_set() and time.monotonic() < deadline:
                if self.held.is_set():
                    self.waiting.set()
                    time.sleep(0.05)
                    continue
                i += 1
                query = COUNT if i % 2 else f"{COUNT} # {i}"
                try:
                    r = client.get(f"{self.url}/sparql", params={"query": query},
                                   headers={"Accept": "application/sparql-results+json"})
                except httpx.HTTPError as e:
                    self.seen.append((0, None, None, repr(e)))
                    continue
                count = int(r.json()["results"]["bindings"][0]["n"]["value"]) if r.status_code == 200 else None
                self.seen.append((r.status_code, count, r.headers.get("etag") if i % 2 else None, r.text[:200]))

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No request under way within (the loop waits at most 30 s for one to end)."""
        self.held.set()
        self.waiting.wait(30)
        try:
            yield
        finally:
            self.held.clear()
            self.waiting.clear()

    def wait_for(self, count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(c == count for _, c, _, _ in self.seen) and time.monotonic() < deadline:
            time.sleep(0.1)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(60)


def _void_triples(url: str) -> int:
    """The dataset's size in the service description (the largest of its void:triples)."""
    text = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"}, timeout=30).text
    return max(int(n) for n in re.findall(r"void:triples (\d+)", text))


def _versions(cache: Path) -> set[str]:
    return {p.name.split(".")[0] for p in cache.glob("*") if not p.name.startswith(".")}


def test_the_default_store_cache_is_not_in_build():
    assert not Settings.model_fields["store_cache"].default.is_relative_to(BuildConfig().out)


@pytest.mark.parametrize("store", ["memory", "disk"])
def test_rebuild_under_load_then_sighup(store, tmp_path, start_server):
    out, cache = _first_build(tmp_path)
    old_version = file_version(out / "erkg.nq")
    old_count, old_size = _count_of(out / "erkg.nq")

    server = start_server(out / "erkg.nq", query_workers=1, timeout=30,
                          env={"ERKG_STORE": store, "ERKG_STORE_CACHE": str(cache), "ERKG_RESERVED_WORKERS": "0"})
    assert _void_triples(server.url) == old_size
    load = Load(server.url)
    try:
        load.wait_for(old_count, 30)
        build(repo_config(out=out, reason=False))  # the whole document set: the new version
        new_version = file_version(out / "erkg.nq")
        new_count, new_size = _count_of(out / "erkg.nq")
        assert new_count != old_count and new_size != old_size
        assert old_version[:32] in _versions(cache)  # the build left the version in use alone
        # A worker that dies now (while idle: killed mid-query, its query gets a 503) is replaced
        # by one on the version served, not on the new build.
        with load.paused():
            (worker,) = workers(server)
            os.kill(worker, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while worker in workers(server) and time.monotonic() < deadline:  # dead before the next query
                time.sleep(0.05)
        served = len(load.seen)
        deadline = time.monotonic() + 30
        while len(load.seen) < served + 6 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert {c for _, c, _, _ in load.seen} == {old_count}, [s for s in load.seen if s[1] != old_count][:5]

        os.kill(server.process.pid, signal.SIGHUP)
        load.wait_for(new_count, 60)
        switched = len(load.seen)
        deadline = time.monotonic() + 30
        while len(load.seen) < switched + 6 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        load.finish()

    assert all(status == 200 for status, _, _, _ in load.seen), [s for s in load.seen if s[0] != 200][:5]
    counts = [c for _, c, _, _ in load.seen]
    first_new = counts.index(new_count)
    assert set(counts[:first_new]) == {old_count} and set(counts[first_new:]) == {new_count}  # no mix
    tags = {(c, tag) for _, c, tag, _ in load.seen if tag}
    assert len(tags) == 2 and {c for c, _ in tags} == {old_count, new_count}  # one ETag per version
    assert _void_triples(server.url) == new_size
    # The old version's snapshot (and store) went once no request used it.
    deadline = time.monotonic() + 30
    while old_version[:32] in _versions(cache) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _versions(cache) == {new_version[:32]}
    assert server.process.poll() is None


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """The server closes the connection within `seconds`, sending nothing."""
    started = time.monotonic()
    return read_answer(sock, seconds) == b"" and time.monotonic() - started < seconds


def _wait_until_refused(port: int, seconds: float) -> None:
    """Until a new connection to `port` is refused (one accepted meanwhile is closed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return
        time.sleep(0.05)
    raise AssertionError(f"port {port} still took connections {seconds} s after SIGTERM")


def test_a_shutdown_answers_the_connections_it_had_taken(build_dir, start_server):
    """Each old process that SIGHUP retires under `--workers N` shuts down gracefully. A
    connection it had just accepted, whose request arrived a moment after, was closed
    unanswered: a client saw a reset during the switch. Now that request is answered, as
    the connection's last; an idle keep-alive connection is closed, a silent one soon after."""
    server = start_server(build_dir / "erkg.nq", query_workers=1, timeout=5)
    request = b"GET /api/v1/roles/cmo HTTP/1.1\r\nHost: x\r\n\r\n"
    fresh, idle, silent = (socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(3))
    try:
        idle.sendall(request)
        with idle.makefile("rb") as f:  # its whole answer, the body as long as Content-Length says
            head = b"".join(iter(f.readline, b"\r\n"))
            f.read(int(re.search(rb"content-length: (\d+)", head.lower())[1]))
        assert head.startswith(b"HTTP/1.1 200 ")
        time.sleep(0.5)  # all three accepted
        server.process.send_signal(signal.SIGTERM)
        _wait_until_refused(server.port, 10)  # the shutdown has begun: it stops listening first
        fresh.sendall(request)
        answer = read_answer(fresh, 10)
        assert answer.startswith(b"HTTP/1.1 200 ") and b"\r\nconnection: close\r\n" in answer.lower(), answer[:300]
        assert _closed_within(idle, 1)
        assert _closed_within(silent, 5)  # not the 10 s a request may take to arrive
        server.process.wait(10)  # it ends (killed by SIGTERM: uvicorn raises it again once done)
    finally:
        for sock in (fresh, idle, silent):
            sock.close()


def test_sighup_with_several_server_processes(tmp_path, start_server):
    """With `--workers 2`, uvicorn replaces each process on SIGHUP: during the switch the
    processes answer from either version, each answer whole from one; then all from the new
    one, and the old version is removed once its last process has ended."""
    out, cache = _first_build(tmp_path)
    old_version = file_version(out / "erkg.nq")
    old_count, _ = _count_of(out / "erkg.nq")
    server = start_server(out / "erkg.nq", workers=2, query_workers=1, timeout=30,
                          env={"ERKG_STORE": "disk", "ERKG_STORE_CACHE": str(cache)})
    load = Load(server.url)
    try:
        load.wait_for(old_count, 30)
        build(repo_config(out=out, reason=False))
        new_version = file_version(out / "erkg.nq")
        new_count, _ = _count_of(out / "erkg.nq")
        os.kill(server.process.pid, signal.SIGHUP)
        load.wait_for(new_count, 60)
        deadline = time.monotonic() + 60
        while old_version[:32] in _versions(cache) and time.monotonic() < deadline:
            time.sleep(0.2)
        switched = len(load.seen)
        while len(load.seen) < switched + 10 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        load.finish()
    assert all(status == 200 for status, _, _, _ in load.seen), [s for s in load.seen if s[0] != 200][:5]
    tags = {(c, tag) for _, c, tag, _ in load.seen if tag}
    assert len(tags) == 2 and {c for c, _ in tags} == {old_count, new_count}
    assert {c for _, c, _, _ in load.seen[switched:]} == {new_count}
    assert _versions(cache) == {new_version[:32]}
