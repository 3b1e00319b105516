"""Lexical facts about a SPARQL query string, without parsing it.

Oxigraph takes query strings (and must: a parsed query would lose its
engine), so the few things a server must know before evaluation are read
from the text with comments, string literals and IRIs blanked out first.

`uses_service` guards the endpoint against outbound requests, so it errs on
the side of "yes". Oxigraph 0.5 parses with a scannerless PEG grammar: a
keyword needs no white space around it (`1SERVICE<…>`, `SERVICESILENT<…>`,
`SERVICE:x`), comments end at CR as well as LF, a prefixed name may hide `#`
or a quote behind a backslash (`ex:a\\#`), and a `<` may be an IRI or the
less-than operator depending on where the parser is. So the check blanks only
what cannot hold a keyword (strings, IRIs, comments, variable names, the local
part of prefixed names) and flags every other `service`, whatever surrounds
it, but a prefix (`PREFIX service: <…>`, `service:name`): that is the keyword
only where a group `{` follows the name (`service:x {…}` is SERVICE `:x`),
and then not after GRAPH (`GRAPH service:g {…}`). Where a `<…>` could also be
read as operators that end an expression or open a string or comment, it
falls back to flagging any `service` anywhere.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from string import ascii_letters

_ECHAR = r"""\\[tbnrf"'\\]"""
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
# A long string's opening quotes and as much of its body as follows them (it has
# closed if its closing quotes come next).
_LONG_STRING = {q: re.compile(rf"{q * 3}(?:{q}{{0,2}}(?:[^{q}\\]|{_ECHAR}|{_UCHAR}))*") for q in "\"'"}
# Short strings end at their quote or, unclosed, at the end of the line, whatever they
# escape: a quote that opens no string is a syntax error, so this changes nothing for a
# query Oxigraph runs, and no match fails only to be tried again from the next quote
# (quadratic on `"\"\"\"…` with no closing quote).
_SHORT_STRINGS = r'''"(?:[^"\\\n\r]|\\[^\n\r])*"?|'(?:[^'\\\n\r]|\\[^\n\r])*'?'''
_TOKEN = re.compile(
    r"""(?=[<"'#\\])"""  # lets the engine skip to where a token can start (a third faster)
    rf"(?:(?P<string>{_SHORT_STRINGS})"
    rf'|(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)'  # IRIs (or `<` … `>` operators)
    r"|(?P<comment>#[^\r\n]*)"                              # comments end at CR or LF
    r"|(?P<escape>\\[_~.\-!$&'()*+,;=/?#@%]))")             # escaped char of a prefixed name
_LONG_STRING_OPENER = re.compile("(?='''|\"\"\")")  # zero-width: overlapping ones are found too
_LINE_END = re.compile(r"[\r\n]")
_SERVICE = re.compile("service", re.IGNORECASE)
_NAME_RUN = re.compile(r"[\w%-]+")  # letters, digits, "_" (and the blanked escapes), "%", "-"
_NAME_BREAK = re.compile(r"[%-]")
_BRACKET = re.compile(r"[(\[{)\]}]")


@lru_cache(maxsize=8)  # the checks of one request scan the same text
def _scan(query: str) -> tuple[str, bool]:
    """(the query with strings, IRIs and comments replaced by spaces and a prefixed
    name's escapes by "_", whether a `<…>` could also be read as operators).
    Linear in the query's length: it is scanned before any limit but the length's."""
    ambiguous = False
    long_strings = "'''" in query or '"""' in query
    openers: list[int] = []
    line_ends: list[int] = []

    def opener_later_on_line(pos: int) -> bool:
        if not line_ends:  # found once, on the first IRI that needs them
            openers.extend(m.start() for m in _LONG_STRING_OPENER.finditer(query))
            line_ends.extend([*(m.start() for m in _LINE_END.finditer(query)), len(query)])
        i = bisect_left(openers, pos)
        return i < len(openers) and openers[i] < line_ends[bisect_left(line_ends, pos)]

    def blank(m: re.Match[str]) -> str:
        nonlocal ambiguous
        text = m.group()
        if m.lastgroup == "escape":
            return "__"
        if m.lastgroup == "iri" and not ambiguous:
            # Read as `<` and `>` operators, the text between could close the
            # expression (then a keyword may follow), or open a string or a
            # comment that would end elsewhere than this scan assumes.
            ambiguous = (")" in text or "'" in text
                         or ("#" in text and long_strings and opener_later_on_line(m.end())))
        return " " * len(text)

    if not long_strings:
        return _TOKEN.sub(blank, query), ambiguous
    # Where a long string opens, it comes first; one that does not close stops where its
    # body ends, and so does every later opener of its kind before that point: they sit
    # behind an escaped quote (`\"""`), and from the end of their quotes on each is read
    # as the first one was. So they are not tried again, and the text is read once.
    out: list[str] = []
    done = pos = 0
    no_long_before = {'"': 0, "'": 0}
    while (m := _TOKEN.search(query, pos)) is not None:
        at, q = m.start(), query[m.start()]
        if q in no_long_before and at >= no_long_before[q] and query.startswith(q * 3, at):
            end = _LONG_STRING[q].match(query, at).end()
            if query.startswith(q * 3, end):
                out += [query[done:at], " " * (end + 3 - at)]
                done = pos = end + 3
                continue
            no_long_before[q] = end
        out += [query[done:at], blank(m)]
        done = pos = m.end()
    out.append(query[done:])
    return "".join(out), ambiguous


def code_only(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces."""
    return _scan(query)[0]


# The characters other than ASCII letters that `re` takes for one ignoring case (İ ı for
# i, K for k, ſ for s): Oxigraph reads none of them so, but another engine might.
_CASE_FOLDS = "\u0130\u0131\u212a\u017f"


def _keyword(*words: str) -> re.Pattern[str]:
    """Any of `words`, in any case, as a keyword (group 1): not part of a prefixed name
    (ex:from, from:x) or a variable (?from)."""
    # The lookahead on the first letters lets the engine skip to where a word can start;
    # the lookbehind first would be tried at every position (some 5 times slower).
    initials = "".join(sorted({c for w in words for c in ascii_letters + _CASE_FOLDS
                               if re.fullmatch(w[0], c, re.IGNORECASE)}))
    return re.compile(rf"(?=[{initials}])(?<![:?$\w])(?i:({'|'.join(words)}))(?![:\w])")


def _may_hold(query: str, word: str) -> bool:
    """False if the query certainly holds `word` (lower case) in no case: a substring
    test, far cheaper than any regex, to skip the scans."""
    return word in query.lower() or any(c in query for c in _CASE_FOLDS)


_FROM = _keyword("FROM")


# What may follow `prefix:` in a prefixed name: anything up to a character no local
# part holds (escapes are blanked to "_" already). Wider than the grammar's, so that
# what follows it is never read too early.
_LOCAL_PART = re.compile(r"""[^\s{}()\[\],;<>^|/!=*+?$&"'#`]*+""")
_GRAPH = re.compile(r"(?<![:?$\w])GRAPH", re.IGNORECASE)
_SPACE = re.compile(r"\s*+")


def _prefix_is_keyword(code: str, start: int, local_end: int) -> bool:
    """Whether `service…:local` at code[start:local_end] may be read as SERVICE and an
    IRI: only where a group follows it, and not as the graph name after GRAPH."""
    if not code.startswith("{", _SPACE.match(code, local_end).end()):
        return False
    before = start
    while before > 0 and code[before - 1].isspace():
        before -= 1
    return _GRAPH.match(code, max(before - 5, 0), before) is None


def _has_service(query: str) -> bool:
    code, ambiguous = _scan(query)
    if ambiguous:
        return bool(_SERVICE.search(query))
    # A `service` inside a run of name characters is no keyword where the run is
    # certainly a variable's name or the local part of a prefixed name.
    local_end = 0  # where the last prefixed name read ends: the runs before it are in it
    for run in _NAME_RUN.finditer(code):
        start, end = run.span()
        if start < local_end or _SERVICE.search(code, start, end) is None:
            continue
        before = code[start - 1:start]
        if before in ("?", "$"):  # a variable's name has no "%" or "-": a `service` after one is not in it
            cut = _NAME_BREAK.search(code, start, end)
            if cut is not None and _SERVICE.search(code, cut.end(), end):
                return True
        elif before == ":":  # a local part (or _:label) cannot start with "-"
            if code[start] == "-":
                return True
        elif code.startswith(":", end):  # a prefix, declared or of a prefixed name
            local_end = _LOCAL_PART.match(code, end + 1).end()
            if _prefix_is_keyword(code, start, local_end):
                return True
        else:
            return True
    return False


_CODEPOINT = re.compile(_UCHAR)
_CODEPOINT_OR_PAIR = re.compile(rf"\\\\|{_UCHAR}")


def _unescape_codepoints(query: str, after_pairs: bool) -> str:
    r"""The query with \uXXXX and \UXXXXXXXX replaced, as SPARQL 1.1 (§19.2) says
    a parser may do before anything else; with `after_pairs` false, not one behind an
    escaped backslash (`\\u0041`), as some parsers read it."""
    def char(m: re.Match[str]) -> str:
        if m.group() == "\\\\":
            return m.group()
        code = int(m.group()[2:], 16)
        return chr(code) if code <= 0x10FFFF else m.group()
    return (_CODEPOINT if after_pairs else _CODEPOINT_OR_PAIR).sub(char, query)


def _read_either_way(query: str, test: Callable[[str], bool]) -> bool:
    """test(query), or test of the query as a parser that reads \\u escapes first does."""
    if test(query):
        return True
    if "\\u" not in query and "\\U" not in query:
        return False
    return any(unescaped != query and test(unescaped)
               for unescaped in {_unescape_codepoints(query, after_pairs) for after_pairs in (True, False)})


def uses_service(query: str) -> bool:
    """True if the query has, or may have, a SERVICE clause (federation: an
    outbound request). Errs on the side of True; see the module's docstring."""
    if not _may_hold(query, "service") and "\\u" not in query and "\\U" not in query:
        return False  # the word is nowhere, not even behind escapes: no need to scan
    return _read_either_way(query, _has_service)


# Functions whose value changes from one evaluation to the next; BNODE makes a new
# blank node each time. STRUUID holds UUID, so "uuid" finds both.
_VOLATILE = re.compile(_keyword("NOW", "RAND", "UUID", "STRUUID", "BNODE").pattern + r"\s*+\(")
_VOLATILE_WORDS = ("now", "rand", "uuid", "bnode")


def _calls_volatile(query: str) -> bool:
    code, ambiguous = _scan(query)
    return _VOLATILE.search(query if ambiguous else code) is not None


def is_volatile(query: str) -> bool:
    """True if the query calls NOW, RAND, UUID, STRUUID or BNODE (not in a string, an
    IRI, a comment or a name): its answer may change between runs, so must not be reused.
    Errs on the side of True, as uses_service does."""
    lower = query.lower()
    if (not any(w in lower for w in _VOLATILE_WORDS) and not any(c in query for c in _CASE_FOLDS)
            and "\\u" not in query and "\\U" not in query):
        return False
    return _read_either_way(query, _calls_volatile)


def deepest_nesting(query: str) -> tuple[int, int]:
    """(how deep brackets — ( [ { — nest in the query outside strings, IRIs and comments,
    the offset of the first bracket that opens that deep; 0 if there is none)."""
    code = code_only(query)
    depth = deepest = where = 0
    for m in _BRACKET.finditer(code):
        if m.group() in "([{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, m.start()
        else:
            depth = max(depth - 1, 0)
    return deepest, where


def has_dataset_clause(query: str) -> bool:
    """True if the query names its own dataset with FROM or FROM NAMED."""
    return _may_hold(query, "from") and _FROM.search(code_only(query)) is not None


_UPDATE = _keyword("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_PREFIX_KEYWORD = re.compile(r"(?<![:?$\w])PREFIX\s*+", re.IGNORECASE)
_NAME_CHARS = re.compile(r"[\w.-]*+")
# A prefixed name's prefix: not after a name character, "?", "$" or ":" (a variable, the
# local part of another name, `_:` blank nodes).
_PREFIX_USE = re.compile(r"(?<![\w?$:.\-])([A-Za-z](?:[\w.-]*\w)?)?:")


def is_update(query: str) -> bool:
    """True if the text is a SPARQL Update rather than a query: no query form, an update
    keyword (INSERT, DELETE, CLEAR, DROP …) instead."""
    code = code_only(query)
    return _FORM.search(code) is None and _UPDATE.search(code) is not None


def undeclared_prefixes(query: str) -> list[str]:
    """Prefixes the query's prefixed names use (`ex:` for ex:name) that no PREFIX declares,
    in order of first use: a hint for a syntax error, which Oxigraph reports otherwise."""
    code = code_only(query)
    # A declared name is the whole run of name characters after PREFIX, and a ":" after
    # it. A PREFIX inside a run read before (`x-PREFIXax-PREFIXa…`) shares its end: not
    # read again, else quadratic.
    declared: set[str] = set()
    run_end = declared_to = -1
    for m in _PREFIX_KEYWORD.finditer(code):
        start = m.end()
        if m.start() < declared_to:  # within a name just declared
            continue
        if start >= run_end:
            run_end = _NAME_CHARS.match(code, start).end()
        name = code[start:run_end]
        if code.startswith(":", run_end) and (not name or name[0] in ascii_letters):
            declared.add(name)
            declared_to = run_end + 1
    used = dict.fromkeys(m.group(1) or "" for m in _PREFIX_USE.finditer(code))
    return [p for p in used if p not in declared]


_FORM = _keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_WHERE_GROUP = re.compile(r"(?<![:?$\w])WHERE\s*\{", re.IGNORECASE)
_SHORT_CONSTRUCT = re.compile(r"(?<![:?$\w])CONSTRUCT\s*WHERE(?![:\w])", re.IGNORECASE)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (upper case): the first of these keywords
    outside strings, IRIs and comments, since only BASE and PREFIX may come before
    the query form; None if there is none (not a query)."""
    m = _FORM.search(code_only(query))
    return m.group(1).upper() if m else None


def with_values(query: str, row: dict[str, str]) -> str:
    """The query with its variables bound for engines that take only text, the way
    SEP-0007 substitution does: `VALUES (?v …) { (term …) }` first in the WHERE group,
    and each `?v` replaced by its term where the block would not reach it, or where the
    term helps the engine plan (`_substitute`). A VALUES block alone would not do: SPARQL
    evaluates a nested group before joining it, so a nested `OPTIONAL { … FILTER (?lang
    = "de") }` would never see ?lang. Not replaced: a variable that an `AS` or VALUES
    assigns, the argument of BOUND, and anything in a query with a sub-SELECT (a scope
    of its own).
    `row` maps variable names to terms in SPARQL syntax (as str() of a pyoxigraph term).
    Raises ValueError for a query with no WHERE group to put them in."""
    if not row:
        return query
    pieces, slots = _template(query, tuple(row))
    out = [pieces[0]]
    for name, piece in zip(slots, pieces[1:]):
        out += [row[name], piece]
    return "".join(out)


@lru_cache(maxsize=256)
def _template(query: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`with_values` for variables `names` as text pieces and, between each two, the name
    of the variable whose term goes there. Cached: the scan of the text takes ~0.1–1 ms,
    and the same named query is asked again and again with other terms."""
    code = code_only(query)
    if _SHORT_CONSTRUCT.search(code):
        raise ValueError("cannot bind variables in the short form CONSTRUCT WHERE { … }: write the template out")
    m = _WHERE_GROUP.search(code)
    if m is None:
        form = _FORM.search(code)
        brace = code.find("{", form.end()) if form and form.group(1).upper() in ("SELECT", "ASK") else -1
        if brace < 0:
            raise ValueError("cannot bind variables: the query has no WHERE group")
        at = brace + 1
    else:
        at = m.end()
    variables = " ".join(f"?{name}" for name in names)
    pieces = [f"{query[:at]} VALUES ({variables}) {{ (", *[" "] * (len(names) - 1), ") } "]
    slots = list(names)
    if len(_FORM.findall(code)) > 1:  # a sub-SELECT
        pieces[-1] += query[at:]
    else:
        _substitute(query[at:], code[at:], set(names), pieces, slots)
    return tuple(pieces), tuple(slots)


_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\U000EFFFF]+)")
# Searched for just before a "{": an EXISTS group, an OPTIONAL or MINUS group.
_EXISTS = re.compile(r"(?<![:?$\w])EXISTS\s*$", re.IGNORECASE)
_OPTIONAL = re.compile(r"(?<![:?$\w])(?:OPTIONAL|MINUS)\s*$", re.IGNORECASE)
# What precedes a variable that is assigned, not used: `AS ?v`, `VALUES ?v`, `VALUES (?a ?v`;
# or that only a variable can stand in: `BOUND(?v)`.
_ASSIGNED = re.compile(r"(?<![:?$\w])(?:AS|VALUES\s*(?:\(\s*(?:[?$]\w+\s*)*)?|BOUND\s*\()\s*$", re.IGNORECASE)


def _substitute(text: str, code: str, names: set[str], pieces: list[str], slots: list[str]) -> None:
    """`text` (the WHERE group after its "{", `code` the same blanked) added to `pieces`
    and `slots` (see _template), the variables of `names` replaced by their terms in every
    expression (FILTER, BIND, EXISTS …) and anywhere in an OPTIONAL or MINUS that is
    itself nested. There the VALUES block first
    in the group would not bind them as substitution does (a nested group is evaluated
    before the join sees the VALUES), or would bind them only after the whole group is
    evaluated: the WHERE group's own FILTERs can only be applied early, before its
    OPTIONALs, when they name no parameter (Oxigraph: cmo-vs-cio-findings 2.4x faster).
    Elsewhere (triple patterns of a nested group, a UNION branch, an OPTIONAL of the
    WHERE group) the join binds them the same way, and a constant there can make an
    engine plan worse (Oxigraph: role-responsibilities 3x slower)."""
    groups: list[bool] = [False]  # per open group: are the parameters replaced in it?
    parens, last = 0, 0
    for i, ch in enumerate(code):
        if ch == "{":
            start = max(0, i - 16)  # searched with pos/endpos: the lookbehinds still see what is before
            if parens > 0 or groups[-1] or _EXISTS.search(code, start, i):
                groups.append(True)
            else:  # an OPTIONAL or MINUS evaluated inside a nested group, before the join
                groups.append(len(groups) > 1 and _OPTIONAL.search(code, start, i) is not None)
        elif ch == "}":
            groups.pop()
            if not groups:
                break
        elif ch == "(":
            parens += 1
        elif ch == ")":
            parens = max(parens - 1, 0)
        elif ch in "?$" and (parens > 0 or groups[-1]):
            m = _VARIABLE.match(code, i)
            if m and m.group(1) in names and not _ASSIGNED.search(code, max(0, i - 200), i):
                pieces[-1] += text[last:i]
                pieces.append("")
                slots.append(m.group(1))
                last = m.end()
    pieces[-1] += text[last:]

