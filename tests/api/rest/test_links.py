"""No dead ends in the REST API: every object an answer names can be followed.

A crawl from the entry point through every list (page by page, by the `next`
links the answers carry) finds every object with a `url` — the references to
roles, groups, propositions, topics, modalities, qualifiers …, the quotations
of the provenance, the search hits — and follows each: all answer 200. Every
id parameter takes an id, a CURIE and a full IRI, in the resources, the pages
and the named queries alike; list answers carry next/prev links, a Link header
and an ETag (If-None-Match gives 304).
"""

from __future__ import annotations

import httpx
import pytest

BASE = "https://w3id.org/erkg/"
NEW = ("groups", "propositions", "topics", "qualifiers", "modalities", "quotations")


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def urls(value) -> list[str | None]:
    """The `url` of every object in an answer (None where an object has none)."""
    if isinstance(value, list):
        return [u for v in value for u in urls(v)]
    if not isinstance(value, dict):
        return []
    found = [value["url"]] if "url" in value else []
    return found + [u for k, v in value.items() if k != "url" for u in urls(v)]


def pages(api: httpx.Client, path: str) -> list[dict]:
    """Every page of a list, following `next` (bounded)."""
    answers = [api.get(path, params={"limit": 500}).json()]
    while answers[-1]["next"] is not None and len(answers) < 50:
        answers.append(api.get(answers[-1]["next"]).json())
    assert answers[-1]["next"] is None
    return answers


def test_every_object_of_every_answer_has_a_url_that_answers(api):
    index = api.get("/api/v1").json()
    assert set(NEW) <= set(index["resources"]) and len(index["resources"]) >= 20
    found: set[str] = set()
    for path in index["resources"].values():
        for page in pages(api, path):
            assert page["items"], path
            for item in page["items"]:
                for url in urls(item):
                    assert url is not None, (path, item["iri"])  # no object without a way to follow it
                    found.add(url)
    hits = api.get("/api/v1/search", params={"q": "e", "limit": 500}).json()["items"]
    assert hits and all(h["url"] for h in hits)
    found |= {h["url"] for h in hits}
    kinds = {url.split("/")[3] for url in found}
    assert set(NEW) <= kinds, kinds
    assert len(found) > 800  # 902 when written
    dead = [url for url in sorted(found) if api.get(url).status_code != 200]
    assert dead == []


@pytest.mark.min_cases(6)  # the six kinds issue 18 named
@pytest.mark.parametrize("path", [f"/api/v1/{r}" for r in NEW])
def test_the_new_lists_and_their_items(api, path):
    page = api.get(path).json()
    assert page["total"] >= 2 and page["items"]
    first = page["items"][0]
    assert api.get(f"{path}/{first['id']}").json() == first


def test_a_quotation_is_its_words_in_the_stored_text(api):
    quotation = api.get("/api/v1/quotations", params={"document": "netbiscuits-interview"}).json()["items"][0]
    text = api.get("/api/v1/documents/netbiscuits-interview/text").text
    assert text[quotation["start"]:quotation["end"]] == quotation["quote"]
    assert quotation["iri"] == quotation["quotation"] == f"{BASE}id/quote/{quotation['id']}"
    assert api.get("/api/v1/quotations/netbiscuits-interview/0-0").status_code == 404
    assert api.get("/api/v1/quotations/netbiscuits-interview/a b").status_code == 404


# ---------------------------------------------------------------- ids in every form


@pytest.mark.parametrize("value", ["cmo", "role:cmo", f"{BASE}id/role/cmo", f"<{BASE}id/role/cmo>"])
def test_a_filter_takes_an_id_a_curie_and_an_iri(api, value):
    by_id = api.get("/api/v1/findings", params={"role": "cmo"}).json()
    assert by_id["total"] > 0
    assert api.get("/api/v1/findings", params={"role": value}).json() == by_id


@pytest.mark.parametrize("value", ["cmo", "role:cmo"])
def test_an_item_path_takes_an_id_and_a_curie(api, value):
    role = api.get(f"/api/v1/roles/{value}")
    assert role.status_code == 200 and role.json()["iri"] == f"{BASE}id/role/cmo"
    assert api.get(f"/api/v1/roles/{value}/posts").json()["total"] > 0


