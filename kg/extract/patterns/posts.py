"""Posts: a person's role at an organization. "X, seit 2012 Chief Marketing Officer bei Y",
"X ist … bei Y", "Y-Chef X", "X (CEO)", and through a pronoun: "Er ist zudem Kolumnist der
absatzwirtschaft", "arbeitet er als Marketingleiter bei Y", "She is CIO at Y" name the person
mentioned last before the pronoun in the same paragraph.

Gold: the curated posts, or a corpus file's `gold.posts`. A candidate is correct if it
overlaps the quote of a gold post with the same role and the same person (by name, or by
surname); per form: "pronoun" for posts stated through a pronoun, else "named".
"""

from __future__ import annotations

import re

from ... import curation as c
from ...text import SourceText, Span
from ..article import Article, Mention, NoQuote
from . import Gold, GoldContext, Pattern, overlap, register

_NAME = r"(?:Dr\. |Prof\. )*[A-ZÄÖÜ][\w'’-]+(?: [A-ZÄÖÜ]\.)?(?: (?:von |van |de )?[A-ZÄÖÜ][\w'’-]+){1,2}"
_ORG_WORD = r"[A-ZÄÖÜ0-9][\w&'’-]*(?:\.[\w&'’-]+)*"  # dots only inside a word: "Rackspace. Zuvor" is no name
_ORG = rf"(?:der |die |dem |den |the )?(?P<org>{_ORG_WORD}(?: (?:&|und|and|of|für|for|{_ORG_WORD})){{0,4}})"
_AT = r"(?:bei|von|der|des|an der|am|at|of|with|for)"
_PRONOUN = r"\b(?:[Ee]r|[Ss]ie|[Hh]e|[Ss]he)"
# "Autor des Buches …": a noun in the genitive, no organization's name
_GENITIVE_NOUN = re.compile(r"des [A-ZÄÖÜ][a-zäöüß]+(?:es|ens)\b")
_ADVERBS = (r"(?: (?:zudem|seit (?:[A-ZÄÖÜ][a-zäöü]+ )?(?P<since>\d{4})|since (?:[A-Z][a-z]+ )?(?P<since2>\d{4})|"
            r"zuvor|zuletzt|former(?:ly)?|previously|recently|kürzlich|now|heute|auch|also|derzeit|currently|"
            r"bereits|inzwischen))*")
# "X, seit 2012 …" / "X ist (seit 2012) …" / "Er ist zudem …" right before the role
_SUBJECT = re.compile(
    rf"(?:(?P<person>{_NAME})(?: \(\d{{2}}\))?|(?P<pron>{_PRONOUN}))(?: previously| formerly| also| currently)?"
    rf"(?:, who (?:is|was|has been|serves as|served as|works as)|, (?:der|die)(?= seit| zuvor| derzeit| heute)|(?<=[Hh]e)['’]s|,| ist| war| is| was| wurde| became| arbeitet als| works as|"
    rf" serves as| [a-zäöü]+e?t als|"
    rf" served as| has served as| fungiert als| has been| had been| was named| was appointed| took over as|"
    rf" der| die| the)"
    rf"{_ADVERBS}(?: als| as)?(?: der| die| the| an?)?(?:(?: (?!(?:bei|at|of|von|der|des|for|für|with|in)\b)[\w'’-]+){{1,4}} (?:and|und|&))?(?: [\w'’-]+)? ?$")
# "X joined Y as …", "Sie wechselte 2019 zu Y als …": the organization before the role
_JOINED = re.compile(
    rf"(?:(?P<person>{_NAME})(?:, who)?|(?P<pron>{_PRONOUN})) (?:joined|kam(?: \d{{4}})? zu|wechselte(?: \d{{4}})? zu)"
    rf" {_ORG}(?: in (?P<since>\d{{4}}))? (?:as|als)(?: the| an?| der| die)? $")
