"""Study mentions: "die Studie „…“", "the Acme Digital Survey", "Netbiscuits-Studie". The best
attested one becomes the study of the document's findings. Gold: the curated study entities;
a mention is correct if it overlaps the quote of one."""

from __future__ import annotations

import re

from ... import curation as c
from ...text import SourceText, Span
from ..article import Article, Mention
from ..article import NoQuote
from . import Gold, GoldContext, Pattern, overlap, register

_STUDY = re.compile(
    r"(?:(?P<title>„[^“”\n]{3,200}[“”]|\"[^\"\n]{3,200}\")\s*)?"
    r"(?P<word>(?:[\w()]+\s?-\s?)?(?:Studie|Umfrage|Befragung|Untersuchung)"
    r"|(?:[A-Z][\w&-]+ ){0,3}(?:Report|[Ss]tudy|[Ss]urvey))"
    r"(?:\s+(?P<title2>„[^“”\n]{3,200}[“”]|\"[^\"\n]{3,200}\"))?"
)


@register
class Studies(Pattern):
    name = "studies"
    order = 10

    def find(self, art: Article) -> list[Mention]:
        out = []
        for m in _STUDY.finditer(art.text):
            title = m.group("title") or m.group("title2")
            conf = 0.9 if title or re.search(r"[-\s]", m.group("word")) else 0.6
            out.append(Mention(Span(m.start(), m.end()), m.group(0), "study", None, None, conf,
                               {"title": title.strip("„“”\"") if title else None}))
        return out

    def draft(self, mentions: list[Mention], d) -> None:
        named = [s for s in mentions if s.confidence >= 0.9]
        drafted = []
        for s in named or mentions[:1]:  # plain "die Studie" only when no study is named
            title = s.extra["title"]
            try:
                quote = d.quote(s.span)
            except NoQuote:
                continue
            sid = d.entity("study", title or s.text.lower(),
                           title or (s.text if s.confidence >= 0.9 else f"study-{d.doc_id}"),
                           lambda i, s=s, title=title, quote=quote: c.Study(
                               id=i, type="study", label=c.Label(de=s.text, en=s.text), title=title, **quote),
                           s.confidence)
            drafted.append(sid)
        if drafted:  # the findings' study: the best attested one, the first of equals
            d.set_study(max(drafted, key=lambda i: d.confidence[i]))

    def gold(self, doc: c.Document, ctx: GoldContext) -> list[Gold]:
        src = SourceText(doc.text)
        return [Gold(src.locate(e.quote, e.context), {}, None, e.id) for e in doc.facts.entities if e.type == "study"]

    def agrees(self, m: Mention, g: Gold) -> bool:
        return overlap(m.span, g.span)
