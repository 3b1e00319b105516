"""Namespaces, defined once, and the IRI scheme of ERKG's resources.

Every IRI is minted under one base (w3id.org style). The ontology file is
written against DEFAULT_BASE; a build with another base rewrites IRIs with
`rebase`, so the curated sources never change.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/erkg/"

OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")

# Kinds of concept the ontology defines as individuals, by path segment under id/.
# The name of the graph of inferred triples under {base}graph/.
INFERRED = "inferred"

CONCEPT_KINDS = ("role", "department", "modality", "qualifier", "relation-kind", "statement-kind")
# Entities curated from the documents, facts (ids {document}/{fact}), and the rest, by path segment under id/.
ENTITY_KINDS = ("person", "organization", "place", "study", "group", "proposition", "topic", "responsibility",
                "checklist")
FACT_KINDS = ("finding", "claim", "relation", "recommendation", "statement", "post", "affiliation")
KINDS = (*CONCEPT_KINDS, "scheme", "document", *ENTITY_KINDS, *FACT_KINDS, "quote", "sentence")

# The forms an id parameter takes, for error messages.
ID_FORMS = "its id (cmo), its CURIE (role:cmo) or its full IRI (https://w3id.org/erkg/id/role/cmo)"

__all__ = [
    "DCTERMS", "FOAF", "OA", "ORG", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SH", "SKOS", "XSD",
    "CONCEPT_KINDS", "DEFAULT_BASE", "ENTITY_KINDS", "FACT_KINDS", "ID_FORMS", "INFERRED", "KINDS", "Iris",
    "curie", "expand_id",
]


# What an IRI cannot hold (RFC 3987): white space, control characters (C0, DEL, C1),
# <>"{}|\^`, surrogates and the noncharacters U+FFFE, U+FFFF
_NOT_IN_IRI = re.compile('[\x00-\x20\x7f-\x9f<>"{}|\\\\^`\ud800-\udfff\ufffe\uffff]')


def _iri(text: str) -> URIRef:
    """`text` as a URIRef; ValueError if it cannot be an IRI. (rdflib takes anything,
    and logs what it takes verbatim: a newline in an id from a URL would forge log lines.)"""
    if _NOT_IN_IRI.search(text):
        raise ValueError(f"not an IRI (it holds white space, a control character, a surrogate, a noncharacter "
                         f"or one of <>\"{{}}|\\^`): {text!r}")
    return URIRef(text)


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """`iri` as prefix:local by the longest matching namespace of `prefixes`, else as <iri>."""
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def expand_id(value: str, prefixes: dict[str, str], kinds: tuple[str, ...] = ()) -> list[str]:
    """The IRIs an id parameter may name, in the order to try them: a full IRI (absolute, or
    in <>), a CURIE with one of `prefixes` (role:cmo), or the slug of a thing of one of
    `kinds` (cmo). The one parser of ids for the REST API, the pages and the named queries;
    ValueError, naming the accepted forms, for a value that is none of them."""
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
        if not _SCHEME.match(value):
            raise ValueError(f"not an absolute IRI: <{value}>; give {ID_FORMS}")
    if _SCHEME.match(value):
        found = [value]
    else:
        prefix, sep, local = value.partition(":")
        if sep and prefix in prefixes:
            found = [prefixes[prefix] + local]
        elif sep or not kinds:
            known = ", ".join(sorted(prefixes))
            raise ValueError(f"{value!r} is not an id, a CURIE with a known prefix ({known}) or an IRI; "
                             f"give {ID_FORMS}")
        else:
            found = [f"{prefixes[k.replace('-', '')]}{value}" for k in kinds if k.replace("-", "") in prefixes]
    for iri in found:
        _iri(iri)  # ValueError for what no IRI can hold
    return found


class Iris:
    """The IRI scheme under one base: `{base}id/{kind}/{slug}` for things,
    `{base}ontology#Term` for ontology terms, `{base}graph/{doc}` for named graphs."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base!r}")
        self.base = base
        self.ontology = URIRef(base + "ontology")
        self.data = URIRef(base + "data")
        self.erkg = Namespace(base + "ontology#")
        # What the ontology entails about the data (kg/entail.py); no document may take the name.
        self.inferred = URIRef(base + "graph/" + INFERRED)

    def thing(self, kind: str, *slug: str | int) -> URIRef:
        return _iri(f"{self.base}id/{kind}/" + "/".join(str(s) for s in slug))

    def graph(self, document: str) -> URIRef:
        return _iri(f"{self.base}graph/{document}")

    def prefixes(self) -> dict[str, str]:
        """Prefixes for serializations and for named queries."""
        own = {"erkg": str(self.erkg)}
        own.update({k.replace("-", ""): f"{self.base}id/{k}/" for k in KINDS})
        return {
            **own,
            "dcterms": str(DCTERMS), "foaf": str(FOAF), "oa": str(OA), "org": str(ORG),
            "owl": str(OWL), "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS),
            "skos": str(SKOS), "xsd": str(XSD),
        }
