"""Candidate facts from a new article: a rule-based extractor (regular expressions plus a
gazetteer), writing a draft facts file in the curation format (docs/curation.md).

Everything extracted is a span of the text: its quote is cut out of the text, so nothing
is invented; a curator reviews the draft before it is built. No model or data is
downloaded: the gazetteer is the ontology's SKOS labels of roles plus the respondent
groups and studies already curated in data/.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph, URIRef

from .curation import Document, FactsFile
from .errors import ErkgError
from .namespaces import RDF, SKOS
from .text import SourceText, Span

MAX_BYTES = 10 * 1024 * 1024
EXTRACTOR = "erkg-extract-rules-1"


class InputError(ErkgError):
    """The input text cannot be read as an article."""


class MetadataError(InputError):
    """The metadata given with --meta is malformed (a usage error: exit code 2, as argparse's)."""

    exit_code = 2


def read_article(path: Path) -> str:
    """The text of a plain-text article; InputError when it is missing, empty, binary,
    not UTF-8 or larger than 10 MB."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if size > MAX_BYTES:
        raise InputError(f"{path}: {size} bytes, larger than the limit of 10 MB")
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (contains NUL bytes), expected plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    if text.startswith("\ufeff"):
        raise InputError(f"{path}: starts with a byte order mark; store the text without it")
    if not text.strip():
        raise InputError(f"{path}: empty file, no text to extract from")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(2, len(text) // 1000):
        raise InputError(f"{path}: binary file ({controls} control characters), expected plain text")
    return text


def slugify(text: str, limit: int = 48) -> str:
    t = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    t = t.replace("Ä", "ae").replace("Ö", "oe").replace("Ü", "ue")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:limit].strip("-")
    return slug or "x"


# ---------------------------------------------------------------- gazetteer

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
        return re.compile(rf"(?<![\w-]){label}(?:s|'s|’s)?(?![\w])")
    body = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", label))
    return re.compile(rf"(?<!\w){body}{_ENDING}(?!\w)", re.IGNORECASE)


@dataclass
class Gazetteer:
    terms: list[Term]
    studies: dict[str, str]  # lower-cased study name word -> study id (curated studies)

    def matches(self, text: str) -> list[tuple[Span, Term]]:
        """Longest non-overlapping matches, in text order."""
        found = []
        for term in self.terms:
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


def department_leaders(ontology: Graph) -> dict[str, list[str]]:
    """role slug -> labels of the department it leads (erkg:leadsDepartment); where several
    roles lead a department, the executive role (CMO rather than head of marketing)."""
    out: dict[str, list[str]] = {}
    leads = sorted((str(o), not any(str(t).endswith("#ExecutiveRole") for t in ontology.objects(s, RDF.type)), str(s))
                   for s, p, o in ontology if str(p).endswith("ontology#leadsDepartment"))
    chosen = {}
    for dept, _, role in leads:
        chosen.setdefault(dept, role)
    for dept, role in chosen.items():
        dept = URIRef(dept)
        labels = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in ontology.objects(dept, p)]
        out[str(role).rsplit("/", 1)[-1]] = [label for label in labels if " " not in label]
    return out


def _leader_terms(ontology: Graph) -> list[Term]:
    """"Führungskräfte im Marketing", "IT-Führungskräfte", "Marketing- und IT-…", "marketing
    executives", "heads of IT": the leaders of a department name the role leading it."""
    terms = []
    for role, labels in department_leaders(ontology).items():
        for label in labels:
            d = re.escape(label)
            for rx in (rf"(?<![\w-]){d}-{_LEADERS_DE}(?!\w)",
                       rf"(?<!\w){_LEADERS_DE} (?:im|in der|des|der|für(?: das| die)?) {d}(?![\w-])",
                       rf"(?<![\w-]){d}-(?= (?:und|oder|sowie) [\w]+-{_LEADERS_DE}(?!\w))",
                       rf"(?<![\w-]){d} {_LEADERS_EN}(?!\w)",
                       rf"(?<!\w)(?i:heads?|leaders?|chiefs?) of {d}(?![\w-])"):
                terms.append(Term(label, "role", role, role, re.compile(rx, re.IGNORECASE if label.islower() else 0)))
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
    return Gazetteer(terms + _leader_terms(ontology), studies)


# ---------------------------------------------------------------- candidates

@dataclass
class Mention:
    span: Span
    text: str
    kind: str  # role | group | study | finding | post | person | organization | proposition
    id: str | None = None
    role: str | None = None
    confidence: float = 0.5
    extra: dict = field(default_factory=dict)


_NUM = r"\d{1,3}(?:[.,]\d+)?"
_QUALIFIERS = [
    (r"fast|beinahe|nahezu|knapp|nearly|almost|close to", "almost", 0.9),
    (r"mindestens|wenigstens|at least", "at-least", 0.9),
    (r"mehr als|über|more than|over", "at-least", 0.6),  # no more-than in the ontology
    (r"weniger als|unter|less than|fewer than|under", "less-than", 0.9),
    (r"höchstens|maximal|at most|up to", "at-most", 0.9),
    (r"rund|etwa|ungefähr|circa|ca\.|gut|about|around|roughly|approximately|some", "about", 0.85),
]
_QUAL_RE = "|".join(q for q, _, _ in _QUALIFIERS)
_FRACTIONS = [
    (r"(?:die |der |the |one |a )?(?:Hälfte|half)", 50.0),
    (r"(?:zwei|two)[ -](?:Drittel|thirds)", 66.7),
    (r"(?:ein |einem |one |a )?(?:Drittel|third)", 33.3),
    (r"(?:drei|three)[ -](?:Viertel|quarters)", 75.0),
    (r"(?:ein |einem |one |a )?(?:Viertel|quarter)", 25.0),
]
_FRACTION_RE = "|".join(f for f, _ in _FRACTIONS)
_SHARE = re.compile(
    rf"(?:(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:(?P<num>{_NUM})\s?(?:Prozent|%|percent|per cent|pct\.?)(?!\w)"
    rf"|(?P<frac>{_FRACTION_RE})(?=\s+(?:der|aller|von|of|aller|the)\b))",
    re.IGNORECASE,
)
_GROUP_INTRO = re.compile(r"\s*(?:der|aller|von|of(?: the| all)?|des)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s*(?:der |of )?(?:unserer|unsere|unseren|our|ihrer|their|seiner|its)\b", re.IGNORECASE)
_STUDY = re.compile(
    r"(?:(?P<title>„[^“”\n]{3,200}[“”]|\"[^\"\n]{3,200}\")\s*)?"
    r"(?P<word>(?:[\w()]+\s?-\s?)?(?:Studie|Umfrage|Befragung|Untersuchung)"
    r"|(?:[A-Z][\w&-]+ ){0,3}(?:Report|[Ss]tudy|[Ss]urvey))"
    r"(?:\s+(?P<title2>„[^“”\n]{3,200}[“”]|\"[^\"\n]{3,200}\"))?"
)
_NAME = r"(?:Dr\. |Prof\. )*[A-ZÄÖÜ][\w'’-]+(?: [A-ZÄÖÜ]\.)?(?: (?:von |van |de )?[A-ZÄÖÜ][\w'’-]+){1,2}"
_ORG = r"(?:der |die |dem |den |the )?(?P<org>[A-ZÄÖÜ0-9][\w&.'’-]*(?: (?:&|und|and|of|für|for|[A-ZÄÖÜ0-9][\w&.'’-]*)){0,4})"
_AT = r"(?:bei|von|der|des|an der|am|at|of|with)"


def _share_value(m: re.Match) -> float:
    if m.group("num"):
        return float(m.group("num").replace(",", "."))
    frac = m.group("frac")
    for f, value in _FRACTIONS:
        if re.fullmatch(f, frac, re.IGNORECASE):
            return value
    raise AssertionError(frac)


def _qualifier(word: str | None) -> tuple[str, float]:
    if not word:
        return "exactly", 0.9
    for pattern, slug, conf in _QUALIFIERS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return slug, conf
    return "exactly", 0.5


class Extractor:
    def __init__(self, text: str, gazetteer: Gazetteer, roles: dict[str, list[str]]) -> None:
        self.text = text
        self.source = SourceText(text)
        self.gaz = gazetteer
        self.roles = roles
        self.terms = [(span, term) for span, term in gazetteer.matches(text)
                      if not self._excluded(span)]

    def _excluded(self, span: Span) -> bool:
        after = self.text[span.end:span.end + 20]
        before = self.text[max(0, span.start - 20):span.start]
        # "CCO Public Domain" is the licence CC0 misspelt, not a Chief Customer Officer.
        if re.match(r"\s+Public Domain", after):
            return True
        # Bylines and headings ("Autor / Redakteur:", "Über den Autor:", "Kolumnen-Autoren")
        # are the document's metadata, not statements about roles.
        if re.match(r"\s*(?:/\s*\w+\s*)?:", after) or re.search(r"(?:Über den|About the)\s*$", before):
            return True
        if re.search(r"\w-$", before) and re.match(r"\s*\n", after):
            return True
        return False

    # ------------------------------------------------------------ roles

    def role_mentions(self) -> list[Mention]:
        out = []
        for span, term in self.terms:
            if term.role is None:
                continue
            conf = 0.95 if term.kind == "role" else 0.7
            if span.start < self.text.find("\n") < 200:
                conf = 0.4  # in the headline: what the article is about, not a statement
            out.append(Mention(span, self.text[span.start:span.end], "role", term.role, term.role, conf,
                               {"via": term.kind, "term": term.id}))
        return out

    # ------------------------------------------------------------ findings

    def findings(self) -> list[Mention]:
        out = []
        for m in _SHARE.finditer(self.text):
            after = self.text[m.end():m.end() + 40]
            if _POSSESSIVE.match(after):
                continue  # "50% unserer Kunden": a company's figure, not a survey finding
            share = _share_value(m)
            if not 0 <= share <= 100:
                continue
            qualifier, qconf = _qualifier(m.group("qual"))
            span = Span(m.start(), m.end())
            sent = self.source.sentence_around(span)
            group = self._group_after(span, sent)
            conf = qconf * (0.95 if group else 0.6)
            prop = self._proposition(span, sent, group)
            out.append(Mention(span, m.group(0), "finding", None, group.role if group else None, round(conf, 2),
                               {"share": share, "qualifier": qualifier, "group": group, "proposition": prop,
                                "sentence": sent}))
        return out

    def _group_after(self, span: Span, sent: Span) -> Mention | None:
        intro = _GROUP_INTRO.match(self.text, span.end)
        if not intro:
            return None
        start = intro.end()
        for tspan, term in self.terms:
            if tspan.start == start:
                words = self.text[tspan.start:tspan.end]
                if term.kind != "group":  # a curated group of the same wording, if any
                    term = next((t for t in self.gaz.terms if t.kind == "group" and t.role == term.role
                                 and t.pattern.fullmatch(words)), term)
                gid = term.id if term.kind == "group" else None
                return Mention(tspan, words, "group", gid, term.role, 0.9, {"term": term})
        # an unknown group: the noun phrase up to the next verb-like boundary
        np = re.match(r"(?:befragten |surveyed |[a-zäöü]+en )?[A-ZÄÖÜ][\w-]*(?: (?:im|in|der|of|in the) [A-ZÄÖÜ][\w-]*)?",
                      self.text[start:sent.end])
        if np:
            g = Span(start, start + len(np.group(0)))
            return Mention(g, np.group(0), "group", None, None, 0.5, {})
        return None

    def _proposition(self, span: Span, sent: Span, group: Mention | None) -> Mention | None:
        s = self.text[sent.start:sent.end]
        rel = (group.span.end if group else span.end) - sent.start
        dass = re.search(r",?\s(dass|that)\s", s[rel:])
        if dass:
            start = rel + dass.end()  # the clause itself, without "dass"/"that"
        else:
            start = rel
        tail = s[start:]
        # stop before the clause of the next share ("…, waren nur 35 Prozent der CIOs …")
        nxt = _SHARE.search(tail)
        if nxt:
            cut = max(tail.rfind(",", 0, nxt.start()), tail.rfind(" und ", 0, nxt.start()),
                      tail.rfind(" and ", 0, nxt.start()))
            tail = tail[:cut] if cut > 0 else tail[:nxt.start()]
        tail = tail.rstrip(" .!?,;:“”\"")
        lead = len(tail) - len(tail.lstrip(" ,"))
        tail = tail.strip(" ,")
        if len(tail) < 3:
            return None
        begin = sent.start + start + lead
        return Mention(Span(begin, begin + len(tail)), tail, "proposition", None, None, 0.6)

    # ------------------------------------------------------------ studies

    def studies(self) -> list[Mention]:
        out = []
        for m in _STUDY.finditer(self.text):
            title = m.group("title") or m.group("title2")
            conf = 0.9 if title or re.search(r"[-\s]", m.group("word")) else 0.6
            out.append(Mention(Span(m.start(), m.end()), m.group(0), "study", None, None, conf,
                               {"title": title.strip("„“”\"") if title else None}))
        return out

    # ------------------------------------------------------------ posts

    def posts(self) -> list[Mention]:
        role_terms = [(s, t) for s, t in self.terms if t.kind == "role"]
        out, seen = [], set()
        for rspan, term in role_terms:
            before = self.text[max(0, rspan.start - 120):rspan.start]
            after = self.text[rspan.end:rspan.end + 160]
            person = org = since = None
            former = False
            # "X, seit 2012 Chief Marketing Officer bei Y" / "X ist (seit 2012) CMO bei Y"
            pm = re.search(rf"(?P<person>{_NAME})(?:,| ist| war| is| was| arbeitet als| works as| der| die| the)"
                           rf"(?: (?:zudem|seit (?P<since>\d{{4}})|since (?P<since2>\d{{4}})|zuvor|former(?:ly)?|now|heute|auch))*"
                           rf"(?: als| as)?(?: der| die| the| an?)? ?[\w-]*$", before)
            if pm:
                person = Mention(Span(rspan.start - len(before) + pm.start("person"),
                                      rspan.start - len(before) + pm.end("person")),
                                 pm.group("person"), "person")
                since = pm.group("since") or pm.group("since2")
                former = bool(re.search(r"\b(?:war|was|zuvor|former)", pm.group(0)))
            else:
                # "Chief Marketing Officer X" / "Ericsson-Chef Stefan Koetz" / "X (CEO)"
                pm = re.match(rf"\s(?P<person>{_NAME})", after)
                paren = re.search(rf"(?P<person>{_NAME}) \($", before)
                if paren:
                    pm = paren
                    person = Mention(Span(rspan.start - len(before) + pm.start("person"),
                                          rspan.start - len(before) + pm.end("person")),
                                     pm.group("person"), "person")
                elif pm:
                    person = Mention(Span(rspan.end + pm.start("person"), rspan.end + pm.end("person")),
                                     pm.group("person"), "person")
            if person is None or any(t.pattern.search(person.text) for t in self.gaz.terms if t.kind == "role"):
                continue  # no person, or "Chief Marketing Officer (CMO)" taken for a name
            om = re.match(rf"(?: [A-Z]{{2,5}})?\s+{_AT}\s+{_ORG}", after)
            prefix = re.search(r"(?<![\w-])([A-ZÄÖÜ][\w&.]+)-$", before)
            if om and len(om.group("org").rstrip(".,")) >= 2:
                name = om.group("org").rstrip(".,")
                o_start = rspan.end + om.start("org")
                org = Mention(Span(o_start, o_start + len(name)), name, "organization")
            elif prefix:  # "Ericsson-Chef Stefan Koetz"
                o_start = rspan.start - len(before) + prefix.start(1)
                org = Mention(Span(o_start, o_start + len(prefix.group(1))), prefix.group(1), "organization")
            if org is None:
                continue  # a post needs its organization; the role mention stays
            key = (person.text, term.role, org.text)
            if key in seen:
                continue  # the same post stated again (a repeated caption)
            seen.add(key)
            start = min(person.span.start, rspan.start, org.span.start)
            end = max(person.span.end, org.span.end, rspan.end)
            out.append(Mention(Span(start, end), self.text[start:end], "post", None, term.role, 0.85,
                               {"person": person, "organization": org, "since": int(since) if since else None,
                                "former": former, "title": self.text[rspan.start:rspan.end]}))
        return out

    def all(self) -> dict[str, list[Mention]]:
        return {"roles": self.role_mentions(), "findings": self.findings(),
                "studies": self.studies(), "posts": self.posts()}


# ---------------------------------------------------------------- the draft

class _Ids:
    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)

    def new(self, base: str) -> str:
        base = slugify(base)
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug


