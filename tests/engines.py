"""Real external SPARQL engines on loopback, for tests and benchmarks.

`start_oxigraph` and `start_virtuoso` each start a throw-away server whose data
live in a working directory; the returned `Engine` knows its endpoints and
credentials, and can be stopped, killed (as if it crashed) and restarted on the
same port with the same data. `bulk_load` uses each engine's native loader, for
data sets too large to send over HTTP.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from kg.load import Target

from tests.conftest import free_port

# Virtuoso's built-in administrator; a fresh database always has this password.
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"


class EngineError(RuntimeError):
    """An engine did not start, did not answer, or refused a bulk load."""


@dataclass
class Engine:
    name: str
    query_url: str
    update_url: str
    store_url: str | None  # SPARQL 1.1 Graph Store Protocol
    user: str | None  # for update_url and store_url (HTTP digest auth)
    password: str | None
    process: subprocess.Popen
    workdir: Path
    log: Path
    command: list[str]  # how to start it again, on the same port and data
    sql_port: int | None = None  # Virtuoso's isql port

    def target(self, protocol: Literal["gsp", "update"] = "gsp") -> Target:
        """Where `erkg load` puts data into this engine (digest authentication where it needs any)."""
        url = self.store_url if protocol == "gsp" else self.update_url
        if url is None:
            raise ValueError(f"{self.name} has no Graph Store Protocol endpoint")
        return Target(url, protocol, query_url=self.query_url, user=self.user, password=self.password, auth="digest")

    def stop(self) -> None:
        """Terminate the server (killed if it takes more than 10 s); no process is left."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL the server, as if it crashed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def restart(self, timeout: float = 60) -> None:
        """Start the server again on the same port and data (stopping it first if it runs)."""
        self.stop()
        self.process = _spawn(self.command, self.workdir, self.log)
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        """Poll `ASK {}` until the server answers; EngineError with its log if it exits or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EngineError(f"{self.name} exited with {self.process.returncode}; its log "
                                  f"({self.log}):\n{_tail(self.log)}")
            try:
                httpx.get(self.query_url, params={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=2).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise EngineError(f"{self.name} did not answer at {self.query_url} within {timeout} s; its log "
                          f"({self.log}):\n{_tail(self.log)}")


def _spawn(command: list[str], workdir: Path, log: Path) -> subprocess.Popen:
    # Appending keeps the log of earlier runs for the diagnosis of a restart.
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def _executable(name: str, hint: str) -> str:
    # The venv's bin/ first: pytest may run without the venv activated.
    path = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if path is None:
        raise EngineError(f"{name} not found; {hint}")
    return path


# ---------------------------------------------------------------- Oxigraph


def _oxigraph() -> str:
    return _executable("oxigraph", "install it with: .venv/bin/pip install -e '.[test]'")


def start_oxigraph(workdir: Path, timeout: float = 30) -> Engine:
    """An Oxigraph server (read-write, default graph = union of the named graphs) on
    its store in workdir/store, created if missing."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{free_port()}"
    command = [_oxigraph(), "serve", "--location", str(workdir / "store"), "--bind", url.removeprefix("http://"),
               "--union-default-graph"]
    log = workdir / "oxigraph.log"
    engine = Engine(name="oxigraph", query_url=f"{url}/query", update_url=f"{url}/update", store_url=f"{url}/store",
                    user=None, password=None, process=_spawn(command, workdir, log), workdir=workdir, log=log,
                    command=command)
    engine.wait_ready(timeout)
    return engine


def _oxigraph_bulk_load(engine: Engine, nq_file: Path) -> None:
    # `oxigraph load` needs the store to itself: the server is stopped meanwhile.
    engine.stop()
    done = subprocess.run([_oxigraph(), "load", "--location", str(engine.workdir / "store"), "--file", str(nq_file)],
                          capture_output=True, text=True)
    if done.returncode:
        raise EngineError(f"oxigraph load {nq_file} failed:\n{done.stderr}")
    engine.restart()


