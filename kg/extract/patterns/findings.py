"""Survey findings: a share of a respondent group, with its qualifier and proposition
("53 Prozent der CMOs sind überzeugt, dass …", "jeder vierte IT-Chef", "12 and 18 percent of
CMOs and CIOs, respectively"). The share expressions are read by the grammar of shares.py,
the group by groups.py; a share with no group of people is drafted below the threshold.

Gold: the curated findings that state a share, or a corpus file's `gold.findings`. A
candidate is correct if its wording lies inside the quote of a gold finding with the same
share (to 3 decimals) and qualifier; a gold finding is found if some candidate is correct for
it. Per form: the gold's form for recall, the candidate's for precision (a curated finding's
form is that of its wording, read by the same grammar).
"""

from __future__ import annotations

import re

from ... import curation as c
from ...text import SourceText, Span
from ..article import Article, Mention, NoQuote
from ..groups import Group, classify, group_after, group_before, group_mentioned, groups_mentioned, noun_phrase
from ..shares import RESPONDENT_VERBS, Share, parse, shares
from . import Gold, GoldContext, Pattern, inside, register

# "50% unserer Kunden", "of our customers": the speaker's own, no survey finding ("17 Prozent
# ihrer C-Level-Kollegen", the respondents' peers, is one when they are a group of people)
_POSSESSIVE = re.compile(r"\s*(?:der |of )?(?:unserer|unsere|unseren|our|seiner|its)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
_COORD = re.compile(r"\s*(?:,|und|and|bzw\.|beziehungsweise|or|oder|sowie)\s+(?:(?:der|of(?: the)?)\s+)?")


@register
class Findings(Pattern):
    name = "findings"
    order = 20

    def find(self, art: Article) -> list[Mention]:
        return art.memo(self.name, lambda: self._find(art))

    def _find(self, art: Article) -> list[Mention]:
        out: list[Mention] = []
        found = shares(art.text)
        last_groups: list[Group] = []  # the groups of the last sentence that named some
        something = -1  # where the last share of something other than people ended ("11 Prozent ihrer Zeit")
        for n, sh in enumerate(found):
            if _POSSESSIVE.match(art.text, sh.span.end) or _CHANGE_AFTER.match(art.text, sh.span.end) or \
                    _ARTICLE.search(art.text[max(0, sh.span.start - 4):sh.span.start]):
                continue  # "50% unserer Kunden", "a 29% jump": no survey finding
            if _restated(art.text, found, n):
                continue  # "Nearly half (49%)": one finding, written twice
            if _earlier_in_parens(art.text, sh.span):
                continue  # "(2022 waren es noch 64 Prozent)", "(27% in summer 2017)": an earlier wave's value
            sent = art.sentence(sh.span)
            group = self._group(art, sh, found[n - sh.item:n - sh.item + sh.items], sent)
            nxt = found[n + 1] if n + 1 < len(found) else None
            if group is None and nxt is not None and sh.items == 1 and \
                    _COORD.fullmatch(art.text, sh.span.end, nxt.span.start):
                group = self._group(art, nxt, [nxt], sent)  # "Ein Drittel bzw. ein Viertel der CIOs"
            if group is not None:
                if last_groups and last_groups[-1].span.start < sent.start:
                    last_groups = []
                last_groups.append(group)
                groups, conf = [group], 0.9
                if sh.items == 1 and _EACH.search(art.text, max(sent.start, sh.span.start - 9), sh.span.start):
                    groups = _coordinated(art, group, sent.end, None)  # "je 40 Prozent der CIOs und CMOs"
            elif (prev := _anaphoric(art, sh, sent)) is not None:
                # "two-thirds of them" after the group in its own sentence is a finding; a pronoun for
                # the sentence before is one for the curator to confirm, as the corpus counts none
                groups, conf = [prev], 0.8 if prev.span.start >= sent.start else 0.45
            elif sh.items > 1 and not _CHANGE.search(art.text, sent.start, found[n - sh.item].span.start) and \
                    len(named := groups_mentioned(art, sent.start, sh.span.start)) >= sh.items:
                groups, conf = [named[sh.item - sh.items]], 0.8  # "CMOs and CIOs said 45 and 38 percent, resp."
            else:
                groups, conf = self._elided(art, sh, sent, last_groups, something), 0.7
            if not groups and _OF_SOMETHING.match(art.text, sh.span.end, sent.end):
                something = sh.span.end
            prop = _proposition(art, sh.span, sent, group)
            # a share with no group of people in its sentence is no finding the rules can tell
            # ("Forty-eight percent expressed …" after a sentence about CFOs): left to review
            for g in groups or [None]:
                out.append(Mention(sh.span, sh.wording, "finding", None, g.role if g else None,
                                   conf if g else 0.45,
                                   {"share": sh.value, "qualifier": sh.qualifier, "form": sh.form, "group": g,
                                    "proposition": prop, "sentence": sent}))
        return out

    @staticmethod
    def _elided(art: Article, sh: Share, sent: Span, last_groups: list[Group], something: int) -> list[Group]:
        """The groups of a share written without its own: none for an earlier value, a change
        or the share of something else ("ein Drittel der Vorhaben"), nor for one that follows
        such a share in its sentence ("11 Prozent ihrer Zeit für den Verkauf und 9 Prozent für
        …"); the group of the share before it in the sentence ("33 Prozent der Befragten sagen …,
        und 42 Prozent …"); each group just named for "jeweils"; else the group of people named
        before it in the sentence."""
        text = art.text
        # "46 per cent of the marketing executives in India …, compared to 17 per cent globally": the same
        # group elsewhere, not an earlier value
        elsewhere = _ELSEWHERE_BEFORE.search(text, sent.start, sh.span.start) and \
            _ELSEWHERE_AFTER.match(text, sh.span.end, sent.end)
        before = text[sent.start:sh.span.start]
        if not elsewhere and (_CHANGE.search(before) or _EARLIER_LIST.search(before)) or \
                _OF_SOMETHING.match(text, sh.span.end, sent.end) or \
                (sent.start <= something < sh.span.start and not _VERB_AFTER.match(text, sh.span.end, sent.end)):
            return []
        if last_groups and last_groups[-1].span.start >= sent.start:
            return last_groups[-1:]
        if re.search(r"\bjeweils\b", before):
            return last_groups
        mentioned = group_mentioned(art, sent.start, sh.span.start)
        said = _SAID_BY.search(text, sh.span.end, sent.end)  # "…, sagen die befragten CIOs"
        if mentioned is None and said:
            mentioned = noun_phrase(art, said.end(), sent.end, "de" if said.group("de") else "en")
        polled = _POLLED.search(text, sent.start, sent.end)  # "…, so die Umfrage unter 500 Geschäftsführern"
        if mentioned is None and polled:
            mentioned = noun_phrase(art, polled.end(), sent.end, "de" if polled.group("de") else "en")
        return [mentioned] if mentioned else []

    @staticmethod
    def _group(art: Article, sh: Share, items: list[Share], sent: Span) -> Group | None:
        """The share's group: after it, else introduced before it in the sentence; for the n-th
        share of a respectively list, the n-th of the coordinated groups there ("of CMOs and
        CIOs", "der CMOs bzw. CIOs", "Among CMOs and CIOs, 12 and 18 percent, respectively")."""
        end = items[-1].span.end
        # "Nearly half (49%) of …", "Nearly three-quarters – 73pc – of …", "ein Viertel (26,2 Prozent) - der …"
        restated = re.match(r"\s*(?:\([^()]{1,20}\)|[–-] [^–-]{1,20} [–-])(?:\s*[–-](?=\s))?", art.text[end:sent.end])
        if re.search(r"\(\s*$", art.text[max(sent.start, items[0].span.start - 3):items[0].span.start]):
            restated = re.match(r"\s*\)", art.text[end:sent.end])  # "Eine knappe Mehrheit (52 Prozent) der …"
        if sh.items > 1 and not restated:  # "12 and 18 percent, respectively, for CMOs and CIOs"
            restated = re.match(r"\s*,?\s*(?:respectively|jeweils|beziehungsweise)\b,?(?=\s+(?:for|für) )",
                                art.text[end:sent.end])
            restated = restated or re.match(r"(?=\s+(?:for|für) )", art.text[end:sent.end])
        # a group right after the share: "jeder vierte IT-Chef", "three in five CIOs", in English also after a
        # percentage ("62 per cent business leaders", "More than 50% surveyed CFOs")
        direct = sh.form in ("every-nth", "x-of-y") or (
            art.language == "en" and sh.form in ("percent", "decimal") and bool(_NOUN_NEXT.match(art.text, end)))
        g = group_after(art, end + (restated.end() if restated else 0), sent.end, direct=direct, lists=sh.items > 1)
        g = g or group_before(art, sent.start, items[0].span.start)  # "Among CMOs and CIOs, 12 and 18 …"
        if sh.items == 1 or g is None:
            return g
        groups = _coordinated(art, g, sent.end, sh.items)
        return groups[sh.item] if len(groups) == sh.items else g

    def draft(self, mentions: list[Mention], d) -> None:
        seen: set[tuple[str, str]] = set()
        for f in mentions:
            try:
                self._draft_one(f, d, seen)
            except NoQuote:
                continue

    def _draft_one(self, f: Mention, d, seen: set) -> None:
        text = d.text
        sent = f.extra["sentence"]
        g: Group | None = f.extra["group"]
        key = (text[sent.start:sent.end], f.text, text[g.span.start:g.span.end] if g else "")
        if key in seen:
            return  # the same sentence again (repeated text): one finding
        seen.add(key)
        quote = d.quote(sent)
        wording = d.art.raw[f.span.start:f.span.end]  # as given, to lie in the quote even where wrapped
        if wording not in quote["quote"]:
            return
        study = d.study(f.span)
        if g is not None and g.term is not None and g.term.kind == "group" and g.term.id in d.known_ids:
            group_id = g.term.id
        elif g is not None:
            words = text[g.span.start:g.span.end]
            gkey = g.term.id if g.term is not None and g.term.kind == "group" else words.lower()
            group_id = d.entity("group", gkey, words, lambda i: c.Group(
                id=i, type="group", label=c.Label(de=words, en=words), role=g.role, department=g.department,
                **d.quote(g.span)))
        else:
            group_id = d.entity("group", "respondents", f"respondents-{d.doc_id}", lambda i: c.Group(
                id=i, type="group", label=c.Label(de="Befragte", en="respondents"), **d.quote(f.span)))
        p = f.extra["proposition"]
        if p is not None:
            prop_id = d.entity("proposition", p.text, "p-" + p.text[:40], lambda i: c.Proposition(
                id=i, type="proposition", label=c.Label(de=p.text, en=p.text), **d.quote(p.span)))
        else:
            prop_id = d.entity("proposition", f"unstated-{f.span.start}", f"p-{d.doc_id}-{f.span.start}",
                               lambda i: c.Proposition(id=i, type="proposition",
                                                       label=c.Label(de=f.text, en=f.text), **d.quote(f.span)))
        share = round(f.extra["share"] * 100, 1)
        d.add("findings", c.Finding(
            id=d.new_id(f"f-{group_id}-{prop_id.removeprefix('p-')}"[:60]), study=study, group=group_id,
            proposition=prop_id, share=int(share) if share == int(share) else share,
            qualifier=f.extra["qualifier"], wording=wording, **quote), f.confidence)

    # ------------------------------------------------------------ gold and scoring

    def gold(self, doc: c.Document, ctx: GoldContext) -> list[Gold]:
        src = SourceText(doc.text)
        out = []
        for f in doc.facts.findings:
            if f.share is None:
                continue
            parsed = parse(f.wording or "")
            out.append(Gold(src.locate(f.quote, f.context),
                            {"share": f.share / 100, "qualifier": f.qualifier or "exactly"},
                            parsed.form if parsed else "unparsed", f"{f.id} ({f.wording!r})"))
        return out

    def corpus_gold(self, gold: dict, source: SourceText) -> list[Gold] | None:
        out = []
        for f in gold.get("findings") or []:
            span = source.locate(f["quote"], f.get("context"))
            out.append(Gold(span, {"share": float(f["share"]), "qualifier": f.get("qualifier") or "exactly"},
                            f.get("form"), f"{f.get('wording')!r} of {f.get('group')!r}"))
        return out

    def agrees(self, m: Mention, g: Gold) -> bool:
        return (inside(m.span, g.span) and abs(m.extra["share"] - g.attrs["share"]) <= 0.0015
                and m.extra["qualifier"] == g.attrs["qualifier"])

    def facet(self, m: Mention) -> str | None:
        return m.extra["form"]


# the nouns of a change and the words of a comparison, which the three expressions below share
_CHANGE_NOUN = r"[Ww]achstum|[Rr]ückgang|[Aa]nstieg|[Zz]uwachs|growth|increase|decline|rise|drop"
_COMPARED = r"compared (?:with|to)|versus|gegenüber|verglichen mit"
# a share after these is an earlier value or a change, not the finding: "down from 55 percent",
# "compared with 25% last year",
# "im Vorjahr waren es noch rund 44 Prozent", "ein Plus von mehr als 10 Prozent"
# an average is no share of a group either: "mit durchschnittlich knapp 67 Prozent", "by an average of four percent"
# and a change is none: "expect budgets to rise 5 percent", "Revenue grew 20 percent"
_CHANGE = re.compile(r"\b(?:from|to|um|auf|Plus von|Minus von|Vorjahr\w*[^.]*|(?:last|from) \w+['’]s|durchschnittlich|"
                     # "2016 waren es nur 9,7 Prozent", "damals waren es noch …"
                     r"(?:(?:19|20)\d\d|damals|zuvor|Jahren) waren es|"
                     rf"(?:{_COMPARED})(?: only| just)?|vs\.|im Vergleich zu|"
                     # a rate of change: "eine Aufwärtsbewegung bei den Erlösen von mehr als zehn Prozent"
                     rf"\w*(?:{_CHANGE_NOUN}|[Bb]ewegung|[Ss]teigerung|[Ee]inbruch|[Rr]eduzierung(?:en)?)"
                     r"\b[^.;]{0,60}\b(?:von|of|um|by)"
                     r"(?: (?:mehr als|über|rund|etwa|knapp|more than|over|about))?|(?:im Schnitt|on average) (?:noch|nur|only)|"
                     # "a response rate of 27 percent", "the median nurse vacancy rate was 6 percent", "the global
                     # figure of 23 per cent", "less than the 60 per cent … last year"
                     r"(?:[Rr]ate|[Qq]uote|margin|[Mm]arge|figure|Schwankungsbreite|Stichprobenfehler|Fehlertoleranz|Fehlerspanne|[Ii]ndex(?: \([A-Z]+\))?)"
                     r" (?:of|von|was|is|beträgt|betrug|lag bei|liegt bei|stands at|stood at|steht bei|stand bei)"
                     r"(?: bis zu| rund| etwa| about| plus or minus)?|"
                     r"than the|als die|"
                     r"im Schnitt|(?:an |on )?average(?: of)?|(?<!followed )by|up|down|ris(?:e|es|en|ing)|rose|gr(?:ow|ows|ew|own|owing)|"
                     r"increas\w*|fall|falls|fell|drop\w*|declin\w*|climb\w*|jump\w*|s(?:teigt|tieg|inkt|ank)|"
                     r"w(?:ächst|uchs))(?:\s+(?:only|just|nur|lediglich|noch))?\s*$")  # "increase by only 1.1%"


# a share of a change is none: "1,2 Prozent Umsatzwachstum", "5 percent growth"
_CHANGE_AFTER = re.compile(rf"\s+(?:\w*(?:{_CHANGE_NOUN}|[Pp]lus|[Mm]inus)|less|more|fewer|weniger|mehr)\b"
                           # "seven per cent less sure than last year"
                           r"|\s+over (?:last|the previous|a) (?:year|quarter)\b")  # "more than 20% over last year"
# the rest of a list of earlier values: "compared to 72 percent in 2006 and 67 percent in 2005"
_EARLIER_LIST = re.compile(rf"\b(?:{_COMPARED}|up from|down from)\s(?:only |just |nur )?"
                           r"\d[\d.,]*\s*(?:%|percent|per cent|Prozent)(?:\s(?:in|im)\s\d{4}|\s(?:last|a) (?:year|quarter)(?: ago)?|"
                           r"\sim Vorjahr)?,?\s(?:and|und)\s+$")


# a share of something the noun phrase after it names, not of the respondents: "ein Drittel der
# Vorhaben", "11 Prozent ihrer Zeit"
_OF_SOMETHING = re.compile(r"\s+(?:der|des|von|of|aller|ihrer|ihres|ihren|ihrem|seiner|seines|their|its|his|her)\s")
# a verb right after the share: a clause of its own about people ("…16% of their budgets …, and nearly
# two-thirds expect …"), not an ellipsis of the share of something before it
_VERB_AFTER = re.compile(rf"\s+(?:{RESPONDENT_VERBS.pattern}|erwarten|planen|sagen|sehen|glauben|geben|halten|wollen|rechnen|gehen)\b")
# a comparison with the same group elsewhere: "compared to 17 per cent globally", "gegenüber 40 Prozent weltweit"
_ELSEWHERE_BEFORE = re.compile(rf"(?:{_COMPARED}|vs\.)(?: only| just| nur)?\s+$")
_ELSEWHERE_AFTER = re.compile(r"\s+(?:globally|worldwide|weltweit|international(?:ly)?|across (?:the )?(?:globe|world|region)|"
                              r"(?:in|im) (?!\d)(?:(?:the|der|den) )?[A-ZÄÖÜ][\w-]+(?! \d))(?=[\s,.;)]|$)")
# a noun phrase right after an English percentage, not a clause ("62 per cent business leaders", not "75% when …")
_NOUN_NEXT = re.compile(r"\s+(?!(?:when|as|in|for|of|to|and|or|with|from|on|at|by|than|while|who|which|that|this|these|"
                        r"the|a|an|is|are|was|were|will|would|said|say|says)\b)[A-Za-z]")
# the respondents named as the speakers after the share: "…, sagen die CIOs", "…, so die befragten CIOs"
_SAID_BY = re.compile(r"[,;]\s*(?:(?P<de>sagen|meinen|glauben|erklären|berichten|so)\s+(?:die|alle)|"
                      r"(?P<en>say|said|according to)\s+(?:the|all)?)\s+")
# the respondents of the survey the sentence names: "so die Umfrage unter 500 Geschäftsführern", "a poll of 300 CFOs"
_POLLED = re.compile(r"\b(?:(?P<de>(?:Umfrage|Befragung|Studie|Erhebung) unter)(?: den| allen)?|"
                     r"(?P<en>(?:survey|poll|study) of)(?: the| all)?)\s+(?=(?:rund |über |mehr als |more than |about )?\d)")
# "je 40 Prozent", "jeweils 40 Prozent": the same share of each group named after it
_EACH = re.compile(r"\b(?:[Jj]e|[Jj]eweils)\s+(?:(?:rund|etwa|knapp|über|mehr als|fast)\s+)?$")
# the respondents of the sentence before: "42 Prozent von ihnen", "Of those, 40 percent …"; or of the
# clause before: "1,100 executives, 95 percent of whom were CEOs"
# ("of those who use AI", "of those surveyed" are a group of their own, read by groups.py)
_THEM_AFTER = re.compile(r"\s+(?:von ihnen|von denen|of them|of whom|of (?:these|those)(?=\s*[,.;:)]|\s+(?:say|said|says|expect|plan|"
                         r"believe|agree|report|think|want|see|are|were|have|had|will|would)\b))")
_THEM_BEFORE = re.compile(r"^\W*(?:(?:Of (?:them|these|those)|Among them),|Davon|(?:Von|Unter) ihnen,?)\s")


def _anaphoric(art: Article, sh: Share, sent: Span) -> Group | None:
    """The group a share refers to by a pronoun: the group of people named last before it in its
    sentence ("The majority of CSOs are new: two-thirds of them …"), else in the sentence before
    ("Befragt wurden 500 CIOs. 42 Prozent von ihnen …")."""
    if not (_THEM_AFTER.match(art.text, sh.span.end, sent.end) or _THEM_BEFORE.match(art.text[sent.start:sh.span.start])):
        return None
    # "executives, 95 percent of whom were CEOs and 5 percent of whom …": the group before the first relative clause
    relative = re.search(r",\s+[^,]{1,40}?\s(?:of whom|von denen)\b", art.text[sent.start:sh.span.end])
    if relative and (antecedent := group_mentioned(art, sent.start, sent.start + relative.start())) is not None:
        return antecedent
    if (same := group_mentioned(art, sent.start, sh.span.start)) is not None:
        return same
    if sent.start < 2:
        return None
    prev = art.sentence(Span(sent.start - 2, sent.start - 2))
    return group_mentioned(art, prev.start, prev.end)


def _coordinated(art: Article, g: Group, end: int, n: int | None) -> list[Group]:
    """The groups coordinated from g on (up to n): its heads where one phrase names several
    ("der CMOs bzw. CIOs"), else the noun phrases joined after it ("der CIOs und der CMOs")."""
    if len(g.heads) > 1 and (n is None or len(g.heads) == n):
        return [Group(h, [h], *classify(art, h), g.lang) for h in g.heads]
    groups = [g]
    while (n is None or len(groups) < n) and (m := _COORD.match(art.text, groups[-1].span.end, end)):
        nxt = noun_phrase(art, m.end(), end, g.lang)
        if nxt is None:
            break
        groups.append(nxt)
    return groups


# where another share begins inside the same parentheses: "(37%; vs. 18% 2010)"
_OTHER_SHARE = re.compile(r"[;,]|\b(?:vs|versus|im Vergleich|compared|gegenüber)\b")


def _earlier_in_parens(text: str, span: Span) -> bool:
    """The share stands in parentheses with a year: an earlier wave's value ("(2022 waren es noch
    64 Prozent)", "(Frühjahr 2010: 16 Prozent)", "(27% in summer 2017)")."""
    before, after = text[max(0, span.start - 40):span.start], text[span.end:span.end + 40]
    opening, closing = before.rfind("("), after.find(")")
    if opening < 0 or closing < 0 or ")" in before[opening:] or "(" in after[:closing]:
        return False
    # the year of this share, not of another compared with it: "(37%; vs. 18% 2010)", "(61 Prozent, im
    # Vergleich zu 25 Prozent in 2019)"
    own = _OTHER_SHARE.split(before[opening:])[-1] + _OTHER_SHARE.split(after[:closing])[0]
    return bool(re.search(r"\b(?:19|20)\d\d\b", own))


def _restated(text: str, found: list[Share], n: int) -> bool:
    """The share restates its neighbour: in parentheses or dashes after it ("vier von zehn aller
    CIOs (43 Prozent)", "Nearly three-quarters – 73pc – of"), or right before it ("mit knapp 49 Prozent fast die Hälfte der …")."""
    sh = found[n]
    if n > 0 and re.search(r"[–-]\s$", text[max(0, sh.span.start - 3):sh.span.start]) and re.match(r"\s[–-]\s", text[sh.span.end:]) \
            and re.fullmatch(r"\s[–-]\s", text[found[n - 1].span.end:sh.span.start]):
        return True  # "Nearly three-quarters – 73pc – of the CEOs"
    if n > 0 and re.search(r"\(\s*$", text[max(0, sh.span.start - 3):sh.span.start]) \
            and re.match(r"\s*\)", text[sh.span.end:]):
        prev = found[n - 1]
        gap = text[prev.span.end:sh.span.start]
        return (len(gap) < 60 and not re.search(r"[.;!?,)]", gap)
                and not re.search(r"\(\s*$", text[max(0, prev.span.start - 3):prev.span.start]))
    nxt = found[n + 1] if n + 1 < len(found) else None
    return nxt is not None and sh.items == 1 and not text[sh.span.end:nxt.span.start].strip()


def _proposition(art: Article, span: Span, sent: Span, group: Group | None) -> Mention | None:
    """What the share of the group says: the "dass"/"that" clause, else the rest of the clause."""
    text = art.text
    s = text[sent.start:sent.end]
    rel = (max(group.span.end, span.end) if group else span.end) - sent.start
    dass = re.search(r",?\s(dass|that)\s", s[rel:])
    start = rel + dass.end() if dass else rel
    tail = s[start:]
    # stop before the clause of the next share ("…, waren nur 35 Prozent der CIOs …")
    nxt = shares(tail)
    if nxt:
        cut = max(tail.rfind(",", 0, nxt[0].span.start), tail.rfind(" und ", 0, nxt[0].span.start),
                  tail.rfind(" and ", 0, nxt[0].span.start))
        tail = tail[:cut] if cut > 0 else tail[:nxt[0].span.start]
    tail = tail.rstrip(" .!?,;:“”\"")
    lead = len(tail) - len(tail.lstrip(" ,"))
    tail = tail.strip(" ,")
    if len(tail) < 3:
        return None
    begin = sent.start + start + lead
    return Mention(Span(begin, begin + len(tail)), tail, "proposition", None, None, 0.6)
