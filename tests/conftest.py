"""Shared fixtures: one real build of the repository's sources per test session."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from kg.build import BuildConfig, Summary, build
from kg.layout import BuildLayout
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
    out = tmp_path_factory.mktemp("erkg") / BuildLayout().root
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
    return load_store(BuildLayout(build_dir).dataset)


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
    return start_server(BuildLayout(build_dir).dataset, query_workers=2, timeout=5)


class InProcess:
    """An httpx client calling an ASGI app in this process through httpx's ASGI transport:
    no socket and no server process. The app runs, lifespan included, on an event loop in a
    thread of its own (anyio's blocking portal), so that tests call it synchronously, with
    the methods of `httpx.Client`."""

    def __init__(self, app, base_url: str = "http://127.0.0.1") -> None:
        import anyio.from_thread
        import httpx
        self._portal_context = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_context.__enter__()
        self._lifespan = self._portal.wrap_async_context_manager(app.router.lifespan_context(app))
        self._lifespan.__enter__()  # query workers start here, and stop in close()
        transport = httpx.ASGITransport(app, client=("127.0.0.1", 40000))
        self._client = httpx.AsyncClient(transport=transport, base_url=base_url, timeout=30)

    def request(self, method: str, url: str, **options):
        return self._portal.call(partial(self._client.request, method, url, **options))

    def get(self, url: str, **options):
        return self.request("GET", url, **options)

    def post(self, url: str, **options):
        return self.request("POST", url, **options)

    def head(self, url: str, **options):
        return self.request("HEAD", url, **options)

    def options(self, url: str, **options):
        return self.request("OPTIONS", url, **options)

    def __getattr__(self, name: str):  # base_url, cookies, headers: the client's own
        return getattr(self._client, name)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._lifespan.__exit__(None, None, None)
        self._portal_context.__exit__(None, None, None)


@pytest.fixture(scope="session")
def start_app(tmp_path_factory):
    """Serve a dataset from this process (InProcess), settings as keywords (query_workers=…,
    timeout=…): the fast tier's way to test routing, negotiation and problem documents. What
    needs real processes or sockets uses `start_server`."""
    from api.app import create_app
    from api.settings import Settings
    clients: list[InProcess] = []
    cache = tmp_path_factory.mktemp("app-stores")

    def start(dataset: Path, **settings) -> InProcess:
        clients.append(InProcess(create_app(Settings(dataset=dataset, store_cache=cache, queries=ROOT / "queries",
                                                     **settings))))
        return clients[-1]

    yield start
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def app(build_dir, start_app):
    """The project's graph served in this process (2 workers, 5 s timeout)."""
    return start_app(build_dir / "erkg.nq", query_workers=2, timeout=5)


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
            dataset = BuildLayout(build_dir).dataset
            load(dataset, engine.target(), base=DEFAULT_BASE, cache=tmp_path_factory.mktemp("load"))
            made[name] = engine, start_server(dataset, env={"ERKG_ENDPOINT": engine.query_url},
                                              query_workers=4, timeout=30)
        return made[name]
    return serve


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, server, served_from) -> Server:
    """`erkg serve` of the project's graph on each engine: embedded (the `server`
    fixture), and answering from an Oxigraph server and from Virtuoso."""
    return server if request.param == "embedded" else served_from(request.param)[1]


# ---------------------------------------------------------------- tiers and data-driven lists

# A test's tier follows from the fixtures it uses (directly or through others), or from its
# module's `pytestmark` where it starts the builder or a process itself: `pytest -m unit` runs in seconds, `-m "unit or
# inprocess"` in a minute or two, and `make test` runs every tier.
TIERS = {
    "browser": {"chromium"},                            # headless Chromium
    "engines": {"oxigraph_engine", "virtuoso_engine", "served_from"},  # an Oxigraph server, Virtuoso
    "server": {"start_server"},                         # a real `erkg serve` process on loopback
    "inprocess": {"start_app"},                         # the ASGI app in this process
    "build": {"built"},                                 # the full build of the sources (reasoner included)
}


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect, and before the counts below
def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        tiers = [name for name, fixtures in TIERS.items() if used & fixtures]
        # A module that runs the builder or other processes itself says so (pytestmark).
        if not tiers and not any(item.get_closest_marker(name) for name in TIERS):
            tiers = ["unit"]
        for name in tiers:
            item.add_marker(name)
    check_min_cases(items)


def check_min_cases(items) -> None:
    """A data-driven test (parametrized from a list read from files or built in code)
    declares `@pytest.mark.min_cases(n)`; a list with fewer cases stops the run, so that a
    filter that empties or shrinks it cannot pass silently. Counted from the parametrize
    marks, not from what was collected, so that selecting one case still works."""
    short = {}
    for item in items:
        if (marker := item.get_closest_marker("min_cases")) is None:
            continue
        cases = 1
        for mark in item.iter_markers("parametrize"):
            cases *= len(mark.args[1])
        if cases < marker.args[0]:
            short[item.nodeid.split("[")[0]] = f"{cases} cases, at least {marker.args[0]} expected"
    if short:
        raise pytest.UsageError("data-driven lists shrank:\n" + "".join(f"  {k}: {v}\n" for k, v in short.items()))
