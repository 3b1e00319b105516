"""The findings page: per study, per proposition, the share of each respondent
group as a horizontal bar, side by side; laid out here, drawn as SVG by the
template (no script). Qualified shares (less than, at least, almost …) are
drawn as dashed bars and labelled as such ("< 10 %"); findings without a share
are listed in words.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from .rdf import Graph, iri
from .views import Evidence, Link, Site, provenance, share_of

WIDTH = 880
MARGIN = 16
VALUE_SPACE = 110  # right of the longest bar, for "almost 50 %"
BAR_WIDTH = WIDTH - 2 * MARGIN - VALUE_SPACE
AXIS_HEIGHT = 26
TITLE_LINE = 19
GROUP_LINE = 16
BAR_HEIGHT = 16
ROW_GAP = 8
BLOCK_GAP = 16
WRAP = 96  # characters of a proposition per line
PALETTE = 6  # colour classes g0 … g5 in pages.css


@dataclass
class Bar:
    finding: Link
    group: Link
    about: Link | None
    color: int
    share: Decimal
    qualifier: str
    exact: bool
    value_text: str
    wording: str | None
    evidence: Evidence | None
    # geometry
    label_y: float = 0
    bar_y: float = 0
    width: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class Block:
    proposition: Link
    lines: list[str]
    line_ys: list[float] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    order: int = 0


@dataclass
class Unshared:
    finding: Link
    group: Link | None
    about: Link | None
    proposition: Link | None
    wording: str | None
    evidence: Evidence | None


@dataclass
class Chart:
    id: str
    study: Link
    title: str
    desc: str
    width: int
    height: float
    blocks: list[Block]
    ticks: list[tuple[float, str]]
    legend: list[tuple[int, Link]]
    unshared: list[Unshared]
    sample: str | None
    key: str = ""  # the value of ?study= for this study alone
    bar_x: int = MARGIN
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def bars(self) -> list[Bar]:
        return [b for block in self.blocks for b in block.bars]


def _start(evidence: Evidence | None) -> int:
    return evidence.start if evidence is not None and evidence.start is not None else 1 << 30


def charts(site: Site, graph: Graph) -> list[Chart]:
    """One chart per study that has findings in `graph`, ordered by the study's name."""
    erkg = site.erkg
    E = lambda name: iri(erkg + name)  # noqa: E731
    by_study: dict[ox.NamedNode, list[ox.NamedNode]] = {}
    for f in graph.subjects(iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), E("Finding")):
        study = graph.value(f, E("study"))
        if isinstance(study, ox.NamedNode) and isinstance(f, ox.NamedNode):
            by_study.setdefault(study, []).append(f)
    out = [_chart(site, graph, study, findings, n) for n, (study, findings) in enumerate(
        sorted(by_study.items(), key=lambda sf: site.label(sf[0]).casefold()))]
    return out


def _chart(site: Site, g: Graph, study: ox.NamedNode, findings: list[ox.NamedNode], n: int) -> Chart:
    erkg, words = site.erkg, site.words
    E = lambda name: iri(erkg + name)  # noqa: E731
    evidence = {f: (provenance(site, f) or [None])[0] for f in findings}
    findings = sorted(findings, key=lambda f: (_start(evidence[f]), f.value))

    # Respondent groups in the order they first appear in the text; one colour each.
    colors: dict[ox.NamedNode, int] = {}
    for f in findings:
        group = g.value(f, E("respondentGroup"))
        if group is not None and group not in colors and g.value(f, E("share")) is not None:
            colors[group] = len(colors) % PALETTE

    blocks: dict[ox.NamedNode, Block] = {}
    unshared = []
    for f in findings:
        group, about, proposition = (g.value(f, E(p)) for p in ("respondentGroup", "aboutGroup", "proposition"))
        wording = g.value(f, E("shareWording"))
        wording_text = wording.value if isinstance(wording, ox.Literal) else None
        share, text = share_of(site, f)
        if share is None:
            unshared.append(Unshared(site.link(f), site.link(group) if group else None,
                                     site.link(about) if about else None,
                                     site.link(proposition) if proposition else None, wording_text, evidence[f]))
            continue
        qualifier = g.value(f, E("shareQualifier"))
        slug = qualifier.value.rsplit("/", 1)[-1] if isinstance(qualifier, ox.NamedNode) else "exactly"
        if proposition not in blocks:
            link = site.link(proposition)
            blocks[proposition] = Block(link, textwrap.wrap(link.text, WRAP) or [link.text], order=len(blocks))
        blocks[proposition].bars.append(Bar(
            finding=site.link(f), group=site.link(group), about=site.link(about) if about else None,
            color=colors.get(group, 0), share=share, qualifier=slug, exact=slug == "exactly",
            value_text=text or "", wording=wording_text, evidence=evidence[f]))

    # Geometry, top to bottom.
    y = float(AXIS_HEIGHT)
    ordered = sorted(blocks.values(), key=lambda b: b.order)
    for block in ordered:
        y += 4
        for _ in block.lines:
            y += TITLE_LINE
            block.line_ys.append(y - 5)
        y += 2
        for bar in block.bars:
            bar.label_y = y + GROUP_LINE - 4
            bar.bar_y = y + GROUP_LINE
            bar.width = round(float(min(max(bar.share, Decimal(0)), Decimal(1))) * BAR_WIDTH, 1)
            bar.value_x = MARGIN + bar.width + 6
            bar.value_y = bar.bar_y + BAR_HEIGHT - 4
            y += GROUP_LINE + BAR_HEIGHT + ROW_GAP
        y += BLOCK_GAP
    ticks = [(MARGIN + BAR_WIDTH * k / 4, f"{k * 25} %") for k in range(5)]

    study_link = site.link(study)
    title = words("chart_title", study=study_link.text)
    sentences = []
    for block in ordered:
        parts = ", ".join(f"{_group_text(site, b)} {b.value_text}" for b in block.bars)
        sentences.append(f"{block.proposition.text}: {parts}.")
    desc = " ".join(sentences)
    sample = g.value(study, E("sampleWording"))
    legend = sorted(((c, site.link(grp)) for grp, c in colors.items()), key=lambda cl: cl[0])
    return Chart(id=f"chart-{n + 1}", study=study_link, title=title, desc=desc, width=WIDTH,
                 height=y if ordered else AXIS_HEIGHT, blocks=ordered, ticks=ticks, legend=legend,
                 unshared=unshared, sample=sample.value if isinstance(sample, ox.Literal) else None,
                 key=study.value.rstrip("/").rsplit("/", 1)[-1])


def _group_text(site: Site, bar: Bar) -> str:
    if bar.about is not None:
        return f"{bar.group.text} ({site.words('about_group', group=bar.about.text)})"
    return bar.group.text
