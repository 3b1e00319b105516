"""Fuzzing the whole OpenAPI schema with schemathesis against a real `erkg serve`.

The schema is the server's own /openapi.json; every operation in it (one test
each) gets generated requests, valid and invalid (positive and negative data),
plus the examples its schema gives.

- Every operation: no answer is a server error (5xx).
- The REST API (/api/v1): moreover every answer conforms to the schema: a
  documented status code, content type and headers, a body valid against its
  response model, and invalid input (out of range, wrong type, missing) is
  rejected with a 4xx. One check is left out: schemathesis takes any value its
  schema allows for a filter such as `role` as one that must be accepted, but
  a well-formed id that names no role is rightly a 422 naming the parameter
  (tests/api/rest/test_rest.py checks those answers).
- Each REST request is sent once more asking for JSON-LD, and each named query
  for CSV: neither may fail with a 5xx either.

Bounded and reproducible: a fixed number of examples per operation
(ERKG_FUZZ_EXAMPLES, 25 by default: more for a longer campaign off CI),
derandomized, no example database. The operations are listed when the tests
are collected, from the app factory (no server needed); each test takes its
operation from the running server's schema, so one missing there fails.
"""

from __future__ import annotations

import os
import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, positive_data_acceptance

from api.app import create_app
from api.settings import Settings

from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("ERKG_FUZZ_EXAMPLES", "25"))
METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


def operations() -> list[tuple[str, str]]:
    with warnings.catch_warnings():  # FastAPI's notes on duplicate operation ids are not this test's concern
        warnings.simplefilter("ignore", UserWarning)
        paths = create_app(Settings(queries=ROOT / "queries")).openapi()["paths"]
    return sorted((method.upper(), path) for path, item in paths.items() for method in item if method in METHODS)


OPERATIONS = operations()


@pytest.fixture(scope="session")
def api_schema(server):
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def check(case) -> None:
    if not case.path.startswith("/api/v1"):
        case.call_and_validate(timeout=30, checks=[not_a_server_error])
        return
    case.call_and_validate(timeout=30, excluded_checks=[positive_data_acceptance])
    other = "text/csv" if case.path.startswith("/api/v1/queries/") else "application/ld+json"
    response = case.call(timeout=30, headers={"Accept": other})
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.min_cases(59)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_error(api_schema, method, path):
    operation = api_schema.find_operation_by_label(f"{method} {path}")
    assert operation is not None, f"{method} {path} is not in the server's /openapi.json"
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if any(True for _ in operation.iter_parameters()):
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    strategies += operation.get_strategies_from_examples()

    @given(case=st.one_of(strategies))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case) -> None:
        check(case)

    fuzz()
