"""ERKG's SPARQL endpoint against `oxigraph serve-read-only` and `rdflib-endpoint serve`.

    .venv/bin/python benchmarks/bench_endpoints.py            # project graph + 10^6-triple synthetic graph

Starts every server itself on 127.0.0.1 (and stops them all at the end, also
on Ctrl-C), over the same data: the project's graph (built afresh with
`erkg build --out`) and a synthetic graph in the project's vocabulary
(benchmarks/synthetic.py). One load generator (this process: asyncio, raw
HTTP/1.1 keep-alive connections, fixed concurrency) sends the same SPARQL
queries to each server, R runs, interleaved (run -> query -> server, the
server order rotating per run), so that the servers are compared side by side
under the same machine noise. Each measurement is bounded in time and count.

Two modes:
  distinct  every request differs (a nonce comment ends the query), ERKG runs
            with its answer cache off (ERKG_CACHE_ENTRIES=0): engine + protocol.
  repeated  the identical query again and again; ERKG runs with its cache on.

Reported per dataset x query x mode x server: median over runs of throughput
(completed requests / wall time), p50 and p99 latency; and the per-run ratios
ERKG/Oxigraph and ERKG/rdflib-endpoint (median over runs). See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.layout import BuildLayout

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # all traffic stays on loopback
# The load generator is one client, which ERKG's per-client SPARQL limits (README: Safety) would refuse.
ONE_CLIENT = {"ERKG_CLIENT_QUERIES": "1024", "ERKG_CLIENT_QUERY_SECONDS": "1e9"}

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX erkg: <https://w3id.org/erkg/ontology#>
PREFIX role: <https://w3id.org/erkg/id/role/>
"""

QUERIES = {
    # all properties of one IRI (a finding)
    "point": "SELECT ?p ?o WHERE {{ <{finding}> ?p ?o }}",
    # findings of respondent groups whose members are CMOs, share > 50 %, with group and study labels
    "join": """SELECT ?finding ?share ?group ?groupLabel ?study ?studyLabel WHERE {{
  ?group erkg:groupRole role:cmo ; rdfs:label ?groupLabel .
  ?finding erkg:respondentGroup ?group ; erkg:share ?share ; erkg:study ?study .
  ?study rdfs:label ?studyLabel .
  FILTER (?share > 0.5 && LANG(?groupLabel) = "en" && LANG(?studyLabel) = "en")
}}""",
    # instances per class
    "aggregate": "SELECT ?class (COUNT(?s) AS ?n) WHERE {{ ?s a ?class }} GROUP BY ?class ORDER BY DESC(?n) ?class",
    # competency question: who holds a CMO post where, since when, according to which document
    "competency": """SELECT ?person ?name ?organization ?organizationName ?since ?document WHERE {{
  ?post a org:Post ; org:role role:cmo ; org:heldBy ?person ; org:postIn ?organization ;
        prov:wasDerivedFrom ?quotation .
  ?person foaf:name ?name .
  ?organization foaf:name ?organizationName .
  ?quotation oa:hasSource ?document .
  OPTIONAL {{ ?post erkg:heldSince ?since }}
}} ORDER BY ?organizationName ?name ?person""",
}
PROJECT_SAMPLES = {"finding": "https://w3id.org/erkg/id/finding/netbiscuits-interview/f-cmos-interaction-channels"}
# the targets of the issue: minimum ERKG/peer throughput ratio
TARGET_OXIGRAPH = {"point": 0.5, "join": 0.9, "aggregate": 0.9, "competency": 0.9}
TARGET_RDFLIB = 10.0
JSON_RESULTS = "application/sparql-results+json"


def log(*a: object) -> None:
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ servers


