"""The named queries (queries/*.rq): each parses and runs, and the competency
questions get the answers the source documents give, checked value by value
(not by comparing printed tables) and against the stored texts themselves."""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.queries import bind, load_queries, run

from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
QUERY_NAMES = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
COMPETENCY = [n for n in QUERY_NAMES if not n.endswith("-violation")]
WITH_LANG = [q.name for q in load_queries(ROOT / "queries").values() if "lang" in {p.name for p in q.params}]
SAMPLE_VALUE = {"iri": "erkg:NoSuchThing", "string": "de", "integer": "1", "decimal": "0.5"}
XSD = "http://www.w3.org/2001/XMLSchema#"


# ---------------------------------------------------------------- helpers


def value(term):
    """A result term as a user sees it: an IRI string, or the literal's Python value."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt == XSD + "decimal":
            return Decimal(term.value)
        if dt in (XSD + "integer", XSD + "nonNegativeInteger", XSD + "positiveInteger"):
            return int(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


@pytest.fixture(scope="session")
def ask(store, named_queries, iris):
    """ask(name, **params) -> the rows of a named query as dicts of plain values."""
    prefixes = iris.prefixes()

    def ask(name: str, **params: str) -> list[dict]:
        query = named_queries[name]
        result = run(store, query.text, prefixes, bind(query, params, prefixes))
        names = [v.value for v in result.variables]
        return [{n: value(row[n]) for n in names} for row in result]

    return ask


@pytest.fixture(scope="session")
def iri(iris):
    """iri("role:cmo") -> the full IRI, with the project's prefixes."""
    prefixes = iris.prefixes()

    def iri(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return prefixes[prefix] + local

    return iri


def source_text(document_iri: str, iris) -> str:
    """The stored text of a document, read from data/sources/<doc>.txt."""
    doc = document_iri.removeprefix(str(iris.thing("document", "")))
    return (SOURCES / f"{doc}.txt").read_bytes().decode("utf-8")


def one(rows: list[dict], **match) -> dict:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one row with {match}, found {len(found)}: {found}"
    return found[0]


# ---------------------------------------------------------------- every query


@pytest.mark.min_cases(12)  # untraced-fact-violation is generated from the ontology now (kg/targets.py)
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_parses_and_runs(name, named_queries, ask):
    rows = ask(name)
    if named_queries[name].is_check:
        assert rows == [], f"quality check {name} found problems"
    else:
        assert rows, f"{name} returns nothing on the repository's data"


@pytest.mark.min_cases(10)
@pytest.mark.parametrize("name", COMPETENCY)
def test_named_query_has_header_and_stable_order(name, named_queries):
    q = named_queries[name]
    assert q.title.strip() and len(q.description.split()) >= 8
    assert re.search(r"\bORDER\s+BY\b", q.text, re.IGNORECASE), f"{name} has no ORDER BY"
    assert not re.search(r"^\s*PREFIX\b", q.text, re.IGNORECASE | re.MULTILINE), "prefixes are supplied"
    for p in q.params:
        assert p.optional, f"{name}: ?{p.name} should be optional: all rows when not given"
        assert p.description.strip()


@pytest.mark.min_cases(10)
@pytest.mark.parametrize("name", COMPETENCY)
def test_every_parameter_can_be_bound(name, named_queries, ask):
    """Substitution needs the parameter in the SELECT projection; bind each in turn."""
    for p in named_queries[name].params:
        ask(name, **{p.name: SAMPLE_VALUE[p.kind]})


@pytest.mark.min_cases(9)
@pytest.mark.parametrize("name", WITH_LANG)
def test_lang_fills_only_that_language(name, ask):
    for lang, other in (("de", "en"), ("en", "de")):
        rows = ask(name, lang=lang)
        assert rows
        columns = rows[0].keys()
        assert any(c.endswith(f"_{lang}") for c in columns)
        for row in rows:
            assert all(row[c] in (None, "") for c in columns if c.endswith(f"_{other}")), row
        assert any(row[c] for row in rows for c in columns if c.endswith(f"_{lang}"))


# ---------------------------------------------------------------- parameters


def test_unknown_parameter_is_refused(named_queries, iris):
    with pytest.raises(QueryError, match="rolle"):
        bind(named_queries["role-responsibilities"], {"rolle": "role:cmo"}, iris.prefixes())


@pytest.mark.parametrize("raw", ["rolle:cmo", "not an iri", "<cmo>"])
def test_malformed_iri_parameter_is_refused(named_queries, iris, raw):
    with pytest.raises(QueryError, match="'role'") as e:
        bind(named_queries["role-responsibilities"], {"role": raw}, iris.prefixes())
    assert raw in str(e.value)


def test_parameter_given_as_full_iri(ask, iri):
    full = ask("role-responsibilities", role=f"<{iri('role:cio')}>")
    assert full == ask("role-responsibilities", role="role:cio")
    assert full


def test_parameter_named_like_a_kind_takes_its_ids(ask):
    by_id = ask("role-responsibilities", role="cio")  # ?role: the id of a role
    assert by_id and by_id == ask("role-responsibilities", role="role:cio")


# ---------------------------------------------------------------- 1. responsibilities per role


def test_cio_is_becoming_responsible_for_growth_and_revenue(ask, iri, iris):
    rows = ask("role-responsibilities", role="role:cio")
    assert {r["role"] for r in rows} == {iri("role:cio")}
    row = one(rows, responsibility=iri("responsibility:growth-and-revenue"))
    assert row["responsibility_de"] == "Wachstum und Umsatz"
    assert row["responsibility_en"] == "growth and revenue"
    assert row["modality"] == iri("modality:becoming")
    assert row["claimant"] == iri("person:daniel-weisbeck")
    assert row["claimant_de"] == "Daniel Weisbeck"
    assert row["role_de"] == "Chief Information Officer"
    assert row["document"] == iri("document:netbiscuits-interview")
    assert "CIOs zunehmend die Verantwortung für Wachstum und Umsatz tragen müssen" in row["quote"]
    assert row["quote"] in row["sentence"]
    text = source_text(row["document"], iris)
    assert row["sentence"] in text
    assert "sagt Daniel Weisbeck" in text[text.index(row["sentence"]):][:len(row["sentence"]) + 30]


def test_cmo_responsibilities_include_the_cmo_checklist_duties(ask, iri):
    rows = ask("role-responsibilities", role="role:cmo")
    by_responsibility = {r["responsibility"]: r for r in rows}
    row = by_responsibility[iri("responsibility:marketing-channel-selection")]
    assert row["modality"] == iri("modality:must")
    assert row["quote"].startswith("Der CMO muss genau entscheiden")
    assert iri("responsibility:mobile-web-strategy") in by_responsibility


def test_all_roles_when_no_role_is_given(ask, iri):
    roles = {r["role"] for r in ask("role-responsibilities")}
    assert {iri(f"role:{r}") for r in ("cmo", "cio", "cco", "cdo")} <= roles


# ---------------------------------------------------------------- 2. CMOs vs CIOs


def test_cmos_and_cios_on_interaction_channels(ask, iri, iris):
    rows = ask("cmo-vs-cio-findings", roleA="role:cmo", roleB="role:cio")
    row = one(rows, shareA=Decimal("0.53"), shareB=Decimal("0.35"))
    assert row["study"] == iri("study:netbiscuits-study")
    assert row["proposition"] == iri("proposition:prop-more-interaction-channels")
    assert row["groupRoleA"] == iri("role:cmo") and row["groupRoleB"] == iri("role:cio")
    assert (row["groupA_en"], row["groupB_en"]) == ("CMOs", "CIOs")
    assert (row["wordingA"], row["wordingB"]) == ("53 Prozent", "35 Prozent")
    assert row["qualifierA"] == row["qualifierB"] == iri("qualifier:exactly")
    assert row["compared_in_text"] is True
    text = source_text(row["document"], iris)
    assert "53 Prozent der CMOs" in row["quoteA"] and row["quoteA"] in text
    assert "35 Prozent der CIOs" in row["quoteB"] and row["quoteB"] in text
    assert "Interaktions-Kanälen" in row["proposition_de"]
    # every row compares CMO groups with CIO groups on one proposition of one study
    for r in rows:
        assert r["groupRoleA"] == iri("role:cmo") and r["groupRoleB"] == iri("role:cio")


def test_roles_swapped_swap_the_sides(ask):
    row = one(ask("cmo-vs-cio-findings", roleA="role:cio", roleB="role:cmo"),
              shareA=Decimal("0.35"))
    assert row["shareB"] == Decimal("0.53")


def test_without_roles_every_pair_of_groups_once(ask, iri):
    rows = ask("cmo-vs-cio-findings")
    pairs = [frozenset((r["findingA"], r["findingB"])) for r in rows]
    assert len(pairs) == len(set(pairs)), "a pair is listed twice"
    assert all(r["groupA"] != r["groupB"] for r in rows)
    netbiscuits = [r for r in rows if r["study"] == iri("study:netbiscuits-study")]
    assert {(r["shareA"], r["shareB"]) for r in netbiscuits} & {
        (Decimal("0.53"), Decimal("0.35")), (Decimal("0.35"), Decimal("0.53"))}
    # the Rackspace study: 92 % of marketers and 75 % of IT people talk too little
    talk = one(rows, proposition=iri("proposition:p-talk-too-little"))
    assert {talk["shareA"], talk["shareB"]} == {Decimal("0.92"), Decimal("0.75")}


# ---------------------------------------------------------------- 3. mobile web strategy


def test_who_claims_the_mobile_web_strategy(ask, iri, iris):
    rows = ask("mobile-web-strategy-ownership")
    assert {r["topic"] for r in rows} == {iri("responsibility:mobile-web-strategy")}

    finding = one(rows, kind="finding", share=Decimal("0.51"))
    assert finding["who"] == iri("group:cmos")
    assert finding["wording"] == "51 Prozent"
    assert finding["qualifier"] == iri("qualifier:exactly")
    assert finding["study"] == iri("study:netbiscuits-study")
    assert finding["quote"].startswith("51 Prozent der Marketing-Chefs")
    assert finding["quote"] in source_text(finding["document"], iris)

    entitled = one(rows, kind="claim", modality=iri("modality:entitled"))
    assert entitled["assignee"] == iri("role:cmo")
    assert entitled["who"] == iri("group:cmos")

    driving = one(rows, kind="claim", modality=iri("modality:wants"))
    assert driving["assignee"] == iri("role:cmo")
    assert driving["who"] == iri("person:daniel-weisbeck")
    assert "die treibende Kraft für die Definition der mobilen Web-Strategie sein wollen" in driving["quote"]
    assert driving["quote"] in driving["sentence"]

    # The "fight" over the mobile strategy is a conflict between the CIO and the CMO, one row per party.
    fight = [r for r in rows if r["kind"] == "relation"
             and r["fact"] == iri("relation:netbiscuits-interview/r-cio-cmo-power-struggle-study")]
    assert {r["assignee"] for r in fight} == {iri("role:cio"), iri("role:cmo")}
    assert {r["modality"] for r in fight} == {iri("modality:becoming")}
    assert "Kräftemessen in den Chefetagen" in fight[0]["quote"]


def test_ownership_of_another_responsibility(ask, iri):
    rows = ask("mobile-web-strategy-ownership", responsibility="responsibility:growth-and-revenue")
    row = one(rows, kind="claim")
    assert row["assignee"] == iri("role:cio") and row["modality"] == iri("modality:becoming")


# ---------------------------------------------------------------- 4. posts


def test_weisbeck_is_cmo_of_netbiscuits_since_2012(ask, iri):
    row = one(ask("posts", person="person:daniel-weisbeck"), role=iri("role:cmo"))
    assert row["person_name"] == "Daniel Weisbeck"
    assert row["organization"] == iri("organization:netbiscuits")
    assert row["organization_name"] == "Netbiscuits"
    assert row["since"] == 2012
    assert row["former"] is False
    assert row["role_en"] == "Chief Marketing Officer"
    assert row["quote"] == "seit 2012 Chief Marketing Officer bei Netbiscuits"


def test_netbiscuits_founders_and_their_posts(ask, iri):
    rows = ask("posts", organization="organization:netbiscuits")
    assert {r["organization"] for r in rows} == {iri("organization:netbiscuits")}
    for person, name, role in (("michael-neidhoefer", "Michael Neidhöfer", "ceo"),
                               ("christian-reitz", "Christian Reitz", "cto"),
                               ("guido-moggert", "Guido Moggert", "cfo")):
        post = one(rows, person=iri(f"person:{person}"), role=iri(f"role:{role}"))
        assert post["person_name"] == name
        assert post["title"] == role.upper()
        assert post["former"] is False
        one(rows, person=iri(f"person:{person}"), role=iri("role:founder"))
    assert {r["person_name"] for r in rows} == {
        "Daniel Weisbeck", "Michael Neidhöfer", "Christian Reitz", "Guido Moggert"}


def test_nunez_former_post_at_interwall(ask, iri):
    rows = ask("posts", person="person:enrique-nunez")
    former = one(rows, organization=iri("organization:interwall-schweiz"))
    assert former["former"] is True
    assert former["role"] == iri("role:agency-head")
    assert former["title"] == "Agenturleiter"
    assert "Zuvor war er Agenturleiter bei Interwall Schweiz" in former["quote"]
    current = [r for r in rows if r["organization"] == iri("organization:rackspace")]
    assert current and all(r["former"] is False for r in current)


# ---------------------------------------------------------------- 5. CCO


CCO_DEPARTMENTS = ("marketing", "sales", "communication", "dispatch", "production",
                   "logistics", "research-and-development")


def test_cco_aligns_exactly_seven_departments(ask, iri, iris):
    rows = ask("cco-aligned-departments", role="role:cco")
    assert sorted(r["department"] for r in rows) == sorted(iri(f"department:{d}") for d in CCO_DEPARTMENTS)
    assert {r["role"] for r in rows} == {iri("role:cco")}
    assert one(rows, department=iri("department:sales"))["department_de"] == "Vertrieb"
    assert one(rows, department=iri("department:research-and-development"))["department_de"] == \
        "Forschung und Entwicklung"
    text = source_text(iri("document:chief-customer-officer"), iris)
    for r in rows:
        assert r["claims"] >= 1
        assert "Malte W. Wilkes" in r["claimants"]
        assert r["source_quote"] in text
        # the document names each department in the sentence the claim rests on
        assert r["department_de"] in r["source_quote"]


def test_aligned_departments_of_all_roles(ask, iri):
    rows = ask("cco-aligned-departments")
    pairs = {(r["role"], r["department"]) for r in rows}
    assert len(pairs) == len(rows)
    assert {(iri("role:cco"), iri(f"department:{d}")) for d in CCO_DEPARTMENTS} <= pairs


# ---------------------------------------------------------------- 6. provenance


def test_provenance_of_a_finding(ask, iris):
    rows = ask("provenance", fact="finding:netbiscuits-interview/f-cmos-interaction-channels")
    assert len(rows) == 1
    row = rows[0]
    text = source_text(row["document"], iris)
    start, end = row["start"], row["end"]
    assert text[start:end] == row["quote"]
    assert "53 Prozent der CMOs" in row["quote"]
    assert row["sentence_start"] <= start < end <= row["sentence_end"]
    assert text[row["sentence_start"]:row["sentence_end"]] == row["sentence_text"]
    assert text[:start].endswith(row["prefix"]) and text[end:].startswith(row["suffix"])


def test_provenance_of_everything_matches_the_texts(ask, iris):
    rows = ask("provenance")
    assert len(rows) >= 300
    texts: dict[str, str] = {}
    for row in rows:
        text = texts.setdefault(row["document"], source_text(row["document"], iris))
        assert text[row["start"]:row["end"]] == row["quote"], row["fact"]
        assert row["sentence_start"] <= row["start"] < row["end"] <= row["sentence_end"], row["fact"]


# ---------------------------------------------------------------- 7. roles


def test_roles_labels_and_matches(ask, iri):
    rows = {r["role"]: r for r in ask("roles")}
    for slug in ("cmo", "cio", "cco", "cdo", "ceo", "cto", "cfo"):
        role = rows[iri(f"role:{slug}")]
        assert role["label_de"] and role["label_en"], slug
        assert role["executive"] is True, slug
        assert slug.upper() in role["alt_labels_en"].split(", ")
    assert rows[iri("role:cmo")]["label_en"] == "Chief Marketing Officer"
    assert rows[iri("role:cco")]["label_de"] == "Chief Customer Officer"
    assert "Marketing-Chef" in rows[iri("role:cmo")]["alt_labels_de"].split(", ")
    for slug in ("cmo", "cio", "cto", "ceo"):
        assert rows[iri(f"role:{slug}")]["esco"].startswith("http://data.europa.eu/esco/occupation/"), slug
    assert {slug: rows[iri(f"role:{slug}")]["isco"] for slug in ("cmo", "cio", "ceo")} == \
        {"cmo": "1221", "cio": "1330", "ceo": "1120"}
    assert "ChiefExecutiveOfficer" in rows[iri("role:ceo")]["fibo_close_match"]
    assert "CorporateOfficer" in rows[iri("role:cmo")]["fibo_broad_match"]
    assert rows[iri("role:founder")]["executive"] is False


def test_one_role(ask, iri):
    rows = ask("roles", role="role:cio")
    assert [r["role"] for r in rows] == [iri("role:cio")]
    assert "IT-Leiter" in rows[0]["alt_labels_de"].split(", ")
    assert rows[0]["leads_department_en"] == "IT"


# ---------------------------------------------------------------- further queries


def test_findings_of_the_netbiscuits_study(ask, iri):
    rows = ask("findings", study="study:netbiscuits-study")
    assert {r["study"] for r in rows} == {iri("study:netbiscuits-study")}
    shares = {(r["group"], r["share"]) for r in rows if r["share"] is not None}
    assert {(iri("group:cmos"), Decimal("0.53")), (iri("group:cios"), Decimal("0.35")),
            (iri("group:cmos"), Decimal("0.51"))} <= shares
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts), "findings are in the order of the document"


