"""Respondent groups: the group of each survey finding, as the findings pattern read it (the
head noun of the share's noun phrase, mapped to a role only where the gazetteer knows one).
They are drafted with their findings; this pattern measures them.

Gold: the group of each gold finding: its wording (in a corpus, the noun as written; in the
curation, the group's quote and labels), the finding's quote and the group's role or none. A candidate
is correct if it lies in the quote, one of its wording and the gold's contains the other, and
its role is the gold's, none counting as a role: a group drafted without a role where the
gold has one is wrong, and so is a guessed role. Per form: "role" for groups
with a role, "no role" for the others.
"""

from __future__ import annotations

from ... import curation as c
from ...text import SourceText
from ..article import Article, Mention
from . import THRESHOLD, Gold, GoldContext, Pattern, inside, patterns, register


@register
class Groups(Pattern):
    name = "groups"
    order = 25

    def find(self, art: Article) -> list[Mention]:
        findings = next(p for p in patterns() if p.name == "findings").find(art)
        return [Mention(f.extra["group"].span, art.text[f.extra["group"].span.start:f.extra["group"].span.end],
                        "group", None, f.extra["group"].role, f.confidence)
                for f in findings if f.extra["group"] is not None and f.confidence >= THRESHOLD]

    def draft(self, mentions: list[Mention], d) -> None:
        """Nothing: the findings pattern drafts each group with its finding."""

    def gold(self, doc: c.Document, ctx: GoldContext) -> list[Gold]:
        src = SourceText(doc.text)
        groups = {e.id: e for e in doc.facts.entities if e.type == "group"}
        out = []
        for f in doc.facts.findings:
            g = groups.get(f.group)
            if f.share is None or g is None:
                continue
            names = [g.quote, *g.label.de.split(" / "), *g.label.en.split(" / ")]
            out.append(Gold(src.locate(f.quote, f.context), {"role": g.role, "group": names}, _facet(g.role), g.id))
        return out

    def corpus_gold(self, gold: dict, source: SourceText) -> list[Gold] | None:
        out = []
        for f in gold.get("findings") or []:
            out.append(Gold(source.locate(f["quote"], f.get("context")),
                            {"role": f.get("role"), "group": [f.get("group") or ""]}, _facet(f.get("role")),
                            f"{f.get('group')!r}"))
        return out

    def agrees(self, m: Mention, g: Gold) -> bool:
        found = m.text.lower()
        return inside(m.span, g.span) and m.role == g.attrs["role"] and any(
            w and (w.lower() in found or found in w.lower()) for w in g.attrs["group"])

    def facet(self, m: Mention) -> str | None:
        return _facet(m.role)


def _facet(role: str | None) -> str:
    return "role" if role else "no role"
