"""Content negotiation over the result formats of kg.formats (its one table).

One small Accept parser with q-values (RFC 9110 §12.5.1), and the choice of a
format for an answer by Accept or by a `format` parameter.
"""

from __future__ import annotations

import re

from kg.formats import TABLE, Format, graph_formats, results_formats

from .problems import Problem


# The kinds of answer: what each can be written as, in order of preference when the client
# names none. CSV/TSV of a boolean is a one-cell table. Read from the table at each call, so
# that a format added to it (kg.formats) is offered everywhere.
def offers(kind: str) -> tuple[Format, ...]:
    return graph_formats() if kind == "graph" else results_formats()


_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media range, q)] of an Accept header, most preferred first; [] means anything."""
    if not header:
        return []
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                # RFC 9110, 12.4.2: 0 to 1 with up to three decimals; anything else (nan,
                # inf, 2, -1) makes the range unacceptable rather than first.
                q = float(value) if _QVALUE.fullmatch(value.strip()) else 0.0
        # More specific ranges win over wildcards at the same q; then header order.
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, position))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(media, q) for media, q, _, _ in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


def negotiate(offers: tuple[Format, ...], accept: str | None, requested: str | None = None) -> Format | None:
    """The offer to answer with (the first is the default), or None if nothing acceptable
    can be produced (406). `requested` is the `format` parameter (a name or a media
    type); it wins over Accept."""
    if requested:
        wanted = requested.strip().lower()
        return next((f for f in offers if f.is_named(wanted)), None)
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    refused = {media for media, q in ranges if q == 0}
    for media, q in ranges:
        if q == 0:
            continue
        for f in offers:
            # A wildcard must cover the type actually sent (application/* is not
            # answered with text/turtle for its alias application/x-turtle); an
            # exact alias (application/json) names that format.
            names = (f.media_type,) if "*" in media else (f.media_type, *f.aliases)
            if any(_matches(media, n) for n in names) and f.media_type not in refused:
                return f
    return None


def is_format(value: str) -> bool:
    """True if a `format` value names a format of some kind of answer (whether or not it
    fits the answer at hand)."""
    wanted = value.strip().lower()
    return any(f.is_named(wanted) for f in TABLE)


def refusal(offers: tuple[Format, ...], accept: str | None, requested: str | None, what: str = "") -> str:
    """What a 406 says: what the client asked for, and what is on offer."""
    asked = f"format {requested!r}" if requested else f"Accept: {accept}"
    return f"cannot answer {what}{asked}; available: {', '.join(f.media_type for f in offers)}"


def choose(offers: tuple[Format, ...], accept: str | None, requested: str | None = None) -> Format:
    """The offer `negotiate` picks, or a 406 problem naming what was asked and what is offered."""
    fmt = negotiate(offers, accept, requested)
    if fmt is None:
        raise Problem(406, refusal(offers, accept, requested), "Not Acceptable")
    return fmt
