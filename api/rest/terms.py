"""Terms of the graph as the JSON answers give them."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from kg.namespaces import XSD

_INTEGER_TYPES = {str(XSD.integer), str(XSD.nonNegativeInteger), str(XSD.positiveInteger), str(XSD.int),
                  str(XSD.long)}


def plain(term: ox.NamedNode | ox.Literal | ox.BlankNode | None):
    """A term as JSON wants it: IRIs and strings as str, numbers as int/float, booleans as bool."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == str(XSD.decimal):
                return float(Decimal(term.value))
            if datatype in (str(XSD.double), str(XSD.float)):
                return float(term.value)
        except (ValueError, ArithmeticError):
            return term.value
        if datatype == str(XSD.boolean):
            return term.value in ("true", "1")
        return term.value
    return term.value  # NamedNode, BlankNode
