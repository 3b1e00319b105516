"""The JSON REST API under /api/v1, against a real `erkg serve` of the built graph.

Answers are checked against the source documents themselves (every quotation
cuts its words out of data/sources/<doc>.txt at the offsets given), against
the graph (filters give exactly what SPARQL over the store gives; JSON-LD
expands to triples the graph holds), and against what the documents say
(the CMO's labels, the 53 % finding, Daniel Weisbeck's post). Errors are RFC
9457 problem details; the named queries of queries/ are endpoints.
"""

from __future__ import annotations

import csv
import io
import shutil

import httpx
import pyoxigraph as ox
import pytest

from api.rest.search import fold, forms, match, stems
from kg.queries import load_queries

from tests.conftest import ROOT

SOURCES = ROOT / "data" / "sources"
BASE = "https://w3id.org/erkg/"
ERKG = BASE + "ontology#"
PROBLEM = "application/problem+json"
LISTS = ["roles", "departments", "responsibilities", "organizations", "persons", "posts", "studies", "findings",
         "claims", "relations", "statements", "recommendations", "documents", "groups", "propositions", "topics",
         "places", "checklists", "affiliations", "modalities", "qualifiers", "relation-kinds", "statement-kinds"]
CONCEPTS = ["roles", "departments", "modalities", "qualifiers", "relation-kinds", "statement-kinds"]
WITH_PROVENANCE = [r for r in LISTS if r not in (*CONCEPTS, "documents")]
NAMED = sorted(q.name for q in load_queries(ROOT / "queries").values() if not q.is_check)


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def api(backend):
    with httpx.Client(base_url=f"{backend.url}/api/v1", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def texts() -> dict[str, str]:
    return {p.stem: p.read_bytes().decode("utf-8") for p in SOURCES.glob("*.txt")}


def get(api: httpx.Client, path: str, status: int = 200, **params) -> dict:
    response = api.get(path, params=params)
    assert response.status_code == status, (path, params, response.text)
    return response.json()


def everything(api: httpx.Client, path: str, **params) -> list[dict]:
    """All items of a list, page by page, checking that `total` stays the same."""
    items, offset, total = [], 0, None
    while True:
        page = get(api, path, limit=7, offset=offset, **params)
        assert total is None or page["total"] == total
        total = page["total"]
        assert page["offset"] == offset and page["limit"] == 7 and len(page["items"]) <= 7
        items += page["items"]
        offset += 7
        if offset >= total:
            break
    assert len(items) == total
    return items


def sparql(store, query: str) -> list[dict[str, str]]:
    from kg.namespaces import Iris
    result = store.query(query, prefixes=Iris().prefixes(), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def assert_problem(response: httpx.Response, status: int, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"] == "about:blank"
    assert body["instance"] == response.request.url.path
    if parameter is not None:
        assert parameter in body["detail"]
        # a list parameter's value is named with its position (type.0)
        assert any(e["name"] == parameter or e["name"].startswith(parameter + ".") for e in body["errors"])
    return body


def check_provenance(item: dict, texts: dict[str, str]) -> None:
    assert item["provenance"], f"{item['iri']} has no provenance"
    for p in item["provenance"]:
        text = texts[p["document"]["id"]]
        assert p["document"]["iri"] == f"{BASE}id/document/{p['document']['id']}"
        assert text[p["start"]:p["end"]] == p["quote"], item["iri"]
        assert text[p["sentence_start"]:p["sentence_end"]] == p["sentence"], item["iri"]
        assert p["sentence_start"] <= p["start"] < p["end"] <= p["sentence_end"]
        assert p["quotation"] == f"{BASE}id/quote/{p['document']['id']}/{p['start']}-{p['end']}"


# ---------------------------------------------------------------- discovery


def test_the_entry_point_names_every_resource(server):
    index = httpx.get(f"{server.url}/api/v1").json()
    assert set(index["resources"]) == {*LISTS, "quotations"}  # quotations have no labels: see test_links.py
    for path in index["resources"].values():
        assert httpx.get(f"{server.url}{path}").status_code == 200
    assert index["docs"] == "/docs" and index["queries"] == "/api/v1/queries"


def test_openapi_documents_every_resource_and_named_query(server):
    schema = httpx.get(f"{server.url}/openapi.json").json()
    paths = schema["paths"]
    for resource in LISTS:
        assert f"/api/v1/{resource}" in paths
        assert "Page_" in str(paths[f"/api/v1/{resource}"]["get"]["responses"]["200"])
    assert "/api/v1/roles/{role}/responsibilities" in paths and "/api/v1/findings/{document}/{finding}" in paths
    for name, query in load_queries(ROOT / "queries").items():
        if query.is_check:
            assert f"/api/v1/queries/{name}" not in paths
            continue
        operation = paths[f"/api/v1/queries/{name}"]["get"]
        documented = {p["name"]: p for p in operation["parameters"]}
        assert operation["summary"] == query.title
        for p in query.params:
            assert documented[p.name]["required"] is (not p.optional)
            assert p.description.split(",")[0] in documented[p.name]["description"]
    # filters are documented parameters; errors are problem details
    findings = paths["/api/v1/findings"]["get"]
    names = {p["name"] for p in findings["parameters"]}
    assert {"role", "study", "topic", "group", "document", "limit", "offset"} <= names
    assert PROBLEM in findings["responses"]["422"]["content"]
    assert "application/ld+json" in findings["responses"]["200"]["content"]
    assert PROBLEM in paths["/api/v1/roles/{role}"]["get"]["responses"]["404"]["content"]


def test_docs_page_is_served(server):
    response = httpx.get(f"{server.url}/docs")
    assert response.status_code == 200 and "openapi.json" in response.text


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/roles?limit=3", "/api/v1/roles/cmo",
                                  "/api/v1/queries/roles", "/id/role/cmo", "/openapi.json"])
def test_head_is_a_get_without_the_body(server, path):
    get = httpx.get(f"{server.url}{path}")
    head = httpx.head(f"{server.url}{path}")
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag"):
        assert head.headers.get(name) == get.headers.get(name), name


@pytest.mark.parametrize("path", ["/api/v1/roles", "/id/role/cmo"])
def test_a_method_a_route_does_not_answer_is_405_naming_those_it_does(server, path):
    response = httpx.delete(f"{server.url}{path}")
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == {"GET", "HEAD"}


# ---------------------------------------------------------------- roles and departments


def test_role_cmo(api):
    cmo = get(api, "/roles/cmo")
    assert cmo["iri"] == f"{BASE}id/role/cmo" and cmo["id"] == "cmo" and cmo["type"] == "role"
    assert cmo["labels"] == {"de": "Chief Marketing Officer", "en": "Chief Marketing Officer"}
    assert "Marketing-Chef" in cmo["alt_labels"]["de"] and "CMO" in cmo["alt_labels"]["en"]
    assert cmo["executive"] is True
    assert [d["id"] for d in cmo["leads_department"]] == ["marketing"]
    assert cmo["leads_department"][0]["labels"] == {"de": "Marketing", "en": "marketing"}
    assert cmo["exact_match"] == ["http://data.europa.eu/esco/occupation/0ddbf393-38f1-4c22-b14c-fe775008f321"]
    assert cmo["isco08"] == ["1221"]
    assert cmo["definition"]["en"] == "Executive responsible for a company's marketing."
    assert cmo["provenance"] == []  # a term of the ontology, not curated from a document


def test_roles_list_executives_first_and_filters(api, store):
    roles = everything(api, "/roles")
    executive = {r["id"] for r in roles if r["executive"]}
    assert executive == {"cmo", "cio", "cco", "cdo", "ceo", "cto", "cfo"}
    assert [r["executive"] for r in roles] == sorted((r["executive"] for r in roles), reverse=True)
    rows = sparql(store, "SELECT ?r WHERE { ?r skos:inScheme scheme:roles }")
    in_graph = {row["r"].rsplit("/", 1)[1] for row in rows}
    assert {r["id"] for r in roles} == in_graph
    assert {r["id"] for r in get(api, "/roles", executive="true")["items"]} == executive
    assert {r["id"] for r in get(api, "/roles", executive="false")["items"]} == in_graph - executive
    assert {r["id"] for r in get(api, "/roles", department="marketing")["items"]} == {"cmo", "head-of-marketing"}


def test_departments(api):
    marketing = get(api, "/departments/marketing")
    assert marketing["labels"] == {"de": "Marketing", "en": "marketing"}
    assert {r["id"] for r in marketing["led_by"]} == {"cmo", "head-of-marketing"}
    assert "Marketingabteilung" in marketing["alt_labels"]["de"]
    assert get(api, "/departments")["total"] == 9


# ---------------------------------------------------------------- responsibilities and claims


def test_the_cmos_responsibilities_with_their_quotes(api, texts):
    page = get(api, "/roles/cmo/responsibilities", limit=500)
    claims = page["items"]
    assert page["total"] == len(claims) > 5
    mobile = [c for c in claims if c["responsibility"]["id"] == "mobile-web-strategy"]
    assert {c["modality"]["id"] for c in mobile} >= {"wants", "entitled"}
    wants = next(c for c in mobile if c["modality"]["id"] == "wants")
    assert wants["responsibility"]["labels"] == {"de": "mobile Web-Strategie", "en": "mobile web strategy"}
    assert wants["claimant"]["id"] == "daniel-weisbeck" and wants["claimant"]["labels"]["de"] == "Daniel Weisbeck"
    assert wants["provenance"][0]["quote"] == ("warum CMOs die treibende Kraft für die Definition der mobilen "
                                               "Web-Strategie sein wollen")
    for claim in claims:
        assert claim["role"]["id"] == "cmo"  # the role itself, or a group of CMOs
        check_provenance(claim, texts)
    # the same as /claims?role=cmo, and what the graph says
    assert {c["iri"] for c in everything(api, "/claims", role="cmo")} == {c["iri"] for c in claims}


def test_claims_filters_agree_with_the_graph(api, store):
    expected = {row["c"] for row in sparql(store, """
        SELECT ?c WHERE { ?c a erkg:ResponsibilityClaim ; erkg:responsibility responsibility:mobile-web-strategy }""")}
    got = everything(api, "/claims", responsibility="mobile-web-strategy")
    assert {c["iri"] for c in got} == expected
    assert {c["iri"] for c in everything(api, "/responsibilities/mobile-web-strategy/claims")} == expected
    wants = everything(api, "/claims", modality="wants", claimant="daniel-weisbeck")
    assert wants and all(c["modality"]["id"] == "wants" and c["claimant"]["id"] == "daniel-weisbeck" for c in wants)
    claim = get(api, "/claims/netbiscuits-interview/c-cmo-wants-to-drive-mobile-web-strategy")
    assert claim["assignee"]["id"] == "cmo"
    assert claim["id"] == "netbiscuits-interview/c-cmo-wants-to-drive-mobile-web-strategy"


def test_responsibilities_of_a_role(api, store):
    expected = {row["r"] for row in sparql(store, """
        SELECT DISTINCT ?r WHERE { ?c erkg:responsibility ?r ; erkg:assignee ?a . ?a erkg:groupRole? role:cio }""")}
    assert {r["iri"] for r in everything(api, "/responsibilities", role="cio")} == expected
    growth = get(api, "/responsibilities/growth-and-revenue")
    assert growth["labels"] == {"de": "Wachstum und Umsatz", "en": "growth and revenue"}


# ---------------------------------------------------------------- findings and studies


def test_findings_of_cmos(api, texts):
    findings = everything(api, "/findings", role="cmo")
    by_id = {f["id"]: f for f in findings}
    f53 = by_id["netbiscuits-interview/f-cmos-interaction-channels"]
    assert f53["share"] == 0.53 and f53["wording"] == "53 Prozent" and f53["qualifier"]["id"] == "exactly"
    assert f53["group"]["id"] == "cmos" and f53["group_role"]["id"] == "cmo"
    assert f53["study"]["id"] == "netbiscuits-study"
    assert [c["id"] for c in f53["compared_with"]] == ["netbiscuits-interview/f-cios-interaction-channels"]
    assert f53["provenance"][0]["quote"].startswith("Während 53 Prozent der CMOs davon überzeugt sind")
    assert "netbiscuits-interview/f-cios-interaction-channels" not in by_id  # the 35 % of the CIOs
    for f in findings:
        assert f["group_role"]["id"] == "cmo"
        check_provenance(f, texts)
    f35 = get(api, "/findings/netbiscuits-interview/f-cios-interaction-channels")
    assert f35["share"] == 0.35 and f35["group_role"]["id"] == "cio"


def test_findings_of_a_study_are_exactly_the_studys(api, store):
    expected = {row["f"] for row in sparql(store, "SELECT ?f WHERE { ?f erkg:study study:netbiscuits-study }")}
    got = everything(api, "/findings", study="netbiscuits-study")
    assert {f["iri"] for f in got} == expected and len(got) == len(expected) == 4
    assert {f["iri"] for f in everything(api, "/studies/netbiscuits-study/findings")} == expected
    # in the order of the document
    starts = [f["provenance"][0]["start"] for f in got]
    assert starts == sorted(starts)


def test_findings_about_a_topic(api, store):
    expected = {row["f"] for row in sparql(store, """
        SELECT ?f WHERE { ?f a erkg:Finding ; erkg:about responsibility:mobile-web-strategy }""")}
    got = everything(api, "/findings", topic="mobile-web-strategy")
    assert expected and {f["iri"] for f in got} == expected
    assert all("mobile-web-strategy" in {t["id"] for t in f["about"]} for f in got)


def test_study(api):
    study = get(api, "/studies/netbiscuits-study")
    assert study["labels"] == {"de": "Netbiscuits-Studie", "en": "Netbiscuits study"}
    assert study["publisher"]["id"] == "netbiscuits" and study["publisher"]["labels"]["en"] == "Netbiscuits"
    assert {s["id"] for s in get(api, "/studies", publisher="netbiscuits")["items"]} == {"netbiscuits-study"}


# ---------------------------------------------------------------- people, posts, organizations


def test_daniel_weisbeck_cmo_of_netbiscuits_since_2012(api, texts):
    person = get(api, "/persons/daniel-weisbeck")
    assert person["name"] == "Daniel Weisbeck"
    assert person["labels"] == {"de": "Daniel Weisbeck", "en": "Daniel Weisbeck"}
    post = next(p for p in person["posts"] if p["role"]["id"] == "cmo")
    assert post["organization"]["id"] == "netbiscuits" and post["since"] == 2012 and post["former"] is False
    assert post["title"] == "Chief Marketing Officer"
    assert post["provenance"][0]["quote"] == "seit 2012 Chief Marketing Officer bei Netbiscuits"
    check_provenance(person, texts)
    check_provenance(post, texts)
    assert get(api, "/posts/netbiscuits-interview/post-weisbeck-cmo-netbiscuits") == post


def test_posts_and_persons_filters(api, store):
    rows = sparql(store, "SELECT ?p WHERE { ?p a org:Post ; org:postIn organization:netbiscuits }")
    expected = {row["p"] for row in rows}
    assert {p["iri"] for p in everything(api, "/posts", organization="netbiscuits")} == expected
    assert {p["iri"] for p in everything(api, "/organizations/netbiscuits/posts")} == expected
    ceos = everything(api, "/persons", role="ceo")
    assert "michael-neidhoefer" in {p["id"] for p in ceos}
    assert all(any(post["role"]["id"] == "ceo" for post in p["posts"]) for p in ceos)
    cmo_posts = everything(api, "/roles/cmo/posts")
    assert "daniel-weisbeck" in {p["person"]["id"] for p in cmo_posts}
    assert {p["id"] for p in everything(api, "/persons", organization="netbiscuits")} >= {
        "daniel-weisbeck", "michael-neidhoefer", "christian-reitz", "guido-moggert"}


def test_organization(api):
    netbiscuits = get(api, "/organizations/netbiscuits")
    assert netbiscuits["name"] == "Netbiscuits" and netbiscuits["provenance"]


# ---------------------------------------------------------------- relations and statements


def test_the_cmo_and_the_cio_fight_over_the_mobile_web_strategy(api, store, texts):
    conflicts = everything(api, "/relations", party="cmo", kind="conflict", topic="mobile-web-strategy")
    expected = {row["r"] for row in sparql(store, """
        SELECT ?r WHERE { ?r erkg:relationKind relationkind:conflict ; erkg:firstParty|erkg:secondParty role:cmo ;
                             erkg:about responsibility:mobile-web-strategy }""")}
    assert conflicts and {r["iri"] for r in conflicts} == expected
    for r in conflicts:
        assert {r["first"]["id"], r["second"]["id"]} == {"cmo", "cio"} and r["kind"]["id"] == "conflict"
        check_provenance(r, texts)
    assert {r["iri"] for r in everything(api, "/roles/cmo/relations", kind="conflict", topic="mobile-web-strategy")} \
        == expected


def test_the_cmos_focus_on_the_customer_experience(api, texts):
    focus = everything(api, "/roles/cmo/statements")
    on_experience = [s for s in focus if s["object"] and s["object"]["id"] == "customer-experience"]
    assert on_experience and all(s["subject"]["id"] == "cmo" for s in focus)
    assert on_experience[0]["object"]["labels"] == {"de": "Kundenerfahrung", "en": "customer experience"}
    assert any("Kundenerfahrung" in s["provenance"][0]["quote"] for s in on_experience)
    for s in on_experience:
        check_provenance(s, texts)
    same = everything(api, "/statements", subject="cmo", object="customer-experience")
    assert {s["iri"] for s in same} == {s["iri"] for s in on_experience}


# ---------------------------------------------------------------- recommendations and documents


def test_recommendations(api, texts):
    checklist = everything(api, "/recommendations", checklist="cmo-checklist")
    positions = [r["position"] for r in checklist]
    assert positions == sorted(positions) and positions[0] == 1
    to_cmos = everything(api, "/recommendations", audience="cmo")
    assert to_cmos
    for r in to_cmos:
        check_provenance(r, texts)


def test_documents_and_their_texts(api, texts):
    documents = everything(api, "/documents")
    assert {d["id"] for d in documents} == set(texts)
    for d in documents:
        assert d["length"] == len(texts[d["id"]])
        assert d["labels"]["de"] and d["labels"]["en"] and d["language"] == "de"
        response = api.get(f"/documents/{d['id']}/text")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        assert response.text == texts[d["id"]]
    divide = get(api, "/documents/cmo-cio-divide")
    assert [a["id"] for a in divide["authors"]] == ["enrique-nunez"]
    assert divide["title"] == "Studie: Bridging the CMO-CIO Divide"



def test_documents_carry_what_a_citation_needs_and_their_rights(api, texts):
    documents = {d["id"]: d for d in everything(api, "/documents")}
    for d in documents.values():
        # no document states its address: the field stays empty and says so
        assert d["source_url"] is None and "not stated in the document" in d["source_url_note"]
        # an empty date, publisher or author list says why
        assert d["date"] is not None or d["date_note"]
        assert d["publisher"] is not None or d["publisher_note"]
        assert d["authors"] or d["authors_note"]
        # the rights holders are the authors and the publisher the document names
        named = [a["id"] for a in d["authors"]] + ([d["publisher"]["id"]] if d["publisher"] else [])
        assert sorted(h["id"] for h in d["rights_holders"]) == sorted(named)
        assert d["rights"]["de"] and d["rights"]["en"] and "CC BY 4.0" in d["rights"]["en"]
    # dates as the texts state them
    assert documents["chief-customer-officer"]["date"] == "2012-11-02" and "02.11.2012" in texts["chief-customer-officer"]
    assert documents["spors-interview"]["date"] == "2014-11-13" and "13\nNove.2014" in texts["spors-interview"]
    challenges = documents["cmo-challenges"]
    assert challenges["rights_holders"] == [] and "names neither" in challenges["rights"]["en"]
    assert challenges["date"] is None and "2017" in challenges["date_note"]


# ---------------------------------------------------------------- every item


@pytest.mark.min_cases(13)
@pytest.mark.parametrize("resource", LISTS)
def test_every_item_has_iri_labels_in_both_languages_and_provenance(api, texts, resource, request):
    items = everything(api, f"/{resource}")
    assert items
    # Each item is also served on its own, identically: every item on the embedded engine; on
    # the external engines, whose lists above are compared in full, the first few (a round trip
    # to Virtuoso per item made this test most of the suite's time).
    alone = items if request.node.callspec.params["backend"] == "embedded" else items[:5]
    for item in items:
        assert item["iri"] == f"{BASE}id/{item['type']}/{item['id']}"
        assert item["labels"]["de"] and item["labels"]["en"], item["iri"]
        if resource in WITH_PROVENANCE:
            check_provenance(item, texts)
    for item in alone:
        assert get(api, f"/{resource}/{item['id']}") == item


@pytest.mark.min_cases(13)
@pytest.mark.parametrize("resource", LISTS)
def test_pagination(api, resource):
    whole = get(api, f"/{resource}", limit=500)
    assert whole["total"] == len(whole["items"])
    paged = everything(api, f"/{resource}")
    assert [i["iri"] for i in paged] == [i["iri"] for i in whole["items"]]  # a stable order, no duplicates
    beyond = get(api, f"/{resource}", offset=whole["total"] + 10)
    assert beyond["items"] == [] and beyond["total"] == whole["total"]


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(("q", "lang", "kind", "expected", "how"), [
    ("Marketing-Chef", "de", "role", "cmo", "exact"),
    ("marketing-chef", None, "role", "cmo", "exact"),
    ("cmos", None, "role", "cmo", "inflection"),
    ("CMOs", "en", "role", "cmo", "inflection"),
    ("Marketing-Chefs", "de", "role", "cmo", "inflection"),
    ("Marketingchef", "de", "role", "cmo", "inflection"),  # written together
    ("Marketing Chef", None, "role", "cmo", "exact"),
    ("Nunez", None, "person", "enrique-nunez", "prefix"),
    ("NUÑEZ", None, "person", "enrique-nunez", "prefix"),
    ("Neidhoefer", None, "person", "michael-neidhoefer", "prefix"),  # ö written oe
    ("Neidhofer", None, "person", "michael-neidhoefer", "prefix"),  # ö without its dots
    ("IT-Leiter", "de", "role", "cio", "exact"),
    ("chief marketing officers", "en", "role", "cmo", "inflection"),
    ("Kundenerfahrung", "de", "topic", "customer-experience", "exact"),
])
def test_search(api, q, lang, kind, expected, how):
    params = {"q": q, "limit": 500, **({"lang": lang} if lang else {})}
    page = get(api, "/search", **params)
    hits = [(h["type"], h["id"]) for h in page["items"]]
    assert (kind, expected) in hits[:3], hits[:5]
    hit = next(h for h in page["items"] if (h["type"], h["id"]) == (kind, expected))
    assert hit["match"] == how and hit["iri"] == f"{BASE}id/{kind}/{expected}" and hit["labels"]["de"]
    assert page["total"] == len(page["items"])


def test_search_ranks_and_filters(api):
    first = get(api, "/search", q="Marketing-Chef", lang="de")["items"][0]
    assert (first["type"], first["id"], first["match"]) == ("role", "cmo", "exact")
    assert first["url"] == "/api/v1/roles/cmo" and first["labels"]["en"] == "Chief Marketing Officer"
    ranks = ["exact", "inflection", "prefix", "substring"]
    cmos = get(api, "/search", q="cmos", limit=500)["items"]
    assert cmos[0]["match"] == "exact" and cmos[1]["match"] == "inflection"
    assert all(h["match"] in ranks for h in cmos)
    # the German alternative label is not an English one
    assert "cmo" not in {h["id"] for h in get(api, "/search", q="Marketing-Chef", lang="en", type="role")["items"]}
    only_roles = get(api, "/search", q="chief", type=["role", "department"], limit=500)["items"]
    assert only_roles and {h["type"] for h in only_roles} <= {"role", "department"}
    assert get(api, "/search", q="xyzzy-nothing")["total"] == 0
    assert_problem(api.get("/search"), 422, "q")
    assert_problem(api.get("/search", params={"q": "cmo", "type": "nonsense"}), 422, "type")


def test_label_normalisation():
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert fold("Nuñez") == "nunez" and fold("Neidhöfer") == "neidhofer"
    assert ("neidhoefer",) in [f.words for f in forms("Neidhöfer")]
    assert stems("cmos") == {"cmos", "cmo"} and stems("chefs") == {"chefs", "chef"}
    assert "abteilung" in stems("abteilungen") and stems("it") == {"it"}
    assert match(("marketing", "chef"), ("marketing", "chef")) == 0
    assert match(("cmos",), ("cmo",)) == 1
    assert match(("marketingchef",), ("marketing", "chef")) == 1
    assert match(("nunez",), ("enrique", "nunez")) == 3
    assert match(("marketing", "chefs"), ("den", "marketing", "chef", "steht")) == 4
    assert match(("rketi",), ("marketing",)) == 5
    assert match(("cio",), ("cmo",)) is None


# ---------------------------------------------------------------- errors


def test_unknown_ids_are_404_problems(api):
    assert_problem(api.get("/roles/nope"), 404)
    assert "nope" in assert_problem(api.get("/roles/nope"), 404)["detail"]
    assert_problem(api.get("/findings/netbiscuits-interview/nope"), 404)
    assert_problem(api.get("/findings/nope/f-cmos-interaction-channels"), 404)
    assert_problem(api.get("/persons/cmo"), 404)  # an id of another kind
    assert_problem(api.get("/documents/nope/text"), 404)
    assert_problem(api.get("/roles/nope/responsibilities"), 404)
    assert_problem(api.get("/queries/nope"), 404)
    assert_problem(api.get("/nothing-here"), 404)


@pytest.mark.parametrize(("path", "params", "parameter"), [
    ("/roles", {"limit": "0"}, "limit"),
    ("/roles", {"limit": "501"}, "limit"),
    ("/roles", {"limit": "many"}, "limit"),
    ("/findings", {"offset": "-1"}, "offset"),
    ("/findings", {"role": "nope"}, "role"),
    ("/findings", {"role": "marketing"}, "role"),  # a department, not a role
    ("/findings", {"study": "cmo"}, "study"),
    ("/claims", {"modality": "perhaps"}, "modality"),
    ("/roles", {"executive": "maybe"}, "executive"),
    ("/findings", {"rol": "cmo"}, "rol"),  # misspelt: not silently ignored
    ("/roles/cmo/responsibilities", {"document": "nope"}, "document"),
    ("/queries/role-responsibilities", {"role": "not an iri"}, "role"),
    ("/queries/role-responsibilities", {"role": "nosuchprefix:cmo"}, "role"),
    ("/queries/roles", {"rol": "role:cmo"}, "rol"),
    ("/queries/roles", {"format": "xml"}, "format"),
    ("/findings", [("role", "cmo"), ("role", "cio")], "role"),  # given twice: which one? not silently the last
    ("/roles", [("limit", "5"), ("limit", "5")], "limit"),
    ("/queries/role-responsibilities", [("role", "role:cmo"), ("role", "role:cio")], "role"),
])
def test_bad_parameters_are_422_naming_the_parameter(api, path, params, parameter):
    assert_problem(api.get(path, params=params), 422, parameter)


def test_filters_take_iris_too(api):
    by_id = get(api, "/findings", role="cmo")
    assert get(api, "/findings", role=f"{BASE}id/role/cmo") == by_id


# ---------------------------------------------------------------- named queries


def test_the_named_queries_are_listed(api):
    listed = get(api, "/queries")
    assert [q["name"] for q in listed["items"]] == NAMED and listed["total"] == len(NAMED)
    queries = load_queries(ROOT / "queries")
    for item in listed["items"]:
        query = queries[item["name"]]
        assert item["title"] == query.title and item["description"] == query.description
        assert item["url"] == f"/api/v1/queries/{query.name}"
        assert [(p["name"], p["type"], p["optional"]) for p in item["parameters"]] == [
            (p.name, p.kind, p.optional) for p in query.params]


@pytest.mark.min_cases(10)
@pytest.mark.parametrize("name", NAMED)
def test_every_named_query_answers_json_and_csv(api, name):
    result = get(api, f"/queries/{name}")
    assert result["query"] == name and result["rows"] and result["count"] == len(result["rows"])
    assert all(list(row) == result["columns"] for row in result["rows"])
    assert all(v is None or isinstance(v, (str, int, float, bool)) for row in result["rows"] for v in row.values())
    for response in (api.get(f"/queries/{name}", headers={"Accept": "text/csv"}),
                     api.get(f"/queries/{name}", params={"format": "csv"})):
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == result["columns"] and len(table) == len(result["rows"]) + 1


def test_named_query_parameters(api):
    cmo = get(api, "/queries/role-responsibilities", role="role:cmo", lang="de")
    assert cmo["parameters"] == {"role": "role:cmo", "lang": "de"}
    assert {r["role"] for r in cmo["rows"]} == {f"{BASE}id/role/cmo"}
    assert all(r["role_en"] is None and r["role_de"] == "Chief Marketing Officer" for r in cmo["rows"])
    same = get(api, "/queries/role-responsibilities", role=f"<{BASE}id/role/cmo>", lang="de")
    assert same["rows"] == cmo["rows"]
    findings = get(api, "/queries/cmo-vs-cio-findings", roleA="role:cmo", roleB="role:cio")
    row = next(r for r in findings["rows"] if r["shareA"] == 0.53)
    assert row["shareB"] == 0.35 and row["compared_in_text"] is True


def test_a_new_query_file_is_a_new_endpoint(build_dir, start_server, tmp_path):
    queries = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", queries)
    (queries / "executive-roles.rq").write_text(
        "# title: Executive roles of a department\n"
        "# description: The C-level roles, with their English labels.\n"
        "# param: ?department (iri, optional): only roles leading this department, e.g. department:it\n"
        "\n"
        "SELECT ?role ?label ?department WHERE {\n"
        "  ?role a erkg:ExecutiveRole ; skos:prefLabel ?label .\n"
        "  FILTER (LANG(?label) = \"en\")\n"
        "  FILTER (!COALESCE(?department = ?department, false) || EXISTS { ?role erkg:leadsDepartment ?department })\n"
        "}\nORDER BY ?role\n", encoding="utf-8")
    server = start_server(build_dir / "erkg.nq", env={"ERKG_QUERIES": str(queries)})
    listed = httpx.get(f"{server.url}/api/v1/queries").json()
    assert "executive-roles" in [q["name"] for q in listed["items"]]
    rows = httpx.get(f"{server.url}/api/v1/queries/executive-roles").json()["rows"]
    assert len(rows) == 7
    it = httpx.get(f"{server.url}/api/v1/queries/executive-roles", params={"department": "department:it"}).json()
    assert [r["role"] for r in it["rows"]] == [f"{BASE}id/role/cio"]
    schema = httpx.get(f"{server.url}/openapi.json").json()
    parameters = schema["paths"]["/api/v1/queries/executive-roles"]["get"]["parameters"]
    assert "department" in {p["name"] for p in parameters}


# ---------------------------------------------------------------- JSON-LD


@pytest.fixture(scope="session")
def expand(server):
    """expand(json-ld document) -> its triples, the published context fetched from the server."""
    from pyld import jsonld

    def loader(url, options=None):
        response = httpx.get(url, headers={"Accept": "application/ld+json"})
        response.raise_for_status()
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": response.json()}

    def expand(document: dict) -> list[ox.Triple]:
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
        return [q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)]

    return expand


