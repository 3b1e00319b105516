"""Credentials never follow a redirect: `erkg load` and `erkg serve` with ERKG_ENDPOINT
against a store on 127.0.0.1 that redirects to a second listener on 127.0.0.2, which
records every connection. The redirect is an error that names where it led, and the
second host receives nothing: no credentials, no update turned into a GET."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest

from tests.conftest import ROOT


class Recorder:
    """A listener on 127.0.0.2 that accepts connections and keeps what they send."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.2", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.2:{self.sock.getsockname()[1]}"
        self.received: list[bytes] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    self.received.append(b"(connection)")

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


class Redirector(ThreadingHTTPServer):
    """A store on 127.0.0.1 that answers `ASK {}` (true) and, if `answers_counts`, every other
    query with no rows, and redirects everything else (updates, PUTs, other queries) with
    `status` to the same path on `target`."""

    def __init__(self, target: str, status: int, answers_counts: bool) -> None:
        super().__init__(("127.0.0.1", 0), _Redirect)
        self.target, self.status, self.answers_counts = target, status, answers_counts
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()


class _Redirect(BaseHTTPRequestHandler):
    server: Redirector

    def log_message(self, *args) -> None:
        pass

    def _redirect(self) -> None:
        self.send_response(self.server.status)
        self.send_header("Location", self.server.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._redirect()

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._redirect()

    def do_DELETE(self) -> None:
        self._redirect()

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers.get("content-length", 0))).decode())
        query = form.get("query", [""])[0]
        if query.strip().endswith("ASK {}"):  # after the BASE the service writes before it
            body = {"head": {}, "boolean": True}
        elif query and self.server.answers_counts:
            body = {"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}
        else:
            return self._redirect()
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    r = Recorder()
    yield r
    r.stop()


def _redirector(recorder: Recorder, status: int, answers_counts: bool) -> Iterator[Redirector]:
    server = Redirector(recorder.url, status, answers_counts)
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("protocol", ["update", "gsp"])
@pytest.mark.parametrize("status", [302, 307])
def test_load_with_credentials_follows_no_redirect(protocol, status, recorder, build_dir, tmp_path):
    redirector = next(gen := _redirector(recorder, status, answers_counts=True))
    try:
        run = subprocess.run(
            [sys.executable, "-m", "api.cli", "load", "--to", f"{redirector.url}/store", "--protocol", protocol,
             "--user", "dba", "--data", str(build_dir / "erkg.nq"), "--store-cache", str(tmp_path / "stores"),
             "--timeout", "10"],
            cwd=ROOT, env={**os.environ, "ERKG_LOAD_PASSWORD": "s3cret"}, capture_output=True, text=True, timeout=120)
    finally:
        next(gen, None)
    assert run.returncode == 1, run.stderr
    assert f"{redirector.url}/store" in run.stderr and f"redirected ({status}) to {recorder.url}/store" in run.stderr
    assert "Traceback" not in run.stderr
    assert recorder.received == []


def test_serve_with_credentials_follows_no_redirect(recorder, build_dir, start_server):
    redirector = next(gen := _redirector(recorder, 302, answers_counts=False))
    try:
        server = start_server(build_dir / "erkg.nq", env={
            "ERKG_ENDPOINT": f"{redirector.url}/sparql", "ERKG_ENDPOINT_USER": "dba",
            "ERKG_ENDPOINT_PASSWORD": "s3cret"})
        # At start the service asked for the dataset's size: redirected, refused, logged.
        assert f"redirected (302) to {recorder.url}/sparql" in server.log.read_text()
        r = httpx.post(f"{server.url}/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, timeout=30)
        assert r.status_code == 503, r.text
        assert f"{redirector.url}/sparql was redirected (302) to {recorder.url}/sparql" in r.text
        assert r.headers["retry-after"]
    finally:
        next(gen, None)
    assert recorder.received == []
