"""The SPARQL 1.1 Service Description of the endpoint, built from the live dataset:
its dataset (VoID: size, class partitions, named graphs, dumps), the result formats
(kg.formats), the predeclared prefixes (SHACL) and the entailment regime."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from kg.formats import TABLE, W3C, by_name
from kg.output import dumps

from .formats import negotiate, offers, refusal
from .service import Service

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def description(service: Service, endpoint: str) -> list[ox.Triple]:
    """The service description of the endpoint at `endpoint` (its URL), from the live dataset."""

    def iri(v: str) -> ox.NamedNode:
        return ox.NamedNode(v)

    def lit(v: int) -> ox.Literal:
        return ox.Literal(str(v), datatype=iri(XSD + "integer"))

    a = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    node, dataset, default = iri(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(node, a, iri(SD + "Service")),
        ox.Triple(node, iri(SD + "endpoint"), node),
        ox.Triple(node, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        ox.Triple(node, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        ox.Triple(node, iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, iri(SD + "Dataset")),
        ox.Triple(dataset, a, iri(VOID + "Dataset")),
        ox.Triple(dataset, iri(VOID + "sparqlEndpoint"), node),
        ox.Triple(dataset, iri(VOID + "triples"), lit(service.store.triples)),
        ox.Triple(dataset, iri("http://purl.org/dc/terms/title"), ox.Literal("ERKG – Executive Roles Knowledge Graph", language="en")),
        ox.Triple(dataset, iri(SD + "defaultGraph"), default),
        ox.Triple(default, a, iri(SD + "Graph")),
        # The default graph is the union of all named graphs.
        ox.Triple(default, iri(VOID + "triples"), lit(service.store.triples)),
    ]
    release = service.release()
    if "version" in release:
        triples.append(ox.Triple(dataset, iri(OWL + "versionInfo"), release["version"]))
    if "license" in release:
        triples.append(ox.Triple(dataset, iri(DCTERMS + "license"), release["license"]))
    if service.settings.dataset.is_file():
        modified = datetime.fromtimestamp(service.settings.dataset.stat().st_mtime, UTC).replace(microsecond=0)
        triples.append(ox.Triple(dataset, iri(DCTERMS + "modified"), ox.Literal(
            modified.isoformat().replace("+00:00", "Z"), datatype=iri(XSD + "dateTime"))))
    for name in dumps(service.settings.dataset, rdf_only=True, source_texts=service.settings.source_texts == "full"):
        triples.append(ox.Triple(dataset, iri(VOID + "dataDump"), iri(urljoin(endpoint, f"download/{name}"))))
    for i, (cls, n) in enumerate(sorted(service.class_counts().items())):
        partition = ox.BlankNode(f"class{i}")
        triples += [
            ox.Triple(dataset, iri(VOID + "classPartition"), partition),
            ox.Triple(partition, iri(VOID + "class"), iri(cls)),
            ox.Triple(partition, iri(VOID + "entities"), lit(n)),
        ]
    for fmt in sorted(TABLE, key=lambda f: f.name):
        if fmt.iri is not None:
            triples.append(ox.Triple(node, iri(SD + "resultFormat"), iri(fmt.iri)))
    # The predeclared prefixes as SHACL prefix declarations (the W3C vocabulary for
    # them, which SIB's SPARQL editor reads from its endpoints).
    for i, (prefix, namespace) in enumerate(service.prefixes.items()):
        declared = ox.BlankNode(f"prefix{i}")
        triples += [
            ox.Triple(node, iri(SH + "declare"), declared),
            ox.Triple(declared, a, iri(SH + "PrefixDeclaration")),
            ox.Triple(declared, iri(SH + "prefix"), ox.Literal(prefix)),
            ox.Triple(declared, iri(SH + "namespace"), ox.Literal(namespace, datatype=iri(XSD + "anyURI"))),
        ]
    for i, (graph, n) in enumerate(sorted(service.store.graphs.items())):
        if not graph:
            continue
        named, g = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        triples += [
            ox.Triple(dataset, iri(SD + "namedGraph"), named),
            ox.Triple(named, a, iri(SD + "NamedGraph")),
            ox.Triple(named, iri(SD + "name"), iri(graph)),
            ox.Triple(named, iri(SD + "graph"), g),
            ox.Triple(g, a, iri(SD + "Graph")),
            ox.Triple(g, iri(VOID + "triples"), lit(n)),
        ]
    return triples + entailment(node, service.store.graphs, str(service.iris.inferred))


def description_response(service: Service, request: Request, requested: str | None) -> Response:
    """The service description in the format asked for (`requested`, from the request's
    parameters as for a query: a 406 if it is no RDF format), else by Accept, else
    (whatever Accept says) as Turtle."""
    fmt = negotiate(offers("graph"), request.headers.get("accept"), requested)
    if fmt is None and requested:
        return PlainTextResponse(refusal(offers("graph"), None, requested, "with the service description in ")
                                 + "\n", status_code=406)
    if fmt is None:
        fmt = by_name("turtle")
    # The public base URL's or the server's address, never the client's Host (api.hosts)
    endpoint = str(request.url.replace(query=""))
    body = fmt.write(description(service, endpoint),
                     prefixes={"sd": SD, "void": VOID, "formats": W3C, "dcterms": DCTERMS, "owl": OWL, "sh": SH})
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


ENTAILMENT = "http://www.w3.org/ns/entailment/"
OWL_PROFILE = "http://www.w3.org/ns/owl-profile/"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def entailment(service: ox.NamedNode, graphs: dict[str, int], inferred: str) -> list[ox.Triple]:
    """The entailment regime of the default graph, if the dataset holds the inferred graph
    (kg/entail.py): a materialized subset of OWL 2 RL, which the service names as the
    RDF-Based Semantics restricted to the RL profile, with a comment on what is left out.
    Each named graph by itself is queried under simple entailment."""
    if inferred not in graphs:
        return []
    regime, simple = ox.NamedNode(ENTAILMENT + "OWL-RDF-Based"), ox.NamedNode(ENTAILMENT + "Simple")
    comment = ("The default graph (the union of the named graphs) includes <" + inferred + ">, which the build "
               "fills with what the ontology entails about the individuals by a subset of the OWL 2 RL/RDF rules: "
               "cax-sco, cax-eqc (class hierarchy, equivalent classes), prp-spo1, prp-eqp (property hierarchy, "
               "equivalent properties), prp-dom, prp-rng (domain and range typing by named classes), prp-inv "
               "(inverse properties), prp-symp (symmetric properties). Only assertions about individuals are "
               "materialized: no schema triples, no owl:Thing, no rdfs:Resource, no owl:sameAs; other OWL 2 "
               "entailments are not. Answers are therefore sound but not complete for the OWL 2 RDF-Based "
               "Semantics. Name the other graphs as default-graph-uri to query what is asserted only.")
    triples = [
        ox.Triple(service, ox.NamedNode(SD + "defaultEntailmentRegime"), regime),
        ox.Triple(service, ox.NamedNode(SD + "defaultSupportedEntailmentProfile"), ox.NamedNode(OWL_PROFILE + "RL")),
        ox.Triple(service, ox.NamedNode(RDFS_COMMENT), ox.Literal(comment, language="en")),
    ]
    for i, graph in enumerate(sorted(graphs)):
        if not graph:
            continue
        named = ox.BlankNode(f"named{i}")  # as in description
        triples.append(ox.Triple(named, ox.NamedNode(SD + "entailmentRegime"), regime if graph == inferred else simple))
    return triples
