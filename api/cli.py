"""`erkg`: the kg commands plus `erkg serve`, which needs the web service."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import get_args

from kg import cli as kg_cli
from kg.build import build_if_stale
from kg.settings import KgSettings, add_option, from_args

from .settings import Settings


def _serve(args: argparse.Namespace, kg_settings: KgSettings) -> int:
    import uvicorn

    from kg.store import materialize

    from .app import create_app
    from .connections import uvicorn_options
    from .embedded import START_TIMEOUT

    settings = serve_settings(args, kg_settings)
    if settings.endpoint is None and settings.workers > 1 and settings.store != "memory":
        materialize(settings.dataset, settings.store_cache)  # once, before the processes open it
    if settings.workers > 1:
        # uvicorn starts each server process anew from the app's import string: they read
        # the settings from the environment.
        settings.export()
        app: object = "api.app:create_app"
    else:
        app = partial(create_app, settings)
    print(where(settings.host, settings.port), file=sys.stderr)
    # uvicorn formats each access-log line before its logger drops it: off unless it would be shown
    uvicorn.run(app, factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_level=settings.log_level,
                access_log=settings.log_level in ("trace", "debug", "info"),
                # With --workers N, SIGHUP makes uvicorn start a process anew for each, which
                # must be ready (its query workers started) within this, as a pool may take.
                timeout_worker_healthcheck=int(START_TIMEOUT), **uvicorn_options(settings))
    return 0


def serve_settings(args: argparse.Namespace, kg_settings: KgSettings) -> Settings:
    """The server's settings: its options over the environment. Without a dataset given
    (--data, $ERKG_DATASET), the build's (of kg_settings), built first if it is missing or
    older than its sources."""
    settings = from_args(Settings, args)
    if "dataset" not in settings.model_fields_set:
        config = kg_settings.build_config()
        if config.is_stale():
            print(f"erkg serve: {config.out}/ is missing or stale; building first", file=sys.stderr)
        if (summary := build_if_stale(config)) is not None:
            print(summary.table(), file=sys.stderr)
        settings = settings.model_copy(update={"dataset": config.layout.dataset})
    if settings.workers > 1 and "store" not in settings.model_fields_set:
        # one store on disk for all processes, not a copy in each
        settings = settings.model_copy(update={"store": "disk"})
    return settings


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
    add_option(s, "--host", "host", Settings)
    add_option(s, "--port", "port", Settings, type=int)
    add_option(s, "--data", "dataset", Settings, type=Path, metavar="FILE",
               help="serve this RDF dataset file (.nq, .trig, .ttl, .nt, .rdf, .jsonld); the build's is built "
                    "first if it is missing or stale")
    add_option(s, "--workers", "workers", Settings, type=int)
    add_option(s, "--query-workers", "query_workers", Settings, type=int)
    add_option(s, "--timeout", "timeout", Settings, type=float)
    add_option(s, "--log-level", "log_level", Settings, choices=get_args(Settings.model_fields["log_level"].annotation))
    s.set_defaults(func=_serve)


def parser() -> argparse.ArgumentParser:
    return kg_cli.parser(more_commands=_add_serve)


def main(argv: list[str] | None = None) -> int:
    return kg_cli.main(argv, parser)


if __name__ == "__main__":
    sys.exit(main())
