"""`erkg release VERSION`: a release of the ontology and the data, as ontology projects
publish them (compare the Ontology Development Kit).

A release
1. sets the version in the ontology's header: owl:versionInfo, owl:versionIRI
   (`{base}ontology/VERSION`), owl:priorVersion (the previous release's version IRI),
   dcterms:modified (the release's date) and, at the first release, dcterms:created;
2. builds, with every check;
3. keeps what it released under `releases/VERSION/`: the ontology, the data and the
   full artifact as the build wrote them (RELEASED_FILES; each with its own IRI and
   version IRI, kg/headers.py); `/ontology/VERSION` serves the ontology from there;
4. writes what changed since the previous release, there: `changes.md` (classes,
   properties, individuals and facts added, removed and changed, with their labels) and
   `changes.trig` (the triples removed and added, each set in a named graph, so the
   change can be applied or undone by a program), and puts the Markdown at the head of
   CHANGELOG.md, under the notes written by hand in its "Unreleased" section.

Terms and individuals are compared by IRI, each by its own triples (blank nodes by
what they hold, so a relabelled blank node is no change).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .build import BuildConfig, Summary, build
from .layout import ReleaseLayout
from .namespaces import OWL, RDF, RDFS, SKOS, Iris
from .versions import ReleaseError, parse_version, releases

UNRELEASED = "## Unreleased"


# ---------------------------------------------------------------- the ontology's header


def set_version(ontology: Path, iris: Iris, version: str, prior: str | None, date: dt.date) -> None:
    """Write `version`, the prior release's version IRI and the release's date (dcterms:modified,
    and dcterms:created at the first release) into the header of the hand-edited ontology
    file, leaving every other line as it is."""
    text = ontology.read_text(encoding="utf-8")
    onto = re.escape(str(iris.ontology))
    header = re.search(rf"^<{onto}> a owl:Ontology ;\n(?:    .*\n)*?    .* \.\n", text, re.M)
    if header is None:
        raise ReleaseError(f"{ontology}: no ontology header '<{iris.ontology}> a owl:Ontology ;' to set the version in")
    lines = [line for line in header[0].splitlines(keepends=True)
             if not re.match(r"    (owl:versionIRI|owl:versionInfo|owl:priorVersion|dcterms:modified) ", line)]
    new = [f"    owl:versionIRI <{iris.ontology}/{version}> ;\n", f'    owl:versionInfo "{version}" ;\n']
    if prior is not None:
        new.append(f"    owl:priorVersion <{iris.ontology}/{prior}> ;\n")
    if not any(line.startswith("    dcterms:created ") for line in lines):
        new.append(f'    dcterms:created "{date.isoformat()}"^^xsd:date ;\n')
    new.append(f'    dcterms:modified "{date.isoformat()}"^^xsd:date ;\n')
    ontology.write_text(text[:header.start()] + lines[0] + "".join(new) + "".join(lines[1:]) + text[header.end():],
                        encoding="utf-8")


# ---------------------------------------------------------------- what changed


KINDS = (  # (heading, the rdf:types that make a term of this kind), in the order of changes.md
    ("Classes", (OWL.Class,)),
    ("Properties", (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)),
    ("Datatypes", (RDFS.Datatype,)),
)


@dataclass
class Item:
    iri: str
    label: str
    kind: str


@dataclass
class Changes:
    version: str
    prior: str | None
    date: dt.date
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    triples_added: list[ox.Quad] = field(default_factory=list)
    triples_removed: list[ox.Quad] = field(default_factory=list)

    def markdown(self, notes: str = "") -> str:
        since = f" (since {self.prior})" if self.prior else " (the first release)"
        out = [f"## {self.version} – {self.date.isoformat()}\n\n"]
        if notes.strip():
            out.append(notes.strip() + "\n\n")
        out.append(f"{len(self.triples_added)} triples added and {len(self.triples_removed)} removed{since}.\n")
        for heading, items in (("Added", self.added), ("Removed", self.removed), ("Changed", self.changed)):
            if not items:
                continue
            out.append(f"\n### {heading}\n")
            for kind in sorted({i.kind for i in items}, key=_kind_order):
                of_kind = sorted((i for i in items if i.kind == kind), key=lambda i: (i.label.casefold(), i.iri))
                out.append(f"\n{kind} ({len(of_kind)}):\n\n")
                out.extend(f"- {i.label} <{i.iri}>\n" for i in of_kind)
        return "".join(out)

    def trig(self, iris: Iris) -> bytes:
        graph = f"{iris.base}release/{self.version}/"
        quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph + "removed")) for q in self.triples_removed]
        quads += [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph + "added")) for q in self.triples_added]
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=iris.prefixes())


def _kind_order(kind: str) -> tuple[int, str]:
    order = [heading for heading, _ in KINDS] + ["Facts", "Individuals", "The ontology"]
    return (order.index(kind) if kind in order else len(order), kind)


def load(directory: Path) -> list[ox.Triple]:
    """The released triples of one release directory (ontology and data)."""
    triples: list[ox.Triple] = []
    for name in ReleaseLayout.COMPARED_FILES:
        triples += [q.triple for q in ox.parse(path=directory / name, format=ox.RdfFormat.TURTLE)]
    return triples


class _Index:
    """Triples by subject, with what a change report needs: descriptions, kinds and labels."""

    def __init__(self, triples: list[ox.Triple], erkg: str) -> None:
        self.triples = triples
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        for t in triples:
            self.by_subject.setdefault(t.subject, []).append(t)
        sub = ox.NamedNode(str(RDFS.subClassOf))
        parents: dict[ox.Term, set[ox.Term]] = {}
        for t in triples:
            if t.predicate == sub:
                parents.setdefault(t.subject, set()).add(t.object)
        fact = ox.NamedNode(erkg + "Fact")
        self.fact_classes = {c for c in parents if fact in _ancestors(c, parents)} | {fact}

    def description(self, subject: ox.NamedNode | ox.BlankNode, seen: frozenset = frozenset()) -> frozenset:
        """The (predicate, object) pairs of `subject`, a blank node object as its own description."""
        pairs = set()
        for t in self.by_subject.get(subject, []):
            obj = t.object
            if isinstance(obj, ox.BlankNode) and obj not in seen:
                obj = self.description(obj, seen | {obj})
            pairs.add((t.predicate, obj))
        return frozenset(pairs)

    def types(self, subject: ox.NamedNode) -> set[ox.Term]:
        return {t.object for t in self.by_subject.get(subject, []) if t.predicate == ox.NamedNode(str(RDF.type))}

    def kind(self, subject: ox.NamedNode) -> str:
        types = self.types(subject)
        for heading, classes in KINDS:
            if types & {ox.NamedNode(str(c)) for c in classes}:
                return heading
        if ox.NamedNode(str(OWL.Ontology)) in types:
            return "The ontology"
        return "Facts" if types & self.fact_classes else "Individuals"

    def label(self, subject: ox.NamedNode) -> str:
        labels = {(t.predicate.value, t.object.language or ""): t.object.value for t in self.by_subject.get(subject, [])
                  if isinstance(t.object, ox.Literal) and t.predicate.value in (str(RDFS.label), str(SKOS.prefLabel))}
        for key in ((str(RDFS.label), "en"), (str(SKOS.prefLabel), "en"), (str(RDFS.label), ""),
                    (str(RDFS.label), "de"), (str(SKOS.prefLabel), "de")):
            if key in labels:
                return labels[key]
        return subject.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _ancestors(cls: ox.Term, parents: dict[ox.Term, set[ox.Term]]) -> set[ox.Term]:
    seen: set[ox.Term] = set()
    todo = [cls]
    while todo:
        for p in parents.get(todo.pop(), ()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


def diff(old: list[ox.Triple], new: list[ox.Triple], iris: Iris, version: str, prior: str | None,
         date: dt.date) -> Changes:
    """What changed from `old` to `new`: the IRIs described in only one of them, those
    described differently, and the triples themselves."""
    before, after = _Index(old, str(iris.erkg)), _Index(new, str(iris.erkg))
    changes = Changes(version, prior, date)
    subjects = {s for s in (*before.by_subject, *after.by_subject) if isinstance(s, ox.NamedNode)}
    for s in sorted(subjects, key=lambda s: s.value):
        if s not in after.by_subject:
            changes.removed.append(Item(s.value, before.label(s), before.kind(s)))
        elif s not in before.by_subject:
            changes.added.append(Item(s.value, after.label(s), after.kind(s)))
        elif before.description(s) != after.description(s):
            changes.changed.append(Item(s.value, after.label(s), after.kind(s)))
    old_set, new_set = set(old), set(new)
    changes.triples_removed = sorted((ox.Quad(t.subject, t.predicate, t.object) for t in old_set - new_set), key=str)
    changes.triples_added = sorted((ox.Quad(t.subject, t.predicate, t.object) for t in new_set - old_set), key=str)
    return changes


# ---------------------------------------------------------------- the release


def _notes(changelog: Path) -> tuple[str, str, str]:
    """(what stands before the Unreleased section, its notes, what follows it)."""
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n\n"
    start = text.find(UNRELEASED)
    if start < 0:
        return text, "", ""
    body_start = start + len(UNRELEASED)
    following = re.search(r"^## ", text[body_start:], re.M)
    end = body_start + following.start() if following else len(text)
    return text[:start], text[body_start:end], text[end:]


def release(version: str, config: BuildConfig, directory: Path = ReleaseLayout().directory,
            changelog: Path = ReleaseLayout().changelog, date: dt.date | None = None) -> tuple[Summary, Changes]:
    """Make release `version` from the sources of `config` (see the module's docstring)."""
    parse_version(version)
    done = releases(directory)
    if version in done:
        raise ReleaseError(f"{version} is released already ({directory / version})")
    prior = done[-1] if done else None
    if prior is not None and parse_version(version) <= parse_version(prior):
        raise ReleaseError(f"{version} is not after the latest release, {prior}")
    iris = Iris(config.base)
    original = config.ontology.read_text(encoding="utf-8")
    date = date or dt.date.today()
    set_version(config.ontology, iris, version, prior, date)
    try:
        summary = build(config)
    except BaseException:
        config.ontology.write_text(original, encoding="utf-8")  # a failed release changes nothing
        raise
    target = directory / version
    target.mkdir(parents=True)
    for name in ReleaseLayout.RELEASED_FILES:
        shutil.copyfile(config.layout / name, target / name)
    changes = diff(load(directory / prior) if prior else [], load(target), iris, version, prior, date)
    head, notes, rest = _notes(changelog)
    entry = changes.markdown(notes)
    (target / ReleaseLayout.CHANGES_MD).write_text(entry, encoding="utf-8")
    (target / ReleaseLayout.CHANGES_TRIG).write_bytes(changes.trig(iris))
    changelog.write_text(f"{head}{UNRELEASED}\n\n{entry}\n{rest.lstrip()}".rstrip() + "\n", encoding="utf-8")
    return summary, changes