# the name in apposition after the title: "Acme's chief marketing officer, Jane Doe, said", "Die CIO von
# Beispielwerk, Anna Beispiel, sagt"
_APPOSITION = re.compile(rf"(?:\s+(?:von|bei|of|at|der|des)\s+{_ORG_WORD}(?: {_ORG_WORD}){{0,3}})?,\s(?P<person>{_NAME}),")
# the subject of a bio and a list of its posts, up to the one before a role: "X ist Seniorpartner der A,
# Redner, Buchautor sowie Ehrenpräsident des B"
_LIST_TAIL = r"(?: seit (?P<since>\d{4}))? [^.;:]*(?:,|\bsowie|\bund|\baußerdem|\bzudem|\band|\bas well as)(?: [a-zäöü]\w*)? $"
_LISTED = re.compile(
    rf"(?:^|:\s+|•\s*|[.!?]\s+)(?:(?P<person>{_NAME})|(?P<pron>{_PRONOUN}))(?: ist| war| is| was){_LIST_TAIL}")
# … with the verb first: "Zuvor war er Agenturleiter bei A sowie Head of Business Development bei B"
_LISTED_AFTER_VERB = re.compile(rf"(?:^|[.!?]\s+)[A-ZÄÖÜ]\w* (?:ist|war) (?P<pron>er|sie){_LIST_TAIL}")
# "arbeitet er als …", "war er …": the pronoun after the verb
_INVERTED = re.compile(
    rf"\b(?:ist|war|arbeitet|wurde|fungiert|[a-zäöü]+et(?= \w+ als))\s+(?P<pron>er|sie){_ADVERBS}(?: als)?(?: der| die)? ?[\w-]*$")
# an English title written with capitals ("Managing Director", "Dean", "Senior Vice President")
_EN_TITLE = r"(?:[A-Z][a-z]+ ){0,2}(?:President|[SE]?VP|Director|Dean|Partner|Manager|Head|Chair(?:man|woman)?|Founder|" \
            r"Co-[Ff]ounder|Professor|Principal|Economist|Analyst)"
# the department a title heads, before the organization: "Vice President of Marketing at Acme"
_OF_DEPARTMENT = r"(?: (?:of|for) (?:[A-Z][\w&-]*|IT)(?: (?:and|&) [A-Z][\w&-]*)?(?= (?:at|bei|with) ))?"
_VERB_IS = r"(?:ist|war|is|was|has been)(?: seit \d{4}| since \d{4})? (?:der |die |the |an? )?"
# a person (or a pronoun, or a relative pronoun after the person: "X, who is …"), a title of one to
# four words (a capitalised German noun or English words) and the organization; after an English
# capitalised title the organization may follow without a preposition ("Managing Director BMC EMEA")
_TITLED = re.compile(
    rf"(?:(?P<person>{_NAME}), (?P<rel>who {_VERB_IS}|(?:der|die)(?: seit \d{{4}})? (?:als )?)?|"
    rf"(?P<pron>{_PRONOUN}) {_VERB_IS}|"
    rf"(?<=ist |war )(?P<pron_inv>er|sie)(?: seit \d{{4}}| zudem| auch)* (?:der |die )?)"  # "Seit 2019 ist sie …"
    rf"(?P<title>(?:(?:[a-zäöü][\w-]* ){{0,3}}[A-ZÄÖÜ][a-zäöüß]+(?:in|er|ent|or|ident|stand|yst)|"
    rf"(?P<en>{_EN_TITLE})|"
    rf"(?:[a-z][\w-]* ){{0,3}}(?:president|director|officer|partner|manager|head|chair|founder))"
    rf"{_OF_DEPARTMENT})"
    rf"(?(en) (?:(?:bei|des|der|von|at|of) )?| (?:bei|des|der|von|at|of) ){_ORG}")
# "X, the council's executive director": the organization's possessive before the title
_OWNED = re.compile(
    rf"(?P<person>{_NAME}), (?:the )?(?P<org>{_ORG_WORD}(?: {_ORG_WORD}){{0,3}}?)(?:['’]s|(?<=s)['’]) (?P<rel>)"
    rf"(?P<title>(?:[a-z][\w-]* ){{0,3}}(?:president|director|officer|partner|manager|head|chair|founder|analyst|"
    rf"economist)|{_EN_TITLE})\b")