@dataclass
class Server:
    name: str       # erkg-nocache, erkg-cache, oxigraph, rdflib
    label: str
    cmd: list[str]
    port: int
    path: str       # the SPARQL endpoint's path
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT
    proc: subprocess.Popen | None = None
    started: float = 0.0
    ready_after: float | None = None
    failure: str | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        out = self.log.open("wb")
        # own process group, so the server and any worker processes it spawns are stopped together
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env={**os.environ, **self.env},
                                     start_new_session=True)
        out.close()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def tail(self, n: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def wait_ready(servers: list[Server], timeout: dict[str, float]) -> None:
    """Poll each server with ASK {} until it answers 200; a server that dies or times out gets a failure."""
    pending = [s for s in servers if s.failure is None]
    while pending:
        for s in list(pending):
            if s.proc.poll() is not None:
                s.failure = f"exited with code {s.proc.returncode} while starting:\n{s.tail()}"
            elif time.monotonic() - s.started > timeout.get(s.name, timeout["default"]):
                s.failure = (f"not ready after {timeout.get(s.name, timeout['default']):.0f} s "
                             f"(still loading the data?); stopped")
                s.stop()
            else:
                try:
                    status, _ = asyncio.run(one_request(s, "ASK {}", timeout=5))
                except Exception:  # noqa: BLE001 - not listening yet, or not answering yet
                    continue
                if status == 200:
                    s.ready_after = time.monotonic() - s.started
                    log(f"{s.label} ready after {s.ready_after:.1f} s")
                else:
                    s.failure = f"answered ASK {{}} with HTTP {status}"
            if s.failure or s.ready_after is not None:
                pending.remove(s)
                if s.failure:
                    log(f"{s.label}: {s.failure}")
        time.sleep(0.2)


# ------------------------------------------------------------------ load generator


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs SPARQL queries (application/sparql-query)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.head = (f"POST {server.path} HTTP/1.1\r\nHost: {HOST}:{server.port}\r\n"
                     f"Content-Type: application/sparql-query\r\nAccept: {JSON_RESULTS}\r\n"
                     "Content-Length: ").encode()

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.server.port, limit=1 << 22)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def ask(self, query: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        self.writer.write(self.head + str(len(query)).encode() + b"\r\n\r\n" + query)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")  # no trailers expected
                    break
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body


async def one_request(server: Server, query: str, timeout: float) -> tuple[int, bytes]:
    conn = Connection(server)
    try:
        return await asyncio.wait_for(conn.ask(query.encode()), timeout)
    finally:
        conn.close()


@dataclass
class Measurement:
    completed: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    client_cpu: float  # CPU seconds of this (load generator) process / wall seconds
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, q: float) -> float | None:
        if not self.latencies_ms:
            return None
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))]