def test_findings_qualifiers_as_worded(ask, iri):
    rows = ask("findings", study="study:marketing-it-study")
    less = one(rows, wording="weniger als 10 Prozent")
    assert less["share"] == Decimal("0.1") and less["qualifier"] == iri("qualifier:less-than")
    almost = one(rows, wording="fast die Hälfte")
    assert almost["share"] == Decimal("0.5") and almost["qualifier"] == iri("qualifier:almost")


def test_relations_of_the_cco(ask, iri):
    rows = ask("role-relations", party="role:cco")
    assert rows and all(iri("role:cco") in (r["first"], r["second"]) for r in rows)
    others = {r["second"] if r["first"] == iri("role:cco") else r["first"] for r in rows}
    assert others >= {iri(f"department:{d}") for d in CCO_DEPARTMENTS}


def test_conflict_between_cmo_and_cio(ask, iri):
    rows = ask("role-relations", party="role:cmo", kind="relationkind:conflict")
    assert rows and {r["kind"] for r in rows} == {iri("relationkind:conflict")}
    assert any("„Kampf“" in r["quote"] and r["claimant"] == iri("person:daniel-weisbeck") for r in rows)


def test_cmo_checklist_in_order(ask, iri, iris):
    rows = ask("recommendations", checklist="checklist:cmo-checklist")
    assert [r["position"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["recommendation_de"] for r in rows] == [
        "Umfassende Social-Media-Strategie entwickeln",
        "Wohlüberlegte Krisenkommunikation wählen",
        "Sinnvolle Business-Intelligence-Tools einsetzen",
        "Partnerschaftliche Zusammenarbeit mit der IT pflegen",
        "Kontinuierlich IT-Kenntnisse erweitern",
    ]
    text = source_text(iri("document:cmo-challenges"), iris)
    checklist_at = text.index("Checkliste für den Chief Marketing Officer")
    assert all(text.index(r["quote"]) > checklist_at for r in rows)
    assert all(r["addressed_to"] == "Chief Marketing Officer" for r in rows)


def test_recommendations_for_an_audience(ask, iri):
    rows = ask("recommendations", audience="role:cio")
    assert rows and all("Chief Information Officer" in r["addressed_to"] for r in rows)
    assert not any(r["list"] == iri("checklist:cmo-checklist") for r in rows)
