"""The draft: the candidates of every pattern as a facts file in the curation format
(docs/curation.md), marked unreviewed, with every quote cut out of the text; and the
commands that write it (`erkg extract`, `erkg add`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel

from ..curation import FACT_LISTS, FactsFile, Label, Study
from ..text import Span
from .article import Article, InputError, Mention, MetadataError, guess_language, read_article, slugify
from .gazetteer import Gazetteer, build_gazetteer
from .patterns import patterns

EXTRACTOR = "erkg-extract-rules-2"


# the order of a drafted item's keys: what it is first, its quote last
_FIRST = ("id", "type")
_LAST = ("quote", "context")


def _dump(model: BaseModel) -> dict:
    d = model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    d = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in d.items()}  # share: 50, not 50.0
    keys = [k for k in _FIRST if k in d] + [k for k in d if k not in _FIRST + _LAST] + [k for k in _LAST if k in d]
    return {k: d[k] for k in keys}


class Draft:
    """The facts file being drafted: fresh ids, entities defined once, quotes cut out of the
    text, the extractor's confidence per item."""

    def __init__(self, art: Article, doc_id: str, known_ids: set[str]) -> None:
        self.art, self.text, self.doc_id = art, art.text, doc_id
        self.known_ids = set(known_ids)
        self.taken = set(known_ids)
        self.items: dict[str, list[BaseModel]] = {}
        self.confidence: dict[str, float] = {}
        self.review: dict = {}
        self.defined: dict[tuple[str, str], str] = {}
        self._study: str | None = None

    def new_id(self, base: str) -> str:
        base = slugify(base)
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug

    def quote(self, span: Span) -> dict:
        return self.art.quote(span)

    def add(self, kind: str, model: BaseModel, confidence: float | None = None) -> str:
        """Add a fact or an entity (kind "entities") to its list."""
        self.items.setdefault(kind, []).append(model)
        if confidence is not None:
            self.confidence[model.id] = max(self.confidence.get(model.id, 0), confidence)
        return model.id

    def entity(self, kind: str, key: str, base: str, build: Callable[[str], BaseModel],
               confidence: float | None = None) -> str:
        """The id of the entity of this kind and key, defined (with a fresh id from base) on
        first use."""
        if (kind, key) not in self.defined:
            model = build(self.new_id(base))
            self.add("entities", model, confidence)
            self.defined[(kind, key)] = model.id
        return self.defined[(kind, key)]

    def set_study(self, study_id: str) -> None:
        self._study = study_id

    def study(self, span: Span) -> str:
        """The findings' study: the best attested study drafted, else an unnamed one."""
        if self._study is None:
            self._study = self.entity("study", "unnamed", f"study-{self.doc_id}", lambda i: Study(
                id=i, type="study",
                label=Label(de="Studie (im Text nicht benannt)", en="study (not named in the text)"),
                **self.quote(span)))
        return self._study

    def facts(self) -> dict:
        facts = {"document": self.doc_id,
                 "review": {"status": "unreviewed", "extracted_by": EXTRACTOR, "confidence": self.confidence,
                            **self.review},
                 "entities": [_dump(m) for m in self.items.get("entities", [])]}
        for kind, models in self.items.items():
            if kind != "entities":
                facts[kind] = [_dump(m) for m in models]
        FactsFile.model_validate(facts)  # the draft is in the curation format
        return facts


def draft(text: str, doc_id: str, gazetteer: Gazetteer,
          known_ids: set[str] = frozenset()) -> tuple[dict, dict[str, list[Mention]]]:
    """The draft facts file (a dict in the curation format) and every pattern's candidates."""
    art = Article(text, gazetteer)
    found = {p.name: p.find(art) for p in patterns()}
    d = Draft(art, doc_id, known_ids)
    for name, _ in FACT_LISTS:
        if name in found:
            d.items[name] = []
    for p in patterns():
        p.draft(found[p.name], d)
    return d.facts(), found


def dump_draft(facts: dict) -> str:
    header = ("# Draft written by `erkg extract` (rule-based): every item is a candidate to review.\n"
              "# Check each quote, group, proposition and label; translate the labels' `en`;\n"
              "# then set review.status to reviewed (or delete the review block) to have it built.\n")
    return header + yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=100)


def _context(data: Path, ontology_path: Path, exclude: str | None = None):
    from ..curation import load_documents
    from ..namespaces import Iris
    from ..ontology import load_ontology

    ontology = load_ontology(ontology_path, Iris())
    docs = load_documents(data, include_unreviewed=True) if (data / "sources").is_dir() else []
    docs = [d for d in docs if d.id != exclude]
    return ontology, docs


def extract_file(path: Path, data: Path, ontology_path: Path, doc_id: str | None = None) -> dict:
    """The draft facts of an article file, with the gazetteer of the documents in data."""
    text = read_article(path)
    doc_id = doc_id or slugify(path.stem)
    ontology, docs = _context(data, ontology_path, exclude=doc_id)
    facts, _ = draft(text, doc_id, build_gazetteer(ontology, docs), {e.id for d in docs for e in d.facts.entities})
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


def add_document(path: Path, data: Path, ontology_path: Path, meta_pairs: list[str],
                 doc_id: str | None = None) -> list[Path]:
    """Store an article under data/sources/ with its metadata and the extracted draft beside it
    (data/facts/<doc>.yaml, review status unreviewed). Nothing is written on any error."""
    from pydantic import ValidationError as PydanticError

    from ..curation import DocumentMeta

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
    meta.setdefault("language", guess_language(text))
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
