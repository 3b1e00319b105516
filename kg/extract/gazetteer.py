"""The gazetteer: what the extractor knows by name. The ontology's SKOS labels of roles and
departments (with plural and inflected forms, and the leaders of a department named by the
role that leads it), plus the respondent groups and studies already curated in data/.
No model or data is downloaded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph, URIRef

from ..curation import Document
from ..namespaces import RDF, SKOS
from ..text import Span


@dataclass
class Term:
    """One label variant: a regex over the text and what it names."""

    label: str
    kind: str  # "role" or "group"
    id: str
    role: str | None  # the role named (for groups: the group's role, if any)
    pattern: re.Pattern = field(repr=False, default=None)


# German and English inflection: plural and case endings a label may carry.
_ENDING = r"(?:s|n|en|e|er|es|in|innen)?"


def _variant_pattern(label: str) -> re.Pattern:
    if re.fullmatch(r"[A-Z]{2,5}", label):  # abbreviation: CMO, CMOs, CMO's
        # also after a company's name joined by a hyphen ("Acme-CIO"), not after another title ("CMO-CIO Divide")
        return re.compile(rf"(?<![\w-]){label}(?:s|'s|’s)?(?![\w])|(?<=\w{{2}}-)(?<!C\wO-)(?<!C\w\wO-){label}(?=\s+[A-ZÄÖÜ])")
    # a German compound is written with or without its hyphen ("Marketing-Chef", "Marketingchefin"),
    # and "Vorstand" with its umlaut in the feminine and plural ("Finanzvorständin")
    body = "".join(re.escape(w) if not re.fullmatch(r"[\s-]+", w) else "-?" if w == "-" else r"[\s-]+"
                   for w in re.split(r"([\s-]+)", label))
    body = re.sub(r"(?i)vorstand", "vorst[aä]nd", body)
    if re.search(r"ender$", label):  # a noun inflected as an adjective: "die Vorstandsvorsitzende"
        body = body[:-2]
    if re.search(r"(?<=[a-z])man$", label):  # English plural: "chairmen"
        body = body[:-3] + "m[ae]n"
    return re.compile(rf"(?<!\w){body}{_ENDING}(?!\w)", re.IGNORECASE)


# A title of the form "Chief … Officer", whose initials an abbreviation may stand for.
_CHIEF_TITLE = re.compile(r"(?<![\w-])Chief(?:[\s-]+(?!(?:of|the|an?)\b)[A-Za-z]+){1,3}?[\s-]+Officers?(?![\w-])",
                          re.IGNORECASE)
_ABBREVIATION = re.compile(r"[A-Z]{2,5}")


def _initials(title: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", title) if w.lower() != "and").upper()


def _title_key(title: str) -> str:
    return re.sub(r"s$", "", re.sub(r"[\s-]+", " ", title.lower()))


def _same_title(a: str, b: str) -> bool:
    """Two spellings of one title: "chief technical officer" and "chief technology officer"."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(x[:5] == y[:5] for x, y in zip(wa, wb))


