"""Materialization curve: time and peak memory of `erkg build`'s inference step vs. graph size.

    .venv/bin/python benchmarks/materialize.py --sizes 1e4 1e5 1e6 1e7

For each size N, the synthetic graph of N triples (benchmarks/synthetic.py, the
project's ontology included, cached in --work by size as scale_curve.py does)
is loaded into a pyoxigraph store in a fresh process, and kg.entail.materialize
derives what the ontology entails about it into <…/graph/inferred>, exactly as
the build does. Measured per size: load time, materialization time, rounds to
the fixpoint, triples derived, and the process's resident memory after the load
and at its peak (ru_maxrss). --store disk puts the store in a temporary
on-disk (RocksDB) directory instead of memory. Results go to
benchmarks/results/materialize-<date>.json and a markdown table next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_endpoints import log, machine  # noqa: E402
from benchmarks.scale_curve import dataset  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(nq: Path, store_kind: str) -> dict:
    """Load `nq` and materialize it, in this process; the figures."""
    import pyoxigraph as ox

    from kg.entail import materialize
    from kg.namespaces import Iris

    iris = Iris()
    with tempfile.TemporaryDirectory(prefix="erkg-materialize-") as tmp:
        store = ox.Store(tmp) if store_kind == "disk" else ox.Store()
        t0 = time.perf_counter()
        store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
        loaded = time.perf_counter()
        after_load, cpu = rss_mb(), time.process_time()
        done = materialize(store, ox.NamedNode(str(iris.ontology)), ox.NamedNode(str(iris.inferred)))
        end = time.perf_counter()
        return {"load_s": round(loaded - t0, 2), "materialize_s": round(end - loaded, 2),
                "materialize_cpu_s": round(time.process_time() - cpu, 2), "rounds": done.rounds,
                "inferred": done.triples, "rss_after_load_mb": round(after_load),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def markdown(results: dict) -> str:
    rows = ["| triples | store | load | materialize (CPU) | rounds | inferred triples | RSS after load | peak RSS "
            "| load average |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results["runs"]:
        rows.append(f"| {r['triples']:,} | {r['store']} | {r['load_s']} s | {r['materialize_s']} s "
                    f"({r.get('materialize_cpu_s', '?')} s) | {r['rounds']} "
                    f"| {r['inferred']:,} | {r['rss_after_load_mb']:,} MB | {r['peak_rss_mb']:,} MB "
                    f"| {' → '.join(map(str, r.get('load_average', [])))} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=[10_000, 100_000, 1_000_000])
    p.add_argument("--store", choices=["memory", "disk"], default="memory", help="where the store is (default: memory)")
    p.add_argument("--work", type=Path, default=Path("/tmp/scale-curve"), help="where the synthetic graphs are cached")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / f"materialize-{date.today()}.json")
    p.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # measure this file in this process (internal)
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.store)))
        return 0
    results = {"machine": machine(), "runs": []}
    for size in args.sizes:
        nq = dataset(size, args.work)
        log(f"materializing {size} triples ({args.store})")
        # A fresh process per size, so that its peak memory is this size's alone.
        load_before = os.getloadavg()[0]  # the machine may be shared: its load is part of the figures
        done = subprocess.run([sys.executable, __file__, "--one", str(nq), "--store", args.store],
                              capture_output=True, text=True, check=True)
        run = {"triples": size, "store": args.store, **json.loads(done.stdout),
               "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
        log(json.dumps(run))
        results["runs"].append(run)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        args.out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
