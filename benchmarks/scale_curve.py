"""Scale curve: load time, memory and competency-query latency vs. graph size.

    .venv/bin/python benchmarks/scale_curve.py --sizes 1e4 1e5 1e6 --query-budget 15 --min-runs 1

For each size N, a synthetic graph of N triples in the project's vocabulary
(benchmarks/synthetic.py, cached in --work by size) is served by each engine in
turn, one at a time on 127.0.0.1:

  erkg      `erkg serve --data FILE --query-workers 2` on its on-disk store
            (ERKG_STORE from --erkg-store, a fresh ERKG_STORE_CACHE, answer cache off);
            load time = from start until it answers ASK {} (it builds the
            RocksDB store from the file meanwhile)
  oxigraph  Oxigraph server; load time = tests.engines.bulk_load (`oxigraph load`)
  virtuoso  Virtuoso 7; load time = tests.engines.bulk_load (rdf_loader_run)

Measured per size x engine: load time, resident memory of the server's process
tree (VmRSS summed over it and its descendants) after the load and after the
queries, and per competency query (queries/*.rq without *-violation.rq, run
without parameters) p50 and p99 latency over --runs requests after --warmup
ones. Every request ends with a unique nonce comment, so no answer cache can
serve it. Without --bind the queries run without parameters, so they return
every match in the graph; with --bind each asks its question about one thing,
as a user would (QUESTIONS: one study, one person, one fact, one role …, bound
in the query text as ERKG binds parameters for a remote engine:
kg.sparql_text.with_values).
A request over --timeout seconds is recorded as a timeout and the
query is not run again on that engine. Results go to
benchmarks/results/scale-<date>.json (rewritten after each engine) and a
markdown summary next to it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_endpoints import HOST, JSON_RESULTS, Server, free_port, log, machine, wait_ready  # noqa: E402
from kg.namespaces import Iris  # noqa: E402
from kg.sparql_text import with_values  # noqa: E402
from tests.engines import Engine, bulk_load, start_oxigraph, start_virtuoso  # noqa: E402

ENGINES = ("erkg", "oxigraph", "virtuoso")
QUERY_DIR = ROOT / "queries"
LARGE = 1_000_000  # from this size on Virtuoso gets more buffers


# ------------------------------------------------------------------ data and queries


def dataset(size: int, work: Path) -> Path:
    """The synthetic N-Quads file of `size` triples, generated once per size."""
    nq = work / "data" / f"synthetic-{size}.nq"
    if not (nq.exists() and nq.with_name(nq.name + ".json").exists()):
        nq.parent.mkdir(parents=True, exist_ok=True)
        log(f"generating {size} triples -> {nq}")
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synthetic.py"), "--triples", str(size),
                        "--out", str(nq)], check=True)
    return nq


# --bind: each query's parameters (as its header documents them), bound to things that exist at every
# size: the synthetic graph's sample IRIs (its JSON sidecar) and the vocabulary's roles. Role-wide
# questions still grow with the graph (every synthetic document has CMOs and CIOs); the others do not.
QUESTIONS: dict[str, dict[str, str]] = {
    "cco-aligned-departments": {"role": "<{id}role/cco>"},
    "cmo-vs-cio-findings": {"roleA": "<{id}role/cmo>", "roleB": "<{id}role/cio>"},
    "findings": {"study": "<{study}>"},
    "mobile-web-strategy-ownership": {"responsibility": "<{id}responsibility/syn-r001>"},
    "posts": {"person": "<{person}>"},
    "provenance": {"fact": "<{finding}>"},
    "role-relations": {"party": "<{id}role/cmo>"},
    "role-responsibilities": {"role": "<{id}role/cio>"},
    "roles": {"role": "<{id}role/cmo>"},
}


def prefix_lines() -> str:
    """The project's prefixes as PREFIX lines, for engines that do not predeclare them."""
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in Iris().prefixes().items())


def competency_queries(samples: dict[str, str] | None = None) -> dict[str, str]:
    """The named queries of queries/ (no constraint checks), by file stem, with the project's PREFIX lines:
    ERKG predeclares them only for its named-query routes, not at /sparql, and the other engines never.
    With `samples` (a synthetic graph's), each query's QUESTIONS parameters are bound."""
    iris = Iris()
    prefixes = prefix_lines()
    queries = {p.stem: prefixes + p.read_text() for p in sorted(QUERY_DIR.glob("*.rq"))
               if not p.name.endswith("-violation.rq")}
    if samples is None:
        return queries
    terms = {"id": f"{iris.base}id/", **samples}
    return {name: with_values(text, {k: v.format(**terms) for k, v in QUESTIONS.get(name, {}).items()})
            for name, text in queries.items()}


