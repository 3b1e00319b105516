"""Check an annotated corpus directory against tests/corpus/CORPUS-FORMAT (see README.md).

`validate(dir)` returns a list of problems (empty when the corpus is well formed); run as
`python tests/corpus/validate.py DIR [DIR ...]` it prints them and exits 1 if there are any.
Standard library + PyYAML only, so the extraction tests can import it.
"""
from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import yaml

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ROLE = re.compile(r"[a-z]+(-[a-z]+)*")
FORMS = {"percent", "decimal", "number-word", "fraction", "x-of-y", "every-nth", "respectively"}
QUALIFIERS = {"exactly", "at-least", "more-than", "less-than", "almost", "about", "at-most"}
TOP_KEYS = {"id", "title", "url", "date", "language", "publisher", "rights", "note", "gold"}
FINDING_KEYS = {"quote", "context", "share", "qualifier", "wording", "form", "group", "role", "proposition"}
POST_KEYS = {"quote", "context", "person", "title", "role", "organization", "via_pronoun"}
# digits with an optional decimal part, as in "53 Prozent", "12,5 %", "12.5 percent"
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _is_str(v: object) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _check_span(text: str, item: dict, where: str) -> list[str]:
    """quote occurs once in text, or context occurs once and contains quote."""
    problems = []
    quote, context = item.get("quote"), item.get("context")
    if not _is_str(quote):
        return [f"{where}: quote missing or empty"]
    if context is None:
        n = text.count(quote)
        if n != 1:
            problems.append(f"{where}: quote occurs {n} times in the text"
                            + (" (give a context)" if n > 1 else "") + f": {quote!r}")
    else:
        if not _is_str(context):
            problems.append(f"{where}: context is empty")
        elif text.count(context) != 1:
            problems.append(f"{where}: context occurs {text.count(context)} times in the text (need 1): {context!r}")
        elif quote not in context:
            problems.append(f"{where}: quote is not inside its context")
        elif text.count(quote) == 1:
            problems.append(f"{where}: context given but the quote is unique (leave context out)")
    return problems


def _check_common(text: str, item: dict, keys: set[str], where: str) -> list[str]:
    """What findings and posts share: their keys, their span, their role."""
    problems = [f"{where}: unknown key {k!r}" for k in item if k not in keys]
    problems += [f"{where}: missing key {k!r}" for k in keys - {"context"} if k not in item]
    problems += _check_span(text, item, where)
    role = item.get("role")
    if role is not None and not (isinstance(role, str) and ROLE.fullmatch(role)):
        problems.append(f"{where}: role {role!r} is not a slug or null")
    return problems


def _check_finding(text: str, quote: str, f: dict, where: str) -> list[str]:
    problems = []
    for k in ("wording", "group", "proposition"):
        v = f.get(k)
        if not _is_str(v):
            problems.append(f"{where}: {k} missing or empty")
        elif v not in quote:
            problems.append(f"{where}: {k} {v!r} is not a substring of the quote")
    share = f.get("share")
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        problems.append(f"{where}: share {share!r} is not a number in [0, 1]")
    elif round(share, 3) != share:
        problems.append(f"{where}: share {share!r} has more than 3 decimals")
    if f.get("qualifier") not in QUALIFIERS:
        problems.append(f"{where}: qualifier {f.get('qualifier')!r} not one of {sorted(QUALIFIERS)}")
    form = f.get("form")
    if form not in FORMS:
        problems.append(f"{where}: form {form!r} not one of {sorted(FORMS)}")
    elif form in ("percent", "decimal") and _is_str(f.get("wording")) and isinstance(share, (int, float)):
        # the digits written must be the share: catches typos in either
        numbers = NUMBER.findall(f["wording"])
        if len(numbers) != 1:
            problems.append(f"{where}: form {form} needs exactly one number in the wording {f['wording']!r}")
        else:
            written = numbers[0]
            if (form == "decimal") != bool(re.search(r"[.,]", written)):
                problems.append(f"{where}: form {form} does not fit the wording {f['wording']!r}")
            if abs(float(written.replace(",", ".")) / 100 - share) > 0.0005:
                problems.append(f"{where}: share {share} does not match the wording {f['wording']!r}")
    return problems


