"""Lexical facts about a SPARQL query string, without parsing it.

Oxigraph takes query strings (and must: a parsed query would lose its
engine), so the few things a server must know before evaluation are read
from the text with comments, string literals and IRIs blanked out first.
"""

from __future__ import annotations

import re

_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'      # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'                 # IRIs (a '<' operator is followed by white space)
    r"|#[^\n]*",                           # comments
    re.DOTALL,
)


def code_only(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces."""
    return _OPAQUE.sub(lambda m: " " * len(m.group()), query)


def _keyword(word: str) -> re.Pattern[str]:
    # Not part of a prefixed name (ex:service, service:x) or a variable (?service).
    return re.compile(rf"(?<![:?$\w]){word}(?![:\w])", re.IGNORECASE)


_SERVICE, _FROM = _keyword("SERVICE"), _keyword("FROM")


def uses_service(query: str) -> bool:
    """True if the query has a SERVICE clause (federation: an outbound request)."""
    return bool(_SERVICE.search(code_only(query)))


def has_dataset_clause(query: str) -> bool:
    """True if the query names its own dataset with FROM or FROM NAMED."""
    return bool(_FROM.search(code_only(query)))
