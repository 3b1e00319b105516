"""What each HTML page shows, built from the triples of its query.

A `Site` knows where this server serves an IRI (relative to the page, so the
pages work behind any host or path prefix) and how to name terms; the
functions below turn a page's `Graph` into plain objects for the templates.
Nothing here escapes text: the templates do (Jinja2 autoescape).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import DCTERMS, OA, OWL, SKOS

from ..rest.registry import collect
from . import i18n
from .rdf import (
    ALT_LABEL, ANNOTATION_PROPERTY, CONCEPT_SCHEME, DATATYPE_PROPERTY, DEFINITION, DERIVED_FROM, DESCRIPTION,
    DOMAIN, END, EXACT, HAS_SELECTOR, HAS_SOURCE, IN_SCHEME, LABEL, NAME, OBJECT_PROPERTY,
    OWL_CLASS, PREF_LABEL, RANGE, RDFS_DATATYPE, START, SUBCLASS_OF, SUBPROPERTY_OF, TEXT_POSITION_SELECTOR,
    TEXT_QUOTE_SELECTOR, TITLE, TYPE, VERSION_INFO, XSD_NS, Graph, Names, Term, compact, iri,
)


@dataclass
class Link:
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None  # language of `text`; None when it is not a labelled literal


@dataclass
class Value:
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    note: str | None = None  # datatype, or another hint shown small after the value
    long: bool = False  # a long literal, shown as a paragraph


@dataclass
class Row:
    property: Link
    values: list[Value]


class Site:
    """Links and names for one page."""

    def __init__(self, *, base: str, path: str, prefixes: Mapping[str, str], vocabulary: Graph,
                 graph: Graph, lang: str) -> None:
        self.base, self.prefixes, self.vocabulary, self.graph, self.lang = base, prefixes, vocabulary, graph, lang
        self.root = "../" * max(path.count("/") - 1, 0)
        self.names = Names(graph, vocabulary, lang, prefixes)
        self.words = i18n.Words(lang)
        self.erkg = base + "ontology#"

    # ------------------------------------------------------------ where things are

    def local(self, value: str) -> str:
        """The path (relative to the page) of an IRI under the base."""
        return self.root + quote(value[len(self.base):], safe="/#:-._~!$&'()*+,;=@")

    def is_term(self, value: str) -> bool:
        """A class or property the ontology declares (external ones included)."""
        return any(t in (OWL_CLASS, RDFS_DATATYPE, OBJECT_PROPERTY, DATATYPE_PROPERTY, ANNOTATION_PROPERTY)
                   for t in self.vocabulary.types(iri(value)))

    def expand(self, curie: str) -> ox.NamedNode:
        """A CURIE (org:heldBy) as a node."""
        prefix, _, local = curie.partition(":")
        return iri(self.prefixes[prefix] + local)

    def anchor(self, value: str) -> str:
        """The fragment of the ontology page that documents a term."""
        if value.startswith(self.erkg):
            return value[len(self.erkg):]
        return compact(value, self.prefixes)

    def href(self, value: str) -> str | None:
        if value.startswith(self.base):
            return self.local(value)
        if self.is_term(value):
            return self.root + "ontology#" + quote(self.anchor(value), safe=":-._~")
        return None

    def source_view(self, document: str, start: int, end: int) -> str:
        return f"{self.local(document)}?start={start}&end={end}#quote"

    @property
    def css(self) -> str:
        return self.root + "ui/static/pages.css"

    # ------------------------------------------------------------ terms as links and values

    def link(self, term: Term) -> Link:
        if isinstance(term, ox.NamedNode):
            picked = self.names.pick(self.names.labels(term))
            text = picked[0] if picked else self.names.name(term)
            return Link(text, self.href(term.value), term.value, picked[1] if picked else None)
        if isinstance(term, ox.BlankNode):
            on = self.graph.value(term, iri(OWL.onDatatype)) or self.vocabulary.value(term, iri(OWL.onDatatype))
            if on is not None:
                return Link(f"{compact(on.value, self.prefixes)} (restricted)")
            return Link(self.words["anonymous"])
        return Link(term.value, lang=term.language)

    def value(self, term: Term) -> Value:
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            note = None
            text = term.value
            if dt == XSD_NS + "boolean":
                text = self.words["true"] if text in ("true", "1") else self.words["false"]
            elif term.language is None and dt != XSD_NS + "string":
                note = compact(dt, self.prefixes)
            return Value(text, lang=term.language, note=note, long=len(text) > 160)
        link = self.link(term)
        return Value(link.text, link.href, link.iri, link.lang)

    def links(self, terms: Iterable[Term]) -> list[Link]:
        return sorted((self.link(t) for t in terms), key=lambda l: l.text.casefold())

    def label(self, term: Term) -> str:
        return self.names.name(term)


# ---------------------------------------------------------------- the generic resource page

# Properties shown first, in this order; the rest follow by their label.
FIRST = (TYPE, LABEL, PREF_LABEL, ALT_LABEL, NAME, TITLE, DEFINITION, DESCRIPTION)


def property_rows(site: Site, subject: Term, skip: Iterable[ox.NamedNode] = ()) -> list[Row]:
    skip = set(skip)
    props = [p for p in site.graph.properties(subject) if p not in skip]
    order = {p: i for i, p in enumerate(FIRST)}
    props.sort(key=lambda p: (order.get(p, len(order)), site.label(p).casefold()))
    rows = []
    for p in props:
        values = [site.value(o) for o in site.graph.objects(subject, p)]
        values.sort(key=lambda v: ((v.lang or "") != site.lang, v.text.casefold()))
        rows.append(Row(site.link(p), values))
    return rows


def incoming_rows(site: Site, obj: Term) -> list[Row]:
    rows = []
    for p, subjects in site.graph.incoming(obj).items():
        values = [Value(link.text, link.href, link.iri, link.lang) for link in site.links(subjects)]
        rows.append(Row(site.link(p), values))
    rows.sort(key=lambda r: r.property.text.casefold())
    return rows


@dataclass
class Segment:
    """A quotation or sentence: where it is and its words."""

    node: ox.NamedNode
    document: ox.NamedNode | None
    exact: str
    start: int | None
    end: int | None


def segment(graph: Graph, node: Term) -> Segment | None:
    if not isinstance(node, ox.NamedNode):
        return None
    exact, start, end = None, None, None
    for sel in graph.objects(node, HAS_SELECTOR):
        if graph.is_a(sel, TEXT_QUOTE_SELECTOR) or graph.value(sel, EXACT) is not None:
            v = graph.value(sel, EXACT)
            exact = v.value if isinstance(v, ox.Literal) else exact
        if graph.is_a(sel, TEXT_POSITION_SELECTOR) or graph.value(sel, START) is not None:
            start, end = graph.integer(sel, START), graph.integer(sel, END)
    if exact is None and start is None:
        return None
    doc = graph.value(node, HAS_SOURCE)
    return Segment(node, doc if isinstance(doc, ox.NamedNode) else None, exact or "", start, end)


@dataclass
class Evidence:
    """A quotation shown in its sentence, with the way to the source view."""

    quotation: Link
    document: Link | None
    before: str
    quote: str
    after: str
    start: int | None
    end: int | None
    source_href: str | None
    sentence: Link | None = None
    lang: str | None = None  # the document's language


def evidence(site: Site, quotation: Term) -> Evidence | None:
    g = site.graph
    q = segment(g, quotation)
    if q is None:
        return None
    before, after = "", ""
    sentence_node = g.value(quotation, iri(site.erkg + "inSentence"))
    s = segment(g, sentence_node) if sentence_node is not None else None
    if s is not None and s.start is not None and q.start is not None:
        offset = q.start - s.start
        if 0 <= offset and s.exact[offset:offset + len(q.exact)] == q.exact:
            before, after = s.exact[:offset], s.exact[offset + len(q.exact):]
    source = (site.source_view(q.document.value, q.start, q.end)
              if q.document is not None and q.start is not None and q.end is not None else None)
    return Evidence(site.link(quotation), site.link(q.document) if q.document else None, before, q.exact, after,
                    q.start, q.end, source, site.link(sentence_node) if sentence_node is not None else None,
                    document_language(g, q.document))


def document_language(g: Graph, document: Term | None) -> str | None:
    value = g.value(document, iri(DCTERMS.language)) if document is not None else None
    return value.value if isinstance(value, ox.Literal) else None


def provenance(site: Site, subject: Term) -> list[Evidence]:
    found = [evidence(site, q) for q in site.graph.objects(subject, DERIVED_FROM)]
    return [e for e in found if e is not None]


@dataclass
class Fragment:
    anchor: str
    link: Link
    rows: list[Row]


@dataclass
class ResourcePage:
    iri: str
    title: str
    title_lang: str | None
    other_title: str | None
    types: list[Link]
    definition: tuple[str, str] | None
    other_definition: tuple[str, str] | None
    evidence: list[Evidence]
    own_segment: Evidence | None  # a quotation or sentence page: the passage itself
    own_kind: str | None  # "quotation" or "sentence"
    in_sentence: list[Link]  # a sentence page: the quotations in it
    fragments: list[Fragment]
    rows: list[Row]
    incoming: list[Row]


def resource_page(site: Site, resource: ox.NamedNode) -> ResourcePage:
    g, names = site.graph, site.names
    labels = names.labels(resource)
    picked = names.pick(labels)
    if picked:
        title, title_lang = picked
    else:
        title, title_lang = names.name(resource), None
    other = names.other_label(resource)
    definitions = names.labels(resource, (DEFINITION,))
    definition = names.pick(definitions)
    other_def = definitions.get(names.other)
    other_definition = (other_def, names.other) if other_def and definition and other_def != definition[0] else None

    own, own_kind = None, None
    quotations: list[Link] = []
    erkg = site.erkg
    if g.is_a(resource, iri(erkg + "Quotation")):
        own, own_kind = evidence(site, resource), "quotation"
    elif g.is_a(resource, iri(erkg + "Sentence")):
        own_kind = "sentence"
        s = segment(g, resource)
        if s is not None:
            source = (site.source_view(s.document.value, s.start, s.end)
                      if s.document is not None and s.start is not None else None)
            own = Evidence(site.link(resource), site.link(s.document) if s.document else None, "", s.exact, "",
                           s.start, s.end, source, lang=document_language(g, s.document))
        quotations = site.links(g.subjects(iri(erkg + "inSentence"), resource))

    prefix = resource.value + "#"
    fragments = []
    for p, values in g.properties(resource).items():
        for o in values:
            if isinstance(o, ox.NamedNode) and o.value.startswith(prefix):
                fragments.append(Fragment(o.value[len(prefix):], site.link(o), property_rows(site, o)))
    fragments.sort(key=lambda f: f.anchor)

    skip = {iri(erkg + "text")}
    rows = property_rows(site, resource, skip)
    text = g.value(resource, iri(erkg + "text"))
    if isinstance(text, ox.Literal):
        rows.append(Row(site.link(iri(erkg + "text")),
                        [Value(site.words("text_stored", n=len(text.value)), site.local(resource.value))]))
    return ResourcePage(
        iri=resource.value, title=title, title_lang=title_lang, other_title=other,
        types=site.links(g.types(resource)), definition=definition, other_definition=other_definition,
        evidence=provenance(site, resource), own_segment=own, own_kind=own_kind, in_sentence=quotations,
        fragments=fragments,
        rows=rows, incoming=incoming_rows(site, resource),
    )


# ---------------------------------------------------------------- a role at a glance


@dataclass
class Claim:
    responsibility: Link
    modality: Link | None
    claimant: Link | None
    group: Link | None  # the claim is about a respondent group of this role's holders
    claim: Link
    evidence: Evidence | None


@dataclass
class Post:
    person: Link | None
    organization: Link | None
    title: str | None
    since: int | None
    former: bool
    post: Link
    evidence: Evidence | None


@dataclass
class RoleFinding:
    group: Link | None
    about: Link | None
    proposition: Link | None
    share: Decimal | None
    share_text: str | None
    study: Link | None
    finding: Link
    evidence: Evidence | None


@dataclass
class Relation:
    first: Link | None
    kind: Link | None
    second: Link | None
    modality: Link | None
    claimant: Link | None
    relation: Link
    evidence: Evidence | None


@dataclass
class RolePage:
    resource: ResourcePage
    alt_labels: list[Link]
    departments: list[Link]
    alignments: list[Row]
    claims: list[Claim]
    posts: list[Post]
    findings: list[RoleFinding]
    relations: list[Relation]


def _first_evidence(site: Site, fact: Term) -> Evidence | None:
    found = provenance(site, fact)
    return found[0] if found else None


def _opt_link(site: Site, term: Term | None) -> Link | None:
    return site.link(term) if term is not None else None


def share_of(site: Site, finding: Term) -> tuple[Decimal | None, str | None]:
    g, erkg = site.graph, site.erkg
    value = g.value(finding, iri(erkg + "share"))
    if not isinstance(value, ox.Literal):
        return None, None
    try:
        share = Decimal(value.value)
    except InvalidOperation:
        return None, None
    qualifier = g.value(finding, iri(erkg + "shareQualifier"))
    slug = qualifier.value.rsplit("/", 1)[-1] if isinstance(qualifier, ox.NamedNode) else "exactly"
    return share, i18n.qualified(share, slug, site.lang)


def role_page(site: Site, role: ox.NamedNode) -> RolePage:
    g, erkg = site.graph, site.erkg
    E = lambda name: iri(erkg + name)  # noqa: E731
    groups = set(g.subjects(E("groupRole"), role))

    claims = []
    for f in {*g.subjects(E("assignee"), role), *(c for grp in groups for c in g.subjects(E("assignee"), grp))}:
        if not g.is_a(f, E("ResponsibilityClaim")):
            continue
        assignee = g.value(f, E("assignee"))
        claims.append(Claim(
            responsibility=site.link(g.value(f, E("responsibility"))),
            modality=_opt_link(site, g.value(f, E("modality"))),
            claimant=_opt_link(site, g.value(f, E("claimant"))),
            group=site.link(assignee) if assignee in groups else None,
            claim=site.link(f), evidence=_first_evidence(site, f)))
    claims.sort(key=lambda c: (c.responsibility.text.casefold(), c.modality.text if c.modality else "", c.claim.iri))

    posts = []
    post = collect()["post"]  # the post's relations as the REST API's spec states them
    P = lambda key: site.expand(post.field(key).path)  # noqa: E731
    for f in g.subjects(P("role"), role):
        if not g.is_a(f, site.expand(post.rdf_class)):
            continue
        title = g.value(f, P("title"))
        former = g.value(f, P("former"))
        posts.append(Post(
            person=_opt_link(site, g.value(f, P("person"))),
            organization=_opt_link(site, g.value(f, P("organization"))),
            title=title.value if isinstance(title, ox.Literal) else None,
            since=g.integer(f, P("since")),
            former=isinstance(former, ox.Literal) and former.value in ("true", "1"),
            post=site.link(f), evidence=_first_evidence(site, f)))
    posts.sort(key=lambda p: (p.former, (p.organization.text if p.organization else "").casefold(),
                              (p.person.text if p.person else "").casefold()))

    findings = []
    seen = set()
    for grp in groups:
        for f in (*g.subjects(E("respondentGroup"), grp), *g.subjects(E("aboutGroup"), grp)):
            if f in seen or not g.is_a(f, E("Finding")):
                continue
            seen.add(f)
            share, text = share_of(site, f)
            findings.append(RoleFinding(
                group=_opt_link(site, g.value(f, E("respondentGroup"))),
                about=_opt_link(site, g.value(f, E("aboutGroup"))),
                proposition=_opt_link(site, g.value(f, E("proposition"))),
                share=share, share_text=text,
                study=_opt_link(site, g.value(f, E("study"))),
                finding=site.link(f), evidence=_first_evidence(site, f)))
    findings.sort(key=lambda f: (f.study.text if f.study else "", f.evidence.start if f.evidence and f.evidence.start
                                 is not None else 0, f.finding.iri))

    relations = []
    for f in {*g.subjects(E("firstParty"), role), *g.subjects(E("secondParty"), role)}:
        relations.append(Relation(
            first=_opt_link(site, g.value(f, E("firstParty"))),
            kind=_opt_link(site, g.value(f, E("relationKind"))),
            second=_opt_link(site, g.value(f, E("secondParty"))),
            modality=_opt_link(site, g.value(f, E("modality"))),
            claimant=_opt_link(site, g.value(f, E("claimant"))),
            relation=site.link(f), evidence=_first_evidence(site, f)))
    relations.sort(key=lambda r: ((r.kind.text if r.kind else "").casefold(), r.relation.iri))

    alt = [Link(v.value, lang=v.language) for v in g.objects(role, ALT_LABEL) if isinstance(v, ox.Literal)]
    alt.sort(key=lambda l: (l.lang != site.lang, l.text.casefold()))
    unique_alt, seen_text = [], set()
    for a in alt:
        if a.text not in seen_text:
            seen_text.add(a.text)
            unique_alt.append(a)
    align_props = [iri(SKOS.exactMatch), iri(SKOS.closeMatch), iri(SKOS.broadMatch), iri(SKOS.narrowMatch),
                   iri(SKOS.notation)]
    alignments = [Row(site.link(p), [site.value(o) for o in g.objects(role, p)])
                  for p in align_props if g.objects(role, p)]
    return RolePage(
        resource=resource_page(site, role), alt_labels=unique_alt,
        departments=site.links(g.objects(role, E("leadsDepartment"))), alignments=alignments,
        claims=claims, posts=posts, findings=findings, relations=relations)


# ---------------------------------------------------------------- a source document


@dataclass
class Curated:
    """A fact or entity resting on a quotation of the document."""

    link: Link
    kind: Link | None
    start: int
    end: int
    show_href: str


@dataclass
class DocumentPage:
    resource: ResourcePage
    text: str
    before: str
    selected: str | None
    after: str
    start: int | None
    end: int | None
    clear_href: str
    here: list[Curated]
    curated: list[Curated]
    lang: str | None
    metadata: list[Row]  # title, publisher, authors, date … (type, labels and text are shown otherwise)
    length: int  # of the stored text, in characters
    passages: list[Passage] | None = None  # in place of the text, where the deployment shows quotations only


@dataclass
class Passage:
    """A quotation of the document in its sentence, with what rests on it."""

    evidence: Evidence
    curated: list[Curated]
    here: bool  # within the range asked for


def text_length(g: Graph, document: Term, erkg: str) -> int:
    """The stored text's length: erkg:textLength, which stays where the text is not served."""
    text = g.value(document, iri(erkg + "text"))
    return len(text.value) if isinstance(text, ox.Literal) else g.integer(document, iri(erkg + "textLength")) or 0


