"""A synthetic ERKG-like dataset of N triples, as N-Quads, in the project's vocabulary.

    python benchmarks/synthetic.py --triples 1000000 --out /tmp/syn-1m.nq

Deterministic: the same --seed and --triples give a byte-identical file. The
output is streamed (nothing but a few counters is kept in memory), so it
serves a scale curve from 10^4 to 10^7 triples and beyond.

What it contains, like `erkg build` output:

* the project's ontology (ontology/erkg.ttl) in the graph <…/ontology>, so the
  roles, departments, qualifiers, modalities … with their labels are there
  (unless --no-ontology);
* a graph <…/graph/syn-common> with respondent groups (erkg:groupRole,
  erkg:groupDepartment), topics and responsibilities;
* one named graph per synthetic source document <…/graph/syn-NNNNNN>: the
  document (erkg:SourceDocument with its erkg:text), its sentences
  (erkg:Sentence) and quotations (erkg:Quotation, oa:hasSource,
  erkg:inSentence) with oa:TextQuoteSelector (exact/prefix/suffix) and
  oa:TextPositionSelector (start/end) whose offsets really cut the quote out of
  the text; a new organization and new persons (foaf:name); posts (org:Post,
  org:heldBy, org:role role:cmo …, org:postIn, erkg:heldSince, erkg:former);
  every 20th document a new study (erkg:Study) that the findings of the next 20
  documents report; propositions; findings (erkg:study, erkg:respondentGroup,
  erkg:proposition, erkg:share in [0, 1] as xsd:decimal, erkg:shareQualifier,
  erkg:shareWording, erkg:comparedWith, erkg:aboutGroup); responsibility
  claims, relation claims and statements; every fact prov:wasDerivedFrom a
  quotation.

The file has exactly --triples lines (quads): the last document is cut off
where the count is reached. A JSON sidecar (OUT.json) records the seed, the
counts and sample IRIs that benchmarks/bench_endpoints.py queries.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/erkg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = BASE + "ontology"
E = BASE + "ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"

TYPE = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
DERIVED = f"<{PROV}wasDerivedFrom>"

EXECUTIVE_ROLES = ["cmo", "cio", "cco", "cdo", "ceo", "cto", "cfo"]
OTHER_ROLES = ["agency-head", "associate", "author", "chairman", "columnist", "editor", "founder", "head",
               "head-of-business-development", "head-of-marketing", "honorary-president",
               "honorary-professor", "managing-partner", "marketing-manager", "senior-partner",
               "vice-chairman"]
ROLE_TITLES = {"cmo": "Chief Marketing Officer", "cio": "Chief Information Officer",
               "cco": "Chief Customer Officer", "cdo": "Chief Digital Officer",
               "ceo": "Chief Executive Officer", "cto": "Chief Technology Officer",
               "cfo": "Chief Financial Officer"}
DEPARTMENTS = ["communication", "dispatch", "it", "logistics", "management-board", "marketing", "production",
               "research-and-development", "sales"]
MODALITIES = ["becoming", "can", "cannot", "entitled", "is", "is-not", "must", "should", "wants", "was"]
QUALIFIERS = ["about", "almost", "at-least", "at-most", "exactly", "less-than"]
RELATION_KINDS = ["aligns", "collaboration", "conflict", "convergence", "different-priorities", "friction",
                  "misunderstanding", "mutual-learning", "positioned-below", "separation", "support",
                  "tempo-mismatch"]
STATEMENT_KINDS = ["career", "customer", "customer-base", "description", "expertise", "founded-by", "funding",
                   "headquarters", "interview", "investor", "location", "market", "opinion", "product-of",
                   "publication", "self-description", "stock-listing"]
# (slug, English label, German label, role or None, department or None)
GROUPS = [
    ("cmos", "CMOs", "CMOs", "cmo", "marketing"),
    ("cios", "CIOs", "CIOs", "cio", "it"),
    ("ccos", "CCOs", "CCOs", "cco", None),
    ("cdos", "CDOs", "CDOs", "cdo", None),
    ("ceos", "CEOs", "CEOs", "ceo", "management-board"),
    ("ctos", "CTOs", "CTOs", "cto", "research-and-development"),
    ("cfos", "CFOs", "CFOs", "cfo", None),
    ("marketers", "marketers", "Marketer", None, "marketing"),
    ("it-staff", "IT staff", "IT-Mitarbeiter", None, "it"),
    ("it-leaders", "IT heads", "IT-Leiter", "cio", "it"),
    ("marketing-leaders", "marketing heads", "Marketingleiter", "cmo", "marketing"),
    ("sales-staff", "sales staff", "Vertriebsmitarbeiter", None, "sales"),
]
N_TOPICS = 60
N_RESPONSIBILITIES = 200
STUDY_EVERY = 20  # documents per study
ORG_WINDOW = 50   # posts are at one of the last ORG_WINDOW organizations

FIRST = ["Anna", "Birgit", "Christian", "Daniel", "Eva", "Frank", "Gisela", "Hans", "Ines", "Jürgen", "Katrin",
         "Lars", "Maria", "Nils", "Olga", "Peter", "Quirin", "Rita", "Stefan", "Tanja", "Ulrich", "Vera",
         "Werner", "Xenia", "Yusuf", "Zoe"]
LAST = ["Aulhorn", "Brandtner", "Coenen", "Dietz", "Ebert", "Fuchs", "Gietl", "Häusler", "Imhof", "Jung",
        "Krüger", "Lang", "Meier", "Neumann", "Otto", "Pohl", "Quandt", "Roth", "Schulz", "Thiel", "Ulrich",
        "Vogel", "Weber", "Xaver", "Yilmaz", "Zimmer"]
ORG_A = ["Alpha", "Beta", "Cloud", "Data", "Euro", "Fein", "Global", "Hansa", "Info", "Kontor", "Logi",
         "Media", "Netz", "Omni", "Pixel", "Rhein", "Smart", "Tele", "Uni", "Vita", "Web", "Zukunft"]
ORG_B = ["werk", "soft", "systems", "media", "bank", "versicherung", "handel", "consult", "labs", "group",
         "digital", "mobil", "logistik", "energie", "services"]
ORG_C = ["GmbH", "AG", "SE", "KG", "Inc.", "Ltd."]
WORDS = ("der die das und mit für den im Marketing IT Kunden Daten Strategie Unternehmen Vorstand Studie "
         "Prozent digitale mobile Kanäle Verantwortung Budget Technik Zusammenarbeit Wandel Führung "
         "Abteilung Umsatz Wachstum Analyse Plattform Kommunikation Vertrieb Entscheidung Kontrolle "
         "Transformation Innovation Prioritäten Vertrauen Erfahrung").split()


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def lang(text: str, tag: str) -> str:
    return f"{lit(text)}@{tag}"


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def iri(kind: str, slug: str) -> str:
    return f"<{ID}{kind}/{slug}>"


def term(local: str) -> str:
    return f"<{E}{local}>"


def ontology_quads(path: Path) -> Iterator[str]:
    """The ontology file as quads in the ontology graph, blank nodes relabelled by first use."""
    import pyoxigraph as ox

    labels: dict[str, str] = {}

    def show(t) -> str:
        if isinstance(t, ox.BlankNode):
            return "_:o" + labels.setdefault(t.value, str(len(labels)))
        return str(t)

    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield f"{show(t.subject)} {show(t.predicate)} {show(t.object)} <{ONTOLOGY_GRAPH}> .\n"


def common_quads() -> Iterator[str]:
    g = f"<{GRAPH}syn-common>"
    for slug, en, de, role, department in GROUPS:
        s = iri("group", "syn-" + slug)
        yield f"{s} {TYPE} {term('RespondentGroup')} {g} .\n"
        yield f"{s} {LABEL} {lang(en, 'en')} {g} .\n"
        yield f"{s} {LABEL} {lang(de, 'de')} {g} .\n"
        if role:
            yield f"{s} {term('groupRole')} {iri('role', role)} {g} .\n"
        if department:
            yield f"{s} {term('groupDepartment')} {iri('department', department)} {g} .\n"
    for k in range(N_TOPICS):
        s = iri("topic", f"syn-t{k:03d}")
        yield f"{s} {TYPE} {term('Topic')} {g} .\n"
        yield f"{s} {LABEL} {lang(f'Thema {k}', 'de')} {g} .\n"
        yield f"{s} {LABEL} {lang(f'topic {k}', 'en')} {g} .\n"
    for k in range(N_RESPONSIBILITIES):
        s = iri("responsibility", f"syn-r{k:03d}")
        yield f"{s} {TYPE} {term('Responsibility')} {g} .\n"
        yield f"{s} {LABEL} {lang(f'Aufgabe {k}', 'de')} {g} .\n"
        yield f"{s} {LABEL} {lang(f'responsibility {k}', 'en')} {g} .\n"


def person_name(p: int) -> str:
    return f"{FIRST[p % len(FIRST)]} {LAST[(p // len(FIRST)) % len(LAST)]} {p}"


def org_name(o: int) -> str:
    return f"{ORG_A[o % len(ORG_A)]}{ORG_B[(o // len(ORG_A)) % len(ORG_B)]} {ORG_C[o % len(ORG_C)]} {o}"


def pick_role(rng: random.Random) -> str:
    return rng.choice(EXECUTIVE_ROLES) if rng.random() < 0.7 else rng.choice(OTHER_ROLES)


class Document:
    """One synthetic source document and everything curated from it, as quads."""

    SENTENCES = 8
    PERSONS = 3
    POSTS = 3
    PROPOSITIONS = 3
    FINDINGS = 6
    CLAIMS = 4
    RELATIONS = 2
    STATEMENTS = 2

    def __init__(self, i: int, seed: int) -> None:
        self.i, self.rng = i, random.Random(f"erkg-synthetic:{seed}:{i}")
        self.slug = f"syn-{i:06d}"
        self.g = f"<{GRAPH}{self.slug}>"
        self.doc = iri("document", self.slug)
        rng = self.rng
        self.sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
                          for _ in range(self.SENTENCES)]
        self.text = " ".join(self.sentences)
        self.spans, pos = [], 0
        for s in self.sentences:
            self.spans.append((pos, pos + len(s)))
            pos += len(s) + 1
        self.quotes: dict[tuple[int, int], int] = {}  # quote span -> sentence index, in order of first use

    def q(self, *quads: tuple[str, str, str]) -> Iterator[str]:
        for s, p, o in quads:
            yield f"{s} {p} {o} {self.g} .\n"

    def quote(self) -> str:
        """A quotation (a span of words inside one sentence); emitted later with its selectors."""
        rng = self.rng
        k = rng.randrange(self.SENTENCES)
        start, end = self.spans[k]
        words = self.sentences[k][:-1].split(" ")
        a = rng.randrange(len(words))
        b = rng.randint(a + 1, min(len(words), a + 6))
        qs = start + sum(len(w) + 1 for w in words[:a])
        qe = qs + len(" ".join(words[a:b]))
        self.quotes.setdefault((qs, qe), k)
        return iri("quote", f"{self.slug}/{qs}-{qe}")

    def selectors(self, node: str, start: int, end: int) -> Iterator[str]:
        base = node[:-1]
        qsel, psel = base + "#quote>", base + "#position>"
        yield from self.q(
            (node, f"<{OA}hasSelector>", qsel), (node, f"<{OA}hasSelector>", psel),
            (node, f"<{OA}hasSource>", self.doc),
            (qsel, TYPE, f"<{OA}TextQuoteSelector>"), (qsel, f"<{OA}exact>", lit(self.text[start:end])),
            (qsel, f"<{OA}prefix>", lit(self.text[max(0, start - 32):start])),
            (qsel, f"<{OA}suffix>", lit(self.text[end:end + 32])),
            (psel, TYPE, f"<{OA}TextPositionSelector>"),
            (psel, f"<{OA}start>", typed(start, "nonNegativeInteger")),
            (psel, f"<{OA}end>", typed(end, "nonNegativeInteger")))

    def quads(self) -> Iterator[str]:
        rng, i, doc, slug = self.rng, self.i, self.doc, self.slug
        org = iri("organization", f"syn-o{i:06d}")
        yield from self.q(
            (doc, TYPE, term("SourceDocument")),
            (doc, LABEL, lang(f"Synthetisches Dokument {i}", "de")),
            (doc, LABEL, lang(f"synthetic document {i}", "en")),
            (doc, f"<{DCT}title>", lit(f"Synthetisches Dokument {i}")),
            (doc, f"<{DCT}language>", lit("de")),
            (doc, f"<{DCT}publisher>", org),
            (doc, f"<{DCT}date>", typed(f"{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}", "date")),
            (doc, f"<{DCT}source>", lit(f"{slug}.txt")),
            (doc, term("text"), lit(self.text)))

        # the organization this document introduces
        name = org_name(i)
        yield from self.q((org, TYPE, f"<{ORG}Organization>"), (org, LABEL, lit(name)),
                          (org, f"<{FOAF}name>", lit(name)), (org, DERIVED, self.quote()))

        # its persons and their posts
        persons = []
        for k in range(self.PERSONS):
            p = i * self.PERSONS + k
            person, name = iri("person", f"syn-p{p:07d}"), person_name(p)
            persons.append((person, name))
            yield from self.q((person, TYPE, f"<{FOAF}Person>"), (person, LABEL, lit(name)),
                              (person, f"<{FOAF}name>", lit(name)), (person, DERIVED, self.quote()))
        for k in range(self.POSTS):
            person, name = persons[k % len(persons)]
            o = rng.randint(max(0, i - ORG_WINDOW), i)
            role = pick_role(rng)
            title = ROLE_TITLES.get(role, role.replace("-", " ").title())
            post = iri("post", f"{slug}/post-{k}")
            yield from self.q((post, TYPE, f"<{ORG}Post>"),
                              (post, LABEL, lang(f"{name} – {title}, {org_name(o)}", "de")),
                              (post, LABEL, lang(f"{name} – {title}, {org_name(o)}", "en")),
                              (post, f"<{ORG}heldBy>", person), (post, f"<{ORG}role>", iri("role", role)),
                              (post, f"<{ORG}postIn>", iri("organization", f"syn-o{o:06d}")),
                              (post, term("postTitle"), lit(title)), (post, DERIVED, self.quote()))
            if rng.random() < 0.7:
                yield from self.q((post, term("heldSince"), typed(rng.randint(1995, 2024), "integer")))
            if rng.random() < 0.1:
                yield from self.q((post, term("former"), typed("true", "boolean")))

        # every STUDY_EVERY-th document introduces the study the next documents report on
        s = i // STUDY_EVERY
        study = iri("study", f"syn-s{s:05d}")
        if i % STUDY_EVERY == 0:
            yield from self.q((study, TYPE, term("Study")), (study, LABEL, lang(f"Studie {s}", "de")),
                              (study, LABEL, lang(f"study {s}", "en")), (study, f"<{DCT}publisher>", org),
                              (study, term("sampleSize"), typed(rng.randint(50, 5000), "nonNegativeInteger")),
                              (study, term("scope"), lit("Deutschland")), (study, DERIVED, self.quote()))

        propositions = []
        for k in range(self.PROPOSITIONS):
            prop = iri("proposition", f"{slug}/prop-{k}")
            propositions.append(prop)
            yield from self.q((prop, TYPE, term("Proposition")),
                              (prop, LABEL, lang(f"Aussage {i}.{k}", "de")),
                              (prop, LABEL, lang(f"proposition {i}.{k}", "en")), (prop, DERIVED, self.quote()))

        findings = []
        for k in range(self.FINDINGS):
            f = iri("finding", f"{slug}/f-{k}")
            group = rng.choice(GROUPS)[0]
            share = rng.randint(1, 99)
            yield from self.q((f, TYPE, term("Finding")),
                              (f, LABEL, lang(f"{share} Prozent {group}: Aussage {i}.{k % 3}", "de")),
                              (f, LABEL, lang(f"{share} per cent {group}: proposition {i}.{k % 3}", "en")),
                              (f, DERIVED, self.quote()),
                              (f, term("about"), iri("topic", f"syn-t{rng.randrange(N_TOPICS):03d}")),
                              (f, term("proposition"), propositions[k % len(propositions)]),
                              (f, term("respondentGroup"), iri("group", "syn-" + group)),
                              (f, term("study"), study),
                              (f, term("share"), typed(f"{share / 100:g}", "decimal")),
                              (f, term("shareQualifier"), iri("qualifier", rng.choice(QUALIFIERS))),
                              (f, term("shareWording"), lit(f"{share} Prozent")))
            if findings and rng.random() < 0.3:
                yield from self.q((f, term("comparedWith"), findings[-1]))
            if rng.random() < 0.1:
                yield from self.q((f, term("aboutGroup"), iri("group", "syn-" + rng.choice(GROUPS)[0])))
            findings.append(f)

        def party() -> str:
            return iri("role", rng.choice(EXECUTIVE_ROLES)) if rng.random() < 0.6 else \
                iri("department", rng.choice(DEPARTMENTS))

        for k in range(self.CLAIMS):
            c = iri("claim", f"{slug}/c-{k}")
            yield from self.q((c, TYPE, term("ResponsibilityClaim")),
                              (c, LABEL, lang(f"Anspruch {i}.{k}", "de")), (c, LABEL, lang(f"claim {i}.{k}", "en")),
                              (c, DERIVED, self.quote()), (c, term("assignee"), party()),
                              (c, term("claimant"), rng.choice(persons)[0] if rng.random() < 0.5 else org),
                              (c, term("modality"), iri("modality", rng.choice(MODALITIES))),
                              (c, term("responsibility"),
                               iri("responsibility", f"syn-r{rng.randrange(N_RESPONSIBILITIES):03d}")))
        for k in range(self.RELATIONS):
            r = iri("relation", f"{slug}/r-{k}")
            yield from self.q((r, TYPE, term("RelationClaim")),
                              (r, LABEL, lang(f"Beziehung {i}.{k}", "de")),
                              (r, LABEL, lang(f"relation {i}.{k}", "en")),
                              (r, DERIVED, self.quote()), (r, term("claimant"), rng.choice(persons)[0]),
                              (r, term("firstParty"), party()), (r, term("secondParty"), party()),
                              (r, term("modality"), iri("modality", rng.choice(MODALITIES))),
                              (r, term("relationKind"), iri("relation-kind", rng.choice(RELATION_KINDS))))
        for k in range(self.STATEMENTS):
            st = iri("statement", f"{slug}/s-{k}")
            yield from self.q((st, TYPE, term("Statement")),
                              (st, LABEL, lang(f"Aussage über {i}.{k}", "de")),
                              (st, LABEL, lang(f"statement {i}.{k}", "en")),
                              (st, DERIVED, self.quote()), (st, term("concerns"), rng.choice(persons)[0]),
                              (st, term("object"), org),
                              (st, term("statementKind"), iri("statement-kind", rng.choice(STATEMENT_KINDS))))

        # the quotations used above, then the sentences
        for (start, end), k in self.quotes.items():
            node = iri("quote", f"{slug}/{start}-{end}")
            sstart, send = self.spans[k]
            yield from self.q((node, TYPE, term("Quotation")),
                              (node, term("inSentence"), iri("sentence", f"{slug}/{sstart}-{send}")))
            yield from self.selectors(node, start, end)
        for start, end in self.spans:
            node = iri("sentence", f"{slug}/{start}-{end}")
            yield from self.q((node, TYPE, term("Sentence")))
            yield from self.selectors(node, start, end)


def generate(triples: int, out, seed: int = 42, ontology: Path | None = None) -> dict:
    """Write exactly `triples` quads to the text stream `out`; returns what was written."""
    written, documents = 0, 0

    def sources() -> Iterator[str]:
        nonlocal documents
        if ontology is not None:
            yield from ontology_quads(ontology)
        yield from common_quads()
        i = 0
        while True:
            yield from Document(i, seed).quads()
            i += 1
            documents = i

    batch: list[str] = []
    for line in sources():
        if written >= triples:
            break
        batch.append(line)
        written += 1
        if len(batch) >= 10_000:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
    documents = max(documents, 1)
    # sample IRIs for the benchmark queries, taken from a complete document in the middle
    mid = max(0, documents // 2 - 1)
    return {
        "seed": seed, "triples": written, "documents": documents,
        "ontology": ontology is not None,
        "samples": {
            "finding": f"{ID}finding/syn-{mid:06d}/f-0",
            "person": f"{ID}person/syn-p{mid * Document.PERSONS:07d}",
            "study": f"{ID}study/syn-s{mid // STUDY_EVERY:05d}",
            "group": f"{ID}group/syn-cmos",
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--triples", type=int, default=1_000_000, help="number of quads to write (default 10^6)")
    p.add_argument("--out", type=Path, required=True, help="N-Quads file to write ('-' for stdout)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--no-ontology", action="store_true", help="leave out the project's ontology graph")
    args = p.parse_args(argv)
    if args.triples < 1:
        p.error("--triples must be positive")
    ontology = None if args.no_ontology else Path(__file__).resolve().parent.parent / "ontology" / "erkg.ttl"
    if str(args.out) == "-":
        info = generate(args.triples, sys.stdout, args.seed, ontology)
    else:
        with args.out.open("w", encoding="utf-8", newline="\n") as f:
            info = generate(args.triples, f, args.seed, ontology)
        args.out.with_name(args.out.name + ".json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"synthetic.py: {info['triples']} quads, {info['documents']} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
