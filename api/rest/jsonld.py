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

MEDIA_TYPE = "application/ld+json"

_LANG = "@language"


def _lang(prop: str) -> dict:
    return {"@id": prop, "@container": _LANG}


def _en(prop: str) -> dict:
    """A note the graph holds in English."""
    return {"@id": prop, "@language": "en"}


def _typed(prop: str, datatype: str) -> dict:
    return {"@id": prop, "@type": datatype}


def _iri(prop: str) -> dict:
    return {"@id": prop, "@type": "@id"}


# Scoped contexts by kind of node.
_CONCEPT = {"alt_labels": _lang("skos:altLabel"), "definition": _lang("skos:definition")}
# Names are foaf:name, and the rdfs:label in both languages.
_NAMED = {"name": "foaf:name"}
_ROLE = {**_CONCEPT, "leads_department": "erkg:leadsDepartment", "exact_match": _iri("skos:exactMatch"),
         "close_match": _iri("skos:closeMatch"), "broad_match": _iri("skos:broadMatch"),
         "isco08": _typed("skos:notation", "erkg:ISCO08")}
_CLAIMANT = {"claimant": "erkg:claimant"}

# class term -> (class CURIE, scoped context or None)
CLASSES: dict[str, tuple[str, dict | None]] = {
    "Role": ("erkg:Role", _ROLE),
    "ExecutiveRole": ("erkg:ExecutiveRole", _ROLE),
    "Department": ("erkg:Department", {**_CONCEPT, "led_by": {"@reverse": "erkg:leadsDepartment"}}),
    "Modality": ("erkg:Modality", _CONCEPT),
    "ShareQualifier": ("erkg:ShareQualifier", _CONCEPT),
    "RelationKind": ("erkg:RelationKind", _CONCEPT),
    "StatementKind": ("erkg:StatementKind", _CONCEPT),
    "Person": ("foaf:Person", {**_NAMED, "posts": {"@reverse": "org:heldBy"}}),
    "Organization": ("org:Organization", _NAMED),
    "Place": ("erkg:Place", _NAMED),
    "Study": ("erkg:Study", {"title": "dcterms:title", "publisher": "dcterms:publisher",
                             "sample_size": _typed("erkg:sampleSize", "xsd:nonNegativeInteger"),
                             "sample": "erkg:sampleWording", "scope": "erkg:scope"}),
    "RespondentGroup": ("erkg:RespondentGroup", None),
    "Proposition": ("erkg:Proposition", None),
    "Topic": ("erkg:Topic", None),
    "Responsibility": ("erkg:Responsibility", None),
    "Checklist": ("erkg:Checklist", None),
    "Post": ("org:Post", {"person": "org:heldBy", "role": "org:role", "organization": "org:postIn",
                          "title": "erkg:postTitle", "since": _typed("erkg:heldSince", "xsd:integer"),
                          "former": "erkg:former"}),
    "Membership": ("org:Membership", None),
    "Finding": ("erkg:Finding", {"study": "erkg:study", "group": "erkg:respondentGroup",
                                 "proposition": "erkg:proposition", "share": _typed("erkg:share", "xsd:decimal"),
                                 "qualifier": "erkg:shareQualifier", "wording": "erkg:shareWording",
                                 "about": "erkg:about", "about_group": "erkg:aboutGroup",
                                 "compared_with": "erkg:comparedWith"}),
    "ResponsibilityClaim": ("erkg:ResponsibilityClaim", {"assignee": "erkg:assignee",
                                                         "responsibility": "erkg:responsibility",
                                                         "modality": "erkg:modality", **_CLAIMANT}),
    "RelationClaim": ("erkg:RelationClaim", {"first": "erkg:firstParty", "second": "erkg:secondParty",
                                             "kind": "erkg:relationKind", "modality": "erkg:modality",
                                             "about": "erkg:about", **_CLAIMANT}),
    "Recommendation": ("erkg:Recommendation", {"checklist": "erkg:inChecklist",
                                               "position": _typed("erkg:position", "xsd:positiveInteger"),
                                               "audience": "erkg:audience", **_CLAIMANT}),
    "Statement": ("erkg:Statement", {"subject": "erkg:concerns", "kind": "erkg:statementKind",
                                     "object": "erkg:object", "value": "erkg:value", **_CLAIMANT}),
    "SourceDocument": ("erkg:SourceDocument", {"title": "dcterms:title", "publisher": "dcterms:publisher",
                                               "authors": "dcterms:creator", "editors": "dcterms:contributor",
                                               "date": _typed("dcterms:date", "xsd:date"),
                                               "language": "dcterms:language", "original": "dcterms:source",
                                               "source_url": _iri("schema:url"), "source_url_note": _en("erkg:urlNote"),
                                               "date_note": _en("erkg:dateNote"),
                                               "publisher_note": _en("erkg:publisherNote"),
                                               "authors_note": _en("erkg:creatorNote"),
                                               "length": _typed("erkg:textLength", "xsd:nonNegativeInteger"),
                                               "rights": _lang("dcterms:rights"),
                                               "rights_holders": "dcterms:rightsHolder"}),
    "Quotation": ("erkg:Quotation", {"document": "oa:hasSource", "selectors": "oa:hasSelector",
                                     "in_sentence": "erkg:inSentence"}),
    "Sentence": ("erkg:Sentence", {"document": "oa:hasSource", "selectors": "oa:hasSelector"}),
    "TextQuoteSelector": ("oa:TextQuoteSelector", {"exact": "oa:exact"}),
    "TextPositionSelector": ("oa:TextPositionSelector", {"start": _typed("oa:start", "xsd:nonNegativeInteger"),
                                                         "end": _typed("oa:end", "xsd:nonNegativeInteger")}),
}


def context(erkg: str) -> dict[str, Any]:
    """The published context (/api/v1/context.jsonld) for a service whose ontology namespace is `erkg`."""
    terms: dict[str, Any] = {
        "@version": 1.1,
        "erkg": erkg, "dcterms": str(DCTERMS), "foaf": str(FOAF), "oa": str(OA), "org": str(ORG),
        "schema": str(SCHEMA),
        "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
        "iri": "@id",
        "items": "@graph",
        "labels": _lang("rdfs:label"),
        "provenance": "prov:wasDerivedFrom",
    }
    for term, (curie, scoped) in CLASSES.items():
        terms[term] = {"@id": curie, "@context": scoped} if scoped else curie
    return {"@context": terms}


class Converter:
    """Turns the JSON of an answer (models dumped to dicts) into JSON-LD."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        erkg = repo.erkg
        prefixes = {"erkg:": erkg, "foaf:": str(FOAF), "org:": str(ORG), "oa:": str(OA)}
        self.class_terms: dict[str, str] = {}
        for term, (curie, _) in CLASSES.items():
            prefix, _, local = curie.partition(":")
            self.class_terms[prefixes[prefix + ":"] + local] = term

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