# the head word of a job title the ontology need not know: German by its ending ("Bereichsleiterin",
# "Vorstandsmitglied", "Bitkom-Präsident"), English from a list ("analyst", "Vice President")
_TITLE_DE = (r"(?=[A-ZÄÖÜ])[\wäöüß]*?-?(?:[Ll]eiter|[Cc]hef|[Ff]ührer|[Dd]irektor|[Pp]räsident|[Vv]orstand|[Mm]itglied|[Aa]nalyst|"
             r"[Bb]erater|[Ss]precher|[Gg]ründer|[Ii]nhaber|[Pp]artner|[Mm]anager|[Rr]eferent|"
             r"[Vv]orsitzend|[Pp]rofessor|[Dd]ekan|[Öö]konom|[Vv]olkswirt|[Gg]eschäftsführer|[Aa]utor)(?:in|e|er|en)?")
_TITLE_EN = (r"(?i:(?:vice[- ])?president|director|officer|partner|principal|manager|head|chair(?:man|woman|person)?|"
             r"(?:co-)?founder|professor|dean|economist|analyst|consultant|strategist|advis[eo]r|lead(?:er)?|fellow|"
             r"scientist|researcher|[SE]?VP)")
_TITLE_WORD = rf"(?:{_TITLE_DE}|{_TITLE_EN})\b"
# modifiers before the head ("senior vice president", "national managing partner", "Senior Director")
# and a department after it ("of marketing", "Marketing DACH", "IT")
_TITLE_PHRASE = (rf"(?:(?:(?!(?:in|as|als|his|her|its|their|the|an?|der|die|das|of|at|bei|who|is|was)\b)[a-z][\w-]*|"
                 rf"[A-Z][a-z]+|[SE]VP|and) ){{0,4}}{_TITLE_WORD}"
                 rf"(?:,? (?:of|for|für) (?:the )?[A-Za-z][\w&-]*(?: (?!(?:at|of|with|bei|von|in|for)\b)[a-z][\w&-]*)?"
                 rf"(?: (?:and|&|und) [A-Za-z][\w&-]*)?|"
                 rf",? (?:[A-Z][\w&-]*|IT)(?= (?:[A-Z][\w&-]* )?(?:at|bei|of|von|der|des)\b)){{0,2}}")
_GEN_AT = r"(?:at|of|with|bei|von|vom|beim|der|des|im|am)"
# titles next to a person, in three orders (each its own expression: one phrase may hold two):
# "Jane Doe, senior analyst at Acme", "Jane Doe (Partnerin, Acme)", "Max Muster stellt in seiner
# Funktion als Präsident des Verbands …"; "Gartner analyst Jane Doe"; "der Studienleiter der Acme, Max Muster,"
_GENERIC = (
    re.compile(
        rf"(?P<person>{_NAME})(?:, (?:the |a |an |der |die |its |his |her |their )?| \(|"
        rf"(?P<als>,? (?:[a-zäöü]+ )?(?:in (?:seiner|ihrer) (?:Funktion|Eigenschaft|Rolle)|in (?:his|her) (?:role|capacity))"
        rf" a(?:l)?s ))(?P<title>{_TITLE_PHRASE})"
        rf"(?: (?:and|und|&) (?:[\w-]+ ){{0,3}}?[\w-]+(?= (?:at|of|bei|von|der|des) ))?"  # "president and CEO of Acme"
        rf"(?:(?:,? {_GEN_AT}|,) (?:the |der |die |dem )?(?P<org>{_ORG_WORD}(?: (?:&|und|and|of|für|for|{_ORG_WORD})){{0,4}}))?"
        rf"(?(als)(?=[\s,.;)])|(?=[,;)]|\.(?:\s|$)| (?:and|und|sagt|said|says)\b))"),
    re.compile(rf"(?<![\w-])(?:(?P<org>[A-ZÄÖÜ][\w&]+)(?:-| ))?(?P<title>{_TITLE_WORD}) (?P<person>{_NAME})"
               rf"(?= ?[,.;:!?)]| [a-zäöü])"),
    re.compile(rf"(?:[Tt]he |[Dd]er |[Dd]ie )(?P<title>{_TITLE_PHRASE}) {_GEN_AT} (?:the |der |die )?"
               rf"(?P<org>{_ORG_WORD}(?: {_ORG_WORD}){{0,3}}), (?P<person>{_NAME}),"))
