"""Posts: a person's title at an organization, with the expressions of kg/extract/persons.py.

- A role of the ontology next to a person: "X, seit 2012 Chief Marketing Officer bei Y",
  "X ist … bei Y", "Y-Chef X", "X (CEO)", "Acme's CIO, Jane Doe,".
- A title the ontology lacks, by its head word ("Jane Doe, senior analyst at Acme", "Gartner
  analyst Jane Doe", "Erika Muster, Leiterin Marktforschung bei Y"): a post without a role,
  drafted as an affiliation. A bare "Leiter"/"head" is the ontology's head of an organization
  only where it heads one ("Ericsson-Chef"), not a field ("head of research").
- Through a pronoun: "Er ist zudem Kolumnist der absatzwirtschaft", "arbeitet er als
  Marketingleiter bei Y", "She is CIO at Y" name the person mentioned last before the pronoun
  in the same paragraph.
- Where the text names no organization, person and title side by side still state a post
  ("said Jane Doe, CMO.", "CIO Jane Doe said"); the draft leaves it in its review block,
  since a curated post needs its organization.

Gold: the curated posts, or a corpus file's `gold.posts`. A candidate is correct if it
overlaps the quote of a gold post (or repeats it word for word elsewhere: a repeated caption)
with the same role and the same person (by name, or by surname); per form: "pronoun" for
posts stated through a pronoun, else "named".
"""

from __future__ import annotations

import re

from ... import curation as c
from ...text import SourceText, Span
from .. import persons as g
from ..article import Article, Mention, NoQuote
from . import Gold, GoldContext, Pattern, overlap, register


