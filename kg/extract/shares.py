"""The grammar of share expressions: how journalists write "a share of a group", in German
and English, parsed into a share in [0, 1] with its qualifier and the form it was written in.

    share      := qualifier? core
    core       := number unit                      53 Prozent, 12,5 %, Thirty-one percent
                | det? number? fraction-noun       die Hälfte, zwei Drittel, a quarter, two-thirds
                | number (von|in|out of) number    drei von zehn, one in five, 9 out of 10
                | every ordinal                    jeder vierte, jeder Zehnte, every third
                | number (, number)* and number unit (respectively)
                                                   12 and 18 percent, respectively; 12 bzw. 18 Prozent
    qualifier  := mehr als | über | knapp | fast | rund | etwa | more than | nearly | about …

Numbers in words are read by text2num (German and English); the grammar works on word
tokens, so "jedem vierten", "Jeder Zehnte" and "one in every four" need no list of phrasings.
Ranges ("zwischen 12 und 18 Prozent", "12 bis 18 Prozent") and percentage points are no
shares and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit, text2num

from ..text import Span

FORMS = ("percent", "decimal", "number-word", "fraction", "x-of-y", "every-nth", "respectively")

# (words, qualifier); the longest phrase at a position wins. "knapp" and "gut" qualify a
# value from below and above ("knapp die Hälfte" is almost half, "gut ein Drittel" a good third).
_QUALIFIER_PHRASES: dict[str, str] = {
    "fast": "almost", "beinahe": "almost", "nahezu": "almost", "knapp": "almost", "annähernd": "almost",
    "nicht ganz": "almost", "knapp unter": "almost", "nearly": "almost", "almost": "almost",
    "close to": "almost", "just under": "almost", "not quite": "almost", "just shy of": "almost",
    "mindestens": "at-least", "wenigstens": "at-least", "at least": "at-least", "no fewer than": "at-least",
    "no less than": "at-least",
    "mehr als": "more-than", "über": "more-than", "gut": "more-than", "knapp über": "more-than",
    "etwas mehr als": "more-than", "deutlich mehr als": "more-than", "weit mehr als": "more-than",
    "weit über": "more-than", "deutlich über": "more-than", "more than": "more-than", "over": "more-than",
    "just over": "more-than", "well over": "more-than", "slightly more than": "more-than",
    "upwards of": "more-than", "a little over": "more-than",
    "weniger als": "less-than", "unter": "less-than", "nicht einmal": "less-than", "nicht mal": "less-than",
    "less than": "less-than", "fewer than": "less-than", "under": "less-than", "not even": "less-than",
    "höchstens": "at-most", "maximal": "at-most", "bis zu": "at-most", "at most": "at-most",
    "up to": "at-most", "no more than": "at-most",
    "rund": "about", "etwa": "about", "ungefähr": "about", "circa": "about", "ca .": "about", "zirka": "about",
    "in etwa": "about", "schätzungsweise": "about", "about": "about", "around": "about",
    "roughly": "about", "approximately": "about", "some": "about", "an estimated": "about",
}
_QUALIFIERS = sorted(((tuple(k.split()), v) for k, v in _QUALIFIER_PHRASES.items()), key=lambda kv: -len(kv[0]))

_UNITS = {"%", "prozent", "percent", "pct", "pc"}  # "45pc", as British papers write it
_POINTS = {"prozentpunkte", "prozentpunkten", "percentage", "punkte", "points"}
_DENOMINATORS = {
    "hälfte": 2, "half": 2, "halves": 2, "drittel": 3, "third": 3, "thirds": 3, "viertel": 4, "quarter": 4,
    "quarters": 4, "fourth": 4, "fourths": 4, "fünftel": 5, "fifth": 5, "fifths": 5, "sechstel": 6, "sixth": 6,
    "achtel": 8, "eighth": 8, "zehntel": 10, "tenth": 10, "tenths": 10,
}
# German dative plurals: "in zwei Dritteln der Unternehmen", "zu drei Vierteln"
_DENOMINATORS |= {f"{k}n": v for k, v in _DENOMINATORS.items() if k.endswith("tel")}
_FUSED = re.compile(rf"(\w+?)-?({'|'.join(sorted(_DENOMINATORS, key=len, reverse=True))})")
# "ein gutes Drittel" is a little more than a third, "ein knappes Drittel" a little less
_FRACTION_ADJECTIVES = {"gutes": "more-than", "guten": "more-than", "gute": "more-than",
                        "knappes": "almost", "knappen": "almost", "knappe": "almost"}
_ONE = {"ein", "eine", "einem", "einer", "einen", "eines", "one", "a", "an"}
_DETERMINERS = _ONE | {"die", "der", "den", "the"}
_EVERY = {"jeder", "jede", "jedes", "jedem", "jeden", "every", "each"}
_OF = {("von",), ("aus",), ("in",), ("out", "of"), ("of",), ("of", "the")}  # "Twenty-one of the 32 chiefs"
# verbs a share of respondents is the subject of ("a third said", "two-thirds expect")
RESPONDENT_VERBS = re.compile(r"(?:say|said|says|expect|expects|expected|plan|plans|planned|believe|believes|believed|agree|"
                              r"agreed|agrees|report|reports|reported|think|thought|cite|cited|see|saw|want|wanted|are|were|"
                              r"have|had|indicated|named|rated|ranked|predict|predicted|intend|intended|feel|felt|view|views|"
                              r"viewed|consider|considers|considered|regard|regards|regarded|admit|admits|admitted|prefer|"
                              r"prefers|preferred|will|would|can|could|do|does|did|need|needs|needed|use|uses|used|lack|"
                              r"lacks|lacked|fail|fails|failed|struggle|struggles|struggled|come|comes|came|try|tries|tried|"
                              r"hold|holds|held|spend|spends|spent|lead|leads|led|describe|describes|described|identify|"
                              r"identifies|identified|list|lists|listed|reporting|saying|planning|expecting|citing|seeing)")
_LIST_JOIN = {",", "und", "and", "bzw", "beziehungsweise", "oder", "or", "sowie"}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*|%|\S")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Share:
    """A share expression: where it is, what it says and how it is written."""

    span: Span
    wording: str
    value: float  # in [0, 1]
    qualifier: str  # a ShareQualifier slug
    form: str  # one of FORMS
    item: int = 0  # its place in a respectively list (0 when alone)
    items: int = 1  # the length of that list


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


def cardinal(word: str) -> int | None:
    """A cardinal number written in digits or in German or English words ("dreißig",
    "Thirty-one", "fünfundzwanzig"); None for anything else."""
    if word.isdigit():
        return int(word)
    low = word.lower()
    if low in _ONE - {"a", "an"}:
        return 1
    if not low.replace("-", "").replace(" ", "").isalpha():
        return None
    for lang in ("de", "en"):
        try:
            return int(text2num(low, lang))
        except ValueError:
            continue
    return None


def ordinal(word: str) -> int | None:
    """An ordinal in German or English words ("vierte", "Zehnten", "third", "fifth"), via
    text2num; "zweite"/"second"/"other" are spelt out because they are also other words."""
    low = word.lower()
    if re.fullmatch(r"zweite[nmrs]?|second|other", low):
        return 2
    for lang in ("de", "en"):
        m = re.fullmatch(r"(\d+)(?:\.|st|nd|rd|th)", alpha2digit(low, lang))
        if m:
            return int(m.group(1))
    return None


def _number(toks: list[Token], i: int) -> tuple[float, str, int] | None:
    """A number at token i: its value, how it is written (digits, a decimal, words) and the
    index after it; number words may take several tokens ("twenty one")."""
    if i >= len(toks):
        return None
    t = toks[i].text
    if re.fullmatch(r"\d+", t):
        return float(t), "percent", i + 1
    if re.fullmatch(r"\d+[.,]\d{1,2}", t):
        return float(t.replace(",", ".")), "decimal", i + 1
    for k in (3, 2):
        words = toks[i:i + k]
        if len(words) == k and all(w.text.isalpha() for w in words) and \
                all(words[n].end + 1 == words[n + 1].start for n in range(k - 1)):
            n = cardinal(" ".join(w.text for w in words))
            if n is not None:
                return float(n), "number-word", i + k
    n = cardinal(t)
    return (float(n), "number-word", i + 1) if n is not None else None


class _Parser:
    """A recursive-descent parser over the word tokens of one stretch of text."""

    def __init__(self, text: str, toks: list[Token]) -> None:
        self.text, self.t = text, toks

    def low(self, i: int) -> str:
        return self.t[i].low if 0 <= i < len(self.t) else ""

    def words(self, i: int, phrase: tuple[str, ...]) -> int | None:
        """The index after phrase if the tokens at i spell it (case-insensitively)."""
        for k, w in enumerate(phrase):
            if self.low(i + k) != w:
                return None
        return i + len(phrase)

    def qualifier(self, i: int) -> tuple[str, int]:
        for phrase, slug in _QUALIFIERS:
            j = self.words(i, phrase)
            if j is not None:
                return slug, j
        return "exactly", i

    def unit(self, i: int) -> int | None:
        """The index after a percent unit at i ("Prozent", "%", "per cent"), not "Prozentpunkte"."""
        j = i + 2 if self.words(i, ("per", "cent")) else i + 1 if self.low(i) in _UNITS else None
        if j is None or self.low(j) in _POINTS:
            return None
        return j

    def joiner(self, i: int) -> int | None:
        """The index after a list joiner at i: ",", "und", ", and", "bzw.", "beziehungsweise"."""
        if self.low(i) not in _LIST_JOIN:
            return None
        j = i + 1
        if self.low(i) == "," and self.low(j) in _LIST_JOIN:
            j += 1
        if self.low(j - 1) == "bzw" and self.low(j) == ".":
            j += 1
        return j

    # ------------------------------------------------------------ the forms

    def percent(self, i: int) -> list[tuple[int, int, float, str]]:
        """number unit, or numbers joined in a list up to one with a unit ("12 und 18
        Prozent", "12 Prozent und 18 Prozent"): [(first token, end, value, form)]."""
        items: list[tuple[int, int, float, str]] = []
        with_unit = 0
        j = i
        while (num := _number(self.t, j)) is not None:
            value, form, k = num
            if self.low(k) == "(" and _number(self.t, k + 1) and self.low(k + 2) == ")":
                k += 3  # "Fifty-four (54) percent"
            after = self.unit(k)
            items.append((j, after or k, value / 100, form))
            if after is not None:
                with_unit = len(items)
            nxt = self.joiner(after or k)
            if nxt is None or _number(self.t, nxt) is None:
                break
            j = nxt
        return items[:with_unit]

    def fraction(self, i: int) -> tuple[int, float, str | None] | None:
        """(end, value, the qualifier an adjective gives, if any) of a fraction at i."""
        det = self.low(i) in _DETERMINERS
        j = i + 1 if det else i
        qualifier = _FRACTION_ADJECTIVES.get(self.low(j)) if det else None
        j += qualifier is not None
        found = self._fraction(j, det)
        # English fractions other than half are ordinals too ("the third annual", "two
        # quarters"): a share only before "of", also past a restatement ("two-thirds (64%)
        # of"), or as the subject of a verb of saying ("Of the CIOs polled, a third said …";
        # not "two quarters were weak");
        # "the" makes no share but of half
        if found is None or re.search(r"(?:third|quarter|th)s?$", self.low(found[0] - 1)) and \
                (self.low(i) == "the" or self.low(after := self.past_parenthesis(found[0])) != "of"
                 and not (RESPONDENT_VERBS.fullmatch(self.low(after))  # "two quarters were weak", but "three quarters (76%) said"
                          and (self.low(found[0] - 1) != "quarters" or after != found[0]))):
            return None
        return found[0], found[1], qualifier

    def past_parenthesis(self, i: int) -> int:
        """The index after a short parenthesis at i ("(64%)", "– 73pc –"), else i."""
        close = {"(": ")", "–": "–", "-": "-"}.get(self.low(i))
        if close:
            for k in range(i + 1, min(i + 6, len(self.t))):
                if self.low(k) == close:
                    return k + 1
        return i

    def _fraction(self, j: int, det: bool) -> tuple[int, float] | None:
        word = self.low(j)
        fused = _FUSED.fullmatch(word)
        if fused and (n := cardinal(fused.group(1))) is not None:  # "two-thirds", "Dreiviertel"
            den = _DENOMINATORS[fused.group(2)]
            return (j + 1, n / den) if n < den else None
        if word in _DENOMINATORS:
            # a bare noun is no share ("in der ersten Hälfte"), but "half of", "half the" are
            # … and "with over half reporting …", half as the subject of a verb of saying
            half = word == "half" and (self.low(j + 1) in ("of", "(", "the") or bool(RESPONDENT_VERBS.fullmatch(self.low(j + 1))))
            return (j + 1, 1 / _DENOMINATORS[word]) if det or half else None
        n = cardinal(word)
        if n is None or self.low(j + 1) not in _DENOMINATORS or n >= _DENOMINATORS[self.low(j + 1)]:
            return None
        return j + 2, n / _DENOMINATORS[self.low(j + 1)]

    def x_of_y(self, i: int) -> tuple[int, float] | None:
        if i >= len(self.t):
            return None
        words = re.fullmatch(r"([^\W\d_]+)-(?:in|of|out-of|von)-([^\W\d_]+)", self.t[i].text)
        if words:  # "Two-in-three", one token
            x, y = cardinal(words.group(1)), cardinal(words.group(2))
            return (i + 1, x / y) if x and y and x < y else None
        joined = re.fullmatch(r"(\w+)-(?:in|of|von)", self.t[i].text)
        if joined and self.low(i + 1) == "-":  # "Nine-in-10"
            x, y = cardinal(joined.group(1)), cardinal(self.t[i + 2].text) if i + 2 < len(self.t) else None
            return (i + 3, x / y) if x and y and x < y else None
        x = cardinal(self.t[i].text)
        if x is None:
            return None
        for of in _OF:
            j = self.words(i + 1, of)
            if j is None:
                continue
            if self.low(j) in ("every", "jeweils"):
                j += 1
            y = cardinal(self.t[j].text) if j < len(self.t) else None
            if y is not None and 0 < x < y <= 1000 and self.unit(j + 1) is None:
                return j + 1, x / y
        return None

    def every_nth(self, i: int) -> tuple[int, float] | None:
        if self.low(i) not in _EVERY or i + 1 >= len(self.t):
            return None
        n = ordinal(self.t[i + 1].text)
        return (i + 2, 1 / n) if n and n >= 2 else None

    # ------------------------------------------------------------ a share at i

    def share(self, i: int) -> list[Share]:
        qualifier, j = self.qualifier(i)
        start = self.t[i].start
        for form, parse in (("every-nth", self.every_nth), ("x-of-y", self.x_of_y), ("fraction", self.fraction)):
            found = parse(j)
            if found is not None:
                end = self.t[found[0] - 1].end
                inner = found[2] if len(found) > 2 else None
                return [Share(Span(start, end), self.text[start:end], found[1], inner or qualifier, form)]
        items = self.percent(j)
        out = []
        for n, (first, end, value, form) in enumerate(items):
            s = start if n == 0 else self.t[first].start
            stop = self.t[end - 1].end
            out.append(Share(Span(s, stop), self.text[s:stop], value, qualifier if n == 0 else "exactly",
                             form if len(items) == 1 else "respectively", n, len(items)))
        return out


# a share's bound is a number of up to three digits: "2009 – Sixty-two per cent" follows a dateline
_RANGE_BEFORE = re.compile(r"(?:\b(?:zwischen|between|from)|\b\d{1,3}(?:[.,]\d+)?\s*(?:-|–|bis|to))\s*$", re.IGNORECASE)
# … and its other bound follows a dash, but a restatement between dashes is none ("three-quarters – 73pc – of")
_RANGE_AFTER = re.compile(r"\s*(?:-|–|bis|to)\s*(?>\d[\d.,]*(?:\s*(?:%|pc|percent|per cent|Prozent))?)(?!\s*[–-])")


def shares(text: str, start: int = 0, end: int | None = None) -> list[Share]:
    """Every share expression in text[start:end], in text order, values in [0, 1]."""
    toks = tokens(text, start, end)
    p = _Parser(text, toks)
    out: list[Share] = []
    i = 0
    while i < len(toks):
        found = [s for s in p.share(i) if 0 <= s.value <= 1]
        if not found:
            i += 1
            continue
        first, last = found[0].span, found[-1].span
        if _RANGE_BEFORE.search(text[max(0, first.start - 12):first.start]) or _RANGE_AFTER.match(text, last.end):
            found = []  # "zwischen 12 und 18 Prozent", "12 bis 18 Prozent": a range, no share
        out += found
        stop = last.end
        while i < len(toks) and toks[i].start < stop:
            i += 1
    return out


def parse(wording: str) -> Share | None:
    """The one share a wording spells, or None: used to tell the form of a curated wording."""
    found = shares(wording)
    return found[0] if found else None