def passages(site: Site, document: ox.NamedNode, curated: list[Curated], start: int | None,
             end: int | None) -> list[Passage]:
    """Every quotation of the document in its sentence, in the order of the text."""
    found = {}
    for f in list(site.graph.out):
        for q in site.graph.objects(f, DERIVED_FROM):
            if q not in found and site.graph.value(q, HAS_SOURCE) == document:
                found[q] = evidence(site, q)
    shown = sorted((e for e in found.values() if e is not None and e.start is not None),
                   key=lambda e: (e.start, e.end))
    return [Passage(e, [c for c in curated if (c.start, c.end) == (e.start, e.end)],
                    start is not None and end is not None and e.start < end and e.end > start) for e in shown]


def document_page(site: Site, document: ox.NamedNode, start: int | None, end: int | None,
                  quotes_only: bool = False) -> DocumentPage:
    g, erkg = site.graph, site.erkg
    text_value = g.value(document, iri(erkg + "text"))
    text = text_value.value if isinstance(text_value, ox.Literal) else ""
    curated = []
    for f in list(g.out):
        for q in g.objects(f, DERIVED_FROM):
            s = segment(g, q)
            if s is None or s.start is None or s.end is None or g.value(q, HAS_SOURCE) != document:
                continue
            kinds = site.vocabulary.most_specific(t for t in g.types(f) if isinstance(t, ox.NamedNode))
            curated.append(Curated(site.link(f), site.link(kinds[0]) if kinds else None, s.start, s.end,
                                   site.source_view(document.value, s.start, s.end)))
    curated.sort(key=lambda c: (c.start, c.end, c.link.text.casefold()))
    here = [c for c in curated if start is not None and end is not None and c.start < end and c.end > start]
    if start is not None and end is not None:
        before, selected, after = text[:start], text[start:end], text[end:]
    else:
        before, selected, after = text, None, ""
    page = resource_page(site, document)
    metadata = property_rows(site, document, skip={TYPE, LABEL, iri(erkg + "text")})
    return DocumentPage(page, text, before, selected, after, start, end, site.local(document.value), here, curated,
                        document_language(g, document), metadata, text_length(g, document, erkg),
                        passages(site, document, curated, start, end) if quotes_only else None)


