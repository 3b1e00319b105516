"""/api/v1/search: label search in German and English.

Matching ignores case and accents (Unicode NFKD without combining marks,
casefolded, so ß matches ss and "Nunez" finds "Nuñez"); German umlauts also
match their transliteration (ö = oe). Words are runs of letters and digits,
so "Marketing Chef" and "Marketing-Chef" are the same. Inflected forms are
found: a word also matches when it or the label's word differs only by a
plural or genitive ending (-s, -es, -n, -en, -e): "CMOs" finds CMO,
"Marketing-Chefs" finds Marketing-Chef. Words written together match the
label's words joined ("Marketingchef").

Hits are ranked: the whole label (exact), then a label or one of its words
starting with the query (prefix), then inflected forms (inflection), then the
query anywhere in a label (substring); except that an inflected or joined form
of a whole label ("CMOs" for the label "CMO") ranks right after the exact
matches, before labels that merely start with the query. Within a rank,
preferred labels come before alternative ones, shorter labels first. The labels
are loaded once per service (one query) and searched here.
"""

import re
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from kg.namespaces import SKOS

from ..formats import choose
from . import models as m
from .data import Repository, Thing
from .deps import JSON, LIST_RESPONSES, PagingDep, Repo, page

ENDINGS = ("es", "en", "s", "n", "e")
MIN_STEM = 3
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefolded (ß -> ss)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stems(word: str) -> frozenset[str]:
    """A word and the word without one plural or genitive ending."""
    found = {word}
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            found.add(word[:-len(ending)])
    return frozenset(found)


@dataclass(frozen=True)
class Form:
    """A text's words, prepared for matching (once per label, once per query)."""

    words: tuple[str, ...]

    @cached_property
    def joined(self) -> str:
        return " ".join(self.words)

    @cached_property
    def spaced(self) -> str:
        return " " + self.joined

    @cached_property
    def together(self) -> str:
        return "".join(self.words)

    @cached_property
    def stems(self) -> tuple[frozenset[str], ...]:
        return tuple(stems(w) for w in self.words)

    @cached_property
    def together_stems(self) -> frozenset[str]:
        return stems(self.together)

    @cached_property
    def all_stems(self) -> frozenset[str]:
        return frozenset().union(*self.stems)


def forms(text: str) -> list[Form]:
    """The forms of a text: folded, and folded after transliterating umlauts."""
    out: list[Form] = []
    for variant in (text, text.translate(UMLAUTS)):
        words = tuple(WORD.findall(fold(variant)))
        if words and all(f.words != words for f in out):
            out.append(Form(words))
    return out


def _same_words(query: Form, label: Form, at: int = 0) -> bool:
    """Each query word equals the label's word at the same place (from `at` on), up to an ending."""
    return all(q & w for q, w in zip(query.stems, label.stems[at:at + len(query.words)], strict=True))


# Tiers, best first, and the kind of match each reports.
TIERS = (
    "exact",       # the whole label
    "inflection",  # the whole label, up to endings or written together: CMOs = CMO, Marketingchef = Marketing-Chef
    "prefix",      # the label starts with the query
    "prefix",      # one of the label's words starts with it: Nunez in "Enrique Nuñez"
    "inflection",  # a run of the label's words, up to endings: Marketing-Chefs in "Den Marketing-Chefs steht …"
    "substring",   # anywhere in the label
)


def match(query: Form | tuple[str, ...], label: Form | tuple[str, ...]) -> int | None:
    """The tier (index into TIERS) of a label for a query, or None when it does not match."""
    q = query if isinstance(query, Form) else Form(query)
    lb = label if isinstance(label, Form) else Form(label)
    n, m = len(q.words), len(lb.words)
    if q.joined == lb.joined:
        return 0
    if (n == m and _same_words(q, lb)) or q.together_stems & lb.together_stems:
        return 1
    if lb.joined.startswith(q.joined):
        return 2
    if q.spaced in lb.spaced:
        return 3
    if all(s & lb.all_stems for s in q.stems) and any(_same_words(q, lb, i) for i in range(m - n + 1)):
        return 4
    if q.joined in lb.joined or q.together in lb.together:
        return 5
    return None