@register
class Posts(Pattern):
    name = "posts"
    order = 30

    def find(self, art: Article) -> list[Mention]:
        candidates = [p for rspan, term in art.terms if term.kind == "role"
                      if (p := self._role_post(art, rspan, term)) is not None]
        candidates += self._titled_posts(art, candidates)
        candidates += self._generic_posts(art, candidates)
        out: list[Mention] = []
        seen: set[tuple] = set()

        def keep(post: Mention) -> None:
            org = post.extra["organization"]
            key = (post.extra["person"].text, post.role, org.text if org else None)
            if key not in seen:  # the same post stated again (a repeated caption) is one post
                seen.add(key)
                out.append(post)

        for post in candidates:
            if post.extra["person"].kind == "person":
                keep(post)
        named = _persons(art, [p.extra["person"] for p in out])
        for post in candidates:
            pron = post.extra["person"]
            if pron.kind != "pronoun":
                continue
            para = art.paragraph(pron.span.start)
            antecedent = [p for p in named if para.start <= p.span.start and p.span.end <= pron.span.start]
            if antecedent:  # else a pronoun with nobody named before it in its paragraph
                post.extra.update(person=antecedent[-1], via_pronoun=True, pronoun=pron)
                post.confidence = min(post.confidence, 0.75)
                keep(post)
        return sorted(out, key=lambda m: m.span.start)

    @staticmethod
    def _role_post(art: Article, rspan: Span, term) -> Mention | None:
        """The post a role mention states, with its person (or pronoun) and organization."""
        text = art.text
        role = term.role
        if _qualifies_title(text, rspan.end):
            return None
        if re.search(r"\b(?:Leiter(?:in)?|[Hh]ead(?: of)?|Director|Direktor(?:in)?) $", text[max(0, rspan.start - 12):rspan.start]) \
                and re.match(r" [A-ZÄÖÜ]", text[rspan.end:rspan.end + 2]):
            return None  # "Leiter CIO Advisory": the role names the field a title heads, and is no post
        if role == "author" and _study_author(text, rspan):
            return None
        if role == "head" and (dept := g.HEAD_OF_FIELD.match(text, rspan.end)):
            # the ontology's head heads an organization ("Ericsson-Chef"); the head of a field or
            # department it does not know ("Leiterin Marktforschung", "head of research") has a
            # title without a role
            rspan, role = Span(rspan.start, dept.end()), None
        elif role == "head" and text[rspan.start:rspan.end].lower() == "head" and \
                (field := _FIELD_BEFORE.search(text, max(0, rspan.start - 40), rspan.start)):
            rspan, role = Span(field.start(), rspan.end), None  # "Acme wealth management head Jane Doe"
        before = text[max(0, rspan.start - 120):rspan.start]
        after = text[rspan.end:rspan.end + 160]
        offset = rspan.start - len(before)
        person = org = since = None
        former = False
        # after a verb of saying the person follows the title ("…, sagte Geschäftsführer Marc Kloepfel")
        said = g.SAYING_BEFORE.search(before)
        joined = None if said else g.JOINED.search(before)
        pm = None if said else joined or g.SUBJECT.search(before) or g.INVERTED.search(before)
        at = offset
        if pm is None and not said:  # the last of a bio's list of posts: "X ist Partner bei A, Autor … sowie CIO bei B"
            at = art.paragraph(rspan.start).start  # not the sentence: an initial ("Malte W. Wilkes") ends none
            pm = g.LISTED.search(text[at:rspan.start]) or g.LISTED_AFTER_VERB.search(text[at:rspan.start])
        if pm:
            kind = "person" if pm.groupdict().get("person") else "pron"
            begin = at + pm.start(kind)
            if kind == "person":
                begin = _name_start(text, begin, at + pm.end(kind))
            person = Mention(Span(begin, at + pm.end(kind)), text[begin:at + pm.end(kind)],
                             "person" if kind == "person" else "pronoun")
            since = pm.group("since") or pm.groupdict().get("since2")
            former = bool(re.search(r"\b(?:war|was|zuvor|former)", pm.group(0)))
        else:
            # "Chief Marketing Officer X" / "Ericsson-Chef Stefan Koetz" / "X (CEO)"
            pm = re.match(rf"\s(?P<person>{g.NAME})", after) or g.APPOSITION.match(after)
            paren = re.search(rf"(?P<person>{g.NAME}) \($", before)
            former = bool(re.search(r"(?:\b[Ff]ormer|\b[Ee]hemalige[rn]?|\bEx-) ?$", before))
            if paren:
                person = Mention(Span(offset + paren.start("person"), offset + paren.end("person")),
                                 paren.group("person"), "person")
            elif pm:
                person = Mention(Span(rspan.end + pm.start("person"), rspan.end + pm.end("person")),
                                 pm.group("person"), "person")
        if person is not None and person.span.start > rspan.start and (
                von := re.search(r" (?:von|bei|of|at) [A-ZÄÖÜ]", person.text)):
            end = person.span.start + von.start()  # "CIO Jane Doe von Acme": the name ends before "von"
            person = Mention(Span(person.span.start, end), text[person.span.start:end], "person")
        if person is not None and person.kind == "person" and (lead := next(
                (m for t in art.gaz.terms if t.kind == "role" if (m := t.pattern.match(person.text))), None)):
            cut = person.span.start + lead.end() + 1  # "Gründer Michael Neidhöfer (CEO)": the name follows the title
            person = Mention(Span(cut, person.span.end), text[cut:person.span.end], "person")
        if person is None or not person.text.strip() or _title_case(art, rspan.start) or \
                _no_name(person.text) or (person.kind == "person" and len(person.text.split()) < 2) or \
                g.ORG_TAIL.search(person.text) or \
                any(t.pattern.search(person.text) for t in art.gaz.terms if t.kind == "role"):
            return None  # no person, "Chief Marketing Officer (CMO)" or "The Acme Group" taken for a name
        om = re.match(rf"(?: \(?[A-Z]{{2,5}}\)?|,? [^,.;()]{{1,30}}?)?\s+{g.AT}\s+{g.ORG}", after)
        if om and person.span.start > rspan.start and not re.fullmatch(
                rf"[\s,]*{re.escape(person.text)},?\s+(?:von|vom|bei|of|at|from)\s+(?:der |die |dem |den |the )?|\s+{g.AT}\s+(?:der |die |dem |den |the )?",
                after[:om.start("org")]):
            om = None  # "Acme-Chef Max Muster wächst der Markt": only the name lies between title and organization
        if om is None and person.span.end <= rspan.start:  # "Jane Doe, CIO, Acme Corp."
            om = re.match(rf"(?: (?:and|&|und) [^,.;()]{{1,40}})?, {g.ORG}(?: in (?:the )?[A-ZÄÖÜ][\w-]+)?(?=[,.;)]|$)", after)
        if om is None and person.span.end <= rspan.start:  # "Geschäftsführer Schober Information Group"
            om = re.match(rf" (?P<org>(?:{g.ORG_WORD} ){{0,3}}{g.COMPANY}(?: {g.ORG_WORD})?)(?=[,.;)]|\s|$)", after)
        if om is None and person.span.end <= rspan.start and re.fullmatch(r", ", text[person.span.end:rspan.start]):
            # a press release's "Jane Doe, Geschäftsführerin Kienbaum.": the organization right after the title
            om = re.match(rf" (?P<org>{g.ORG_WORD}(?: {g.ORG_WORD}){{0,3}})(?=[,.;:)]|$)", after)
        # "Ericsson-Chef", "Acme's CIO", "Acme Corp's chief marketing officer"
        prefix = re.search(r"(?<![\w-])((?:[A-ZÄÖÜ][\w&.]+ ){0,2}[A-ZÄÖÜ][\w&.]+)(?:-|['’]s )$", before)
        while prefix and " " in prefix.group(1) and prefix.group(1).split()[0] in g.NOT_NAMES | g.TITLE_WORDS:
            prefix = re.search(r"(?<![\w-])((?:[A-ZÄÖÜ][\w&.]+ ){0,%d}[A-ZÄÖÜ][\w&.]+)(?:-|['’]s )$"
                               % (prefix.group(1).count(" ") - 1), before)  # "Die Acme-CIO": not "Die"
        if prefix is None and person.span.start > rspan.start and re.fullmatch(r"[A-Z]{2,5}", text[rspan.start:rspan.end]):
            # "Acme Corp CIO Jane Doe": a company's name right before an abbreviated title
            prefix = re.search(r"(?<![\w-])((?:[A-Z][\w&.]+ )?[A-Z][\w&.]+) $", before)
            # … and the name ends where the sentence goes on ("said", ","), not in a heading ("Issue 24")
            if prefix and (set(prefix.group(1).split()) & (g.NOT_NAMES | g.TITLE_WORDS) or rspan.start < art.headline_end
                           or not re.match(r"[,.;:!?)]| [a-zäöü]", text[person.span.end:person.span.end + 2])):
                prefix = None
        if joined:
            org = Mention(Span(offset + joined.start("org"), offset + joined.end("org")), joined.group("org"),
                          "organization")
        elif om and len(om.group("org").rstrip(".,")) >= 2 and \
                not g.GENITIVE_NOUN.match(after, om.start("org") - 4):
            name = om.group("org").rstrip(".,")
            o_start = rspan.end + om.start("org")
            org = Mention(Span(o_start, o_start + len(name)), name, "organization")
        elif prefix:  # "Ericsson-Chef Stefan Koetz", "Acme's CIO Jane Doe"
            o_start = offset + prefix.start(1)
            org = Mention(Span(o_start, o_start + len(prefix.group(1))), prefix.group(1), "organization")
        if org is None and not _tight(art, person, rspan):
            return None
        ends = [s for s in (person.span, rspan, org.span if org else None) if s is not None]
        start, end = min(s.start for s in ends), max(s.end for s in ends)
        return Mention(Span(start, end), text[start:end], "post", None, role, 0.85 if org else 0.7,
                       {"person": person, "organization": org, "since": int(since) if since else None,
                        "former": former, "title": text[rspan.start:rspan.end], "title_span": rspan,
                        "via_pronoun": False})

    @staticmethod
    def _titled_posts(art: Article, role_posts: list[Mention]) -> list[Mention]:
        """"Beate Rosenthal, Partnerin bei Roland Berger", "Sie ist Partnerin bei …": a title the
        ontology has no role for (a role's title is a role post)."""
        out = []
        for m in [*g.TITLED.finditer(art.text), *g.OWNED.finditer(art.text)]:
            subject = next(k for k in ("person", "pron", "pron_inv") if m.groupdict().get(k))
            begin = _name_start(art.text, m.start(subject), m.end(subject)) if subject == "person" else m.start(subject)
            person = Mention(Span(begin, m.end(subject)), art.text[begin:m.end(subject)],
                             "person" if subject == "person" else "pronoun")
            title = Span(m.start("title"), m.end("title"))
            if _no_name(person.text) or re.match(r"(?:and|und|or|oder|the) ", m.group("title")) or \
                    any(overlap(p.span, title) for p in role_posts) or any(
                    overlap(s, title) for s, t in art.terms if t.kind == "role"):
                continue  # "Public Health England, and the Department …" names no person
            org = Mention(Span(m.start("org"), m.end("org")), m.group("org"), "organization")
            end = max(m.end("org"), m.end("title"))
            begin -= 4 if subject == "pron_inv" else 0  # the post's quote starts at "ist sie"
            out.append(Mention(Span(begin, end), art.text[begin:end], "post", None, None,
                               0.6, {"person": person, "organization": org, "since": None, "former": False,
                                     "title": m.group("title"), "title_span": title,
                                     "via_pronoun": bool(m.group("rel"))}))
        return out

    @staticmethod
    def _generic_posts(art: Article, found: list[Mention]) -> list[Mention]:
        """A title by its head word, the ontology's or not, next to a person: "Jane Doe, senior
        analyst at Acme", "Gartner analyst Jane Doe", "the head of research at Acme, Jane Doe,"
        ("Jane Doe, research director." too: the organization may be unnamed). Where the title
        holds a role of the ontology and the role's own rules found no post ("Jane Doe, in her role
        as CIO of Acme"), the post has that role."""
        out = []
        for m in (m for expr in g.GENERIC for m in expr.finditer(art.text)):
            pspan = Span(m.start("person"), m.end("person"))
            person = Mention(pspan, art.text[pspan.start:pspan.end], "person")
            first = Span(m.start("title"), m.end("title"))
            # one line, but for a break between a title and the name after it ("Verbandschef\nUwe Becker")
            broken = "\n" in art.text[m.start():first.end] + art.text[pspan.start:m.end()] or \
                "\n" in art.text[pspan.end:first.start] or m.start() < art.headline_end < m.end()
            if _no_name(person.text) or person.text.split()[0] in g.TITLE_WORDS or g.ORG_TAIL.search(person.text) or \
                    re.search(r"['’]s ", person.text) or re.search(g.TITLE_WORD, person.text) or broken or \
                    _title_case(art, first.start) or \
                    any(overlap(s, pspan) for s, t in art.terms if t.kind == "role"):
                continue
            org = None
            if m.group("org") and re.fullmatch(r"C[A-Z]{1,3}O", m.group("org")):
                continue  # "the CMO-CIO Divide": two titles, no organization's
            if m.group("org"):
                org = Mention(Span(m.start("org"), m.end("org")), m.group("org").rstrip(".,"), "organization")
            elif (pre := _ORG_PREFIX.match(art.text, first.start, first.end)) and \
                    not any(overlap(s, Span(first.start, pre.end(1))) for s, _ in art.terms):
                org = Mention(Span(first.start, pre.end(1)), pre.group(1), "organization")  # "PwC-Vorstandsmitglied"
            titles = [first] + ([Span(m.start("title_b"), m.end("title_b"))] if m.groupdict().get("title_b") else [])
            for tspan in titles:
                if any(overlap(p.extra["title_span"], tspan) for p in found + out):
                    continue
                roles = [(s, t) for s, t in art.terms if t.kind == "role" and overlap(s, tspan)
                         and not _qualifies_title(art.text, s.end)]
                role = roles[0][1].role if roles else None  # the title's head: "Leiter CIO Advisory" heads a field
                if role == "head" and g.HEAD_OF_FIELD.match(art.text, roles[0][0].end):
                    role = None
                if role == "author" and _study_author(art.text, roles[0][0]):
                    continue
                if tspan is not first and role is None and not re.search(g.TITLE_WORD, art.text[tspan.start:tspan.end]):
                    continue  # "Jane Doe, CFO and member of the board of Acme": no title after "and"
                ends = [pspan, tspan] + ([org.span] if org else [])
                start, end = min(x.start for x in ends), max(x.end for x in ends)
                out.append(Mention(Span(start, end), art.text[start:end], "post", None, role, 0.6 if org else 0.55,
                                   {"person": person, "organization": org, "since": None, "former": False,
                                    "title": art.text[tspan.start:tspan.end], "title_span": tspan,
                                    "via_pronoun": False}))
        return out

    def draft(self, mentions: list[Mention], d) -> None:
        for p in mentions:
            person, org = p.extra["person"], p.extra["organization"]
            if org is None:  # a post needs its organization: left in the review block for the curator
                d.review.setdefault("posts_without_organization", []).append(
                    {"person": person.text, "title": p.extra["title"], "role": p.role, "text": p.text,
                     "start": p.span.start, "end": p.span.end, "confidence": p.confidence})
                continue
            try:
                post_quote = d.quote(p.span)
                pid = d.entity("person", person.text, person.text, lambda i, person=person: c.Person(
                    id=i, type="person", name=person.text, **d.quote(person.span)))
                oid = d.entity("organization", org.text, org.text, lambda i, org=org: c.Organization(
                    id=i, type="organization", name=org.text, **d.quote(org.span)))
            except NoQuote:
                continue
            if p.role is None:  # a title the ontology has no role for: an affiliation to review
                d.add("affiliations", c.Affiliation(
                    id=d.new_id(f"aff-{pid}-{oid}"), person=pid, organization=oid,
                    label=c.Label(de=p.extra["title"], en=p.extra["title"]), **post_quote), p.confidence)
                continue
            d.add("posts", c.Post(id=d.new_id(f"post-{pid}-{p.role}"), person=pid, role=p.role, organization=oid,
                                  title=p.extra["title"], since=p.extra["since"], former=p.extra["former"],
                                  **post_quote), p.confidence)

    def gold(self, doc: c.Document, ctx: GoldContext) -> list[Gold]:
        src = SourceText(doc.text)
        names = {e.id: e.name for e in doc.facts.entities if e.type == "person"}
        out = []
        for p in doc.facts.posts:
            name = names.get(p.person) or ""
            pronoun = re.search(g.PRONOUN + r"\b", p.quote) and not (name and name.split()[-1] in p.quote)
            out.append(Gold(src.locate(p.quote, p.context), {"role": p.role, "person": name or None, "quote": p.quote},
                            "pronoun" if pronoun else "named", f"{p.id} ({p.quote[:60]!r})"))
        return out

    def corpus_gold(self, gold: dict, source: SourceText) -> list[Gold] | None:
        return [Gold(source.locate(p["quote"], p.get("context")),
                     {"role": p.get("role"), "person": p.get("person"), "quote": p["quote"]},
                     "pronoun" if p.get("via_pronoun") else "named", f"{p.get('person')!r} {p.get('title')!r}")
                for p in gold.get("posts") or []]

    def agrees(self, m: Mention, g: Gold) -> bool:
        # a post stated again word for word (a repeated caption) is the same post, wherever the
        # gold's quote was placed
        quote = g.attrs["quote"]
        return ((overlap(m.span, g.span) or m.text in quote or quote in m.text) and m.role == g.attrs["role"]
                and _same_person(m.extra["person"].text, g.attrs["person"]))

    def facet(self, m: Mention) -> str | None:
        return "pronoun" if m.extra["via_pronoun"] else "named"