# ------------------------------------------------------------------ measuring


def rss_mb(pid: int) -> float:
    """Resident memory (MiB) of a process and all its descendants, from /proc/<pid>/status VmRSS."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total_kb, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ys = sorted(xs)
    return ys[min(len(ys) - 1, max(0, round(q * len(ys)) - 1))]


def measure_query(url: str, text: str, args: argparse.Namespace) -> dict:
    """p50/p99 (ms) of --runs requests after --warmup ones, each with a unique nonce. Once the query has
    used its --query-budget seconds (warm-ups included), the remaining warm-ups are skipped and no more
    runs start beyond --min-runs. Stops at the first failure."""
    latencies: list[float] = []
    rows = None
    timeout = args.timeout
    started = time.monotonic()
    with httpx.Client(timeout=timeout) as client:
        for i in range(args.warmup + args.runs):
            if time.monotonic() - started > args.query_budget:
                if i < args.warmup:
                    continue  # skip the remaining warm-ups
                if len(latencies) >= args.min_runs:
                    break
            query = f"{text}\n# nonce {uuid.uuid4().hex}\n"
            t0 = time.perf_counter()
            try:
                response = client.post(url, data={"query": query}, headers={"Accept": JSON_RESULTS})
            except httpx.TimeoutException:
                return {"error": f"timeout (> {timeout:g} s)", "completed": len(latencies)}
            elapsed_ms = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                return {"error": f"HTTP {response.status_code}: {response.text[:300]}", "completed": len(latencies)}
            if rows is None:
                rows = len(response.json().get("results", {}).get("bindings", []))
            if i >= args.warmup:
                latencies.append(elapsed_ms)
    return {"p50_ms": round(percentile(latencies, 0.50), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
            "runs": len(latencies), "rows": rows}


def measure_engine(url: str, pid: Callable[[], int], queries: dict[str, str], args: argparse.Namespace) -> dict:
    """Memory after the load, each query's latency, memory after the queries."""
    result: dict = {"rss_mb_after_load": rss_mb(pid()), "queries": {}}
    for name, text in queries.items():
        result["queries"][name] = q = measure_query(url, text, args)
        log(f"  {name}: {q}")
    result["rss_mb_after_queries"] = rss_mb(pid())
    return result


# ------------------------------------------------------------------ engines


def run_erkg(nq: Path, workdir: Path, queries: dict[str, str], args: argparse.Namespace) -> dict:
    port = free_port()
    env = {"ERKG_STORE": args.erkg_store, "ERKG_STORE_CACHE": str(workdir / "store-cache"), "ERKG_CACHE_ENTRIES": "0",
           "ERKG_QUERIES": str(QUERY_DIR)}
    server = Server("erkg", "ERKG embedded", [str(ROOT / ".venv" / "bin" / "erkg"), "serve", "--data", str(nq),
                    "--host", HOST, "--port", str(port), "--query-workers", "2", "--timeout", str(int(args.timeout)),
                    "--log-level", "warning"], port, "/sparql", workdir / "erkg.log", env)
    server.start()
    try:
        wait_ready([server], {"default": args.load_timeout})
        if server.failure:
            return {"error": server.failure}
        result = {"load_s": round(server.ready_after, 1)}
        result.update(measure_engine(f"http://{HOST}:{port}/sparql", lambda: server.proc.pid, queries, args))
        return result
    finally:
        server.stop()


def run_native(name: str, nq: Path, workdir: Path, queries: dict[str, str], args: argparse.Namespace,
               size: int) -> dict:
    """Oxigraph or Virtuoso: start empty, time the native bulk load, then query."""
    if name == "oxigraph":
        engine: Engine = start_oxigraph(workdir)
    else:
        buffers = (100_000, 60_000) if size >= LARGE else (10_000, 6_000)
        engine = start_virtuoso(workdir, number_of_buffers=buffers[0], max_dirty_buffers=buffers[1],
                                dirs_allowed=(nq.parent,))
    try:
        t0 = time.monotonic()
        bulk_load(engine, nq)
        result = {"load_s": round(time.monotonic() - t0, 1)}
        result.update(measure_engine(engine.query_url, lambda: engine.process.pid, queries, args))
        return result
    finally:
        engine.stop()


