"""The `erkg` command: parses arguments and calls plain functions of the kg package."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build import BuildConfig, build
from .errors import ErkgError
from .namespaces import DEFAULT_BASE


def _build(args: argparse.Namespace) -> int:
    config = BuildConfig(data=args.data, ontology=args.ontology, shapes=args.shapes, queries=args.queries, out=args.out,
                         base=args.base, reason=not args.no_reason)
    summary = build(config)
    print(summary.table())
    print(f"written to {config.out}/")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="erkg", description="ERKG, the Executive Roles Knowledge Graph.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="validate the curated sources and write the dataset to build/",
                       description="Validate ontology and curated facts, locate every quote, write the dataset "
                                   "(TriG, N-Quads, JSON-LD, Turtle, RDF/XML for Protégé), check it against the "
                                   "SHACL shapes and with the HermiT reasoner, then replace build/ atomically.")
    b.add_argument("--data", type=Path, default=Path("data"), help="curated data directory (default: data)")
    b.add_argument("--ontology", type=Path, default=Path("ontology/erkg.ttl"), help="ontology Turtle file")
    b.add_argument("--shapes", type=Path, default=Path("ontology/shapes.ttl"), help="SHACL shapes Turtle file")
    b.add_argument("--queries", type=Path, default=Path("queries"), help="named queries; *-violation.rq must return no rows")
    b.add_argument("--out", type=Path, default=Path("build"), help="output directory (default: build)")
    b.add_argument("--base", default=os.environ.get("ERKG_BASE", DEFAULT_BASE),
                   help=f"base of all IRIs (default: $ERKG_BASE or {DEFAULT_BASE})")
    b.add_argument("--no-reason", action="store_true", help="skip the OWL reasoner (faster, weaker)")
    b.set_defaults(func=_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ErkgError as e:
        print(f"erkg {args.command}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
