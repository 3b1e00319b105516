"""Respondent groups: the noun phrase of a share ("der 300 befragten Vertriebsleiter", "of the
IT leaders surveyed", "unter den CIOs"), its head noun, and what the gazetteer knows of it.

A head is taken as a group of people when the gazetteer names it, when it is an
abbreviation such as "CISOs", or when its ending makes it a person noun ("-leiter",
"-verantwortliche", "Befragte", "-ers", "-ives"); "Prozent des Umsatzes" has no group. The
head maps to a role or a department only where the gazetteer knows one (a role label, a
curated group, or a department's compound: "Vertriebsleiter" is a leader of Vertrieb);
otherwise the group is new and drafted for review without a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import Span
from .article import Article
from .gazetteer import LEADER_WORDS, Term

_DE_PERSON = re.compile(
    r"(?:er|ern|erin|erinnen|innen|te|ten|che|chen|chefs?|kräfte|kräften|[Kk]raft|[Vv]orstand|leute|experten|isten|enten|anten|"
    r"oren|iers?|ler|lern|nehmer|nehmern|ende|enden|stände|ständen|profis|[Pp]ersonen|[Bb]osse|[Ff]rauen|[Mm]änner|"
    r"[Kk]ollegen|[Kk]olleginnen|"
    r"[Mm]itglieder|[Mm]itgliedern|CIOs|CMOs|Os)$")
_EN_PERSON = re.compile(r"(?:ers|ors|ists|ives|ants|ents|ians|ees|onals|uals|heads|chiefs|staff|people|personnel|execs|"
                        r"bosses|\bpros|eurs|delegates|candidates|graduates|associates|advocates|\b[Pp]anel(?:l?ists)?|\b(?:under|over)-\d+s|\bolds|year-olds|(?:\b(?:[Ww]o)?|[Cc]hair|[Bb]usiness|[Ss]ales|[Ss]pokes|[Tt]rades|[Cc]rafts)(?:men|women)|[Cc]-[Ss]uite|boards|\bmanagement|\bleadership|\bcounsel|"
                        r"[A-Z]{2,5}s)$")
# a title in the singular, which may stand for all who hold it
_EN_TITLE_NOUN = re.compile(r"(?:officer|executive|leader|manager|director)$")
# Nouns with a person noun's ending that name things, and respondents that are companies.
_NOT_PERSONS = {
    "daten", "kosten", "zeiten", "projekte", "produkte", "inhalte", "länder", "gelder", "werte", "märkte",
    "kanäle", "geräte", "angebote", "fälle", "jahre", "monate", "dokumente", "prozesse", "themen", "stellen",
    "bereiche", "ressourcen", "ziele", "budgets", "umsätze", "ergebnisse", "aufgaben", "investitionen",
    "departments", "documents", "investments", "requirements", "payments", "segments", "elements", "others",
    "numbers", "orders", "centers", "servers", "computers", "chapters", "letters", "quarters", "results",
    "ängste", "ängsten", "september", "october", "oktober", "november", "december", "dezember",
}
# the heads of German compounds naming companies ("Handwerksbetriebe", "Industrieunternehmen")
_COMPANY_HEADS = ("unternehmen", "betriebe", "firmen", "konzerne", "banken", "kliniken", "verlage", "agenturen")
_COMPANIES = {"unternehmen", "firmen", "betriebe", "mittelständler", "organisationen", "konzerne", "companies",
              "firms", "organizations", "organisations", "businesses", "enterprises", "brands", "retailers",
              "agencies", "startups", "start-ups", "verlage", "banken", "kliniken", "krankenhäuser", "agenturen",
              "versicherer", "publishers", "banks", "insurers", "hospitals", "kmu", "kmus", "smes", "airlines",
              "charities", "nonprofits", "non-profits", "sparkassen", "stadtwerke", "kommunen", "gemeinden",
              # the singular after "jedes dritte", "every fifth"
              "firma", "betrieb", "startup", "start-up", "verlag", "company", "firm", "organization",
              "organisation", "enterprise", "agency", "bank", "airline", "hospital", "publisher", "insurer"}
# The leaders of a department, as a compound's tail or an English noun after the department.
_LEADER_TAILS = re.compile(rf"(?:{LEADER_WORDS}|leaders|executives|heads|chiefs|decision-makers)$")

_STOP_EN = re.compile(
    r"(?:say|says|said|believe[sd]?|think|thinks|thought|agree[sd]?|are|were|is|was|have|has|had|plan|plans|"
    r"planned|expect|expects|expected|report|reports|reported|see|sees|saw|view|views|viewed|want|wants|use|uses|"
    r"used|consider|considers|feel|feels|felt|cite|cites|cited|indicate[sd]?|name[sd]?|do|does|did|will|would|"
    r"can|could|should|may|might|must|that|who|which|whose|in|at|with|for|to|and|or|but|from|by|on|as|than|"
    r"surveyed|polled|questioned|interviewed|asked|already|now|still|also|currently|respectively|not|no)",
    re.IGNORECASE)
_ASKED = r"(?:surveyed|polled|questioned|interviewed|asked|responding)"
_SURVEYED = rf"(?:\s+{_ASKED})?"

_INTRO_AFTER = re.compile(
    r"\s*(?:(?P<de>der|aller|ihrer|von(?: den| allen| ihren)?|unter (?:den|allen)|bei (?:den|allen))|"
    r"(?P<en>of(?: the| all(?: the)?| those| these| this| their)?|among(?: the| all)?|(?<=[Hh]alf )the))\s+",
    re.IGNORECASE)
_INTRO_BEFORE = re.compile(
    r"(?:(?P<de>\b[Uu]nter(?: den| allen)?|\b(?:[Vv]on|[Bb]ei) (?:den|allen))|(?P<en>\b[Aa]mong(?: the| all)?))\s+")
# the participle that ends a long German noun phrase before its head, within the clause
_ASKED_DE = re.compile(r"[^.;:!?]{0,200}?\b(?P<asked>(?:befragten|teilnehmenden|interviewten)\s+(?=[A-ZÄÖÜ])|"
                       r"(?:Befragten|Teilnehmenden)\b)")  # "… der für die Indizierung Befragten"
_QUOTES = "\"„“»"  # opening quotation marks before a group's noun: der "Personaler"
_DE_NP = re.compile(
    r"(?:(?:den|die|der|allen)\s+)?(?:(?:rund|etwa|über|mehr als|insgesamt)\s+)?"
    r"(?:[\d.]+\s+|[a-zäöü]+zig\s+|hundert\s+)?"
    # a short phrase before the participle: "der von uns befragten", "der in Deutschland befragten",
    # "der an der Studie teilnehmenden"
    r"(?:(?:von|vom|im Auftrag|in|im|an|aus|bei)(?: der| den| dem)?\s+[\w-]+\s+(?=[a-zäöü]\w*(?:en|ten)\s))?"
    r"(?:(?:[a-zäöüß][\w-]*(?:en|e|er|es|ten)|weltweit|bundesweit|deutschlandweit|europaweit|insgesamt|einst)\s+){0,3}"
    rf"[{_QUOTES}]?"
    r"(?P<head>[A-ZÄÖÜ][\w]*(?:-[\w]+)*(?:-?\s(?:und|oder|bzw\.|sowie)\s[A-ZÄÖÜ][\w]*(?:-[\w]+)*)?)")
_EN_WORD = r"(?:[A-Z]\.){2,}|\([A-Z]{2,5}\)|[\w][\w&-]*"  # "U.S." is one word, and so is "(IT)"


@dataclass
class Group:
    span: Span  # the group as written, without "der"/"of the"
    heads: list[Span]  # its head nouns (several where coordinated: "CMOs and CIOs")
    role: str | None
    department: str | None
    term: Term | None  # the gazetteer term naming it, if any
    lang: str = "de"  # the grammar it was read with


def is_person_noun(word: str, lang: str = "de") -> bool:
    low = word.lower()
    if low in _NOT_PERSONS or low.endswith(("ments", "seite")):
        return False
    if low in _COMPANIES or low.endswith(_COMPANY_HEADS) or _EN_PERSON.search(word):
        return True
    # German nouns are capitalised ("Entscheider", not "ihrer"); in English a capital ending so names no
    # person ("Gartner", "October"), but a title in the singular may stand for all who hold it ("the Chief
    # Sustainability Officer is growing in importance, with half reporting to the CEO")
    if lang == "en":
        return bool(_EN_TITLE_NOUN.search(low))
    return word[:1].isupper() and bool(_DE_PERSON.search(word))


# a list of shares may name its groups with "for": "12 and 18 percent, respectively, for CMOs and CIOs"
_INTRO_LIST = re.compile(r"\s*(?:(?P<de>für(?: die| alle)?)|(?P<en>for(?: the| all)?))\s+")


def group_after(art: Article, pos: int, end: int, direct: bool = False, lists: bool = False) -> Group | None:
    """The group introduced right after a share ("… der IT-Entscheider", "… of the CIOs"), or,
    if direct, named right after it ("jeder vierte IT-Chef", "three in five CIOs"); after a
    list of shares also with "for"."""
    m = _INTRO_AFTER.match(art.text, pos, end) or (_INTRO_LIST.match(art.text, pos, end) if lists else None)
    if m:
        g = noun_phrase(art, m.end(), end, "de" if m.group("de") else "en")
        if g is None and m.group("de") and (asked := _ASKED_DE.match(art.text, m.end(), end)):
            g = noun_phrase(art, asked.start("asked"), end, "de")  # "73 Prozent der rund 300 zu … befragten Marketingentscheider"
        if g is not None and re.search(r"\b(?:ihrer|their)\s+$", m.group(), re.IGNORECASE) and g.role is None \
                and not _PEERS.search(art.text[g.span.start:g.span.end]):
            return None  # "40 Prozent ihrer Mitarbeiter": the respondents' staff, no respondents
        return g
    m = re.match(r"\s+", art.text[pos:end])
    if m and re.match(r"[a-zäöü]+er\s+[A-ZÄÖÜ]", art.text[pos + m.end():end]):
        return noun_phrase(art, pos + m.end(), end, "de")  # a genitive without article: "40 Prozent deutscher CIOs"
    if not direct or not m:
        return None
    return noun_phrase(art, pos + m.end(), end, art.language)


def groups_mentioned(art: Article, start: int, pos: int) -> list[Group]:
    """The groups of people named between start and pos, in text order ("sehen CIOs … (52
    Prozent)", "A survey of CFOs found that 34% …", "CMOs and CIOs said 45 and 38 percent,
    respectively"): gazetteer terms naming a role and person nouns."""
    found = []
    for tspan, term in art.terms:
        words = art.text[tspan.start:tspan.end]
        plural = not re.fullmatch(r"[A-Z]{2,5}", words)  # "CIO" is one, "CIOs" a group
        if start <= tspan.start and tspan.end <= pos and term.role is not None and plural:
            found.append(Group(tspan, [tspan], term.role, None, term))
    for m in re.finditer(r"\b(?:[A-ZÄÖÜ][\w-]*|[a-z][\w-]*s)\b", art.text[start:pos]):
        s, e = start + m.start(), start + m.end()
        if re.search(r"(?:^|[,:;(“\"]\s*)$", art.text[start:s]) and m.group()[0].isupper() and \
                not (art.language == "en" and _EN_PERSON.search(m.group())):
            continue  # a capital at the start of a clause says nothing ("Hier", "Aber"), but "Marketers" does
        if m.group() not in _NOT_HEADS and is_person_noun(m.group(), art.language) and \
                not any(g.span.start <= s < g.span.end for g in found):
            head = Span(s, e)
            found.append(Group(head, [head], *classify(art, head)))
    return sorted(found, key=lambda g: g.span.start)