class _NoQuote(Exception):
    """No unique quote (or context) can be cut out of the text for a candidate."""


def _once(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first >= 0 and text.find(needle, first + 1) < 0


def _quoted(text: str, source: SourceText, span: Span) -> dict | None:
    """quote (and a context making it unique, if needed) for a span of the text; None when
    no passage of up to a few thousand characters around it occurs only once (repeated text)."""
    quote = text[span.start:span.end]
    if _once(text, quote):
        return {"quote": quote}
    sent = source.sentence_around(span)
    for start, end in ((sent.start, sent.end), (sent.start - 200, sent.end + 200),
                       (sent.start - 1000, sent.end + 1000), (sent.start - 4000, sent.end + 4000)):
        context = text[max(0, start):min(len(text), end)]
        if _once(text, context) and _once(context, quote):
            return {"quote": quote, "context": context}
    return None


def draft(text: str, doc_id: str, gazetteer: Gazetteer, roles: dict[str, list[str]],
          known_ids: set[str] = frozenset()) -> tuple[dict, dict[str, list[Mention]]]:
    """The draft facts file (a dict in the curation format) and the raw candidates."""
    ex = Extractor(text, gazetteer, roles)
    found = ex.all()
    src = ex.source
    ids = _Ids(set(known_ids))
    entities: list[dict] = []
    confidence: dict[str, float] = {}
    defined: dict[tuple[str, str], str] = {}

    def q(span: Span) -> dict:
        quoted = _quoted(text, src, span)
        if quoted is None:
            raise _NoQuote
        return quoted

    def entity(kind: str, key: str, make) -> str:
        if (kind, key) not in defined:
            item = make()
            entities.append(item)
            defined[(kind, key)] = item["id"]
        return defined[(kind, key)]

    # studies
    study_id = None
    named = [s for s in found["studies"] if s.confidence >= 0.9]
    for s in named or found["studies"][:1]:  # plain "die Studie" only when no study is named
        title = s.extra["title"]
        try:
            sid = entity("study", title or s.text.lower(), lambda s=s, title=title: {
                **q(s.span), "id": ids.new(title or (s.text if s.confidence >= 0.9 else f"study-{doc_id}")),
                "type": "study", "label": {"de": s.text, "en": s.text}, **({"title": title} if title else {})})
        except _NoQuote:
            continue
        confidence[sid] = max(confidence.get(sid, 0), s.confidence)
    if defined:  # the findings' study: the best attested one, the first of equals
        study_id = max((v for k, v in defined.items() if k[0] == "study"), key=lambda i: confidence[i])

    # findings
    findings = []
    seen_sentences: set[tuple[str, str]] = set()

    def add_finding(f: Mention) -> None:
        nonlocal study_id
        sent = f.extra["sentence"]
        key = (text[sent.start:sent.end], f.text)
        if key in seen_sentences:
            return  # the same sentence again (repeated text): one finding
        seen_sentences.add(key)
        quote = q(sent)
        if f.text not in quote["quote"]:
            return
        g = f.extra["group"]
        if study_id is None:
            sent = f.extra["sentence"]
            study_id = entity("study", "unnamed", lambda sent=sent: {
                "id": ids.new(f"study-{doc_id}"), "type": "study",
                "label": {"de": "Studie (im Text nicht benannt)", "en": "study (not named in the text)"},
                **q(f.span)})
        if g is not None and g.id and g.id in known_ids:
            group_id = g.id
        elif g is not None:
            term = g.extra.get("term")
            gkey = term.id if term is not None and term.kind == "group" else g.text.lower()
            group_id = entity("group", gkey, lambda g=g: {
                "id": ids.new(g.text), "type": "group", "label": {"de": g.text, "en": g.text},
                **({"role": g.role} if g.role else {}), **q(g.span)})
        else:
            group_id = entity("group", "respondents", lambda f=f: {
                "id": ids.new(f"respondents-{doc_id}"), "type": "group",
                "label": {"de": "Befragte", "en": "respondents"}, **q(f.span)})
        p = f.extra["proposition"]
        if p is not None:
            prop_id = entity("proposition", p.text, lambda p=p: {
                "id": ids.new("p-" + p.text[:40]), "type": "proposition",
                "label": {"de": p.text, "en": p.text}, **q(p.span)})
        else:
            prop_id = entity("proposition", f"unstated-{f.span.start}", lambda f=f: {
                "id": ids.new(f"p-{doc_id}-{f.span.start}"), "type": "proposition",
                "label": {"de": f.text, "en": f.text}, **q(f.span)})
        fid = ids.new(f"f-{group_id}-{prop_id.removeprefix('p-')}"[:60])
        share = f.extra["share"]
        findings.append({"id": fid, "study": study_id, "group": group_id, "proposition": prop_id,
                         "share": int(share) if share == int(share) else share,
                         "qualifier": f.extra["qualifier"], "wording": f.text, **quote})
        confidence[fid] = f.confidence

    for f in found["findings"]:
        try:
            add_finding(f)
        except _NoQuote:
            continue

    # persons, organizations, posts
    posts = []
    for p in found["posts"]:
        person = p.extra["person"]
        org = p.extra["organization"]
        if org is None:
            continue
        try:
            post_quote = q(p.span)
            pid = entity("person", person.text, lambda person=person: {
                **q(person.span), "id": ids.new(person.text), "type": "person", "name": person.text})
            oid = entity("organization", org.text, lambda org=org: {
                **q(org.span), "id": ids.new(org.text), "type": "organization", "name": org.text})
        except _NoQuote:
            continue
        post_id = ids.new(f"post-{pid}-{p.role}")
        item = {"id": post_id, "person": pid, "role": p.role, "organization": oid, "title": p.extra["title"]}
        if p.extra["since"]:
            item["since"] = p.extra["since"]
        if p.extra["former"]:
            item["former"] = True
        posts.append({**item, **post_quote})
        confidence[post_id] = p.confidence

    facts = {"document": doc_id,
             "review": {"status": "unreviewed", "extracted_by": EXTRACTOR, "confidence": confidence,
                        "role_mentions": role_mention_report(found)},
             "entities": entities, "posts": posts, "findings": findings}
    FactsFile.model_validate(facts)  # the draft is in the curation format
    return facts, found


def role_mention_report(found: dict[str, list[Mention]]) -> list[dict]:
    """The role mentions, for the draft's comment block and for evaluation."""
    return [{"role": m.role, "text": m.text, "start": m.span.start, "end": m.span.end,
             "confidence": m.confidence} for m in found["roles"]]


# ---------------------------------------------------------------- commands

def dump_draft(facts: dict) -> str:
    header = ("# Draft written by `erkg extract` (rule-based): every item is a candidate to review.\n"
              "# Check each quote, group, proposition and label; translate the labels' `en`;\n"
              "# then set review.status to reviewed (or delete the review block) to have it built.\n")
    return header + yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=100)