# ---------------------------------------------------------------- the ontology


@dataclass
class Entry:
    anchor: str
    iri: str
    compact: str
    labels: dict[str, str]
    definitions: dict[str, str]
    facts: list[Row]
    href: str | None = None  # a concept's own page


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]
    groups: list[tuple[Entry, list[Entry]]] = field(default_factory=list)  # concept schemes


@dataclass
class OntologyPage:
    iri: str
    title: str
    other_title: str | None
    description: tuple[str, str] | None
    rows: list[Row]
    sections: list[Section]
    version: str | None = None  # owl:versionInfo


def _by_lang(g: Graph, s: Term, p: ox.NamedNode) -> dict[str, str]:
    return {v.language or "": v.value for v in g.objects(s, p) if isinstance(v, ox.Literal)}


def ontology_page(site: Site, ontology: ox.NamedNode) -> OntologyPage:
    g, words = site.graph, site.words

    def entry(s: ox.NamedNode, facts: list[Row] | None = None, own_page: bool = False) -> Entry:
        labels = _by_lang(g, s, LABEL)
        return Entry(site.anchor(s.value), s.value, compact(s.value, site.prefixes), labels,
                     _by_lang(g, s, DEFINITION), facts or [], site.local(s.value) if own_page else None)

    def facts(s: ox.NamedNode) -> list[Row]:
        rows = []
        for key, p in (("subclass_of", SUBCLASS_OF), ("subproperty_of", SUBPROPERTY_OF), ("domain", DOMAIN),
                       ("range", RANGE)):
            values = g.objects(s, p)
            if values:
                rows.append(Row(Link(words[key]), [Value(l.text, l.href, l.iri, l.lang) for l in site.links(values)]))
        extra = [t for t in g.types(s) if t not in (OWL_CLASS, OBJECT_PROPERTY, DATATYPE_PROPERTY,
                                                        ANNOTATION_PROPERTY, RDFS_DATATYPE)]
        if extra:
            rows.append(Row(Link(words["characteristics"]),
                            [Value(compact(t.value, site.prefixes)) for t in extra]))
        return rows

    def typed(cls: ox.NamedNode) -> list[ox.NamedNode]:
        found = [s for s in g.subjects(TYPE, cls) if isinstance(s, ox.NamedNode)]
        return sorted(found, key=lambda s: compact(s.value, site.prefixes).casefold())

    sections = [
        Section("classes", words["classes"], [entry(s, facts(s)) for s in typed(OWL_CLASS)]),
        Section("datatypes", words["datatypes"], [entry(s, facts(s)) for s in typed(RDFS_DATATYPE)]),
        Section("object-properties", words["object_properties"], [entry(s, facts(s)) for s in typed(OBJECT_PROPERTY)]),
        Section("data-properties", words["datatype_properties"], [entry(s, facts(s)) for s in typed(DATATYPE_PROPERTY)]),
        Section("annotation-properties", words["annotation_properties"],
                [entry(s, facts(s)) for s in typed(ANNOTATION_PROPERTY)]),
    ]
    schemes = Section("concept-schemes", words["concept_schemes"], [])
    for scheme in typed(CONCEPT_SCHEME):
        concepts = sorted((c for c in g.subjects(IN_SCHEME, scheme) if isinstance(c, ox.NamedNode)),
                          key=lambda c: c.value)
        schemes.groups.append((entry(scheme, own_page=True),
                               [entry(c, [Row(Link(words["types"]), [Value(l.text, l.href, l.iri, l.lang)
                                                                    for l in site.links(g.types(c))])],
                                      own_page=True) for c in concepts]))
    sections.append(schemes)

    titles = _by_lang(g, ontology, TITLE)
    picked = site.names.pick(titles) or (compact(ontology.value, site.prefixes), "")
    other = titles.get(site.names.other)
    descriptions = _by_lang(g, ontology, DESCRIPTION)
    rows = property_rows(site, ontology, skip={TITLE, DESCRIPTION})
    version = next((v.value for v in g.objects(ontology, VERSION_INFO) if isinstance(v, ox.Literal)), None)
    return OntologyPage(ontology.value, picked[0], other if other != picked[0] else None,
                        site.names.pick(descriptions), rows, sections, version)


