"""Role mentions: every gazetteer match naming a role ("CMOs", "IT-Chefs", "Führungskräfte im
Marketing"), reported in the draft's review block.

Gold, from curated facts only (the curation lists no role mentions as such, so gold is
derived from what it records about roles, never from the extractor's own labels). Recall:
every curated respondent group, post or finding that names a role, as (role, span of its
quote); found if a mention of that role lies inside the quote. Precision: a mention is
correct if it lies inside the quote of any curated item naming the same role, directly
(post.role, group.role, relation.between, claim.subject …) or through a group with that role.
Relations and claims are no recall gold: their quotes often refer to the roles by pronoun.
"""

from __future__ import annotations

from ... import curation as c
from ...text import SourceText
from ..article import Article, Mention
from . import Gold, GoldContext, Pattern, Score, inside, register

RECALL_KINDS = ("group", "posts", "findings")


def _kinded_items(doc: c.Document):
    for e in doc.facts.entities:
        yield e.type, e
    for name, _ in c.FACT_LISTS:
        for item in getattr(doc.facts, name):
            yield name, item


@register
class Roles(Pattern):
    name = "roles"
    order = 0

    def find(self, art: Article) -> list[Mention]:
        out = []
        for span, term in art.terms:
            if term.role is None:
                continue
            conf = 0.95 if term.kind == "role" else 0.7
            if span.start < art.headline_end:
                conf = 0.4  # in the headline: what the article is about, not a statement
            out.append(Mention(span, art.text[span.start:span.end], "role", term.role, term.role, conf,
                               {"via": term.kind, "term": term.id}))
        return out

    def draft(self, mentions: list[Mention], d) -> None:
        d.review["role_mentions"] = [{"role": m.role, "text": m.text, "start": m.span.start, "end": m.span.end,
                                      "confidence": m.confidence} for m in mentions]

    def gold(self, doc: c.Document, ctx: GoldContext, of: tuple[str, ...] | None = RECALL_KINDS) -> list[Gold]:
        """(role, quote span) of every curated item naming a role (of the given kinds of item)."""
        src = SourceText(doc.text)
        out = set()
        for kind, item in _kinded_items(doc):
            if of is not None and kind not in of:
                continue
            roles = set()
            if getattr(item, "type", None) == "group" and item.role:
                roles.add(item.role)
            for _, slug, kinds in c.references(item):
                if "role" in kinds and slug in ctx.roles:
                    roles.add(slug)
                if "group" in kinds and slug in ctx.group_roles:
                    roles.add(ctx.group_roles[slug])
            if roles:
                span = src.locate(item.quote, item.context)
                out |= {(r, span) for r in roles}
        return [Gold(span, {"role": r}, None, f"{r} in {doc.text[span.start:span.end][:80]}")
                for r, span in sorted(out, key=lambda x: (x[1].start, x[0]))]

    def agrees(self, m: Mention, g: Gold) -> bool:
        return m.role == g.attrs["role"] and inside(m.span, g.span)

    def score_document(self, doc: c.Document, found: list[Mention], ctx: GoldContext) -> Score:
        """Recall against the recall gold, precision against every curated item naming a role."""
        recall = self.score(doc.id, found, self.gold(doc, ctx))
        precision = self.score(doc.id, found, self.gold(doc, ctx, of=None))
        return Score(precision.tp_pred, precision.pred, recall.tp_gold, recall.gold,
                     [e for e in precision.errors if ": extra " in e] + [e for e in recall.errors if ": missed " in e])