async def load(server: Server, make_query, concurrency: int, duration: float, max_requests: int,
               request_timeout: float) -> Measurement:
    """`concurrency` connections, each sending a query after the previous answer, until `duration`
    seconds have passed or `max_requests` were sent; every request is bounded by `request_timeout`."""
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    issued = 0
    loop = asyncio.get_running_loop()
    start = loop.time()
    stop_at = start + duration
    last_end = start

    async def worker() -> None:
        nonlocal errors, issued, last_end
        conn = Connection(server)
        try:
            while issued < max_requests and (loop.time() < stop_at or issued < concurrency):
                issued += 1
                query = make_query(issued).encode()
                t0 = time.perf_counter()
                try:
                    status, _ = await asyncio.wait_for(conn.ask(query), request_timeout)
                except (asyncio.TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
                    errors += 1
                    kinds[type(e).__name__] = kinds.get(type(e).__name__, 0) + 1
                    conn.close()
                    continue
                dt = time.perf_counter() - t0
                last_end = loop.time()
                if status == 200:
                    latencies.append(dt * 1000)
                else:
                    errors += 1
                    kinds[f"HTTP {status}"] = kinds.get(f"HTTP {status}", 0) + 1
        finally:
            conn.close()

    cpu0 = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, elapsed = time.process_time() - cpu0, loop.time() - start
    wall = last_end - start if latencies else elapsed
    return Measurement(len(latencies), errors, wall, latencies, cpu / max(elapsed, 1e-9), kinds)


# ------------------------------------------------------------------ datasets


def prepare_datasets(args, work: Path) -> dict[str, dict]:
    datasets: dict[str, dict] = {}
    if "project" in args.datasets:
        if args.project:
            nq = args.project
        else:
            out = work / "project"
            log(f"building the project's graph: erkg build --out {out} (in {args.erkg_tree})")
            t = time.monotonic()
            subprocess.run([sys.executable, "-m", "api.cli", "build", "--out", str(out)], cwd=args.erkg_tree,
                           check=True, stdout=subprocess.DEVNULL)
            log(f"built in {time.monotonic() - t:.1f} s")
            nq = BuildLayout(out).dataset
        datasets["project"] = {"file": nq, "samples": PROJECT_SAMPLES}
    if "synthetic" in args.datasets:
        nq = args.synthetic or work / f"synthetic-{args.synthetic_triples}.nq"
        sidecar = nq.with_name(nq.name + ".json")
        if not (nq.exists() and sidecar.exists()):
            log(f"generating {args.synthetic_triples} synthetic triples -> {nq}")
            t = time.monotonic()
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), "--triples",
                            str(args.synthetic_triples), "--out", str(nq)], check=True)
            log(f"generated in {time.monotonic() - t:.1f} s")
        info = json.loads(sidecar.read_text())
        datasets["synthetic"] = {"file": nq, "samples": info["samples"], "info": info}
    for d in datasets.values():
        d["quads"] = sum(1 for _ in open(d["file"], "rb"))
    return datasets


def erkg_source(args, work: Path) -> tuple[Path, dict]:
    """The ERKG tree to serve from: the working tree, or `git archive REF` of it (--erkg-ref)."""
    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True).stdout.strip()
    if args.erkg_ref is None:
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
        return ROOT, {"tree": str(ROOT), "commit": git("rev-parse", "HEAD"), "uncommitted_changes": dirty}
    commit = git("rev-parse", args.erkg_ref)
    if not commit:
        raise SystemExit(f"bench_endpoints: unknown git ref {args.erkg_ref!r}")
    tree = work / f"erkg-{commit[:12]}"
    if not tree.exists():
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree, {"tree": str(tree), "commit": commit, "ref": args.erkg_ref, "uncommitted_changes": False}


def make_servers(name: str, nq: Path, work: Path, args) -> list[Server]:
    servers = []
    if "rdflib" in args.servers:
        p = free_port()
        servers.append(Server("rdflib", "rdflib-endpoint", [str(BIN / "rdflib-endpoint"), "serve", str(nq),
                              "--host", HOST, "--port", str(p)], p, "/", work / f"{name}-rdflib.log"))
    if "oxigraph" in args.servers:
        p = free_port()
        servers.append(Server("oxigraph", "Oxigraph server", [
            str(BIN / "oxigraph"), "serve-read-only", "--location", str(work / f"{name}-oxigraph"),
            # no --timeout-s: Oxigraph 0.5 then starts a timer thread per query that lives for the whole
            # timeout; at thousands of requests per second the threads pile up until the server fails
            # ("failed to allocate an alternative stack") and dies
            "--bind", f"{HOST}:{p}", "--union-default-graph"],
            p, "/query", work / f"{name}-oxigraph.log"))
    erkg_env = {"ERKG_STORE_CACHE": str(work / "erkg-stores"), "ERKG_QUEUE_TIMEOUT": str(args.request_timeout),
                **ONE_CLIENT}
    if args.erkg_store:
        erkg_env["ERKG_STORE"] = args.erkg_store
    for variant, entries in (("nocache", "0"), ("cache", None)):
        if f"erkg-{variant}" not in args.servers:
            continue
        p = free_port()
        env = dict(erkg_env)
        if entries is not None:
            env["ERKG_CACHE_ENTRIES"] = entries
        servers.append(Server(f"erkg-{variant}", f"ERKG ({'no cache' if entries == '0' else 'cache'})", [
            sys.executable, "-m", "api.cli", "serve", "--data", str(nq), "--port", str(p), "--host", HOST,
            "--workers", str(args.erkg_processes), "--query-workers", str(args.workers),
            "--timeout", str(args.request_timeout), "--log-level", "warning"],
            p, "/sparql", work / f"{name}-erkg-{variant}.log", env, cwd=args.erkg_tree))
    return servers


