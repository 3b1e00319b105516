"""The article: reading a plain-text file as one, and the text with its sentences,
paragraphs and gazetteer matches that every pattern reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import ErkgError
from ..text import SourceText, Span
from .gazetteer import Gazetteer, Term

MAX_BYTES = 10 * 1024 * 1024


class InputError(ErkgError):
    """The input text cannot be read as an article."""


class MetadataError(InputError):
    """The metadata given with --meta is malformed (a usage error: exit code 2, as argparse's)."""

    exit_code = 2


def read_article(path) -> str:
    """The text of a plain-text article; InputError when it is missing, empty, binary,
    not UTF-8 or larger than 10 MB."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if size > MAX_BYTES:
        raise InputError(f"{path}: {size} bytes, larger than the limit of 10 MB")
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (contains NUL bytes), expected plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 ({e.reason} at byte {e.start})") from None
    if text.startswith("\ufeff"):
        raise InputError(f"{path}: starts with a byte order mark; store the text without it")
    if not text.strip():
        raise InputError(f"{path}: empty file, no text to extract from")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(2, len(text) // 1000):
        raise InputError(f"{path}: binary file ({controls} control characters), expected plain text")
    return text


def slugify(text: str, limit: int = 48) -> str:
    t = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    t = t.replace("Ä", "ae").replace("Ö", "oe").replace("Ü", "ue")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:limit].strip("-")
    return slug or "x"


def guess_language(text: str) -> str:
    words = re.findall(r"\b\w+\b", text.lower()[:20000])
    de = sum(w in {"der", "die", "und", "das", "nicht", "mit", "ist", "sich", "auch", "für"} for w in words)
    en = sum(w in {"the", "and", "of", "is", "not", "with", "that", "for", "are", "to"} for w in words)
    return "de" if de >= en else "en"


@dataclass
class Mention:
    """A candidate: a span of the text, what it is and what the pattern read from it."""

    span: Span
    text: str
    kind: str  # role | group | study | finding | post | person | organization | proposition
    id: str | None = None
    role: str | None = None
    confidence: float = 0.5
    extra: dict = field(default_factory=dict)


class NoQuote(Exception):
    """No unique quote (or context) can be cut out of the text for a candidate."""


def _once(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first >= 0 and text.find(needle, first + 1) < 0


# a line break that only wraps a sentence: the line ends no sentence and the next line is no
# bullet, list item or blank line. In a text that is not hard-wrapped, only where the next line goes
# on in lower case: a line there that ends with no period is a heading or a caption ("Jane Doe, CEO,
# Acme Corp")
_WRAP = re.compile(r"(?<=[^.!?:…\"“”»\n])\n(?=[^\s•*-])")
_WRAP_LOWER = re.compile(r"(?<=[^.!?:…\"“”»\n])\n(?=[a-zäöü(])")
# a paragraph break inside a sentence, after a comma or "bzw." and before a lower-case word or a
# number ("… in einer guten Lage,\n\ndrei Prozent erwarten …"): pages cut into paragraphs at list items
_BROKEN = re.compile(r"(?:(?<=[,;])|(?<=\bbzw\.))[ \t]*\n\s*(?=[a-zäöü\d])")
# spaces of another width or that break no line (web pages write "53&nbsp;%", "Dr.&nbsp;Jane Doe")
_SPACES = str.maketrans({**{c: " " for c in "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a"},
                        "\u2010": "-", "\u2011": "-"})  # and hyphens that break no line ("CFO&#8209;Strategie")


def normalize(text: str) -> str:
    """The text as the patterns read it, of the same length and offsets: every space an ASCII
    space, every hyphen an ASCII hyphen, and the line breaks inside a sentence made spaces, so
    that a sentence hard-wrapped or cut into paragraphs is one line. The first line break is kept:
    the headline ends there, with no period."""
    text = text.translate(_SPACES)
    first = text.find("\n") + 1
    body = _BROKEN.sub(lambda m: " " * len(m.group()), text[first:])
    return text[:first] + (_WRAP if _hard_wrapped(body) else _WRAP_LOWER).sub(" ", body)


def _hard_wrapped(text: str) -> bool:
    """Most of the text's lines end with no sentence's end: it is wrapped at a width."""
    lines = [line.rstrip() for line in text.split("\n") if len(line.strip()) >= 20]
    return len(lines) >= 4 and sum(not line.endswith(tuple(".!?:…\"“”»")) for line in lines) >= 0.5 * len(lines)


class Article:
    """An article's text with its sentences, paragraphs (lines) and gazetteer matches. `text`
    is the text normalized (see normalize), which the patterns read; quotes are cut from `raw`,
    the text as given."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self.raw = text
        self.text = normalize(text)
        self.source = SourceText(self.text)
        self.gaz = gazetteer
        self.terms: list[tuple[Span, Term]] = [(s, t) for s, t in gazetteer.matches(self.text) if not self._excluded(s)]
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute):
        """compute() once per article: what one pattern finds and another reads."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _excluded(self, span: Span) -> bool:
        after = self.text[span.end:span.end + 20]
        before = self.text[max(0, span.start - 20):span.start]
        # "CCO Public Domain" is the licence CC0 misspelt, not a Chief Customer Officer.
        if re.match(r"\s+Public Domain", after):
            return True
        # Bylines and headings ("Autor / Redakteur:", "Über den Autor:", "Kolumnen-Autoren")
        # are the document's metadata, not statements about roles.
        at_line_start = re.search(r"(?:^|\n)\s*(?:[\w-]+\s*/\s*)?$", self.text[max(0, span.start - 40):span.start])
        if (at_line_start and re.match(r"\s*(?:/\s*\w+\s*)?:", after)) or \
                re.search(r"(?:Über den|About the)\s*$", before):
            return True
        if re.search(r"\w-$", before) and re.match(r"\s*\n", after):
            return True
        return False

    def sentence(self, span: Span) -> Span:
        """The sentence around span; a sentence broken by a period that ends none is one."""
        sent = self.source.sentence_around(span)
        start, end = sent.start, sent.end
        while end < len(self.text) and self._wrapped(end):
            nxt = self.source.sentence_around(Span(end + 2, end + 2)).end
            if nxt <= end:
                break
            end = nxt
        while start > 1:
            prev = self.source.sentence_around(Span(start - 2, start - 2))
            if prev.start >= start or not self._wrapped(prev.end):
                break
            start = prev.start
        return Span(start, end)

    def _wrapped(self, end: int) -> bool:
        """The sentence break at this offset is none: a period after an abbreviation ("U.S.
        sales leaders") or before a lower-case word."""
        text = self.text
        return bool(re.match(r" [a-zäöü]", text[end:end + 2])) or (
            bool(re.search(r"\b(?:[A-Z]\.){2,}$", text[max(0, end - 8):end])) and text[end:end + 1] == " ")

    def paragraph(self, pos: int) -> Span:
        """The line (paragraph) holding pos."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return Span(start, len(self.text) if end < 0 else end)

    @cached_property
    def language(self) -> str:
        return guess_language(self.text)

    @cached_property
    def headline_end(self) -> int:
        """Where the first line ends, if it is short enough to be a headline (else 0)."""
        end = self.text.find("\n")
        return end if 0 <= end < 200 else 0

    def terms_in(self, span: Span) -> list[tuple[Span, Term]]:
        return [(s, t) for s, t in self.terms if span.start <= s.start and s.end <= span.end]

    def quote(self, span: Span) -> dict:
        """quote (and a context making it unique, if needed) for a span of the text; NoQuote
        when no passage of up to a few thousand characters around it occurs only once
        (repeated text)."""
        text = self.raw
        quote = text[span.start:span.end]
        if _once(text, quote):
            return {"quote": quote}
        sent = self.sentence(span)
        for start, end in ((sent.start, sent.end), (sent.start - 200, sent.end + 200),
                           (sent.start - 1000, sent.end + 1000), (sent.start - 4000, sent.end + 4000)):
            context = text[max(0, start):min(len(text), end)]
            if _once(text, context) and _once(context, quote):
                return {"quote": quote, "context": context}
        raise NoQuote