@dataclass
class Gazetteer:
    terms: list[Term]
    studies: dict[str, str]  # curated study ids
    departments: list[Department] = field(default_factory=list)
    # the first part of a role's compound label naming its leader ("Finanzvorstand": finanz -> cfo)
    role_stems: dict[str, str] = field(default_factory=dict)

    def as_group(self, term: Term, words: str) -> Term:
        """The curated group of the same wording as a role's term, if there is one ("IT-Leiter"
        names the role cio and the group it-leaders): a draft refers to it rather than
        defining a new group."""
        if term.kind == "group":
            return term
        return next((t for t in self.terms if t.kind == "group" and t.role == term.role and t.pattern.fullmatch(words)),
                    term)

    def spelled_otherwise(self, text: str) -> set[str]:
        """The roles' abbreviations that `text` spells out as another title only: in an article
        on the "Chief Data Officer", "CDO" is no Chief Digital Officer (nor "CMO" the Chief
        Marketing Officer next to "Chief Medical Officer (CMO)"). The other title must come
        before the abbreviation's first use after the headline, or define it in parentheses: a
        CIO article that mentions a Chief Innovation Officer later keeps its CIOs."""
        first: dict[str, int] = {}  # each title spelled out -> where it first is
        defined: set[str] = set()  # … and those followed by an abbreviation in parentheses
        for m in _CHIEF_TITLE.finditer(text):
            key = _title_key(m.group())
            first.setdefault(key, m.start())
            if re.match(rf" \({_initials(key)}s?\)", text[m.end():]):
                defined.add(key)
        body = text.find("\n") + 1  # a headline may use an abbreviation the article explains after it
        out = set()
        for abbr, labels in self._abbreviations.items():
            if any(_same_title(t, label) for t in first for label in labels):
                continue
            used = re.search(rf"(?<![\w-]){abbr}", text[body:])
            if any(_initials(t) == abbr and (t in defined or used is None or start < body + used.start())
                   for t, start in first.items()):
                out.add(abbr)
        return out

    @cached_property
    def _abbreviations(self) -> dict[str, set[str]]:
        """Each abbreviation of a role -> the labels of the roles it stands for."""
        labels: dict[str, set[str]] = {}
        for term in self.terms:
            if term.kind == "role":
                labels.setdefault(term.id, set()).add(_title_key(term.label))
        return {term.label: labels[term.id] for term in self.terms
                if term.kind == "role" and _ABBREVIATION.fullmatch(term.label)}

    def matches(self, text: str) -> list[tuple[Span, Term]]:
        """Longest non-overlapping matches, in text order; no abbreviation the text spells
        out as another title (`spelled_otherwise`)."""
        otherwise = self.spelled_otherwise(text)
        found = []
        for term in self.terms:
            if otherwise and re.sub(r"(?:s|'s|’s)$", "", term.label) in otherwise:
                continue
            for m in term.pattern.finditer(text):
                found.append((Span(m.start(), m.end()), term))
        found.sort(key=lambda st: (st[0].start, -(st[0].end - st[0].start), st[1].kind != "role"))
        out, last_end = [], -1
        for span, term in found:
            if span.start >= last_end:
                out.append((span, term))
                last_end = span.end
        return out


ROLE_SCHEME = "id/scheme/roles"


def ontology_roles(ontology: Graph) -> dict[str, list[str]]:
    """role slug -> its SKOS pref and alt labels (all languages)."""
    roles: dict[str, list[str]] = {}
    for s, scheme in ontology.subject_objects(SKOS.inScheme):
        if isinstance(s, URIRef) and str(scheme).endswith(ROLE_SCHEME):
            slug = str(s).rsplit("/", 1)[-1]
            labels = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in ontology.objects(s, p)]
            roles[slug] = sorted(set(labels), key=lambda x: (-len(x), x))
    return roles


_LEADERS_DE = r"(?:Führungskr(?:aft|äfte|äften)|Chefs?|Leiter[ns]?|Verantwortlichen?|Entscheider[ns]?)"
_LEADERS_EN = r"(?i:executives?|leaders?|heads?|chiefs?|decision[ -]makers?)"


DEPARTMENT_SCHEME = "id/scheme/departments"


@dataclass(frozen=True)
class Department:
    slug: str
    labels: tuple[str, ...]  # its one-word labels, which begin compounds: "Vertrieb", "IT", "marketing"
    role: str | None  # the role leading it (erkg:leadsDepartment), the executive role where several do


def ontology_departments(ontology: Graph) -> list[Department]:
    """The departments of the ontology, each with the role that leads it, if any: where several
    roles lead a department, the executive role (CMO rather than head of marketing)."""
    leads = sorted((str(o), not any(str(t).endswith("#ExecutiveRole") for t in ontology.objects(s, RDF.type)), str(s))
                   for s, p, o in ontology if str(p).endswith("ontology#leadsDepartment"))
    chosen: dict[str, str] = {}
    for dept, _, role in leads:
        chosen.setdefault(dept, role.rsplit("/", 1)[-1])
    out = []
    for s, scheme in sorted(ontology.subject_objects(SKOS.inScheme)):
        if isinstance(s, URIRef) and str(scheme).endswith(DEPARTMENT_SCHEME):
            labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in ontology.objects(s, p)}
            out.append(Department(str(s).rsplit("/", 1)[-1], tuple(sorted(x for x in labels if " " not in x)),
                                  chosen.get(str(s))))
    return out


def _leader_terms(departments: list[Department]) -> list[Term]:
    """"Führungskräfte im Marketing", "IT-Führungskräfte", "Marketing- und IT-…", "marketing
    executives", "heads of IT": the leaders of a department name the role leading it."""
    terms = []
    for dept in departments:
        if dept.role is None:
            continue
        for label in dept.labels:
            d = re.escape(label)
            for rx in (rf"(?<![\w-]){d}-{_LEADERS_DE}(?!\w)",
                       rf"(?<!\w){_LEADERS_DE} (?:im|in der|des|der|für(?: das| die)?) {d}(?![\w-])",
                       rf"(?<![\w-]){d}-(?= (?:und|oder|sowie) [\w]+-{_LEADERS_DE}(?!\w))",
                       rf"(?<![\w-]){d} {_LEADERS_EN}(?!\w)",
                       rf"(?<!\w)(?i:heads?|leaders?|chiefs?) of {d}(?![\w-])"):
                terms.append(Term(label, "role", dept.role, dept.role,
                                  re.compile(rx, re.IGNORECASE if label.islower() else 0)))
    return terms