@dataclass(frozen=True)
class Entry:
    thing: Thing
    text: str
    language: str
    preferred: bool
    forms: tuple[Form, ...]


class LabelIndex:
    """Every label of every resource under {base}id/, prepared for matching."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        alt = str(SKOS.altLabel)
        self.entries = [Entry(thing, text, lang, prop != alt, tuple(forms(text)))
                        for thing in repo.things.values() for prop, text, lang in thing.labels]

    def search(self, q: str, lang: str | None = None, kinds: set[str] | None = None) -> list[tuple[Entry, int]]:
        queries = forms(q)
        best: dict[str, tuple[tuple, Entry, int]] = {}
        for entry in self.entries:
            if lang is not None and entry.language not in (lang, ""):
                continue
            if kinds and entry.thing.kind not in kinds:
                continue
            ranks = [r for query in queries for label in entry.forms if (r := match(query, label)) is not None]
            if not ranks:
                continue
            rank = min(ranks)
            score = (rank, not entry.preferred, len(entry.text), entry.thing.kind, entry.thing.id)
            current = best.get(entry.thing.iri)
            if current is None or score < current[0]:
                best[entry.thing.iri] = (score, entry, rank)
        return [(entry, rank) for _, entry, rank in sorted(best.values(), key=lambda v: v[0])]


_INDEXES: weakref.WeakKeyDictionary[Repository, LabelIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def label_index(repo: Repository) -> LabelIndex:
    """The label index of a repository (that is, of a running service), built on first use."""
    with _LOCK:
        index = _INDEXES.get(repo)
        if index is None:
            index = _INDEXES[repo] = LabelIndex(repo)
        return index


def make_router(kinds: tuple[str, ...]) -> APIRouter:
    """The search route: it finds things of the kinds of the API's resources, and `type` takes those kinds."""
    router = APIRouter(tags=["search"])
    # the registry's kinds, known when the app is made (so no postponed annotations in this module)
    Kind = Literal[kinds]  # type: ignore[valid-type]

    @router.get("/search", response_model=m.Page[m.SearchHit],
                responses={**LIST_RESPONSES, 200: {"description": "the page of hits (JSON only)"},
                           406: {**LIST_RESPONSES[406], "description": "the client does not accept JSON"}},
                summary="Search labels in German and English")
    def search(request: Request, repo: Repo, paging: PagingDep,
               q: Annotated[str, Query(min_length=1, max_length=200, examples=["Marketing-Chef"],
                                       description="the words to find, e.g. Marketing-Chef, CMOs, Nunez")],
               lang: Annotated[Literal["de", "en"] | None, Query(description="search only labels in this language "
                                                                          "(and language-neutral names)")] = None,
               type: Annotated[list[Kind] | None,  # noqa: A002 (the parameter's public name)
                               Query(description="only resources of these kinds (repeatable)")] = None,
               ) -> Response:
        """Find resources (roles, departments, people, organizations, studies, findings, claims …) by
        their labels, alternative labels and names: case- and accent-insensitive, German inflections
        ("CMOs", "Marketing-Chefs") and words written together ("Marketingchef") found. Ranked: exact,
        prefix, inflection, substring."""
        choose((JSON,), request.headers.get("accept"))  # a 406 for a client that takes no JSON
        hits = label_index(repo).search(q, lang, set(type or kinds))  # only what the API serves: every hit has a url
        items = [m.SearchHit(iri=e.thing.iri, id=e.thing.id, type=e.thing.kind, labels=e.thing.display(),
                             match=TIERS[rank], matched_label=e.text, url=repo.url(e.thing.kind, e.thing.id))
                 for e, rank in hits[paging.offset:paging.offset + paging.limit]]
        body, links = page(request, m.SearchHit, paging, len(hits), items)
        return JSONResponse(body.model_dump(mode="json"), headers=links)

    return router
