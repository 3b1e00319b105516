"""The resource registry: a resource declared once, as a spec, is served in full.

A throwaway resource (the graph's SKOS concept schemes, which the API does not
serve) is registered on a copy of the registry and served by a test app made
with that registry, in process, on the real built graph with real query
workers: its list, its items, its class and keys in the JSON-LD context and its
kind in label search all come from the one spec.
"""

from __future__ import annotations

from typing import Literal

import pytest
from fastapi import FastAPI

from api import problems, rest
from api.app import create_service
from api.rest import models as m
from api.rest.registry import REGISTRY, Field, Resource, collect
from api.settings import Settings
from kg.namespaces import KINDS

from tests.conftest import InProcess


class Scheme(m.Item):
    type: Literal["scheme"] = "scheme"
    definition: m.Labels


SCHEMES = Resource(kind="scheme", path="schemes", model=Scheme, rdf_class="skos:ConceptScheme",
                   names={"en": "Concept scheme", "de": "Begriffsschema"},
                   fields=(Field("definition", "skos:definition", language_map=True),))


@pytest.fixture(scope="module")
def client(build_dir, tmp_path_factory):
    registry = collect().copy()
    registry.register(SCHEMES)
    settings = Settings(dataset=build_dir / "erkg.nq", store_cache=tmp_path_factory.mktemp("stores"),
                        query_workers=1, reserved_workers=0)

    async def lifespan(app: FastAPI):
        app.state.service = create_service(settings)
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(lifespan=lifespan)
    problems.install(app)
    app.include_router(rest.make_router(registry))
    client = InProcess(app)
    yield client
    client.close()


def test_a_resource_registered_once_is_listed_got_described_and_searched(client):
    assert "scheme" not in REGISTRY  # the project's registry is untouched
    assert client.get("/api/v1").json()["resources"]["schemes"] == "/api/v1/schemes"

    listed = client.get("/api/v1/schemes", params={"limit": 100}).json()
    ids = {item["id"] for item in listed["items"]}
    assert listed["total"] == len(ids) >= 5 and {"roles", "departments", "modalities"} <= ids
    roles = next(item for item in listed["items"] if item["id"] == "roles")
    assert roles["type"] == "scheme" and roles["labels"]["de"] and roles["definition"]["en"]

    for form in ("roles", "scheme:roles"):
        assert client.get(f"/api/v1/schemes/{form}").json() == roles
    assert client.get("/api/v1/schemes/nope").status_code == 404

    context = client.get("/api/v1/context.jsonld").json()["@context"]
    assert context["ConceptScheme"] == {"@id": "skos:ConceptScheme",
                                        "@context": {"definition": {"@id": "skos:definition",
                                                                    "@container": "@language"}}}
    as_ld = client.get("/api/v1/schemes/roles", headers={"Accept": "application/ld+json"}).json()
    assert as_ld["@type"] == ["ConceptScheme"] and as_ld["iri"] == "https://w3id.org/erkg/id/scheme/roles"

    hits = client.get("/api/v1/search", params={"q": "Abteilungen", "type": "scheme"}).json()["items"]
    assert hits and hits[0]["id"] == "departments" and hits[0]["url"] == "/api/v1/schemes/departments"


def test_a_spec_is_checked_when_it_is_declared():
    assert "scheme" in KINDS
    with pytest.raises(ValueError, match="no kind of IRI"):
        Resource(kind="nonsense", path="nonsense", model=Scheme, rdf_class="skos:Concept", names={})
    with pytest.raises(ValueError, match="has no field"):
        Resource(kind="scheme", path="schemes", model=Scheme, rdf_class="skos:ConceptScheme", names={},
                 fields=(Field("members", "skos:member"),))
    with pytest.raises(ValueError, match="clashes"):
        collect().copy().register(Resource(kind="role", path="roles2", model=Scheme, rdf_class="erkg:Role",
                                           names={}))