def group_mentioned(art: Article, start: int, pos: int) -> Group | None:
    """The group of people named last before pos."""
    found = groups_mentioned(art, start, pos)
    return found[-1] if found else None


# the respondents' peers, surveyed beside them ("17 Prozent ihrer C-Level-Kollegen", "their peers")
_PEERS = re.compile(r"(?:[Kk]ollegen|[Kk]olleginnen|peers|counterparts|colleagues)$")
# capitalised words that end like a person noun but name no group
_NOT_HEADS = {"Studie", "Umfrage", "Ende", "Jahre", "Weltweit", "Insgesamt", "Unter", "Zeiten", "Mitte", "Zahlen"}


def group_before(art: Article, start: int, pos: int) -> Group | None:
    """The last group introduced in the clause before a share ("Unter den CIOs sagen 40 Prozent")."""
    best = None
    first = re.match(r"\s*Of (?:the |all |those )?", art.text[start:pos])  # "Of the CIOs surveyed, 40 percent …"
    if first:
        best = noun_phrase(art, start + first.end(), pos, "en")
    for m in _INTRO_BEFORE.finditer(art.text, start, pos):
        g = noun_phrase(art, m.end(), pos, "de" if m.group("de") else "en")
        if g is not None:
            best = g
    return best


def noun_phrase(art: Article, start: int, end: int, lang: str) -> Group | None:
    text = art.text
    # a gazetteer term at the start of the phrase, past its adjectives, names the group ("Führungskräfte im
    # Marketing", "jeder zehnte deutsche CIO")
    lead = re.match(r"(?:(?:den|die|der|the|all)\s+)?(?:(?:mehr als|über|rund|etwa|knapp|more than|over|about|"
                    r"nearly|some|almost)\s+)?(?:[\d.,]+\s+)?(?:(?:surveyed|senior|[a-zäöü]+(?:e|en|er|es))\s+){0,2}",
                    text[start:end])
    at = start + lead.end()
    for tspan, term in art.terms:
        if tspan.start == at and tspan.end <= end:
            return Group(Span(at, tspan.end), [tspan], term.role, None, art.gaz.as_group(term, text[at:tspan.end]),
                         lang)
    if lang == "en":
        those = re.search(r"\bthose\s+$", text[max(0, start - 6):start])
        asked = re.match(rf"{_ASKED}\b|(?:over|under|aged|older than|younger than) \d+\b", text[start:end])
        if those and asked:  # "of those surveyed": the respondents; "of those over 60": the oldest of them
            head = Span(start, start + asked.end())
            return Group(Span(start - len(those.group()), head.end), [head], None, None, None, lang)
        # "of (nearly) the surveyed FDs", "of the survey's respondents": no head before the noun
        start = start + len(re.match(rf"(?:(?:more than|over|about|nearly|some|almost)\s+)?"
                                     rf"(?:(?:{_ASKED}|participating)\s+)?(?:(?:[A-Z][\w.]*\s+){{0,2}}[\w.]+['’]s\s+)?",  # "the survey's", "New Zealand's"
                                     text[start:end]).group())
    if lang == "de":
        m = _DE_NP.match(text, start, end)
        if not m:
            return None
        head = Span(m.start("head"), m.end("head"))
        stop = head.end
    else:
        run = []
        for t in list(re.finditer(_EN_WORD, text[start:end]))[:6]:
            # modifiers may be coordinated ("IT and business leaders"), groups are not ("CMOs and CIOs")
            joins = t.group() in ("and", "or") and run and not is_person_noun(run[-1].group(), lang)
            if (_STOP_EN.fullmatch(t.group()) and not joins) or \
                    (run and text[start + run[-1].end():start + t.start()].strip()):
                break
            run.append(t)
        while run and not is_person_noun(run[-1].group(), lang):
            run.pop()
        if not run:
            return None
        head = Span(start + run[-1].start(), start + run[-1].end())
        stop = head.end + re.match(_SURVEYED, text[head.end:end]).end()
    heads = _split_heads(text, head)
    if not any(is_person_noun(text[h.start:h.end], lang) for h in (heads[0], heads[-1])):
        return None
    role, dept, term = classify(art, heads[-1])
    if text[start:head.start].strip() in tuple(_QUOTES):
        start = head.start  # der "Personaler": the group is the noun, not its quotation mark
    return Group(Span(start, stop), heads, role, dept, term, lang)


