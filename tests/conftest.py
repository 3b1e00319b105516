"""Shared fixtures: one real build of the repository's sources per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildConfig, Summary, build
from kg.namespaces import Iris
from kg.queries import NamedQuery, load_queries, load_store

ROOT = Path(__file__).resolve().parents[1]


def repo_config(**overrides) -> BuildConfig:
    """A BuildConfig on the repository's own sources (absolute paths, so tests may chdir)."""
    paths = dict(data=ROOT / "data", ontology=ROOT / "ontology" / "erkg.ttl",
                 shapes=ROOT / "ontology" / "shapes.ttl", queries=ROOT / "queries")
    return BuildConfig(**{**paths, **overrides})


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Summary]:
    out = tmp_path_factory.mktemp("erkg") / "build"
    return out, build(repo_config(out=out))


@pytest.fixture(scope="session")
def build_dir(built) -> Path:
    """A fresh, fully validated build (reasoner included) of the repository's sources."""
    return built[0]


@pytest.fixture(scope="session")
def summary(built) -> Summary:
    return built[1]


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris()


@pytest.fixture(scope="session")
def store(build_dir):
    """The built dataset in an Oxigraph store."""
    return load_store(build_dir / "erkg.nq")


@pytest.fixture(scope="session")
def named_queries() -> dict[str, NamedQuery]:
    return load_queries(ROOT / "queries")


# ---------------------------------------------------------------- servers


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `erkg serve` process on loopback; `env` adds environment variables
    (settings without a command-line option: ERKG_QUEUE_TIMEOUT, ERKG_MAX_BODY …)."""

    def __init__(self, dataset: Path, cache: Path, env: dict[str, str] | None = None, **options) -> None:
        import os
        import subprocess
        import sys
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "api.cli", "serve", "--data", str(dataset), "--port", str(self.port),
                "--log-level", "warning"]
        for name, value in options.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        env = {**os.environ, "ERKG_STORE_CACHE": str(cache), "ERKG_QUERIES": str(ROOT / "queries"), **(env or {})}
        self.log = cache / f"server-{self.port}.log"
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log.open("wb"),
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, seconds: float = 60) -> None:
        import time
        import httpx
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"erkg serve exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"erkg serve did not answer within {seconds} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except Exception:
            self.process.kill()


@pytest.fixture(scope="session")
def start_server(tmp_path_factory):
    """Start `erkg serve` on a dataset file with options (query_workers=…, timeout=…) and
    environment variables (env={…}); stopped at the end."""
    servers: list[Server] = []
    cache = tmp_path_factory.mktemp("stores")

    def start(dataset: Path, env: dict[str, str] | None = None, **options) -> Server:
        server = Server(dataset, cache, env, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def server(build_dir, start_server) -> Server:
    """The project's graph served by a real `erkg serve` (2 workers, 5 s timeout)."""
    return start_server(build_dir / "erkg.nq", query_workers=2, timeout=5)


@pytest.fixture(scope="session")
def quotes_server(build_dir, start_server) -> Server:
    """The same, showing the quoted sentences of the source texts only (ERKG_SOURCE_TEXTS=quotes)."""
    return start_server(build_dir / "erkg.nq", env={"ERKG_SOURCE_TEXTS": "quotes"}, query_workers=1, timeout=5)


# ---------------------------------------------------------------- external SPARQL engines


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory):
    """A real Oxigraph server (PyPI oxigraph) on loopback, empty; stopped at the end."""
    from tests.engines import start_oxigraph
    engine = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory):
    """A real Virtuoso 7 (Debian virtuoso-opensource) on loopback, empty; stopped at the end."""
    from tests.engines import start_virtuoso
    engine = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()


BACKENDS = ["embedded", "oxigraph", "virtuoso"]


@pytest.fixture(scope="session")
def served_from(request, build_dir, start_server, tmp_path_factory):
    """name ("oxigraph", "virtuoso") -> (the engine, `erkg serve` answering from it
    through ERKG_ENDPOINT), the engine loaded with the build by `erkg load` once."""
    from kg.load import load
    from kg.namespaces import DEFAULT_BASE
    made = {}

    def serve(name: str):
        if name not in made:
            engine = request.getfixturevalue(f"{name}_engine")
            load(build_dir / "erkg.nq", engine.target(), base=DEFAULT_BASE, cache=tmp_path_factory.mktemp("load"))
            made[name] = engine, start_server(build_dir / "erkg.nq", env={"ERKG_ENDPOINT": engine.query_url},
                                              query_workers=4, timeout=30)
        return made[name]
    return serve


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, server, served_from) -> Server:
    """`erkg serve` of the project's graph on each engine: embedded (the `server`
    fixture), and answering from an Oxigraph server and from Virtuoso."""
    return server if request.param == "embedded" else served_from(request.param)[1]