# a title written with its organization's name before a hyphen ("PwC-Vorstandsmitglied"), not with a
# field's or a kind of organization's ("IT-Leiter", "Konzern-Chef", "Vertriebsvorstand")
_ORG_PREFIX = re.compile(rf"(?!(?:IT|HR|EDV|Ex|Vize|Co|Konzern|Unternehmens?|Verbands?|Firmen|Gruppen|Bereichs|Abteilungs|"
                         rf"Landes|Bundes|Team|Projekt|Senior|Junior)-)({g.ORG_WORD})-(?=[A-ZÄÖÜ])")


# a field in lower case before an English "head": the head of that field, not of the organization
_FIELD_BEFORE = re.compile(r"(?<![\w-])(?!(?:the|a|an|and|or|of|at|its|his|her|their|former|new|acting|interim|global|"
                           r"regional|deputy|senior|said|says|company|firm|group|agency|bank|business)\b)[a-z][\w-]+"
                           r"(?: [a-z][\w-]+)? $")


def _no_name(text: str) -> bool:
    """Capitalised words that name no person: a determiner or preposition first ("Die Studie",
    "Laut Max"), or a study's, a heading's or a place's word ("CFO Optimism Index")."""
    return text.split()[0] in g.NOT_NAMES or bool(g.NOT_PERSON.search(text))


