"""Hostile clients against a real `erkg serve` on loopback (issue 21): header floods,
slow and silent connections, a client that takes every SPARQL worker, Host headers.
Every loop here stops by itself, bounded in count and in time."""

from __future__ import annotations

import errno
import json
import resource
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12 rows: runs to the timeout
ROLE = "/api/v1/roles/cmo"


def rss(pid: int) -> int:
    """Resident memory of a process, in bytes (from /proc)."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))


def address(server) -> tuple[str, int]:
    return "127.0.0.1", server.port


def uncached_ask() -> dict[str, str]:
    return {"query": f"ASK {{}} # {uuid.uuid4()}"}  # a new comment: a new query, never in the cache


def read_answer(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends until it closes the connection (or `seconds` pass)."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return received


@contextmanager
def open_files(needed: int) -> Iterator[None]:
    """This process's open-files soft limit raised to at least `needed` (bounded by the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed and hard != resource.RLIM_INFINITY and hard < needed:
        pytest.fail(f"this test holds {needed} connections; the open-files limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# ---------------------------------------------------------------- 1. headers


@pytest.fixture(scope="module")
def plain(build_dir, start_server):
    """A server with the default limits."""
    return start_server(build_dir / "erkg.nq", query_workers=2, timeout=5)


def test_headers_over_64_kb_are_refused_without_waiting_for_their_end(plain):
    """httptools reads the whole header block before anything can count it: a request
    whose headers never end was buffered without bound (a REST request of another client
    waited 7.9 s behind 100 MB)."""
    with socket.create_connection(address(plain)) as sock:
        sock.sendall(b"GET /api/v1/roles HTTP/1.1\r\nHost: x\r\n")
        for _ in range(66):  # 66 KB, and the headers do not end
            sock.sendall(b"X-Flood: " + b"a" * 1013 + b"\r\n")
        answer = read_answer(sock, 5)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"access-control-allow-origin: *" in head.lower()
    assert "64 KB" in json.loads(body)["detail"]


def timed_get(url: str) -> tuple[int, float]:
    """Status and seconds of a GET by curl: another process, which this one's threads cannot slow."""
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url],
                         capture_output=True, text=True, timeout=10).stdout.split()
    return int(out[0]), float(out[1])


def flood(server, until: float, sent: list[int]) -> None:
    """Header lines without end, on one connection after another, until `until`."""
    line = b"X-Flood: " + b"a" * 16_000 + b"\r\n"
    while time.monotonic() < until:
        try:
            with socket.create_connection(address(server), timeout=1) as sock:
                sock.sendall(b"GET /api/v1/roles HTTP/1.1\r\nHost: x\r\n")
                for _ in range(4_000):  # 64 MB at most on one connection
                    if time.monotonic() > until:
                        return
                    sock.sendall(line)
                    sent[0] += len(line)
        except OSError:  # refused and closed: the next connection
            pass


def test_a_header_flood_neither_slows_others_nor_keeps_memory(plain):
    with httpx.Client(base_url=plain.url, timeout=10) as client:
        for _ in range(3):  # warm: the ASK cached, the role's answer computed once
            assert client.get(ROLE).status_code == 200
            assert client.get("/sparql", params={"query": "ASK {}"}).headers["x-cache"] == "hit"
        baseline = rss(plain.process.pid)
        sent = [0]
        until = time.monotonic() + 8
        flooders = [threading.Thread(target=flood, args=(plain, until, sent)) for _ in range(4)]
        for t in flooders:
            t.start()
        time.sleep(1)
        latencies = []
        try:
            while time.monotonic() < until - 1:
                for path in (ROLE, "/sparql?query=ASK%20%7B%7D"):
                    status, seconds = timed_get(f"{plain.url}{path}")
                    assert status == 200
                    latencies.append(seconds)
                time.sleep(0.2)
        finally:
            for t in flooders:
                t.join(20)
    assert sent[0] > 20 << 20, "the flood was sent"
    assert len(latencies) >= 10 and max(latencies) < 0.1, latencies
    deadline = time.monotonic() + 30
    while rss(plain.process.pid) > baseline + (16 << 20) and time.monotonic() < deadline:
        time.sleep(1)
    assert rss(plain.process.pid) <= baseline + (16 << 20), (baseline, rss(plain.process.pid))


# ---------------------------------------------------------------- 2. slow and idle connections


HEADER_TIMEOUT = 4
MAX_CONNECTIONS = 4_100


@pytest.fixture(scope="module")
def guarded(build_dir, start_server):
    """A server whose deadlines are short enough for a test, and its connection cap just
    above the 4,000 connections the test holds."""
    return start_server(build_dir / "erkg.nq", query_workers=2, timeout=5,
                        env={"ERKG_HEADER_TIMEOUT": str(HEADER_TIMEOUT), "ERKG_KEEP_ALIVE_TIMEOUT": "1",
                             "ERKG_BODY_TIMEOUT": "2",
                             "ERKG_MAX_CONNECTIONS": str(MAX_CONNECTIONS)})


