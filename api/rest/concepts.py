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


resource(kind="modality", path="modalities", model=Modality, rdf_class="erkg:Modality",
         names={"en": "Modality", "de": "Modalität"}, fields=CONCEPT,
         description="How a claim holds: is, should, must, becoming, wants, entitled, can …")
resource(kind="qualifier", path="qualifiers", model=Qualifier, rdf_class="erkg:ShareQualifier",
         names={"en": "Share qualifier", "de": "Anteilsangabe"}, fields=CONCEPT,
         description="How exactly a finding's share holds: exactly, at least, less than, almost …")
resource(kind="relation-kind", path="relation-kinds", model=RelationKind, rdf_class="erkg:RelationKind",
         names={"en": "Relation kind", "de": "Beziehungsart"}, fields=CONCEPT,
         description="The kinds of relation claims: conflict, collaboration, tempo mismatch, aligns …")
resource(kind="statement-kind", path="statement-kinds", model=StatementKind, rdf_class="erkg:StatementKind",
         names={"en": "Statement kind", "de": "Aussageart"}, fields=CONCEPT,
         description="The kinds of statements: headquarters, customer, funding, description, opinion …")
