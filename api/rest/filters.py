"""Filter and path parameters of the resource routes, as Annotated aliases.

A filter takes the id of a resource (its slug, e.g. `cmo`), its CURIE
(`role:cmo`) or its full IRI (kg.namespaces.expand_id); one that names nothing
of its kind is a 422 naming the parameter. A path parameter takes the id or the
CURIE; one that names nothing is a 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query


def _filter(what: str, example: str) -> object:
    return Query(description=f"only items related to this {what}: its id (e.g. {example}), its CURIE or its IRI",
                 examples=[example])


def _path(what: str, example: str) -> object:
    return Path(description=f"the {what}'s id, e.g. {example}, or its CURIE", examples=[example])


RoleFilter = Annotated[str | None, _filter("role", "cmo")]
DepartmentFilter = Annotated[str | None, _filter("department", "marketing")]
StudyFilter = Annotated[str | None, _filter("study", "netbiscuits-study")]
GroupFilter = Annotated[str | None, _filter("respondent group", "cmos")]
TopicFilter = Annotated[str | None, _filter("topic or responsibility", "mobile-web-strategy")]
ResponsibilityFilter = Annotated[str | None, _filter("responsibility", "mobile-web-strategy")]
ModalityFilter = Annotated[str | None, _filter("modality (is, should, must, becoming, wants, entitled, can …)",
                                               "wants")]
ClaimantFilter = Annotated[str | None, _filter("claimant (person, organization, study or group)", "daniel-weisbeck")]
AudienceFilter = Annotated[str | None, _filter("audience (role, department or group)", "cmo")]
ChecklistFilter = Annotated[str | None, _filter("checklist", "cmo-checklist")]
PartyFilter = Annotated[str | None, _filter("party (role, department or respondent group)", "cmo")]
RelationKindFilter = Annotated[str | None, _filter("kind of relation (conflict, collaboration, aligns …)",
                                                   "conflict")]
SubjectFilter = Annotated[str | None, _filter("subject (organization, person, role, department, study, topic …)",
                                              "cmo")]
ObjectFilter = Annotated[str | None, _filter("object (a resource the statement names)", "customer-experience")]
StatementKindFilter = Annotated[str | None, _filter("kind of statement (description, headquarters, customer …)",
                                                    "description")]
PersonFilter = Annotated[str | None, _filter("person", "daniel-weisbeck")]
OrganizationFilter = Annotated[str | None, _filter("organization", "netbiscuits")]
PublisherFilter = Annotated[str | None, _filter("publisher (organization)", "netbiscuits")]
DocumentFilter = Annotated[str | None, _filter("source document (curated from it)", "netbiscuits-interview")]

ExecutiveFilter = Annotated[bool | None, Query(description="only executive (C-level) roles (true), or only the others")]

RolePath = Annotated[str, _path("role", "cmo")]
DepartmentPath = Annotated[str, _path("department", "marketing")]
ResponsibilityPath = Annotated[str, _path("responsibility", "mobile-web-strategy")]
OrganizationPath = Annotated[str, _path("organization", "netbiscuits")]
PersonPath = Annotated[str, _path("person", "daniel-weisbeck")]
StudyPath = Annotated[str, _path("study", "netbiscuits-study")]
DocumentPath = Annotated[str, _path("document", "netbiscuits-interview")]


def fact_path(kind: str, example: str) -> object:
    return Path(description=f"the {kind}'s id within its document, e.g. {example}", examples=[example])