# ---------------------------------------------------------------- a named graph


@dataclass
class GraphPage:
    iri: str
    document: Link | None
    triples: int
    groups: list[tuple[Link, list[Link]]]
    quotations: int
    sentences: int


def graph_page(site: Site, graph_iri: str, document: ox.NamedNode | None) -> GraphPage:
    g, erkg = site.graph, site.erkg
    segments = {iri(erkg + "Quotation"), iri(erkg + "Sentence"), iri(str(OA.TextQuoteSelector)),
                iri(str(OA.TextPositionSelector))}
    by_type: dict[Term, list[Term]] = {}
    counts = {"q": 0, "s": 0}
    for s in g.out:
        types = g.types(s)
        if iri(erkg + "Quotation") in types:
            counts["q"] += 1
        if iri(erkg + "Sentence") in types:
            counts["s"] += 1
        if not isinstance(s, ox.NamedNode) or any(t in segments for t in types):
            continue
        for t in types:
            by_type.setdefault(t, []).append(s)
    groups = sorted(((site.link(t), site.links(members)) for t, members in by_type.items()),
                    key=lambda tg: tg[0].text.casefold())
    return GraphPage(graph_iri, site.link(document) if document is not None and document in g else None,
                     len(g), groups, counts["q"], counts["s"])