def run_engine(name: str, size: int, nq: Path, queries: dict[str, str], args: argparse.Namespace) -> dict:
    workdir = args.work / f"{name}-{size}"
    shutil.rmtree(workdir, ignore_errors=True)  # every load starts from nothing
    workdir.mkdir(parents=True)
    log(f"{name}, {size} triples")
    try:
        if name == "erkg":
            return run_erkg(nq, workdir, queries, args)
        return run_native(name, nq, workdir, queries, args, size)
    except Exception as e:  # noqa: BLE001 - one failing engine must not lose the others' results
        log(f"{name} failed: {e}")
        return {"error": f"{type(e).__name__}: {e}"}


# ------------------------------------------------------------------ report


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:,.1f}"


def markdown(results: dict) -> str:
    """A summary table (size x engine) and a per-query table for the largest size."""
    lines = ["| triples | engine | load s | RSS MB (load / queries) | median p50 ms | worst p50 ms | worst p99 ms "
             "| failed |", "|---:|---|---:|---:|---:|---:|---:|---|"]
    for size, engines in results["sizes"].items():
        for name, r in engines.items():
            if "error" in r:
                lines.append(f"| {int(size):,} | {name} | – | – | – | – | – | {r['error'][:80]} |")
                continue
            ok = {q: m for q, m in r["queries"].items() if "p50_ms" in m}
            p50s = sorted(m["p50_ms"] for m in ok.values())
            median = p50s[len(p50s) // 2] if p50s else None
            failed = ", ".join(f"{q} ({m['error'][:20]})" for q, m in r["queries"].items() if "error" in m)
            lines.append(f"| {int(size):,} | {name} | {fmt(r['load_s'])} | {fmt(r['rss_mb_after_load'])} / "
                         f"{fmt(r['rss_mb_after_queries'])} | {fmt(median)} | {fmt(max(p50s, default=None))} | "
                         f"{fmt(max((m['p99_ms'] for m in ok.values()), default=None))} | {failed or '–'} |")
    largest = max(results["sizes"], key=int)
    engines = results["sizes"][largest]
    names = sorted({q for r in engines.values() for q in r.get("queries", {})})
    lines += ["", f"Per query at {int(largest):,} triples, p50 / p99 ms:", "",
              "| query | " + " | ".join(engines) + " |", "|---|" + "---:|" * len(engines)]
    for q in names:
        cells = []
        for r in engines.values():
            m = r.get("queries", {}).get(q, {})
            cells.append(f"{fmt(m['p50_ms'])} / {fmt(m['p99_ms'])}" if "p50_ms" in m else m.get("error", "–")[:30])
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def save(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(results))


# ------------------------------------------------------------------ main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=[10_000, 100_000, 1_000_000],
                   help="graph sizes in triples, e.g. 1e4 1e5 1e6")
    p.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    p.add_argument("--runs", type=int, default=15, help="measured requests per query")
    p.add_argument("--warmup", type=int, default=2, help="unmeasured requests per query first")
    p.add_argument("--timeout", type=float, default=60, help="seconds a request may take")
    p.add_argument("--query-budget", type=float, default=60,
                   help="seconds per query and engine after which no more requests start (but at least --min-runs)")
    p.add_argument("--min-runs", type=int, default=3, help="measured requests per query despite the budget")
    p.add_argument("--bind", action="store_true",
                   help="ask each query about one thing (QUESTIONS) instead of running it without parameters")
    p.add_argument("--erkg-store", choices=["auto", "memory", "disk"], default="auto",
                   help="ERKG_STORE for ERKG: its default (auto: in memory when it fits) or forced")
    p.add_argument("--load-timeout", type=float, default=3600, help="seconds ERKG may take to start")
    p.add_argument("--work", type=Path, default=Path("/tmp/scale-curve"), help="data and engine directories")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / f"scale-{date.today()}.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work = args.work.resolve()
    results = {"date": date.today().isoformat(), "command": " ".join(sys.argv), "machine": machine(),
               "settings": {"erkg_store": args.erkg_store, "bind": args.bind, "runs": args.runs, "warmup": args.warmup,
                            "timeout_s": args.timeout,
                            "query_budget_s": args.query_budget, "min_runs": args.min_runs},
               "queries": list(competency_queries()), "questions": QUESTIONS if args.bind else None, "sizes": {}}
    for size in sorted(args.sizes):
        nq = dataset(size, args.work)
        samples = json.loads(nq.with_name(nq.name + ".json").read_text())["samples"] if args.bind else None
        queries = competency_queries(samples)
        results["sizes"][str(size)] = {}
        for name in args.engines:
            results["sizes"][str(size)][name] = run_engine(name, size, nq, queries, args)
            save(results, args.out)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