def _check_post(text: str, quote: str, p: dict, where: str) -> list[str]:
    problems = []
    if not isinstance(p.get("via_pronoun"), bool):
        problems.append(f"{where}: via_pronoun must be true or false")
    if not _is_str(p.get("title")) or p["title"] not in quote:
        problems.append(f"{where}: title {p.get('title')!r} missing or not in the quote")
    person = p.get("person")
    if not _is_str(person) or person not in text:
        problems.append(f"{where}: person {person!r} missing or not in the text")
    elif p.get("via_pronoun") is False and person not in quote:
        problems.append(f"{where}: person {person!r} not in the quote (via_pronoun is false)")
    org = p.get("organization")
    if org is not None and (not _is_str(org) or org not in text):
        problems.append(f"{where}: organization {org!r} not in the text")
    return problems


def validate_article(yaml_path: Path) -> list[str]:
    """Problems of one <id>.yaml together with its <id>.txt."""
    name = yaml_path.name
    txt_path = yaml_path.with_suffix(".txt")
    if not txt_path.exists():
        return [f"{name}: no {txt_path.name} beside it"]
    try:
        text = txt_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"{txt_path.name}: not UTF-8 ({e})"]
    try:
        doc = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        return [f"{name}: not valid YAML ({e})"]
    if not isinstance(doc, dict):
        return [f"{name}: top level is not a mapping"]
    problems = [f"{name}: unknown key {k!r}" for k in doc if k not in TOP_KEYS]
    problems += [f"{name}: missing key {k!r}" for k in TOP_KEYS if k not in doc]
    if doc.get("id") != yaml_path.stem or not SLUG.fullmatch(str(doc.get("id"))):
        problems.append(f"{name}: id {doc.get('id')!r} must be a slug equal to the file name")
    for k in ("title", "url", "rights"):
        if not _is_str(doc.get(k)):
            problems.append(f"{name}: {k} missing or empty")
    if _is_str(doc.get("url")) and not re.match(r"https?://", doc["url"]):
        problems.append(f"{name}: url is not http(s)")
    if doc.get("date") is not None and not isinstance(doc.get("date"), datetime.date):
        problems.append(f"{name}: date {doc.get('date')!r} is not an ISO date (YYYY-MM-DD) or null")
    if doc.get("language") not in ("de", "en"):
        problems.append(f"{name}: language must be de or en")
    for k in ("publisher", "note"):
        if doc.get(k) is not None and not _is_str(doc.get(k)):
            problems.append(f"{name}: {k} must be a non-empty string or null")
    gold = doc.get("gold")
    if not isinstance(gold, dict) or set(gold) != {"findings", "posts"}:
        return problems + [f"{name}: gold must have exactly the keys findings and posts"]
    for kind, keys, check in (("findings", FINDING_KEYS, _check_finding), ("posts", POST_KEYS, _check_post)):
        items = gold[kind] or []
        if not isinstance(items, list):
            problems.append(f"{name}: gold.{kind} is not a list")
            continue
        seen = set()
        for i, item in enumerate(items):
            where = f"{name}: {kind}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: not a mapping")
                continue
            problems += _check_common(text, item, keys, where)
            problems += check(text, item["quote"] if isinstance(item.get("quote"), str) else "", item, where)
            key = yaml.safe_dump(item, sort_keys=True)
            if key in seen:
                problems.append(f"{name}: {kind}[{i}] repeats an earlier entry")
            seen.add(key)
    return problems


def validate(directory: str | Path) -> list[str]:
    """Problems of every article in directory (empty list: the corpus is well formed)."""
    d = Path(directory)
    if not d.is_dir():
        return [f"{d}: not a directory"]
    problems = [f"{t.name}: no {t.stem}.yaml beside it" for t in sorted(d.glob("*.txt"))
                if not t.with_suffix(".yaml").exists()]
    yamls = sorted(d.glob("*.yaml"))
    if not yamls:
        problems.append(f"{d}: no articles")
    for y in yamls:
        problems += validate_article(y)
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tests/corpus/validate.py DIR [DIR ...]", file=sys.stderr)
        return 2
    problems = [p for d in argv for p in validate(d)]
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {', '.join(argv)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