_NOT_NAMES = {"Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "The", "In", "Im", "Bei", "Laut", "Nach", "Mit",
              "Für", "Auch", "So", "Wie", "Als", "Auf", "Von", "Zum", "Zur", "This", "That", "For", "With", "At", "Of"}
# words before a title that say which post, not whose ("Former CIO Jane Doe", "Group CIO")
_TITLE_WORDS = {"Former", "Global", "Group", "Interim", "Acting", "Deputy", "Senior", "Executive", "New", "Then", "Ex",
                "Regional", "Corporate", "Chief", "Designated", "Incoming", "Outgoing", "Current", "Said", "As",
                "When", "While", "And", "But", "Our", "Their", "His", "Her", "Its"}
# a name ending so is an organization's ("a report by Acme Corp")
_ORG_TAIL = re.compile(r"\b(?:Corp|Inc|Ltd|LLC|GmbH|AG|SE|Group|Gruppe|Council|Institute|Institut|University|"
                       r"Universität|College|School|Association|Verband|Bank|Partners|Research)\.?$")
# what follows a bare "Leiter"/"head" when it heads a field, not an organization
_HEAD_OF_FIELD = re.compile(r"(?: (?:of|for) (?:the )?(?!the\b)[a-z][\w&-]*(?: (?:and|&) [a-z][\w&-]*)?"
                            r"| (?:des Bereichs |der Abteilung |für )?[A-ZÄÖÜ][\wäöüß&]*(?:-[\wäöüß]+)*(?= [a-zäöü]|[,.;)]|$))")
# words that make a capitalised phrase a study's, a magazine's or a heading's, not a person's name
_NOT_PERSON = re.compile(r"\b(?:Index|Survey|Study|Studie|Report|Magazine?|Barometer|Outlook|Monitor|Insight|Summit|"
                         r"Awards?|Issue|Trends?|Forum|Panel|Program|Programm|Business|Development|Marketing|Sales|"
                         r"Research|Finance|Strategy|Digital|Vertrieb|Kommunikation|Services?|Solutions|Technology|"
                         r"Consulting|Communications|Operations|Innovation|Analytics|Data|Deutschland|Germany|Europe|"
                         r"Europa|DACH|EMEA|Global|International)\b")
