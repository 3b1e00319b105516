"""Locating quotes in a source text and the sentences around them.

Offsets are 0-based indexes of Unicode code points into the stored text, the
end excluded: what Python's str slicing, SPARQL's SUBSTR (plus one) and the
W3C Web Annotation TextPositionSelector count.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

# Abbreviations and ordinals after which a period does not end a German sentence.
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:Dr|Prof|Mio|Mrd|Nr|bzw|ca|vgl|usw|etc|z\. ?B|u\. ?a|d\. ?h|St|Hr|Fr|Nove)|(?<![\d.])\d{1,2})\.$"
)
# A sentence ends at . ! ? … (with closing quotes or brackets) before white space.
_END = re.compile(r"[.!?…]+[\"'“”»«)]*(?=\s)")


def shorten(text: str, limit: int = 90) -> str:
    """text on one line, cut to at most `limit` characters (an ellipsis marks the cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class QuoteError(ValueError):
    """A quote is missing from the text or ambiguous."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class SourceText:
    """A document's text with its sentence boundaries."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def sentences(self) -> list[Span]:
        spans: list[Span] = []
        for line in re.finditer(r"[^\n]+", self.text):
            start = line.start()
            for end in _END.finditer(line.group()):
                if _NO_BREAK_AFTER.search(line.group()[: end.end()]):
                    continue
                spans.append(self._trim(start, line.start() + end.end()))
                start = line.start() + end.end()
            if self.text[start:line.end()].strip():
                spans.append(self._trim(start, line.end()))
        return spans

    def _trim(self, start: int, end: int) -> Span:
        chunk = self.text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        return Span(start + lead, start + len(chunk.rstrip()))

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_around(self, span: Span) -> Span:
        """The sentence (or run of sentences) that contains the span."""
        starts = self._starts
        first = max(bisect.bisect_right(starts, span.start) - 1, 0)
        last = first
        while last + 1 < len(self.sentences) and self.sentences[last + 1].start < span.end:
            last += 1
        return Span(min(self.sentences[first].start, span.start), max(self.sentences[last].end, span.end))

    def locate(self, quote: str, context: str | None = None) -> Span:
        """The one occurrence of quote (inside context, when given)."""
        offset = 0
        if context is not None:
            if quote not in context:
                raise QuoteError("the quote does not occur inside its context")
            offset = self._unique(context, "context")
            inner = [m.start() for m in re.finditer(f"(?={re.escape(quote)})", context)]
            if len(inner) > 1:
                raise QuoteError(f"the quote occurs {len(inner)} times inside its context; lengthen the quote")
            start = offset + inner[0]
        else:
            start = self._unique(quote, "quote")
        return Span(start, start + len(quote))

    def _unique(self, needle: str, what: str) -> int:
        found = [m.start() for m in re.finditer(f"(?={re.escape(needle)})", self.text)]
        if not found:
            near = _closest_line(self.text, needle)
            hint = f"; closest line: {_short(near)}" if near else ""
            raise QuoteError(f"the {what} {_short(needle)} is not in the source text{hint}")
        if len(found) > 1:
            raise QuoteError(
                f"the {what} {_short(needle)} occurs {len(found)} times (at offsets "
                f"{', '.join(map(str, found))}); add a `context` that occurs once and contains it"
            )
        return found[0]


def _short(s: str, n: int = 80) -> str:
    return repr(s if len(s) <= n else s[: n - 1] + "…")


def _closest_line(text: str, needle: str) -> str | None:
    """The line sharing the longest prefix with needle, to show a curator the typo."""
    best, best_len = None, 8
    for line in text.splitlines():
        i = 0
        for start in range(len(line)):
            k = 0
            while k < len(needle) and start + k < len(line) and line[start + k] == needle[k]:
                k += 1
            if k > i:
                i = k
        if i > best_len:
            best, best_len = line.strip(), i
    return best
