"""The concepts of the vocabulary that answers refer to: modalities, share qualifiers, relation
kinds and statement kinds, with their labels, alternative labels and definitions. Each is a list
and an item route made from its spec."""

from __future__ import annotations

from typing import Literal

from . import models as m
from .registry import CONCEPT, resource


class Concept(m.Item):
    alt_labels: m.AltLabels
    definition: m.Labels


class Modality(Concept):
    type: Literal["modality"] = "modality"


class Qualifier(Concept):
    type: Literal["qualifier"] = "qualifier"


class RelationKind(Concept):
    type: Literal["relation-kind"] = "relation-kind"


class StatementKind(Concept):
    type: Literal["statement-kind"] = "statement-kind"


# (model, path, RDF class, name in English and German, description); the kind is the model's type
for model, path, rdf_class, (en, de), description in (
    (Modality, "modalities", "erkg:Modality", ("Modality", "Modalität"),
     "How a claim holds: is, should, must, becoming, wants, entitled, can …"),
    (Qualifier, "qualifiers", "erkg:ShareQualifier", ("Share qualifier", "Anteilsangabe"),
     "How exactly a finding's share holds: exactly, at least, less than, almost …"),
    (RelationKind, "relation-kinds", "erkg:RelationKind", ("Relation kind", "Beziehungsart"),
     "The kinds of relation claims: conflict, collaboration, tempo mismatch, aligns …"),
    (StatementKind, "statement-kinds", "erkg:StatementKind", ("Statement kind", "Aussageart"),
     "The kinds of statements: headquarters, customer, funding, description, opinion …"),
):
    resource(kind=model.model_fields["type"].default, path=path, model=model, rdf_class=rdf_class,
             names={"en": en, "de": de}, fields=CONCEPT, description=description)
