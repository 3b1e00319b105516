"""Two ERKG trees side by side, by the server's CPU time per request: a figure that a
machine shared with other work changes far less than requests per second.

    .venv/bin/python benchmarks/cpu_per_request.py --before b4fb82e [--rounds 8] [--mode hit|miss]

Serves the project's graph (build/erkg.nq, or --data) by `erkg serve` from `git archive
REF` (--before) and from the working tree at once, and loads them in turn (the order
alternating per round) with bench_endpoints' load generator: 4 keep-alive connections
for --seconds, one query: the same one (`hit`: the answer cache) or a new one each time
(`miss`: the engine). Prints, per tree, requests/s and the HTTP process's CPU
microseconds per request (utime + stime from /proc), sorted, over the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from kg.layout import BuildLayout
from bench_endpoints import HOST, ONE_CLIENT, ROOT, Server, erkg_source, free_port, load


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://{HOST}:{port}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"cpu_per_request: the server on port {port} did not start")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--before", required=True, help="git ref of the tree to compare the working tree with")
    p.add_argument("--data", type=Path, default=ROOT / BuildLayout().dataset)
    p.add_argument("--mode", choices=["hit", "miss"], default="hit")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--seconds", type=float, default=3.0)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="erkg-cpu-"))
    trees = {"before": erkg_source(argparse.Namespace(erkg_ref=args.before), work)[0], "after": ROOT}
    env = {**os.environ, "ERKG_STORE_CACHE": str(work / "stores"), **ONE_CLIENT}
    servers: dict[str, tuple[Server, subprocess.Popen]] = {}
    try:
        for name, tree in trees.items():
            port = free_port()
            proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--data", str(args.data.resolve()),
                                     "--port", str(port), "--log-level", "warning"], cwd=tree, env=env,
                                    stdout=(work / f"{name}.log").open("wb"), stderr=subprocess.STDOUT)
            servers[name] = Server(name, name, [], port, "/sparql", work / f"{name}.log"), proc
            wait_ready(port)
        if args.mode == "hit":
            def query(i: int) -> str:
                return "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
        else:
            def query(i: int) -> str:
                return f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 3 # {i} {time.time()}"
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in servers}
        for r in range(args.rounds):
            for name in list(servers)[:: 1 if r % 2 == 0 else -1]:
                server, proc = servers[name]
                before = cpu_seconds(proc.pid)
                m = asyncio.run(load(server, query, 4, args.seconds, 1_000_000, 10))
                used = cpu_seconds(proc.pid) - before
                results[name].append((m.completed / m.seconds, used / max(m.completed, 1) * 1e6, m.errors))
        for name, rounds in results.items():
            print(f"{name:6s} ({args.mode}): req/s {sorted(round(x[0]) for x in rounds)}; server CPU µs/request "
                  f"{sorted(round(x[1]) for x in rounds)}; errors {sum(x[2] for x in rounds)}")
    finally:
        for _, proc in servers.values():
            proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
