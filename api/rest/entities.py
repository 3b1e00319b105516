"""The things the documents name that answers refer to: respondent groups, propositions, topics,
places, checklists and affiliations. Each is a list and an item route made from its spec."""

from __future__ import annotations

from typing import Literal

import pydantic

from . import models as m
from .registry import NAME, Field, resource


class Group(m.Item):
    type: Literal["group"] = "group"
    role: m.Ref | None = pydantic.Field(None, description="the role the members of the group hold")


class Proposition(m.Item):
    type: Literal["proposition"] = "proposition"


class Topic(m.Item):
    type: Literal["topic"] = "topic"


class Place(m.Item):
    type: Literal["place"] = "place"
    name: str | None = None


class Checklist(m.Item):
    type: Literal["checklist"] = "checklist"


class Affiliation(m.Item):
    type: Literal["affiliation"] = "affiliation"
    person: m.Ref | None = pydantic.Field(None, description="the member")
    organization: m.Ref | None = pydantic.Field(None, description="the organization the person belongs to")


resource(kind="group", path="groups", model=Group, rdf_class="erkg:RespondentGroup",
         names={"en": "Respondent group", "de": "Befragtengruppe"}, fields=(Field("role", "erkg:groupRole"),),
         description="The respondent groups of the studies (the CMOs, the IT staff …), sorted by label, with "
                     "the role their members hold.")
resource(kind="proposition", path="propositions", model=Proposition, rdf_class="erkg:Proposition",
         names={"en": "Proposition", "de": "Aussage"},
         description="What a share of a respondent group agrees with, or the trait it ascribes, sorted by label.")
resource(kind="topic", path="topics", model=Topic, rdf_class="erkg:Topic", names={"en": "Topic", "de": "Thema"},
         description="The topics findings and relations are about, sorted by label.")
resource(kind="place", path="places", model=Place, rdf_class="erkg:Place", names={"en": "Place", "de": "Ort"},
         fields=(NAME,), description="The places the documents name, sorted by label.")
resource(kind="checklist", path="checklists", model=Checklist, rdf_class="erkg:Checklist",
         names={"en": "Checklist", "de": "Checkliste"},
         description="The checklists recommendations belong to, sorted by label.")
resource(kind="affiliation", path="affiliations", model=Affiliation, rdf_class="org:Membership",
         names={"en": "Membership", "de": "Zugehörigkeit"},
         fields=(Field("person", "org:member"), Field("organization", "org:organization")),
         description="Who belongs to which organization (other than by a post), sorted by label.")
