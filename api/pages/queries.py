"""The pages' SPARQL: one CONSTRUCT per page, run by the query engine.

Every query emits `?s ?p ?o` from a UNION of branches, each branch binding the
triple it contributes. The resource of the page is `?r` (bound by SEP-0007
substitution, never pasted into the text; Oxigraph binds it like a VALUES
clause around the whole query, so each branch mentions ?r in a triple pattern
before using it). The project's prefixes are predeclared by Service.

Written for Oxigraph's evaluator: every branch is one flat group of triple
patterns that starts from the bound resource (the way to a fact is repeated in
each branch rather than joined with a nested UNION), explicit chains instead of
property paths, and FILTER (?p IN …) on a bound subject instead of VALUES ?p.
That keeps each branch a chain of index lookups: a role page takes ~7 ms, where
nested UNIONs and paths took ~300 ms.
"""

from __future__ import annotations

# What a link needs to be shown: its label in every language, its type (and a document's language).
LINK_PROPERTIES = "rdf:type, rdfs:label, dcterms:language"


def _union(*branches: str) -> str:
    return "\n  UNION ".join(f"{{ {b} }}" for b in branches)


def _linked(head: str, var: str) -> list[str]:
    """Labels and types of the resources `var` links to."""
    return [f"{head} {var} ?linked_p ?s . FILTER(isIRI(?s)) ?s ?p ?o FILTER(?p IN ({LINK_PROPERTIES}))"]


def _provenance(head: str, var: str) -> list[str]:
    """The quotation(s) `var` rests on, their selectors (less their labels, which no page
    shows), sentences and documents."""
    return [
        f"{head} {var} prov:wasDerivedFrom ?s . ?s ?p ?o",
        f"{head} {var} prov:wasDerivedFrom ?q1 . ?q1 oa:hasSelector ?s . ?s ?p ?o FILTER(?p != rdfs:label)",
        f"{head} {var} prov:wasDerivedFrom ?q2 . ?q2 erkg:inSentence ?s . ?s ?p ?o",
        f"{head} {var} prov:wasDerivedFrom ?q3 . ?q3 erkg:inSentence ?x3 . ?x3 oa:hasSelector ?s . ?s ?p ?o "
        f"FILTER(?p != rdfs:label)",
        f"{head} {var} prov:wasDerivedFrom ?q4 . ?q4 oa:hasSource ?s . ?s ?p ?o "
        f"FILTER(?p IN (rdf:type, rdfs:label, dcterms:title, dcterms:language))",
    ]


def _bundle(head: str, var: str = "?f") -> list[str]:
    """Everything to show a fact `var` (reached by the patterns `head`) in a row:
    its triples, its links' labels, its provenance."""
    return [f"{head} {var} ?p ?o BIND({var} AS ?s)", *_linked(head, var), *_provenance(head, var)]


def _construct(branches: list[str]) -> str:
    return f"CONSTRUCT {{ ?s ?p ?o }}\nWHERE {{\n  {_union(*branches)}\n}}\n"


_OWN = [
    "?r ?p ?o BIND(?r AS ?s)",
    *_linked("", "?r"),
    "?s ?p ?r BIND(?r AS ?o)",
    f"?s ?in_p ?r . ?s ?p ?o FILTER(?p IN ({LINK_PROPERTIES}))",
]

# The resource, its fragments and blank nodes, its links' labels, who links to
# it (with their labels), and the provenance of it (or, for a quotation, its
# sentence; for a sentence, the quotations in it).
RESOURCE = _construct([
    *_OWN,
    '?r ?frag_p ?s . FILTER(isBlank(?s) || STRSTARTS(STR(?s), CONCAT(STR(?r), "#"))) ?s ?p ?o',
    "?x erkg:inSentence ?r . ?x oa:hasSelector ?s . ?s ?p ?o",
    *_provenance("", "?r"),
    "?r erkg:inSentence ?s . ?s ?p ?o",
    "?r erkg:inSentence ?x . ?x oa:hasSelector ?s . ?s ?p ?o",
])