def _qualifies_title(text: str, end: int) -> bool:
    """The title word after a role's word, or after one more word, makes it part of another title
    ("associate dean", "associate general counsel"); a C-suite abbreviation after it ("Leiter CIO
    Advisory") is left to the field rule."""
    return bool(re.match(rf" (?:(?!(?:and|und|or|oder|of|at|bei|der|des|the|für|for)\b)[a-z]+ )?(?!C[A-Z]{{1,3}}O\b)"
                         rf"{g.TITLE_WORD}", text[end:end + 40]))


def _study_author(text: str, title: Span) -> bool:
    """"the study's author", "Autorin der Studie": the author of a study holds no post
    (tests/corpus/README.md)."""
    return bool(re.search(r"(?:study|report|survey|poll)['’]s (?:co-)?$|Studien?-?$", text[max(0, title.start - 16):title.start], re.I)
                or re.match(r" (?:der|dieser) (?:Studie|Umfrage)| of the (?:study|report|survey)", text[title.end:title.end + 20]))


def _tight(art: Article, person: Mention, title: Span) -> bool:
    """A post whose organization the text does not name ("said Jane Doe, CMO.", "CMO Jane Doe
    said", "Jane Doe (CEO)") is one only where person and title stand side by side and the title
    ends the phrase; never of a pronoun, in a headline or with a plural ("CFOs Say …")."""
    text = art.text
    if person.kind != "person" or title.start < art.headline_end or text[title.end - 1:title.end] == "s" or \
            _title_case(art, title.start):
        return False
    if person.span.end <= title.start:
        between, rest = text[person.span.end:title.start], text[title.end:title.end + 3]
        return bool(re.fullmatch(r", (?:the |der |die )?(?:[A-Za-z][a-z]+ ){0,2}| \(| (?:ist|is) (?:der |die |the |an? )?", between)
                    and re.match(r"[,;)]|\.(?:\s|$)|$", rest))
    # "CIO Jane Doe said", and in apposition: "the head of research, Jane Doe, said"
    between, rest = text[title.end:person.span.start], text[person.span.end:person.span.end + 2]
    return between == " " and bool(re.match(r"[,.;:!?)]| [a-zäöü]", rest)) or between == ", " and rest[:1] in ",.;"