# persons are named where they speak or are quoted
_SPEAKER = re.compile(
    rf"(?:\b(?i:sagt|sagte|erklärt|erklärte|betont|betonte|meint|meinte|so|laut|mit|said|says|explains|explained|"
    rf"adds|added|according to|notes|noted|by|to|with|von|predicts|warns|prognostiziert|warnt)\s+(?P<a>{_NAME}))"
    rf"|(?:(?P<b>{_NAME}),?\s+(?:sagt|sagte|erklärt|said|says)\b)"
    # a name opening a sentence or following a quotation, before a verb: "“…,” Jane Doe predicts"
    rf"|(?:(?:^|[.!?]\s+|[,“”\"»«]\s*)(?P<c>{_NAME})\s+[a-zäöü]+)", re.MULTILINE)


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
        if role == "head" and (dept := _HEAD_OF_FIELD.match(text, rspan.end)):
            # the ontology's head heads an organization ("Ericsson-Chef"); the head of a field or
            # department it does not know ("Leiterin Marktforschung", "head of research") has a
            # title without a role
            rspan, role = Span(rspan.start, dept.end()), None
        before = text[max(0, rspan.start - 120):rspan.start]
        after = text[rspan.end:rspan.end + 160]
        offset = rspan.start - len(before)
        person = org = since = None
        former = False
        joined = _JOINED.search(before)
        pm = joined or _SUBJECT.search(before) or _INVERTED.search(before)
        at = offset
        if pm is None:  # the last of a bio's list of posts: "X ist Partner bei A, Autor … sowie CIO bei B"
            at = art.paragraph(rspan.start).start  # not the sentence: an initial ("Malte W. Wilkes") ends none
            pm = _LISTED.search(text[at:rspan.start]) or _LISTED_AFTER_VERB.search(text[at:rspan.start])
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
            pm = re.match(rf"\s(?P<person>{_NAME})", after) or _APPOSITION.match(after)
            paren = re.search(rf"(?P<person>{_NAME}) \($", before)
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
                person.text.split()[0] in _NOT_NAMES or (person.kind == "person" and len(person.text.split()) < 2) or \
                _ORG_TAIL.search(person.text) or _NOT_PERSON.search(person.text) or \
                any(t.pattern.search(person.text) for t in art.gaz.terms if t.kind == "role"):
            return None  # no person, "Chief Marketing Officer (CMO)" or "The Acme Group" taken for a name
        om = re.match(rf"(?: \(?[A-Z]{{2,5}}\)?|,? [^,.;()]{{1,30}}?)?\s+{_AT}\s+{_ORG}", after)
        if om and person.span.start > rspan.start and not re.fullmatch(
                rf"[\s,]*{re.escape(person.text)},?\s+{_AT}\s+(?:der |die |dem |den |the )?|\s+{_AT}\s+(?:der |die |dem |den |the )?",
                after[:om.start("org")]):
            om = None  # "Acme-Chef Max Muster wächst der Markt": only the name lies between title and organization
        if om is None and person.span.end <= rspan.start:  # "Jane Doe, CIO, Acme Corp."
            om = re.match(rf"(?: (?:and|&|und) [^,.;()]{{1,40}})?, {_ORG}(?=[,.;)]|$)", after)
        # "Ericsson-Chef", "Acme's CIO", "Acme Corp's chief marketing officer"
        prefix = re.search(r"(?<![\w-])((?:[A-ZÄÖÜ][\w&.]+ ){0,2}[A-ZÄÖÜ][\w&.]+)(?:-|['’]s )$", before)
        while prefix and " " in prefix.group(1) and prefix.group(1).split()[0] in _NOT_NAMES | _TITLE_WORDS:
            prefix = re.search(r"(?<![\w-])((?:[A-ZÄÖÜ][\w&.]+ ){0,%d}[A-ZÄÖÜ][\w&.]+)(?:-|['’]s )$"
                               % (prefix.group(1).count(" ") - 1), before)  # "Die Acme-CIO": not "Die"
        if prefix is None and person.span.start > rspan.start and re.fullmatch(r"[A-Z]{2,5}", text[rspan.start:rspan.end]):
            # "Acme Corp CIO Jane Doe": a company's name right before an abbreviated title
            prefix = re.search(r"(?<![\w-])((?:[A-Z][\w&.]+ )?[A-Z][\w&.]+) $", before)
            # … and the name ends where the sentence goes on ("said", ","), not in a heading ("Issue 24")
            if prefix and (set(prefix.group(1).split()) & (_NOT_NAMES | _TITLE_WORDS) or rspan.start < art.headline_end
                           or not re.match(r"[,.;:!?)]| [a-zäöü]", text[person.span.end:person.span.end + 2])):
                prefix = None
        if joined:
            org = Mention(Span(offset + joined.start("org"), offset + joined.end("org")), joined.group("org"),
                          "organization")
        elif om and len(om.group("org").rstrip(".,")) >= 2 and \
                not _GENITIVE_NOUN.match(after, om.start("org") - 4):
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
        for m in [*_TITLED.finditer(art.text), *_OWNED.finditer(art.text)]:
            subject = next(k for k in ("person", "pron", "pron_inv") if m.groupdict().get(k))
            begin = _name_start(art.text, m.start(subject), m.end(subject)) if subject == "person" else m.start(subject)
            person = Mention(Span(begin, m.end(subject)), art.text[begin:m.end(subject)],
                             "person" if subject == "person" else "pronoun")
            title = Span(m.start("title"), m.end("title"))
            if person.text.split()[0] in _NOT_NAMES or any(overlap(p.span, title) for p in role_posts) or any(
                    overlap(s, title) for s, t in art.terms if t.kind == "role"):
                continue
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
        for m in (m for expr in _GENERIC for m in expr.finditer(art.text)):
            pspan, tspan = Span(m.start("person"), m.end("person")), Span(m.start("title"), m.end("title"))
            person = Mention(pspan, art.text[pspan.start:pspan.end], "person")
            if person.text.split()[0] in _NOT_NAMES | _TITLE_WORDS or _ORG_TAIL.search(person.text) or \
                    _NOT_PERSON.search(person.text) or re.search(_TITLE_WORD, person.text) or \
                    tspan.start < art.headline_end or "\n" in m.group(0) or _title_case(art, tspan.start) or \
                    any(overlap(s, pspan) for s, t in art.terms if t.kind == "role") or \
                    any(overlap(p.extra["title_span"], tspan) for p in found + out):
                continue
            roles = [(s, t) for s, t in art.terms if t.kind == "role" and overlap(s, tspan)]
            role = roles[-1][1].role if roles else None
            if role == "head" and _HEAD_OF_FIELD.match(art.text, roles[-1][0].end):
                role = None
            org = None
            if m.group("org"):
                org = Mention(Span(m.start("org"), m.end("org")), m.group("org").rstrip(".,"),
                              "organization")
            start = min(pspan.start, tspan.start, org.span.start if org else tspan.start)
            end = max(pspan.end, tspan.end, org.span.end if org else tspan.end)
            out.append(Mention(Span(start, end), art.text[start:end], "post", None, role, 0.6 if org else 0.55,
                               {"person": person, "organization": org, "since": None, "former": False,
                                "title": m.group("title"), "title_span": tspan, "via_pronoun": False}))
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
            pronoun = re.search(_PRONOUN + r"\b", p.quote) and not (name and name.split()[-1] in p.quote)
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
    return text[title.end:person.span.start] == " " and bool(re.match(r"[,.;:!?)]| [a-zäöü]", text[person.span.end:person.span.end + 2]))