# A role at a glance: the resource page's branches plus the claims of
# responsibility about it (or about respondent groups of its holders), the posts
# with this role, the findings on groups of its holders and the relations it is
# a party to, each with its provenance.
ROLE = _construct([
    *_OWN,
    *_bundle("?f erkg:assignee ?r ; a erkg:ResponsibilityClaim ."),
    *_bundle("?group erkg:groupRole ?r . ?f erkg:assignee ?group ; a erkg:ResponsibilityClaim ."),
    *_bundle("?f org:role ?r ."),
    *_bundle("?group erkg:groupRole ?r . ?f erkg:respondentGroup ?group ."),
    *_bundle("?group erkg:groupRole ?r . ?f erkg:aboutGroup ?group ."),
    *_bundle("?f erkg:firstParty ?r ."),
    *_bundle("?f erkg:secondParty ?r ."),
])

# A source document: its triples, its links' labels, and every fact or entity
# resting on a quotation of its text with the offsets of that quotation.
_ON_DOCUMENT = "?q oa:hasSource ?r ; a erkg:Quotation . ?f prov:wasDerivedFrom ?q ."
_DOCUMENT = [
    "?r ?p ?o BIND(?r AS ?s)",
    *_linked("", "?r"),
    f"{_ON_DOCUMENT} ?f ?p ?o FILTER(?p IN ({LINK_PROPERTIES}, prov:wasDerivedFrom)) BIND(?f AS ?s)",
    f"{_ON_DOCUMENT} ?q ?p ?o FILTER(?p IN (rdf:type, oa:hasSource, oa:hasSelector)) BIND(?q AS ?s)",
    f"{_ON_DOCUMENT} ?q oa:hasSelector ?s . ?s ?p ?o FILTER(?p IN (rdf:type, oa:start, oa:end))",
]
DOCUMENT = _construct(_DOCUMENT)

# The same where the deployment shows the quoted sentences only (ERKG_SOURCE_TEXTS=quotes):
# also each quotation's words and its sentence, which the page shows in place of the text.
DOCUMENT_QUOTES = _construct([
    *_DOCUMENT,
    f"{_ON_DOCUMENT} ?q oa:hasSelector ?s . ?s oa:exact ?o BIND(oa:exact AS ?p)",
    f"{_ON_DOCUMENT} ?q erkg:inSentence ?o BIND(?q AS ?s) BIND(erkg:inSentence AS ?p)",
    f"{_ON_DOCUMENT} ?q erkg:inSentence ?x . ?x oa:hasSelector ?s . ?s ?p ?o "
    f"FILTER(?p IN (rdf:type, oa:exact, oa:start, oa:end))",
    f"{_ON_DOCUMENT} ?q erkg:inSentence ?s . ?s ?p ?o FILTER(?p IN (rdf:type, oa:hasSource, oa:hasSelector))",
])

# Findings (of one study when ?study is bound), with their studies.
_FINDING = "?f a erkg:Finding ; erkg:study ?study ."
FINDINGS = _construct([
    f"{_FINDING} ?study ?p ?o BIND(?study AS ?s)",
    *_bundle(_FINDING),
])

# A named graph (also the ontology, whose IRI names its graph).
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }\n"

# The vocabulary every page uses for the names of classes and properties.
VOCABULARY = """
CONSTRUCT { ?s ?p ?o }
WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p IN (rdf:type, rdfs:label, skos:definition)) } }
"""

# The resource's description: its triples, those of its own fragment resources (a
# quotation's #quote, #position), and of the blank nodes they point to (one level:
# the data's resources have none deeper). A CONSTRUCT, not a DESCRIBE, whose answer
# SPARQL leaves to each engine (Virtuoso adds the triples pointing to the resource).
CBD = """
CONSTRUCT { ?s ?p ?o . ?o ?p2 ?o2 }
WHERE {
  { ?r ?p ?o BIND (?r AS ?s) }
  UNION
  { ?r ?q ?s FILTER (isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?r), "#"))) ?s ?p ?o }
  OPTIONAL { ?o ?p2 ?o2 FILTER (isBlank(?o)) }
}
"""

# The home page: the source documents, with what a list of them shows.
SOURCES = """
CONSTRUCT { ?s ?p ?o }
WHERE { ?s a erkg:SourceDocument ; ?p ?o FILTER(?p IN (rdf:type, rdfs:label, dcterms:title, dcterms:date, dcterms:language)) }
"""