def build_gazetteer(ontology: Graph, documents: list[Document]) -> Gazetteer:
    """Role labels of the ontology plus the respondent groups and studies curated in documents
    (pass every document but the one under evaluation, for a fair leave-one-out)."""
    terms: list[Term] = []
    for slug, labels in ontology_roles(ontology).items():
        for label in labels:
            terms.append(Term(label, "role", slug, slug))
    studies: dict[str, str] = {}
    for doc in documents:
        for e in doc.facts.entities:
            if e.type == "group":
                variants = {e.quote.strip()}
                for lang in (e.label.de, e.label.en):
                    variants.update(v.strip() for v in lang.split("/"))
                # drop a leading count such as "1.700 Marketing-Experten"
                variants = {re.sub(r"^[\d.,]+\s+(?:(?:Prozent|%|percent)\s+(?:der|of)\s+)?", "", v) for v in variants}
                for v in variants:
                    if len(v) >= 3 and not v.lower() in {"it", "marketing"}:
                        terms.append(Term(v, "group", e.id, e.role))
            elif e.type == "study":
                studies[e.id] = e.id
    for t in terms:
        t.pattern = _variant_pattern(t.label)
    departments = ontology_departments(ontology)
    stems = role_stems(ontology)
    return Gazetteer(terms + _leader_terms(departments) + _inverted_terms(ontology), studies, departments, stems)


def _inverted_terms(ontology: Graph) -> list[Term]:
    """A role's compound title written the other way round, as in signatures: "IT-Leiter" as
    "Leiterin IT", "Finanzvorstand" as "Vorstand Finanzen", "Marketing-Chef" as "Chef Marketing";
    and its first part with another leader word ("Finanzchefin")."""
    terms = []
    for slug, labels in ontology_roles(ontology).items():
        for label in labels:
            m = re.fullmatch(r"(\w+?)-?(leiter|chef|vorstand)", label, re.IGNORECASE)
            if m and len(m.group(1)) >= 2:
                rx = rf"(?<!\w)(?:{m.group(2).capitalize()}(?:in)?|Vorständin) (?:für |des |der )?(?i:{m.group(1)})(?:en|s)?(?!\w)"
                if m.group(2).lower() != "vorstand":
                    rx = rx.replace("|Vorständin", "")
                terms.append(Term(label, "role", slug, slug, re.compile(rx)))
    # … and its stem with another leader word: "Finanzchefin" as "Finanzvorstand" names the CFO
    for stem, slug in role_stems(ontology).items():
        terms.append(Term(stem, "role", slug, slug, re.compile(
            rf"(?<![\w-])(?i:{re.escape(stem)})-?(?:[Cc]hef|[Ll]eiter|[Vv]orst[aä]nd)(?:in|innen|s|n|en|e)?(?!\w)")))
    return terms


LEADER_WORDS = r"(?:leiter|leitern|chefs?|vorstände?n?|vorstand|verantwortlichen?|verantwortliche[r]?|" \
               r"entscheider[n]?|" \
               r"führungskräfte[n]?|direktor(?:en)?)"


def role_stems(ontology: Graph) -> dict[str, str]:
    """stem -> role, from role labels that are a compound of a stem and a leader word
    ("Finanzvorstand", "IT-Chef", "Marketing-Chef"): "Finanzchefs" then names the CFO too."""
    stems: dict[str, str] = {}
    executive = {str(s).rsplit("/", 1)[-1] for s in ontology.subjects(RDF.type, None)
                 if any(str(t).endswith("#ExecutiveRole") for t in ontology.objects(s, RDF.type))}
    # the executive role first where several share a stem ("Marketing-Chef" before "Marketingleiter")
    for slug, labels in sorted(ontology_roles(ontology).items(), key=lambda kv: (kv[0] not in executive, kv[0])):
        for label in labels:
            m = re.fullmatch(rf"(\w+?)-?{LEADER_WORDS}", label, re.IGNORECASE)
            if m and len(m.group(1)) >= 2:
                stems.setdefault(m.group(1).lower(), slug)
    return stems