def _title_case(art: Article, pos: int) -> bool:
    """The line at pos is an English heading in title case ("Today's CEO Priorities Will Become
    …"), whose capitalised words stand for no person: most of its words capitalised, and no
    comma (a German line capitalises its nouns; "Jane Doe, Global Chairman, Acme" is no heading)."""
    if art.language != "en":
        return False
    para = art.paragraph(pos)

    def heading() -> bool:
        line = art.text[para.start:para.end]
        words = re.findall(r"[^\W\d_][\w'’-]{3,}", line)
        return "," not in line and len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)
    return art.memo(f"title-case:{para.start}", heading)  # asked for every title and name of the line


def _name_start(text: str, start: int, end: int) -> int:
    """Where a name matched at start begins: after a capitalised word that is no name ("Laut Max
    Muster", "Die Studie" is none at all and stays for the caller to refuse)."""
    lead = re.match(r"(\S+) (?=\S+ \S)", text[start:end])
    return start + lead.end() if lead and lead.group(1) in g.NOT_NAMES else start


def _same_person(found: str, gold: str | None) -> bool:
    """The same person by full name or by surname, without degrees and suffixes ("Thomas C.
    Dolan, PhD, FACHE" is Dolan, "Julian Waits Sr." is Waits)."""
    if not gold:
        return True
    def surname(name: str) -> str:
        words = name.split(",")[0].split()
        return words[-2] if len(words) > 1 and words[-1] in ("Jr.", "Sr.", "II", "III") else words[-1]
    return found == gold or surname(found) == surname(gold)


def _persons(art: Article, known: list[Mention]) -> list[Mention]:
    """Every mention of a person named in the article, in text order: the persons of posts and
    speakers ("sagt X", "X said"), wherever their full name or surname occurs."""
    names = {m.text for m in known}
    for m in g.SPEAKER.finditer(art.text):
        name = m.group("a") or m.group("b") or m.group("c")
        if name.split()[0] not in g.NOT_NAMES and not g.ORG_TAIL.search(name) and \
                not any(t.pattern.fullmatch(name) for t in art.gaz.terms):
            names.add(name)  # a sentence that begins with a name and a verb: "Anna Beispiel leitet …"
    names = {re.sub(r"^(?:Dr\. |Prof\. )+", "", n) for n in names}
    out = []
    for name in names:
        for variant in {name, name.split()[-1]}:
            for m in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", art.text):
                out.append(Mention(Span(m.start(), m.end()), name, "person"))
    return sorted(out, key=lambda m: (m.span.start, -m.span.end))