def in_graph(store, triple: ox.Triple) -> bool:
    return next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object), None) is not None


def test_the_context_is_published(server):
    response = httpx.get(f"{server.url}/api/v1/context.jsonld")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    context = response.json()["@context"]
    assert context["iri"] == "@id" and context["labels"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["erkg"] == ERKG


@pytest.mark.min_cases(18)
@pytest.mark.parametrize("path", [f"/{r}" for r in LISTS] + [
    "/roles/cmo", "/persons/daniel-weisbeck", "/findings/netbiscuits-interview/f-cmos-interaction-channels",
    "/roles/cmo/responsibilities", "/departments/marketing"])
def test_jsonld_expands_to_triples_of_the_graph(api, store, expand, path):
    params = {"limit": 500} if path.count("/") == 1 or path.endswith("responsibilities") else {}
    response = api.get(path, params=params, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    assert document["@context"].endswith("/api/v1/context.jsonld")
    triples = expand(document)
    assert len(triples) > 10
    missing = [t for t in triples if not in_graph(store, t)]
    assert not missing, missing[:5]


def test_jsonld_carries_the_facts(api, expand):
    iri = f"{BASE}id/finding/netbiscuits-interview/f-cmos-interaction-channels"
    response = api.get("/findings/netbiscuits-interview/f-cmos-interaction-channels",
                       headers={"Accept": "application/ld+json, application/json;q=0.5"})
    triples = {(t.subject.value, t.predicate.value, t.object.value if not isinstance(t.object, ox.Literal)
                else (t.object.value, t.object.datatype.value, t.object.language)) for t in expand(response.json())}
    start, end = (get(api, "/findings/netbiscuits-interview/f-cmos-interaction-channels")["provenance"][0][k]
                  for k in ("start", "end"))
    quotation = f"{BASE}id/quote/netbiscuits-interview/{start}-{end}"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert (iri, ERKG + "share", ("0.53", xsd + "decimal", None)) in triples
    assert (iri, ERKG + "study", f"{BASE}id/study/netbiscuits-study") in triples
    assert (iri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ERKG + "Finding") in triples
    assert (iri, "http://www.w3.org/ns/prov#wasDerivedFrom", quotation) in triples
    assert (quotation, "http://www.w3.org/ns/oa#hasSource", f"{BASE}id/document/netbiscuits-interview") in triples
    start_literal = (str(start), xsd + "nonNegativeInteger", None)
    assert (quotation + "#position", "http://www.w3.org/ns/oa#start", start_literal) in triples
    assert any(s == quotation + "#quote" and p == "http://www.w3.org/ns/oa#exact" for s, p, _ in triples)
    cmo = {(t.predicate.value, t.object.value, getattr(t.object, "language", None))
           for t in expand(api.get("/roles/cmo", headers={"Accept": "application/ld+json"}).json())}
    for lang in ("de", "en"):
        assert ("http://www.w3.org/2000/01/rdf-schema#label", "Chief Marketing Officer", lang) in cmo
    assert ("http://www.w3.org/2004/02/skos/core#altLabel", "Marketing-Chef", "de") in cmo


def test_plain_json_unless_json_ld_is_preferred(api):
    assert api.get("/roles/cmo").headers["content-type"].startswith("application/json")
    mixed = api.get("/roles/cmo", headers={"Accept": "application/json, application/ld+json;q=0.9"})
    assert mixed.headers["content-type"].startswith("application/json") and "@context" not in mixed.json()
    assert "Accept" in mixed.headers["vary"]


@pytest.mark.parametrize(("path", "accept", "offered"), [
    ("/roles/cmo", "text/html", "application/ld+json"),
    ("/roles", "application/xml", "application/ld+json"),
    ("/roles/cmo", "application/json;q=0, application/ld+json;q=0", "application/ld+json"),
    ("/queries/roles", "application/xml", "text/csv"),
    ("/search?q=cmo", "application/ld+json", "application/json"),
])
def test_an_accept_the_api_cannot_meet_is_406_naming_what_it_offers(api, backend, path, accept, offered):
    body = assert_problem(api.get(path, headers={"Accept": accept}), 406)
    assert accept in body["detail"] and "application/json" in body["detail"] and offered in body["detail"]
    documented = httpx.get(f"{backend.url}/openapi.json").json()["paths"]
    assert "406" in documented[f"/api/v1{path}".replace("/cmo", "/{role}").split("?")[0]]["get"]["responses"]


def test_a_named_query_answers_the_format_the_client_ranks_first(api):
    ranked = {"text/csv;q=0.1, application/json": "application/json", "application/json;q=0.5, text/*": "text/csv",
              "text/csv, application/json": "text/csv"}
    for accept, media in ranked.items():
        response = api.get("/queries/roles", headers={"Accept": accept})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media), accept