def start_servers(name: str, dataset: dict, work: Path, args, started: list[Server]) -> tuple[list[Server], dict]:
    nq = dataset["file"]
    servers = make_servers(name, nq, work, args)
    setup: dict[str, float] = {}
    by_name = {s.name: s for s in servers}
    # rdflib-endpoint parses the file into memory at start-up (slow): start it first, in the background
    if "rdflib" in by_name:
        by_name["rdflib"].start()
        started.append(by_name["rdflib"])
    if "oxigraph" in by_name:
        location = work / f"{name}-oxigraph"
        shutil.rmtree(location, ignore_errors=True)
        t = time.monotonic()
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(nq)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "oxigraph"), "optimize", "--location", str(location)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        setup["oxigraph load + optimize (s)"] = round(time.monotonic() - t, 1)
        by_name["oxigraph"].start()
        started.append(by_name["oxigraph"])
    # the ERKG variants one after the other: the first loads the on-disk store, the second reuses it
    for s in servers:
        if s.name.startswith("erkg"):
            s.start()
            started.append(s)
            wait_ready([s], {"default": args.start_timeout})
            setup[f"{s.label} start incl. store (s)"] = round(s.ready_after or -1, 1)
    wait_ready([s for s in servers if s.ready_after is None],
               {"rdflib": args.rdflib_load_timeout, "default": args.start_timeout})
    for s in servers:
        if s.name == "rdflib" and s.ready_after is not None:
            setup["rdflib-endpoint start incl. parsing (s)"] = round(s.ready_after, 1)
    return servers, setup


# ------------------------------------------------------------------ checks and runs


def rows(body: bytes) -> list[tuple]:
    data = json.loads(body)
    out = []
    for b in data["results"]["bindings"]:
        row = []
        for var in sorted(b):
            v = b[var]
            value = v["value"]
            if v.get("datatype", "").endswith(("#decimal", "#double", "#float")):
                value = repr(float(value))
            row.append((var, value))
        out.append(tuple(row))
    return sorted(out)


