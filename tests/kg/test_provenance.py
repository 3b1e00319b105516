"""Sentence-level provenance, checked against the texts in data/sources/ with
plain Python: every quotation and sentence cuts exactly its words out of its
document, carries the text around it, lies inside its sentence; every fact,
post and membership rests on a quotation; and every curated item's quote is
the quotation the graph gives it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
import yaml

from kg.graph import CONTEXT_CHARS
from kg.queries import run

from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
FACTS = ROOT / "data" / "facts"
FACT_LISTS = {"posts": "post", "affiliations": "affiliation", "findings": "finding", "claims": "claim",
              "relations": "relation", "recommendations": "recommendation", "statements": "statement"}


@dataclass(frozen=True)
class Segment:
    iri: str
    kind: str  # "Quotation" or "Sentence"
    document: str  # document id, the stem of data/sources/<doc>.txt
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def select(store, iris, sparql: str) -> list[dict]:
    result = run(store, sparql, iris.prefixes())
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


@pytest.fixture(scope="session")
def texts() -> dict[str, str]:
    return {p.stem: p.read_bytes().decode("utf-8") for p in sorted(SOURCES.glob("*.txt"))}


@pytest.fixture(scope="session")
def segments(store, iris) -> dict[str, Segment]:
    """Every erkg:Quotation and erkg:Sentence with its (single) selectors."""
    rows = select(store, iris, """
        SELECT ?segment ?class ?document ?exact ?prefix ?suffix ?start ?end WHERE {
          VALUES ?class { erkg:Quotation erkg:Sentence }
          ?segment a ?class ;
                   oa:hasSource ?document ;
                   oa:hasSelector ?q, ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }""")
    doc_prefix = str(iris.thing("document", ""))
    found: dict[str, Segment] = {}
    for r in rows:
        seg = Segment(r["segment"].value, r["class"].value.rsplit("#", 1)[1],
                      r["document"].value.removeprefix(doc_prefix), r["exact"].value, r["prefix"].value,
                      r["suffix"].value, int(r["start"].value), int(r["end"].value))
        assert found.setdefault(seg.iri, seg) == seg, f"{seg.iri} has more than one source or selector"
    return found


def test_there_are_quotations_and_sentences(segments):
    kinds = Counter(s.kind for s in segments.values())
    assert kinds["Quotation"] >= 300 and kinds["Sentence"] >= 150, kinds


def test_every_segment_has_exactly_one_source_and_one_selector_of_each_kind(store, iris):
    rows = select(store, iris, """
        SELECT ?segment (COUNT(DISTINCT ?document) AS ?sources)
               (COUNT(DISTINCT ?q) AS ?quote_selectors) (COUNT(DISTINCT ?p) AS ?position_selectors) WHERE {
          VALUES ?class { erkg:Quotation erkg:Sentence }
          ?segment a ?class .
          OPTIONAL { ?segment oa:hasSource ?document }
          OPTIONAL { ?segment oa:hasSelector ?q . ?q a oa:TextQuoteSelector }
          OPTIONAL { ?segment oa:hasSelector ?p . ?p a oa:TextPositionSelector }
        } GROUP BY ?segment""")
    assert len(rows) >= 450
    bad = [r["segment"].value for r in rows
           if (int(r["sources"].value), int(r["quote_selectors"].value), int(r["position_selectors"].value)) != (1, 1, 1)]
    assert bad == []


def test_every_segment_cuts_its_words_out_of_the_source_text(segments, texts):
    assert segments
    for s in segments.values():
        assert s.document in texts, f"{s.iri}: no data/sources/{s.document}.txt"
        text = texts[s.document]
        assert 0 <= s.start < s.end <= len(text), s.iri
        assert text[s.start:s.end] == s.exact, s.iri


def test_prefix_and_suffix_are_the_text_around(segments, texts):
    for s in segments.values():
        text = texts[s.document]
        assert s.prefix == text[max(0, s.start - CONTEXT_CHARS):s.start], s.iri
        assert s.suffix == text[s.end:s.end + CONTEXT_CHARS], s.iri


def test_sentences_do_not_start_or_end_with_white_space(segments):
    for s in segments.values():
        if s.kind == "Sentence":
            assert s.exact == s.exact.strip() and s.exact, s.iri


def test_every_quotation_lies_inside_its_sentence(store, iris, segments):
    rows = select(store, iris, "SELECT ?quotation ?sentence WHERE { ?quotation a erkg:Quotation . "
                               "OPTIONAL { ?quotation erkg:inSentence ?sentence } }")
    sentences_of = defaultdict(list)
    for r in rows:
        sentences_of[r["quotation"].value].append(r["sentence"].value if r["sentence"] else None)
    quotations = [s for s in segments.values() if s.kind == "Quotation"]
    assert len(sentences_of) == len(quotations)
    for q in quotations:
        sentences = sentences_of[q.iri]
        assert sentences and None not in sentences, f"{q.iri} has no sentence"
        for iri in sentences:
            sentence = segments[iri]
            assert sentence.kind == "Sentence"
            assert sentence.document == q.document, q.iri
            assert sentence.start <= q.start and q.end <= sentence.end, f"{q.iri} outside {iri}"
            assert q.exact in sentence.exact


def test_stored_text_is_the_source_file(store, iris, texts):
    rows = select(store, iris, "SELECT ?document ?text WHERE { ?document a erkg:SourceDocument ; erkg:text ?text }")
    doc_prefix = str(iris.thing("document", ""))
    stored = {r["document"].value.removeprefix(doc_prefix): r["text"].value for r in rows}
    assert stored == texts


# Minimum numbers per class, so that the checks below cannot pass vacuously.
MINIMUM = {"erkg:Finding": 25, "erkg:ResponsibilityClaim": 35, "erkg:RelationClaim": 30,
           "erkg:Recommendation": 20, "erkg:Statement": 100, "org:Post": 20, "org:Membership": 1}


def test_every_fact_post_and_membership_rests_on_a_quotation(store, iris):
    rows = select(store, iris, """
        SELECT ?thing ?class (COUNT(DISTINCT ?quotation) AS ?quotations) WHERE {
          { ?thing a ?class . ?class rdfs:subClassOf* erkg:Fact . FILTER (?class != erkg:Claim) }
          UNION { VALUES ?class { org:Post org:Membership } ?thing a ?class }
          OPTIONAL { ?thing prov:wasDerivedFrom ?quotation . ?quotation a erkg:Quotation ;
                            oa:hasSource/a erkg:SourceDocument }
        } GROUP BY ?thing ?class""")
    prefixes = iris.prefixes()
    counts = Counter()
    for r in rows:
        cls = r["class"].value
        for p in ("erkg", "org"):
            cls = cls.replace(prefixes[p], f"{p}:")
        counts[cls] += 1
        assert int(r["quotations"].value) >= 1, f"{r['thing'].value} has no quotation"
    for cls, minimum in MINIMUM.items():
        assert counts[cls] >= minimum, f"only {counts[cls]} {cls}"
    assert sum(counts.values()) >= 250


def _curated_items(iris):
    """(IRI, quote) of every curated entity and fact, read from data/facts/*.yaml."""
    for path in sorted(FACTS.glob("*.yaml")):
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = facts["document"]
        for e in facts.get("entities") or []:
            yield str(iris.thing(e["type"], e["id"])), e["quote"], doc
        for field, kind in FACT_LISTS.items():
            for f in facts.get(field) or []:
                yield str(iris.thing(kind, doc, f["id"])), f["quote"], doc


def test_every_curated_quote_is_the_quotation_in_the_graph(store, iris, segments):
    rows = select(store, iris, "SELECT ?thing ?quotation WHERE { ?thing prov:wasDerivedFrom ?quotation }")
    quotations = defaultdict(set)
    for r in rows:
        quotations[r["thing"].value].add(r["quotation"].value)
    items = list(_curated_items(iris))
    assert len(items) >= 400
    for thing, quote, doc in items:
        found = quotations.get(thing)
        assert found, f"{thing} is curated but has no quotation in the graph"
        assert quote in {segments[q].exact for q in found if segments[q].document == doc}, thing