def _context(data: Path, ontology_path: Path, exclude: str | None = None):
    from .curation import load_documents
    from .namespaces import Iris
    from .ontology import load_ontology

    ontology = load_ontology(ontology_path, Iris())
    docs = load_documents(data, include_unreviewed=True) if (data / "sources").is_dir() else []
    docs = [d for d in docs if d.id != exclude]
    return ontology, docs


def extract_file(path: Path, data: Path, ontology_path: Path, doc_id: str | None = None) -> dict:
    """The draft facts of an article file, with the gazetteer of the documents in data."""
    text = read_article(path)
    doc_id = doc_id or slugify(path.stem)
    ontology, docs = _context(data, ontology_path, exclude=doc_id)
    facts, _ = draft(text, doc_id, build_gazetteer(ontology, docs), ontology_roles(ontology),
                     {e.id for d in docs for e in d.facts.entities})
    return facts


def parse_meta(pairs: list[str]) -> dict:
    """--meta values: KEY=VALUE pairs, or a YAML file of document metadata."""
    meta: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            p = Path(pair)
            if not p.is_file():
                raise InputError(f"--meta {pair!r}: expected KEY=VALUE or a YAML metadata file")
            loaded = _meta_file(p)
            if not isinstance(loaded, dict):
                raise MetadataError(f"{p}: expected a YAML mapping of document metadata")
            meta.update(loaded)
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # bytes of another encoding, as the shell passed them
            raise MetadataError(f"--meta {key}: the value is not UTF-8") from None
        key = key.strip().replace("-", "_")
        if key in ("authors", "editors"):
            meta[key] = [v.strip() for v in value.split(",") if v.strip()]
        elif key in ("label_de", "label_en"):
            meta.setdefault("label", {})[key[-2:]] = value
        else:
            meta[key] = value
    return meta