def check_answers(servers: list[Server], texts: dict[str, str], timeout: float) -> dict[str, dict]:
    """One request per server and query; the answers must agree (rows compared as value multisets)."""
    report = {}
    for q, text in texts.items():
        answers = {}
        for s in servers:
            try:
                status, body = asyncio.run(one_request(s, text, timeout))
                answers[s.name] = rows(body) if status == 200 else f"HTTP {status}: {body[:200]!r}"
            except Exception as e:  # noqa: BLE001 - any failure is reported, not fatal
                answers[s.name] = f"{type(e).__name__}: {e}"
        reference = answers.get("oxigraph") or next(iter(answers.values()))
        entry = {"rows": len(reference) if isinstance(reference, list) else None, "disagree": {}}
        for name, a in answers.items():
            if a != reference:
                entry["disagree"][name] = a if isinstance(a, str) else f"{len(a)} rows, not the same as the reference"
        if entry["disagree"]:
            log(f"  WARNING {q}: answers differ: {entry['disagree']}")
        report[q] = entry
    return report


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def run_dataset(name: str, dataset: dict, work: Path, args, started: list[Server]) -> dict:
    log(f"== dataset {name}: {dataset['file']} ({dataset['quads']} quads)")
    servers, setup = start_servers(name, dataset, work, args, started)
    ready = [s for s in servers if s.ready_after is not None]
    texts = {q: PREFIXES + QUERIES[q].format(**dataset["samples"]) for q in args.queries}
    checks = check_answers(ready, texts, args.request_timeout)
    for q, c in checks.items():
        log(f"  {q}: {c['rows']} rows" + (f", disagreement: {list(c['disagree'])}" if c["disagree"] else ""))
    names = {s.name: s for s in ready}
    plan = [("distinct", n) for n in ("erkg-nocache", "oxigraph", "rdflib") if n in names] + \
           [("repeated", n) for n in ("erkg-cache", "oxigraph", "erkg-nocache") if n in names]
    raw: dict[str, list] = {}
    t_end = time.monotonic() + args.dataset_budget
    for run in range(args.runs):
        if time.monotonic() > t_end:
            log(f"  time budget of {args.dataset_budget:.0f} s for this dataset used up after {run} runs")
            break
        for q in args.queries:
            text = texts[q]
            k = run % len(plan)
            for mode, sname in plan[k:] + plan[:k]:  # rotate the order per run
                server = names[sname]
                if sname == "rdflib" and run >= args.rdflib_runs:
                    continue
                if mode == "distinct":
                    def make(i, text=text, run=run):
                        return f"{text}\n# request {run}-{i}-{time.perf_counter_ns()}\n"
                else:
                    def make(i, text=text):
                        return text
                # warm-up: not recorded (ERKG's workers open the store; the cache is filled)
                asyncio.run(load(server, make, 1, args.warmup, 50, args.request_timeout))
                m = asyncio.run(load(server, make, args.concurrency, args.duration, args.max_requests,
                                     args.request_timeout))
                key = f"{q}|{mode}|{sname}"
                raw.setdefault(key, []).append({
                    "run": run, "completed": m.completed, "errors": m.errors, "seconds": round(m.seconds, 4),
                    "throughput": round(m.throughput, 2), "p50_ms": m.percentile(0.5),
                    "p99_ms": m.percentile(0.99), "client_cpu": round(m.client_cpu, 3),
                    "error_kinds": m.error_kinds})
                log(f"  run {run} {q:10s} {mode:8s} {server.label:18s} {m.throughput:9.1f} req/s "
                    f"p50 {m.percentile(0.5) or 0:8.2f} ms  p99 {m.percentile(0.99) or 0:8.2f} ms  "
                    f"n={m.completed} err={m.errors} client-cpu={m.client_cpu:.0%}"
                    + (f" {m.error_kinds}" if m.error_kinds else ""))
    for s in servers:
        s.stop()
    return {"file": str(dataset["file"]), "quads": dataset["quads"], "info": dataset.get("info"),
            "setup": setup, "checks": checks, "raw": raw,
            "failures": {s.name: s.failure for s in servers if s.failure},
            "summary": summarize(raw, args.queries)}


