"""`erkg`: the kg commands plus `erkg serve`, which needs the web service."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg import cli as kg_cli
from kg.build import BuildConfig, build_if_stale


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.store import materialize

    from .settings import Settings

    if args.data is None:
        config = BuildConfig()
        if config.is_stale():
            print("erkg serve: build/ is missing or stale; building first", file=sys.stderr)
        if (summary := build_if_stale(config)) is not None:
            print(summary.table(), file=sys.stderr)
        dataset = config.out / "erkg.nq"
    else:
        dataset = args.data
    overrides = {"dataset": dataset, "query_workers": args.query_workers, "timeout": args.timeout}
    if args.workers > 1 and "ERKG_STORE" not in os.environ:
        overrides["store"] = "disk"  # one store on disk for all processes, not a copy in each
    # The settings travel to the server processes in the environment, where they read them.
    os.environ.update({f"ERKG_{k.upper()}": str(v) for k, v in overrides.items() if v is not None})
    settings = Settings()
    if settings.endpoint is None and args.workers > 1 and settings.store != "memory":
        materialize(settings.dataset, settings.store_cache)  # once, before the processes open it
    print(where(args.host, args.port), file=sys.stderr)
    # uvicorn formats each access-log line before its logger drops it: off unless it would be shown
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level,
                access_log=args.log_level in ("trace", "debug", "info"))
    return 0


def where(host: str, port: int) -> str:
    """The addresses that matter, for the log of `erkg serve` (`make run`)."""
    root = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    pages = {"home": "", "query UI (SPARQL endpoint)": "sparql", "REST API docs": "docs",
             "findings": "findings", "ontology": "ontology"}
    width = max(map(len, pages))
    return "erkg serve: once ready, ERKG answers at\n" + "".join(
        f"  {name:<{width}}  {root}{path}\n" for name, path in pages.items())


def _add_serve(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL 1.1 endpoint at /sparql)",
                       description="Build if build/ is missing or stale, load the dataset into an on-disk "
                                   "Oxigraph store and serve it: SPARQL 1.1 Protocol at /sparql. With "
                                   "ERKG_ENDPOINT set, answer from that remote SPARQL endpoint instead.")
    s.add_argument("--host", default=os.environ.get("ERKG_HOST", "127.0.0.1"), help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=int(os.environ.get("ERKG_PORT", "8000")), help="port (default 8000)")
    s.add_argument("--data", type=Path, default=None,
                   help="serve this RDF dataset file (.nq, .trig, .ttl, .nt, .rdf, .jsonld) instead of build/")
    s.add_argument("--workers", type=int, default=1,
                   help="server processes, each answering HTTP on the same port over one shared on-disk "
                        "store (default 1)")
    s.add_argument("--query-workers", type=int, default=None,
                   help="query worker processes per server process (default 2)")
    s.add_argument("--timeout", type=float, default=None, help="seconds a query may run (default 30)")
    s.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    s.set_defaults(func=_serve)


def parser() -> argparse.ArgumentParser:
    return kg_cli.parser(more_commands=_add_serve)


def main(argv: list[str] | None = None) -> int:
    return kg_cli.main(argv, parser)


if __name__ == "__main__":
    sys.exit(main())