@pytest.mark.parametrize("path", ["roles/{}", "findings/{}", "groups/{}"])
def test_an_item_path_that_holds_a_full_iri_leads_to_the_item(api, path):
    item = api.get(f"/api/v1/{path.split('/')[0]}", params={"limit": 1}).json()["items"][0]
    quoted = item["iri"].replace(":", "%3A").replace("/", "%2F")
    redirect = api.get("/api/v1/" + path.format(quoted))
    # absolute, on the server's own address (or ERKG_PUBLIC_URL), as every redirect of the service is
    target = api.base_url.join(f"/api/v1/{path.format(item['id'])}")
    assert redirect.status_code == 308 and redirect.headers["location"] == str(target)
    assert api.get("/api/v1/" + path.format(quoted), follow_redirects=True).json() == item
    other = api.get(f"/api/v1/roles/{quoted.replace('role', 'department')}")
    assert other.status_code == 404 and "CURIE" in other.json()["detail"]


@pytest.mark.parametrize("value", ["netbiscuits", "organization:netbiscuits", f"{BASE}id/organization/netbiscuits"])
def test_a_named_query_parameter_takes_an_id_a_curie_and_an_iri(api, value):
    rows = api.get("/api/v1/queries/posts", params={"organization": value})
    assert rows.status_code == 200, rows.text
    assert rows.json()["rows"] and rows.json()["rows"] == api.get("/api/v1/queries/posts",
                                          params={"organization": "organization:netbiscuits"}).json()["rows"]


@pytest.mark.parametrize("value", ["netbiscuits-study", "study:netbiscuits-study",
                                   f"{BASE}id/study/netbiscuits-study"])
def test_the_pages_take_an_id_a_curie_and_an_iri(api, value):
    page = api.get("/findings", params={"study": value})
    assert page.status_code == 200 and "netbiscuits" in page.text.lower()


@pytest.mark.parametrize(("path", "params", "status", "name"), [
    ("/api/v1/findings", {"role": "nosuchprefix:cmo"}, 422, "role"),
    ("/api/v1/findings", {"role": "<not absolute>"}, 422, "role"),
    ("/api/v1/roles/role:nope", {}, 404, "role"),
    ("/api/v1/roles/department:marketing", {}, 404, "role"),  # a CURIE of another kind
    ("/findings", {"study": "nosuchprefix:x"}, 422, "study"),
])
def test_an_id_that_names_nothing_is_one_problem_naming_the_parameter_and_the_forms(api, path, params, status, name):
    response = api.get(path, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["errors"][0]["name"] == name
    assert "CURIE" in body["detail"] and "IRI" in body["detail"], body["detail"]


# ---------------------------------------------------------------- paging and caching


def test_lists_link_to_their_next_and_previous_pages(api):
    def at(url: str) -> tuple[str, dict[str, str]]:
        parsed = httpx.URL(url)
        return parsed.path, dict(parsed.params)

    first = api.get("/api/v1/claims", params={"limit": 10})
    body = first.json()
    assert body["prev"] is None and at(body["next"]) == ("/api/v1/claims", {"limit": "10", "offset": "10"})
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    second = api.get(body["next"]).json()
    assert second["offset"] == 10 and at(second["prev"]) == ("/api/v1/claims", {"limit": "10", "offset": "0"})
    assert {i["iri"] for i in second["items"]}.isdisjoint(i["iri"] for i in body["items"])
    last = api.get("/api/v1/claims", params={"limit": 10, "offset": body["total"] - 1}).json()
    assert last["next"] is None and len(last["items"]) == 1
    filtered = api.get("/api/v1/claims", params={"limit": 5, "role": "cmo"}).json()
    assert api.get(filtered["next"]).json()["items"][0]["iri"] == \
        api.get("/api/v1/claims", params={"limit": 5, "offset": 5, "role": "cmo"}).json()["items"][0]["iri"]


@pytest.mark.parametrize("path", ["/api/v1/roles", "/api/v1/groups", "/api/v1/roles/cmo"])
def test_answers_carry_an_etag_and_a_client_that_holds_the_answer_gets_304(api, path):
    answer = api.get(path)
    etag = answer.headers["ETag"]
    again = api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert api.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    as_ld = api.get(path, headers={"Accept": "application/ld+json"})
    assert as_ld.headers["ETag"] != etag  # another representation, another tag
    if "cmo" not in path:  # another page, another tag
        assert api.get(path, params={"limit": 1}).headers["ETag"] != etag