def test_an_idle_keep_alive_connection_is_closed(guarded):
    with socket.create_connection(address(guarded)) as sock:
        sock.sendall(b"GET /api/v1/roles/cmo HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        rest = read_answer(sock, 4)  # the rest of the answer, then the close
        assert time.monotonic() - started < 2.5 and not rest.startswith(b"HTTP/")


def test_a_body_that_does_not_arrive_in_time_closes_the_connection(guarded):
    with socket.create_connection(address(guarded)) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000\r\n\r\nASK {")
        started = time.monotonic()
        assert read_answer(sock, 6) == b""  # closed, no answer: the query never came whole
        assert 1.5 < time.monotonic() - started < 4
    assert httpx.get(f"{guarded.url}/sparql", params=uncached_ask()).status_code == 200


def test_slowloris_and_silent_connections_are_bounded(guarded):
    """2,000 connections sending a header line every second (and never the end), 2,000
    sending nothing: all were still open after 45 s, and some 20,000 silent ones took
    every file descriptor (a reset for everyone else)."""
    with open_files(5_000):
        slow, silent = [], []
        try:
            for _ in range(2_000):
                sock = socket.create_connection(address(guarded), timeout=5)
                sock.sendall(b"GET /api/v1/roles HTTP/1.1\r\nHost: x\r\n")
                slow.append(sock)
                silent.append(socket.create_connection(address(guarded), timeout=5))
            opened = time.monotonic()
            answered = httpx.get(f"{guarded.url}{ROLE}", timeout=5)
            assert answered.status_code == 200 and answered.json()["id"] == "cmo"
            # Beyond the cap: answered 503, not reset
            extra = [socket.create_connection(address(guarded), timeout=5)
                     for _ in range(MAX_CONNECTIONS - 4_000 + 10)]
            silent += extra
            with socket.create_connection(address(guarded), timeout=5) as sock:
                sock.sendall(f"GET {ROLE} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                refused = read_answer(sock, 5)
            assert refused.startswith(b"HTTP/1.1 503 "), refused[:200]
            assert b"\r\nretry-after: " in refused.lower()
            # The slow ones keep sending (but for a few, which stall); all are closed by the
            # header deadline, the stalled ones with a 408
            stalled = slow[:10]
            closed_slow = 0
            while time.monotonic() < opened + HEADER_TIMEOUT + 5 and closed_slow < len(slow):
                closed_slow = 0
                for sock in slow[len(stalled):]:
                    try:
                        sock.sendall(b"X-Slow: 1\r\n")
                    except OSError:
                        closed_slow += 1
                time.sleep(1)
            assert closed_slow == len(slow) - len(stalled)
            assert all(read_answer(sock, 1).startswith(b"HTTP/1.1 408 ") for sock in stalled)
            assert all(read_answer(sock, 1) == b"" for sock in silent[:50] + extra[:50])
            assert httpx.get(f"{guarded.url}{ROLE}", timeout=5).status_code == 200
        finally:
            for sock in slow + silent:
                sock.close()


# ---------------------------------------------------------------- 3. fair SPARQL


def runaways(server, count: int, headers: dict[str, str] | None = None) -> tuple[list[threading.Thread], list]:
    """`count` runaway queries from 127.0.0.1, started at once; their answers fill the list."""
    answers: list[httpx.Response | Exception] = []

    def run() -> None:
        try:
            answers.append(httpx.get(f"{server.url}/sparql", params={"query": RUNAWAY}, headers=headers, timeout=30))
        except httpx.HTTPError as e:
            answers.append(e)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    return threads, answers


def client_b(server) -> httpx.Client:
    """A client at another loopback address than the test's usual 127.0.0.1."""
    return httpx.Client(base_url=server.url, transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)


def test_a_client_with_runaway_queries_leaves_a_worker_for_others(plain):
    """Two runaways used to take both workers: every other client's query waited 5 s for
    a 503. A client may now run one query less than there are workers."""
    threads, answers = runaways(plain, 4)
    try:
        time.sleep(1)
        refused = [a for a in answers if isinstance(a, httpx.Response) and a.status_code == 429]
        assert len(refused) == 3, answers
        assert refused[0].headers["content-type"] == "application/problem+json"
        assert int(refused[0].headers["retry-after"]) >= 1 and "at once" in refused[0].json()["detail"]
        with client_b(plain) as b:
            for _ in range(3):
                started = time.monotonic()
                answer = b.get("/sparql", params=uncached_ask())
                assert answer.status_code == 200 and answer.headers["x-cache"] == "miss"
                assert time.monotonic() - started < 1
        # X-Forwarded-For does not make another client unless its sender is a trusted proxy
        spoofed = httpx.get(f"{plain.url}/sparql", params=uncached_ask(), headers={"X-Forwarded-For": "10.9.9.9"})
        assert spoofed.status_code == 429
        # A cached answer costs no worker: still answered
        assert httpx.get(f"{plain.url}/sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        for t in threads:
            t.join(30)
    assert sorted(a.status_code for a in answers) == [429, 429, 429, 503]  # the one runaway timed out


def test_a_client_past_its_query_seconds_waits(build_dir, start_server):
    """2 s of query time per minute; a 3-s runaway spends them. Behind a trusted proxy,
    X-Forwarded-For names the client."""
    server = start_server(build_dir / "erkg.nq", query_workers=2, timeout=3,
                          env={"ERKG_CLIENT_QUERY_SECONDS": "2", "ERKG_TRUSTED_PROXIES": "127.0.0.1"})
    spender, other = {"X-Forwarded-For": "10.0.0.1"}, {"X-Forwarded-For": "10.0.0.2"}
    ask = f"{server.url}/sparql"
    assert httpx.get(ask, params={"query": "ASK {}"}, headers=spender).status_code == 200  # cached from now on
    assert httpx.get(ask, params={"query": RUNAWAY}, headers=spender, timeout=10).status_code == 503
    refused = httpx.get(ask, params=uncached_ask(), headers=spender)
    assert refused.status_code == 429 and "2 s of SPARQL query time per 60 s" in refused.json()["detail"]
    assert 20 <= int(refused.headers["retry-after"]) <= 40  # 1 s over, refilled at 2 s per minute
    assert httpx.get(ask, params={"query": "ASK {}"}, headers=spender).headers["x-cache"] == "hit"
    assert httpx.get(ask, params=uncached_ask(), headers=other).status_code == 200


# ---------------------------------------------------------------- 8. headers and hosts

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HTML_PAGES = ["/sparql", "/id/role/cmo", "/id/role/no-such-role", "/docs", "/redoc", "/"]


@pytest.mark.parametrize("path", [*HTML_PAGES, "/sparql?query=ASK%7B%7D", "/api/v1/roles", "/openapi.json",
                                  "/ui/static/erkg-ui.js", "/no/such/path"])
def test_every_answer_says_nosniff_and_html_has_a_policy(plain, path):
    answer = httpx.get(f"{plain.url}{path}", headers=BROWSER, timeout=10)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    if answer.headers["content-type"].startswith("text/html"):
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in policy and "default-src" in policy


def test_the_host_header_is_never_reflected(plain):
    evil = {"Host": "evil.example"}
    description = httpx.get(f"{plain.url}/sparql", headers={**evil, "Accept": "application/n-triples"})
    assert "evil.example" not in description.text
    assert f"<{plain.url}/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> " \
           f"<{plain.url}/sparql> ." in description.text
    redirect = httpx.get(f"{plain.url}/api/v1/roles/", headers=evil)  # the slash redirect
    assert redirect.status_code == 307 and redirect.headers["location"] == f"{plain.url}/api/v1/roles"
    jsonld = httpx.get(f"{plain.url}{ROLE}", headers={**evil, "Accept": "application/ld+json"})
    assert "evil.example" not in jsonld.text and f"{plain.url}/" in jsonld.text


def test_the_public_url_is_used_and_unknown_hosts_are_refused(build_dir, start_server):
    server = start_server(build_dir / "erkg.nq", query_workers=1, timeout=5,
                          env={"ERKG_PUBLIC_URL": "https://kg.example.org", "ERKG_RESERVED_WORKERS": "1",
                               "ERKG_ALLOWED_HOSTS": "kg.example.org, 127.0.0.1"})
    public = {"Host": "kg.example.org"}
    description = httpx.get(f"{server.url}/sparql", headers={**public, "Accept": "application/n-triples"})
    assert "<https://kg.example.org/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint>" \
           in description.text
    redirect = httpx.get(f"{server.url}/api/v1/roles/", headers=public)
    assert redirect.headers["location"] == "https://kg.example.org/api/v1/roles"
    assert httpx.get(f"{server.url}{ROLE}").status_code == 200  # 127.0.0.1:port is listed
    for path in ("/sparql?query=ASK%7B%7D", ROLE, "/id/role/cmo"):
        refused = httpx.get(f"{server.url}{path}", headers={"Host": "evil.example"})
        assert refused.status_code == 400 and refused.headers["content-type"] == "application/problem+json"
        assert "'evil.example'" in refused.json()["detail"]


def test_the_documentation_pages_run_under_their_policy(plain):
    """Chromium reports no script, style or frame refused by the pages' policies, but the
    one refusal meant: ReDoc's footer asks cdn.redoc.ly for its logo, and /redoc's policy
    keeps the browser on this server."""
    from tests.api.test_ui import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for path in HTML_PAGES:
                page = browser.new_page()
                violations: list[str] = []
                page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
                page.goto(f"{plain.url}{path}", wait_until="load", timeout=20_000)
                page.wait_for_timeout(300)
                if path == "/redoc":
                    violations = [v for v in violations if "https://cdn.redoc.ly/redoc/logo-mini.svg" not in v]
                assert violations == [], (path, violations)
                page.close()
        finally:
            browser.close()