def _meta_file(path: Path) -> object:
    """The content of a YAML metadata file; MetadataError, in one line, if it cannot be read."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise MetadataError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise MetadataError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as e:  # a syntax error, or a tag safe_load refuses (!!python/…)
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise MetadataError(f"{path}: {where}{' '.join(str(e.problem or e.context).split())}") from None
    except yaml.YAMLError as e:
        raise MetadataError(f"{path}: not YAML: {' '.join(str(e).split())}") from None
    except ValueError as e:  # a date that does not exist (2024-13-45): PyYAML tells no position
        raise MetadataError(f"{path}: a date that does not exist ({e}); write dates as YYYY-MM-DD") from None


def _guess_language(text: str) -> str:
    words = re.findall(r"\b\w+\b", text.lower()[:20000])
    de = sum(w in {"der", "die", "und", "das", "nicht", "mit", "ist", "sich", "auch", "für"} for w in words)
    en = sum(w in {"the", "and", "of", "is", "not", "with", "that", "for", "are", "to"} for w in words)
    return "de" if de >= en else "en"


def add_document(path: Path, data: Path, ontology_path: Path, meta_pairs: list[str],
                 doc_id: str | None = None) -> list[Path]:
    """Store an article under data/sources/ with its metadata and the extracted draft beside it
    (data/facts/<doc>.yaml, review status unreviewed). Nothing is written on any error."""
    from pydantic import ValidationError as PydanticError

    from .curation import DocumentMeta

    text = read_article(path)
    meta = parse_meta(meta_pairs)
    doc_id = doc_id or meta.get("id") or slugify(path.stem)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(doc_id)):
        raise InputError(f"document id {doc_id!r} is not a slug ([a-z0-9]+(-[a-z0-9]+)*)")
    sources, facts_dir = data / "sources", data / "facts"
    targets = [sources / f"{doc_id}.txt", sources / f"{doc_id}.yaml", facts_dir / f"{doc_id}.yaml"]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise InputError(f"document {doc_id!r} exists already ({existing[0]}); choose another --id")
    meta["id"] = doc_id
    meta.setdefault("language", _guess_language(text))
    title = meta.get("title") or text.strip().splitlines()[0].strip()[:200]
    meta.setdefault("label", {})
    meta["label"].setdefault("de", title)
    meta["label"].setdefault("en", title)
    try:
        DocumentMeta.model_validate(meta)
    except PydanticError as e:
        raise MetadataError("bad --meta: " + "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())) from None
    facts = extract_file(path, data, ontology_path, doc_id)
    contents = [text.encode("utf-8"),
                yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).encode("utf-8"),
                dump_draft(facts).encode("utf-8")]
    written = []
    try:
        for target, content in zip(targets, contents):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(content)
            tmp.rename(target)
            written.append(target)
    except OSError as e:
        for w in written:
            w.unlink(missing_ok=True)
        raise InputError(f"cannot write {target}: {e.strerror}") from None
    return written