def _title_case(art: Article, pos: int) -> bool:
    """The line at pos is an English heading in title case ("Today's CEO Priorities Will Become
    …"), whose capitalised words stand for no person: most of its words capitalised, and no
    comma (a German line capitalises its nouns; "Jane Doe, Global Chairman, Acme" is no heading)."""
    if art.language != "en":
        return False
    line = art.text[art.paragraph(pos).start:art.paragraph(pos).end]
    words = re.findall(r"[^\W\d_][\w'’-]{3,}", line)
    return "," not in line and len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _name_start(text: str, start: int, end: int) -> int:
    """Where a name matched at start begins: after a capitalised word that is no name ("Laut Max
    Muster", "Die Studie" is none at all and stays for the caller to refuse)."""
    lead = re.match(r"(\S+) (?=\S+ \S)", text[start:end])
    return start + lead.end() if lead and lead.group(1) in _NOT_NAMES else start


def _same_person(found: str, gold: str | None) -> bool:
    if not gold:
        return True
    a, b = found.split()[-1], gold.split()[-1]
    return found == gold or a == b


def _persons(art: Article, known: list[Mention]) -> list[Mention]:
    """Every mention of a person named in the article, in text order: the persons of posts and
    speakers ("sagt X", "X said"), wherever their full name or surname occurs."""
    names = {m.text for m in known}
    for m in _SPEAKER.finditer(art.text):
        name = m.group("a") or m.group("b") or m.group("c")
        if name.split()[0] not in _NOT_NAMES and not _ORG_TAIL.search(name) and \
                not any(t.pattern.fullmatch(name) for t in art.gaz.terms):
            names.add(name)  # a sentence that begins with a name and a verb: "Anna Beispiel leitet …"
    names = {re.sub(r"^(?:Dr\. |Prof\. )+", "", n) for n in names}
    out = []
    for name in names:
        for variant in {name, name.split()[-1]}:
            for m in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", art.text):
                out.append(Mention(Span(m.start(), m.end()), name, "person"))
    return sorted(out, key=lambda m: (m.span.start, -m.span.end))