def summarize(raw: dict[str, list], queries: list[str]) -> dict:
    out: dict[str, dict] = {}
    for key, runs in raw.items():
        out[key] = {
            "runs": len(runs),
            "throughput": median(r["throughput"] for r in runs),
            "p50_ms": median(r["p50_ms"] for r in runs),
            "p99_ms": median(r["p99_ms"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            "client_cpu": median(r["client_cpu"] for r in runs),
        }

    def ratio(q, mode, a, b):
        ra = {r["run"]: r["throughput"] for r in raw.get(f"{q}|{mode}|{a}", [])}
        rb = {r["run"]: r["throughput"] for r in raw.get(f"{q}|{mode}|{b}", [])}
        per_run = [ra[k] / rb[k] for k in ra if k in rb and rb[k] > 0]
        return median(per_run)

    ratios = {}
    for q in queries:
        ratios[q] = {
            "erkg_nocache/oxigraph": ratio(q, "distinct", "erkg-nocache", "oxigraph"),
            "erkg_nocache/rdflib": ratio(q, "distinct", "erkg-nocache", "rdflib"),
            "erkg_cache/oxigraph (repeated)": ratio(q, "repeated", "erkg-cache", "oxigraph"),
            "erkg_cache/erkg_nocache (repeated)": ratio(q, "repeated", "erkg-cache", "erkg-nocache"),
        }
    out["ratios"] = ratios
    return out


# ------------------------------------------------------------------ report


def fmt(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def markdown(results: dict, args) -> str:
    m, e = results["machine"], results.get("erkg", {})
    lines = [f"ERKG {e.get('commit', '?')[:12]}" + (" (with uncommitted changes)" if e.get("uncommitted_changes") else "")
             + f"; {m['nproc']} CPUs, {m['cpu']}; Python {m['python']}; "
             + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
             + f"; load average at start {results.get('load_average_start', ['?'])[0]:.2f}, "
             + f"at end {results.get('load_average_end', ['?'])[0]:.2f}; "
             + f"concurrency {args.concurrency}, {args.duration:g} s per measurement, "
             + f"ERKG server processes {args.erkg_processes}, query workers {args.workers} each"
             + (f", ERKG_STORE={args.erkg_store}" if args.erkg_store else "") + "\n"]
    labels = {"erkg-nocache": "ERKG, no cache", "erkg-cache": "ERKG, cache", "oxigraph": "Oxigraph server",
              "rdflib": "rdflib-endpoint"}
    for name, d in results["datasets"].items():
        s = d["summary"]
        lines.append(f"### {name}: {d['quads']:,} quads\n")
        if d["failures"]:
            for k, v in d["failures"].items():
                lines.append(f"- **{labels.get(k, k)} not measured**: {v.splitlines()[0]}")
            lines.append("")
        lines.append("| query | rows | mode | server | req/s | p50 ms | p99 ms | runs | errors |")
        lines.append("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for q in args.queries:
            for mode, sname in (("distinct", "erkg-nocache"), ("distinct", "oxigraph"), ("distinct", "rdflib"),
                                ("repeated", "erkg-cache"), ("repeated", "oxigraph"), ("repeated", "erkg-nocache")):
                e = s.get(f"{q}|{mode}|{sname}")
                if e is None:
                    continue
                lines.append(f"| {q} | {d['checks'][q]['rows']} | {mode} | {labels[sname]} | {fmt(e['throughput'])} "
                             f"| {fmt(e['p50_ms'], 2)} | {fmt(e['p99_ms'], 2)} | {e['runs']} | {e['errors']} |")
        lines.append("")
        lines.append("| query | ERKG/Oxigraph (no cache) | target | ERKG/rdflib (no cache) | target "
                     "| ERKG cache/Oxigraph (repeated) | target | ERKG cache/no cache (repeated) |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for q in args.queries:
            r = s["ratios"][q]

            def verdict(x, target, strict=False):
                if x is None:
                    return "–"
                ok = x > target if strict else x >= target
                return f"{x:.2f} {'met' if ok else '**not met**'}"
            lines.append(f"| {q} | {verdict(r['erkg_nocache/oxigraph'], TARGET_OXIGRAPH[q])} | ≥ {TARGET_OXIGRAPH[q]} "
                         f"| {verdict(r['erkg_nocache/rdflib'], TARGET_RDFLIB)} | ≥ {TARGET_RDFLIB:g} "
                         f"| {verdict(r['erkg_cache/oxigraph (repeated)'], 1.0, strict=True)} | > 1 "
                         f"| {fmt(r['erkg_cache/erkg_nocache (repeated)'], 2)} |")
        lines.append("")
        if d["setup"]:
            lines.append("Setup: " + "; ".join(f"{k} {v}" for k, v in d["setup"].items()) + "\n")
    return "\n".join(lines)


def machine() -> dict:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for pkg in ("pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "uvicorn", "fastapi"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version
            versions[pkg] = version(pkg)
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(), "versions": versions}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", default="project,synthetic", help="comma-separated: project, synthetic")
    p.add_argument("--servers", default="erkg-nocache,erkg-cache,oxigraph,rdflib")
    p.add_argument("--queries", default=",".join(QUERIES))
    p.add_argument("--project", type=Path, help="project graph (.nq); default: erkg build --out into the work dir")
    p.add_argument("--synthetic", type=Path, help="synthetic graph (.nq with its .json sidecar); default: generate")
    p.add_argument("--synthetic-triples", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (medians are taken over them)")
    p.add_argument("--rdflib-runs", type=int, default=3, help="runs for rdflib-endpoint (it is slow)")
    p.add_argument("--duration", type=float, default=1.5, help="seconds per measurement")
    p.add_argument("--warmup", type=float, default=0.3, help="seconds of warm-up before each measurement")
    p.add_argument("--max-requests", type=int, default=100_000, help="requests per measurement, at most")
    p.add_argument("--concurrency", type=int, default=4, help="connections of the load generator")
    p.add_argument("--workers", type=int, default=2, help="ERKG query worker processes (per server process)")
    p.add_argument("--erkg-processes", type=int, default=1, help="ERKG server processes (erkg serve --workers)")
    p.add_argument("--request-timeout", type=float, default=60.0)
    p.add_argument("--start-timeout", type=float, default=300.0)
    p.add_argument("--rdflib-load-timeout", type=float, default=600.0,
                   help="seconds rdflib-endpoint may take to parse the data before it is given up")
    p.add_argument("--dataset-budget", type=float, default=600.0,
                   help="seconds of measuring per dataset; runs that would start later are skipped")
    p.add_argument("--erkg-ref", help="serve ERKG as of this git ref (exported with git archive) instead of "
                                      "the working tree, e.g. HEAD; the graph is built from the same tree")
    p.add_argument("--erkg-store", choices=["auto", "memory", "disk"],
                   help="ERKG_STORE for the ERKG servers (default: the project's default)")
    p.add_argument("--workdir", type=Path, help="where stores, logs and generated data go (default: a temp dir)")
    p.add_argument("--json", type=Path, help="write all results (raw runs included) to this file")
    p.add_argument("--markdown", type=Path, help="write the result tables to this file")
    args = p.parse_args(argv)
    args.datasets = [d for d in args.datasets.split(",") if d]
    args.servers = [s for s in args.servers.split(",") if s]
    args.queries = [q for q in args.queries.split(",") if q]
    for q in args.queries:
        if q not in QUERIES:
            p.error(f"unknown query {q!r}")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="erkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started: list[Server] = []

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM both stop at once, also inside asyncio.run (whose own SIGINT handling
    # only cancels the running task, which a measurement may outlive)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    t0 = time.monotonic()
    results = {"command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
               "machine": machine(), "settings": {k: (str(v) if isinstance(v, Path) else v)
                                                  for k, v in vars(args).items()}, "datasets": {}}
    try:
        args.erkg_tree, results["erkg"] = erkg_source(args, work)
        log(f"ERKG from {args.erkg_tree} at {results['erkg']['commit'][:12]}"
            + (" with uncommitted changes" if results["erkg"]["uncommitted_changes"] else ""))
        results["load_average_start"] = os.getloadavg()
        datasets = prepare_datasets(args, work)
        for name, d in datasets.items():
            results["datasets"][name] = run_dataset(name, d, work, args, started)
    except KeyboardInterrupt:
        log("interrupted; stopping the servers")
        return 130
    finally:
        for s in started:
            s.stop()
    results["seconds"] = round(time.monotonic() - t0, 1)
    results["load_average_end"] = os.getloadavg()
    md = markdown(results, args)
    print(md)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    if args.markdown:
        args.markdown.write_text(md + "\n")
    log(f"done in {results['seconds']:.0f} s; work dir {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