# ---------------------------------------------------------------- Virtuoso

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {workdir}/virtuoso.db
ErrorLogFile = {workdir}/virtuoso.log
LockFile = {workdir}/virtuoso.lck
TransactionFile = {workdir}/virtuoso.trx
xa_persistent_file = {workdir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {workdir}/virtuoso-temp.db
TransactionFile = {workdir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dirs_allowed}
; small machines (2 cores)
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
MaxQueryMem = 1G
NumberOfBuffers = {number_of_buffers}
MaxDirtyBuffers = {max_dirty_buffers}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {workdir}/www
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
; Virtuoso's defaults silently truncate results (10 000 rows), and answer a query that
; runs out of time with partial results ("anytime queries"): clients would see wrong answers.
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 400
"""


def _virtuoso() -> str:
    return _executable("virtuoso-t", "install the Debian package virtuoso-opensource (scripts/setup.sh does)")


def start_virtuoso(workdir: Path, number_of_buffers: int = 10_000, max_dirty_buffers: int = 6_000,
                   dirs_allowed: tuple[Path, ...] = (), timeout: float = 120) -> Engine:
    """A Virtuoso 7 server with its database in workdir (created on first start).

    Buffers are 8 KiB pages: the defaults (80 MiB) suit tests; OpenLink advises
    about 85 000 buffers (and 3/4 of them dirty) per GiB of RAM given to
    Virtuoso, e.g. 340_000/250_000 for ~10 million triples. `bulk_load` reads
    files only from workdir and dirs_allowed. Updates and the Graph Store
    Protocol need digest authentication as dba (Engine.target).
    """
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:  # free_port may hand out a port twice
        http_port = free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(
        workdir=workdir, sql_port=sql_port, http_port=http_port, number_of_buffers=number_of_buffers,
        max_dirty_buffers=max_dirty_buffers,
        dirs_allowed=", ".join(str(d) for d in (workdir, *(Path(p).resolve() for p in dirs_allowed)))))
    url = f"http://127.0.0.1:{http_port}"
    command = [_virtuoso(), "+foreground", "+configfile", str(ini)]
    log = workdir / "virtuoso-t.log"
    engine = Engine(name="virtuoso", query_url=f"{url}/sparql", update_url=f"{url}/sparql-auth",
                    store_url=f"{url}/sparql-graph-crud-auth", user=VIRTUOSO_USER, password=VIRTUOSO_PASSWORD,
                    process=_spawn(command, workdir, log), workdir=workdir, log=log, command=command,
                    sql_port=sql_port)
    engine.wait_ready(timeout)
    return engine


def isql(engine: Engine, sql: str) -> str:
    """Run SQL statements (each ended by `;`) on a Virtuoso engine as dba; their output."""
    if engine.sql_port is None:
        raise ValueError(f"{engine.name} has no SQL port: isql is for Virtuoso only")
    isql_vt = _executable("isql-vt", "install the Debian package virtuoso-opensource (scripts/setup.sh does)")
    done = subprocess.run([isql_vt, f"127.0.0.1:{engine.sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD,
                           "VERBOSE=OFF", "BANNER=OFF", f"EXEC={sql}"], capture_output=True, text=True)
    # isql exits 0 after most SQL errors; they are marked *** Error in its output.
    if done.returncode or "*** Error" in done.stdout + done.stderr:
        raise EngineError(f"isql on {engine.name} failed for {sql!r}:\n{done.stdout}{done.stderr}")
    return done.stdout


def _virtuoso_bulk_load(engine: Engine, nq_file: Path) -> None:
    nq_file = nq_file.resolve()
    # ld_add skips files already in the loader's queue (DB.DBA.load_list): emptying it
    # lets a file be loaded again. Triples without a graph would go to the second argument.
    isql(engine, f"delete from DB.DBA.load_list; ld_add('{nq_file}', 'urn:erkg:bulk-load-default'); "
                 "rdf_loader_run(); checkpoint;")
    # The loader reports errors (a parse error, a directory not in DirsAllowed) in its queue, not to isql.
    errors = isql(engine, "select ll_error from DB.DBA.load_list where ll_error is not null;").strip()
    if errors:
        raise EngineError(f"Virtuoso's bulk loader failed on {nq_file}: {errors}")


def bulk_load(engine: Engine, nq_file: Path) -> None:
    """Load an N-Quads file with the engine's native loader, much faster than over HTTP.

    Oxigraph is stopped for the load and started again; Virtuoso must be allowed
    to read the file's directory (start_virtuoso's dirs_allowed)."""
    if engine.name == "oxigraph":
        _oxigraph_bulk_load(engine, nq_file)
    elif engine.name == "virtuoso":
        _virtuoso_bulk_load(engine, nq_file)
    else:
        raise ValueError(f"no bulk loader for {engine.name}")