def _split_heads(text: str, head: Span) -> list[Span]:
    parts, pos = [], head.start
    for m in re.finditer(r"-?\s(?:und|oder|bzw\.|sowie|and|or)\s", text[head.start:head.end]):
        parts.append(Span(pos, head.start + m.start() + (1 if m.group().startswith("-") else 0)))
        pos = head.start + m.end()
    parts.append(Span(pos, head.end))
    return parts


def classify(art: Article, head: Span) -> tuple[str | None, str | None, Term | None]:
    """(role, department, term) of a head noun: the gazetteer's term covering it, else the
    department whose label begins the compound ("Vertriebsleiter", "Marketingverantwortliche",
    "sales leaders") and the role leading it if the tail names its leaders, else the role whose
    compound label has the same first part ("Finanzchefs": "Finanzvorstand" is the CFO)."""
    for tspan, term in art.terms:
        if tspan.start <= head.start and head.end <= tspan.end:
            return term.role, None, art.gaz.as_group(term, art.text[tspan.start:tspan.end])
    word = art.text[head.start:head.end]
    prev = re.search(r"(\w+)\s+$", art.text[max(0, head.start - 30):head.start])
    for dept in art.gaz.departments:
        for label in dept.labels:
            low, lab = word.lower(), label.lower()
            tail = None
            if low.startswith(lab) and len(low) > len(lab) + 2:
                tail = re.sub(r"^[s-]", "", low[len(lab):])  # "Vertrieb-s-leiter", "IT-Entscheider"
            elif prev and prev.group(1).lower() == lab:  # "sales leaders"
                tail = low
            if tail and is_person_noun(tail.capitalize()):
                return (dept.role if _LEADER_TAILS.search(tail) else None), dept.slug, None
    stem = re.fullmatch(rf"(\w+?)-?s?{LEADER_WORDS}", word.lower())
    if stem and stem.group(1) in art.gaz.role_stems:  # "Finanzchefs", as "Finanzvorstand" names the CFO
        return art.gaz.role_stems[stem.group(1)], None, None
    return None, None, None
