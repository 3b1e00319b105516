"""What an answer row costs the embedded engine: competency questions beside floors under them.

    .venv/bin/python benchmarks/row_cost.py --sizes 1e6 1e7

The scale curve (scale_curve.py --bind) times the competency questions over
HTTP. Some of them answer in time proportional to their answer: the CMO's
relations are ~5,800 rows at 10^7 triples. This benchmark asks how much of that
any answer to such a question must cost, in process, with nothing but the
engine: the synthetic graph of each size (cached in --work, as for the scale
curve) is loaded into an in-memory pyoxigraph store, as ERKG's query workers
load it, and each query is evaluated and serialized as SPARQL JSON results (as
a worker does) --runs times. Queries:

  the competency questions of QUESTIONS below, bound as scale_curve.py --bind
  binds them (kg.sparql_text.with_values, the text ERKG's workers evaluate);
  benchmarks/row-cost/*.rq, the same questions cut down to finding their rows
  and reading the few values they sort by: floors under any answer to them.

Reported per size and query: the median in ms, the rows and µs per row. Results
go to --out (JSON) and a markdown table beside it.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_endpoints import log, machine  # noqa: E402
from benchmarks.scale_curve import competency_queries, dataset, prefix_lines  # noqa: E402

FLOOR_DIR = ROOT / "benchmarks" / "row-cost"
QUESTIONS = ("role-relations", "role-responsibilities", "cmo-vs-cio-findings")


def queries(nq: Path) -> dict[str, str]:
    """The bound competency questions, then the floors (prefixes declared in each text)."""
    samples = json.loads(nq.with_name(nq.name + ".json").read_text())["samples"]
    bound = competency_queries(samples)
    prefixes = prefix_lines()
    floors = {f"row-cost/{p.stem}": prefixes + p.read_text() for p in sorted(FLOOR_DIR.glob("*.rq"))}
    return {**{name: bound[name] for name in QUESTIONS}, **floors}


def measure(store: ox.Store, text: str, runs: int) -> dict:
    """Median ms of evaluating and serializing `text` as SPARQL JSON results, and its rows."""
    times, body = [], b""
    for _ in range(runs):
        out = io.BytesIO()
        t0 = time.perf_counter()
        store.query(text, use_default_graph_as_union=True).serialize(output=out, format=ox.QueryResultsFormat.JSON)
        times.append((time.perf_counter() - t0) * 1000)
        body = out.getvalue()
    rows = len(json.loads(body)["results"]["bindings"])
    median = statistics.median(times)
    return {"ms": round(median, 1), "rows": rows, "us_per_row": round(median * 1000 / rows, 1) if rows else None}


def markdown(results: dict) -> str:
    sizes = list(results["sizes"])
    lines = ["| query | " + " | ".join(f"{int(s):,} triples: ms (rows, µs/row)" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for name in results["sizes"][sizes[0]]["queries"]:
        cells = []
        for s in sizes:
            r = results["sizes"][s]["queries"][name]
            cells.append(f"{r['ms']:,.1f} ({r['rows']:,}, {r['us_per_row'] if r['us_per_row'] is not None else '–'})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", nargs="+", type=lambda s: int(float(s)), default=[1_000_000, 10_000_000],
                   help="graph sizes in triples, e.g. 1e6 1e7")
    p.add_argument("--runs", type=int, default=7, help="evaluations per query (after one warm-up)")
    p.add_argument("--work", type=Path, default=Path("/tmp/scale-curve"), help="where the synthetic graphs are cached")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / f"row-cost-{date.today()}.json")
    args = p.parse_args(argv)
    results = {"date": date.today().isoformat(), "command": " ".join(sys.argv), "machine": machine(),
               "runs": args.runs, "sizes": {}}
    for size in sorted(args.sizes):
        nq = dataset(size, args.work.resolve())
        log(f"loading {nq}")
        t0 = time.perf_counter()
        store = ox.Store()
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        entry = results["sizes"][str(size)] = {"load_s": round(time.perf_counter() - t0, 1), "queries": {}}
        for name, text in queries(nq).items():
            measure(store, text, 1)  # warm-up
            entry["queries"][name] = r = measure(store, text, args.runs)
            log(f"  {size:,} {name}: {r}")
        del store
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
