"""The `erkg` command: parses arguments and calls plain functions of the kg package."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from .build import build
from .errors import ErkgError, QueryError
from .layout import BuildLayout
from .locks import turn
from .namespaces import Iris
from .queries import asserted_graphs, bind, load_queries, load_store, run
from .results import TEXT_TABLE, format_names, format_result
from .settings import KgSettings, add_option, from_args


def _build(args: argparse.Namespace, settings: KgSettings) -> int:
    config = settings.build_config(reason=not args.no_reason, include_unreviewed=args.include_unreviewed)
    summary = build(config)
    print(summary.table())
    print(f"written to {config.out}/")
    return 0


def _release(args: argparse.Namespace, settings: KgSettings) -> int:
    from .release import release

    summary, changes = release(args.version, settings.build_config(), settings.releases, settings.changelog)
    print(summary.table())
    print(f"released {args.version} into {settings.releases / args.version}/ "
          f"({len(changes.added)} added, {len(changes.removed)} removed, {len(changes.changed)} changed"
          f"{f' since {changes.prior}' if changes.prior else ''}); {settings.changelog} has its entry")
    return 0


def _query(args: argparse.Namespace, settings: KgSettings) -> int:
    iris = Iris(settings.base)
    prefixes = iris.prefixes()
    queries = load_queries(settings.queries)
    if args.query in queries:
        named = queries[args.query]
        sparql, substitutions = named.text, bind(named, _params(args.param), prefixes)
    elif args.param:
        raise QueryError("--param only applies to named queries; "
                         f"known names: {', '.join(sorted(queries))}")
    else:
        sparql, substitutions = _query_text(args.query, queries), {}
    dataset = args.dataset or settings.layout.dataset
    if not dataset.exists():
        raise QueryError(f"{dataset} does not exist; run `erkg build` first")
    store = load_store(dataset)
    graphs = asserted_graphs(store, str(iris.inferred)) if args.asserted else None
    result = run(store, sparql, prefixes, substitutions, default_graph=graphs)
    sys.stdout.write(format_result(result, args.format, prefixes))
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        values[name.lstrip("?")] = value
    return values


def _query_text(arg: str, queries: dict) -> str:
    if arg == "-":
        return sys.stdin.read()
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", arg, re.IGNORECASE) and not arg.endswith(".rq"):
        return arg
    path = Path(arg)
    if path.suffix == ".rq" or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as e:
            raise QueryError(f"cannot read {path}: {e.strerror}") from None
    raise QueryError(f"{arg!r} is neither a named query ({', '.join(sorted(queries))}), "
                     "a .rq file, '-' nor SPARQL text")


def _extract(args: argparse.Namespace, settings: KgSettings) -> int:
    from .extract import dump_draft, extract_file

    facts = extract_file(args.path, settings.data, settings.ontology, args.id)
    text = dump_draft(facts)
    if args.draft is None or str(args.draft) == "-":
        sys.stdout.write(text)
    else:
        args.draft.write_text(text, encoding="utf-8")
        unplaced = len(facts["review"].get("posts_without_organization", []))
        print(f"draft written to {args.draft} ({len(facts['findings'])} findings, {len(facts['posts'])} posts, "
              f"{unplaced} posts without an organization to review, "
              f"{len(facts['review']['role_mentions'])} role mentions)", file=sys.stderr)
    return 0


def _add(args: argparse.Namespace, settings: KgSettings) -> int:
    from .extract import add_document

    # One add at a time: a second one with the same id then finds the first one's files
    # and is refused, and none reads data/ while another writes there.
    with turn(settings.data):
        written = add_document(args.path, settings.data, settings.ontology, args.meta, args.id)
    for path in written:
        print(f"wrote {path}")
    print("the draft is unreviewed: review it, set review.status to reviewed, then `erkg build` "
          "(or `erkg build --include-unreviewed` to build it as it is)")
    return 0


def _evaluate(args: argparse.Namespace, settings: KgSettings) -> int:
    from .evaluate import corpus_splits, evaluate, write_report

    report = evaluate(settings.data, settings.ontology, corpus_splits(args.corpus) if args.corpus else None,
                      args.show_heldout_items)
    paths = write_report(report, args.report or settings.layout.evaluation)
    print(paths[1].read_text(encoding="utf-8").split("\n## Per document")[0].rstrip())
    print(f"report written to {', '.join(map(str, paths))}")
    return 0


def _load(args: argparse.Namespace, settings: KgSettings) -> int:
    from .load import Target, load

    dataset = args.dataset or settings.layout.dataset
    if not dataset.is_file():
        raise ErkgError(f"{dataset} does not exist; run `erkg build` first")
    password = settings.load_password.get_secret_value() if settings.load_password else None
    target = Target(args.to, protocol=args.protocol, query_url=args.query, user=args.user,
                    password=password, auth=args.auth, timeout=args.timeout)
    print(load(dataset, target, base=settings.base, cache=settings.store_cache, batch=args.batch).table())
    return 0


def _queries(args: argparse.Namespace, settings: KgSettings) -> int:
    for q in load_queries(settings.queries).values():
        print(f"{q.name}{'  [check]' if q.is_check else ''}\n  {q.title}")
        for p in q.params:
            print(f"  ?{p.name} ({p.kind}{', optional' if p.optional else ''}): {p.description}")
    return 0


def _curation_sources(p: argparse.ArgumentParser) -> None:
    """--data and --ontology: the curated documents (their groups and studies form the
    extractor's gazetteer) and the ontology (its role labels)."""
    add_option(p, "--data", "data", KgSettings, type=Path)
    add_option(p, "--ontology", "ontology", KgSettings, type=Path, help="ontology (role labels)")


def _add_build_options(p: argparse.ArgumentParser) -> None:
    """What a build reads and where it writes: options of `build` and `release`."""
    for name in ("data", "ontology", "shapes", "queries", "out"):
        add_option(p, f"--{name}", name, KgSettings, type=Path)
    add_option(p, "--base", "base", KgSettings)


def parser(more_commands: Callable[[argparse._SubParsersAction], None] | None = None) -> argparse.ArgumentParser:
    """The `erkg` parser; `more_commands` adds the commands of packages built on kg (serve)."""
    p = argparse.ArgumentParser(prog="erkg", description="ERKG, the Executive Roles Knowledge Graph.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="validate the curated sources and write the dataset to build/",
                       description="Validate ontology and curated facts, locate every quote, write the dataset "
                                   "(TriG, N-Quads, JSON-LD, Turtle, RDF/XML for Protégé), check it against the "
                                   "SHACL shapes and with the HermiT reasoner, then replace build/ atomically.")
    _add_build_options(b)
    b.add_argument("--no-reason", action="store_true", help="skip the OWL reasoner (faster, weaker)")
    b.add_argument("--include-unreviewed", action="store_true",
                   help="also build documents whose facts are an unreviewed draft of `erkg add`")
    b.set_defaults(func=_build)

    r = sub.add_parser("release", help="release the ontology and the data as VERSION, with what changed",
                       description="Set VERSION in the ontology's header (versionInfo, versionIRI, priorVersion, "
                                   "and today as dcterms:modified, at the first release dcterms:created too), "
                                   "build with every check, keep the ontology, the data and the full file under "
                                   "releases/VERSION/, and write what changed since the previous release "
                                   "(changes.md, changes.trig) into it and at the head of CHANGELOG.md.")
    r.add_argument("version", help="MAJOR.MINOR.PATCH, after the latest release")
    add_option(r, "--releases", "releases", KgSettings, type=Path)
    add_option(r, "--changelog", "changelog", KgSettings, type=Path)
    _add_build_options(r)
    r.set_defaults(func=_release)

    x = sub.add_parser("extract", help="draft candidate facts from a plain-text article (German or English)",
                       description="Extract candidate role mentions, survey findings, studies, persons and their "
                                   "posts from a UTF-8 text article, each with its exact quote, and write a draft "
                                   "facts file in the curation format (docs/curation.md), marked unreviewed.")
    x.add_argument("path", type=Path, help="the article, plain UTF-8 text (at most 10 MB)")
    x.add_argument("--out", "-o", dest="draft", type=Path, default=None, help="draft file to write (default: stdout)")
    x.add_argument("--id", default=None, help="document id (default: the file name as a slug)")
    _curation_sources(x)
    x.set_defaults(func=_extract)

    a = sub.add_parser("add", help="store a new article under data/ with its metadata and an unreviewed draft",
                       description="Copy the article to data/sources/<id>.txt, write its metadata to "
                                   "data/sources/<id>.yaml and the extracted draft to data/facts/<id>.yaml "
                                   "(review status unreviewed, so `erkg build` leaves it out until reviewed).")
    a.add_argument("path", type=Path, help="the article, plain UTF-8 text (at most 10 MB)")
    a.add_argument("--meta", "-m", action="append", default=[], metavar="KEY=VALUE|FILE",
                   help="metadata: title=…, language=de|en, date=YYYY-MM-DD, label-de=…, label-en=…, "
                        "authors=id,id, publisher=id; or a YAML metadata file (repeatable)")
    a.add_argument("--id", default=None, help="document id (default: the file name as a slug)")
    _curation_sources(a)
    a.set_defaults(func=_add)

    e = sub.add_parser("evaluate", help="score the extractor on the seeds (leave-one-out) and annotated corpora",
                       description="Extract every document of data/ with a gazetteer built without its own "
                                   "curation and score it against its curated facts, and every document of the "
                                   "annotated corpora (default: every split of tests/corpus: dev, heldout, heldout2) "
                                   "against their gold: precision, recall, F1 per fact type and per form. A "
                                   "split whose name starts with heldout reports aggregate figures only. Writes "
                                   "evaluation.json and evaluation.md.")
    _curation_sources(e)
    e.add_argument("--corpus", type=Path, action="append", default=[], metavar="DIR",
                   help="an annotated corpus directory (<id>.txt + <id>.yaml with gold), instead of the "
                        "default ones; a directory whose name starts with heldout is held out (repeatable)")
    e.add_argument("--show-heldout-items", action="store_true",
                   help="also list the held-out split's per-document scores and missed/extra items")
    e.add_argument("--out", dest="report", type=Path, default=None,
                   help=f"report directory (default: {BuildLayout().evaluation}, in the build's directory)")
    e.set_defaults(func=_evaluate)

    q = sub.add_parser("query", help="run a named query, a .rq file or SPARQL text on the built dataset",
                       description="Run a SPARQL query on the built dataset (union of all graphs, the "
                                   "inferred one included unless --asserted). The project's prefixes (erkg:, "
                                   "role:, …) are predeclared.")
    q.add_argument("query", help="a named query (see `erkg queries`), a .rq file, SPARQL text, or - for stdin")
    q.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of a named query, e.g. role=role:cmo (repeatable)")
    q.add_argument("--format", "-f", choices=format_names(), default=TEXT_TABLE,
                   help=f"output format (default: {TEXT_TABLE})")
    q.add_argument("--dataset", type=Path, default=None, help=f"dataset file (default: {BuildLayout().dataset})")
    q.add_argument("--asserted", action="store_true",
                   help="query what is asserted only: the union of the named graphs but the inferred one")
    add_option(q, "--queries", "queries", KgSettings, type=Path, help="named queries directory")
    add_option(q, "--base", "base", KgSettings)
    q.set_defaults(func=_query)

    ld = sub.add_parser("load", help="put the built dataset into a remote SPARQL store and verify it",
                        description="Replace each named graph of the dataset in a remote store (Graph Store "
                                    "Protocol PUT, or SPARQL Update DROP + INSERT in batches), drop the "
                                    "store's graphs under the base that the dataset no longer has, then check "
                                    "the store's triple count of every graph. Idempotent. The password, if "
                                    "any, is read from $ERKG_LOAD_PASSWORD.")
    ld.add_argument("--to", required=True, metavar="URL",
                    help="the store's Graph Store Protocol endpoint (e.g. http://host:7878/store), or its "
                         "SPARQL Update endpoint with --protocol update")
    ld.add_argument("--protocol", choices=["gsp", "update"], default="gsp", help="how to load (default: gsp)")
    ld.add_argument("--query", default=None, metavar="URL",
                    help="the store's SPARQL query endpoint, to count the triples (default: the --to URL)")
    ld.add_argument("--data", dest="dataset", type=Path, default=None,
                    help=f"dataset file (default: {BuildLayout().dataset})")
    add_option(ld, "--base", "base", KgSettings,
               help="the project's base: every graph of the dataset is under it, and the store's "
                    "graphs under it are the project's")
    ld.add_argument("--user", default=None, help="user name for the store")
    ld.add_argument("--auth", choices=["basic", "digest"], default="basic", help="HTTP authentication (default: basic)")
    ld.add_argument("--batch", type=int, default=500, help="triples per update request (default: 500)")
    ld.add_argument("--timeout", type=float, default=300.0, help="seconds per request (default: 300)")
    add_option(ld, "--store-cache", "store_cache", KgSettings, type=Path,
               help="where the dataset's on-disk store is kept")
    ld.set_defaults(func=_load)

    ls = sub.add_parser("queries", help="list the named queries and their parameters")
    add_option(ls, "--queries", "queries", KgSettings, type=Path, help="named queries directory")
    ls.set_defaults(func=_queries)
    if more_commands is not None:
        more_commands(sub)
    return p


def main(argv: list[str] | None = None, make_parser: Callable[[], argparse.ArgumentParser] = parser) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args, from_args(KgSettings, args))
    except ErkgError as e:
        print(f"erkg {args.command}: error: {e}", file=sys.stderr)
        return e.exit_code


if __name__ == "__main__":
    sys.exit(main())
