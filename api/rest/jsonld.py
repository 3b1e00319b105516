"""JSON-LD for the REST API: the published context and the conversion of answers.

With `Accept: application/ld+json` a list or an item is sent as JSON-LD: the
same JSON, with `@context` naming the context published at
/api/v1/context.jsonld and `@type` on every node, so that it expands to
triples the graph holds. The context maps the JSON keys to the ontology's
properties: `iri` is `@id`, `labels` a language map of rdfs:label, and
per type (type-scoped contexts, JSON-LD 1.1) the keys of that type, e.g. a
Post's `role` is org:role. Keys that are conveniences of the JSON and not
triples of the graph (`id`, `type`, `url`, a claim's derived `role`, a
finding's `group_role`, counts …) are not in the context, so JSON-LD
processors leave them out. Provenance becomes the graph's own shape: the
item prov:wasDerivedFrom an erkg:Quotation with oa:hasSource, a
TextQuoteSelector (oa:exact), a TextPositionSelector (oa:start, oa:end) and
erkg:inSentence its sentence, selected the same way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kg.namespaces import DCTERMS, FOAF, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

from .data import Repository
from .registry import Registry

MEDIA_TYPE = "application/ld+json"

# The provenance shape (Web Annotation): classes that are no resource of the API.
STRUCTURE: dict[str, tuple[str, dict | None]] = {
    "Quotation": ("erkg:Quotation", {"document": "oa:hasSource", "selectors": "oa:hasSelector",
                                     "in_sentence": "erkg:inSentence"}),
    "Sentence": ("erkg:Sentence", {"document": "oa:hasSource", "selectors": "oa:hasSelector"}),
    "TextQuoteSelector": ("oa:TextQuoteSelector", {"exact": "oa:exact"}),
    "TextPositionSelector": ("oa:TextPositionSelector", {"start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
                                                         "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"}}),
}


def classes(registry: Registry) -> dict[str, tuple[str, dict | None]]:
    """class term -> (class CURIE, scoped context or None): the resources' (from their specs) and the
    provenance shape's."""
    return {**registry.classes(), **STRUCTURE}


def context(erkg: str, registry: Registry) -> dict[str, Any]:
    """The published context (/api/v1/context.jsonld) for a service whose ontology namespace is `erkg`."""
    terms: dict[str, Any] = {
        "@version": 1.1,
        "erkg": erkg, "dcterms": str(DCTERMS), "foaf": str(FOAF), "oa": str(OA), "org": str(ORG),
        "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS), "schema": str(SCHEMA), "skos": str(SKOS),
        "xsd": str(XSD),
        "iri": "@id",
        "items": "@graph",
        "labels": {"@id": "rdfs:label", "@container": "@language"},
        "provenance": "prov:wasDerivedFrom",
    }
    for term, (curie, scoped) in classes(registry).items():
        terms[term] = {"@id": curie, "@context": scoped} if scoped else curie
    return {"@context": terms}


class Converter:
    """Turns the JSON of an answer (models dumped to dicts) into JSON-LD."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.class_terms = {repo.expand(curie): term for term, (curie, _) in classes(repo.registry).items()}

    def types(self, iri: str) -> list[str]:
        thing = self.repo.things.get(iri)
        return sorted(self.class_terms[t] for t in (thing.types if thing else ()) if t in self.class_terms)

    def document(self, data: dict, context_url: str) -> dict:
        return {"@context": context_url, **self.node(data)}

    def node(self, data: Any) -> Any:
        if isinstance(data, list):
            return [self.node(v) for v in data]
        if not isinstance(data, dict):
            return data
        if data.get("type") == "quote" and "quotation" in data:  # a quotation of /api/v1/quotations
            return self.quotation(data)
        out: dict[str, Any] = {}
        if "iri" in data:
            types = self.types(data["iri"])
            if types:
                out["@type"] = types
        for key, value in data.items():
            if key == "provenance" and isinstance(value, list):
                out[key] = [self.quotation(p) for p in value]
            elif key == "share" and isinstance(value, float):
                # xsd:decimal in its canonical form, as the graph holds it (not a JSON double)
                out[key] = f"{Decimal(repr(value)).normalize():f}"
            elif key == "former" and value is False:
                continue  # the graph states only erkg:former true
            else:
                out[key] = self.node(value)
        return out

    def quotation(self, p: dict) -> dict:
        """A flat provenance entry in the graph's Web Annotation shape."""
        document = p["document"]["iri"]
        # the IRI the graph gives the sentence segment (kg.graph: sentence/{doc}/{start}-{end})
        sentence = self.repo.thing_iri("sentence", f"{p['document']['id']}/{p['sentence_start']}-{p['sentence_end']}")

        def selectors(iri: str, exact: str, start: int, end: int) -> list[dict]:
            """The segment's selectors, as kg.graph names them ({segment}#quote, {segment}#position)."""
            return [{"iri": f"{iri}#quote", "@type": ["TextQuoteSelector"], "exact": exact},
                    {"iri": f"{iri}#position", "@type": ["TextPositionSelector"], "start": start, "end": end}]

        return {
            "iri": p["quotation"], "@type": ["Quotation"],
            "document": self.node(p["document"]),
            "selectors": selectors(p["quotation"], p["quote"], p["start"], p["end"]),
            "in_sentence": {"iri": sentence, "@type": ["Sentence"], "document": {"iri": document},
                            "selectors": selectors(sentence, p["sentence"], p["sentence_start"], p["sentence_end"])},
        }
