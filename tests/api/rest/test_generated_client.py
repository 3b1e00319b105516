"""A client generated from the live /openapi.json by openapi-python-client (PyPI), as a
user of another language or tool would make one, calls every operation of the API.

What each operation needs is found the way a client finds it: ids from the list
operations, the rest from the API's own examples. Every call must answer 200 and, where
the API answers JSON, parse into the generated models.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def client_package(server, tmp_path_factory):
    work = tmp_path_factory.mktemp("generated")
    spec = work / "openapi.json"
    spec.write_bytes(httpx.get(f"{server.url}/openapi.json").content)
    result = subprocess.run([str(GENERATOR), "generate", "--path", str(spec), "--meta", "none",
                             "--output-path", str(work / "erkg_client")], capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module("erkg_client")
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == "erkg_client" or m.startswith("erkg_client.")]:
            del sys.modules[name]


def _first_id(server, resource: str) -> str:
    return httpx.get(f"{server.url}/api/v1/{resource}", params={"limit": 1}).json()["items"][0]["id"]


def _arguments(server, module: str, parameters: list[str]) -> dict[str, object]:
    """Values for an operation's required parameters, found through the API itself."""
    args: dict[str, object] = {}
    for name in parameters:
        if name == "path":  # /id/{path}: a Linked Data resource
            args[name] = "role/cmo"
        elif name == "version":
            args[name] = "0.1.0"
        elif name == "name":  # a named graph, or a download
            args[name] = "erkg.nq" if module == "download" else _first_id(server, "documents")
        elif name == "q":
            args[name] = "Marketing"
        elif name == "document" and "document" in module:
            args[name] = _first_id(server, "documents")
        elif name == "document":  # a fact: its document and its own id
            fact = next(p for p in parameters if p != "document")
            args["document"], args[fact] = _first_id(server, fact + "s").split("/")
        elif name not in args:
            plural = {"person": "persons", "study": "studies", "responsibility": "responsibilities",
                      "modality": "modalities", "relation_kind": "relation-kinds", "statement_kind": "statement-kinds"}
            args[name] = _first_id(server, plural.get(name, name + "s"))
    return args


def test_a_generated_client_calls_every_operation(server, client_package):
    from erkg_client.client import Client

    spec = httpx.get(f"{server.url}/openapi.json").json()
    operation_ids = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
    client = Client(base_url=server.url, raise_on_unexpected_status=True, timeout=httpx.Timeout(30))
    called = set()
    api = importlib.import_module("erkg_client.api")
    for tag in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"erkg_client.api.{tag.name}")
        for op in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"erkg_client.api.{tag.name}.{op.name}")
            signature = inspect.signature(module.sync_detailed)
            required = [n for n, p in signature.parameters.items()
                        if n != "client" and p.default is inspect.Parameter.empty]
            if op.name == "sparql_post":
                from erkg_client.models.sparql_post_data_body import SparqlPostDataBody
                args: dict[str, object] = {"body": SparqlPostDataBody(query="ASK {}")}
            else:
                args = _arguments(server, op.name, [n for n in required if n != "body"])
            if op.name == "sparql_get":
                args["query"] = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
            response = module.sync_detailed(client=client, **args)
            assert response.status_code == 200, (op.name, args, response.content[:300])
            if response.headers.get("content-type", "").startswith("application/json"):
                assert response.parsed is not None, op.name
                assert type(response.parsed).__module__.startswith("erkg_client.models"), op.name
            called.add(op.name)
    # every operation but one: the generator cannot send a body of type application/sparql-query,
    # so POST /sparql is called with its form-encoded body, which is the same operation
    camel = {name.replace("_", "") for name in called}
    missing = {i for i in operation_ids if i.lower() not in camel}
    assert missing == set() and len(called) >= 75, (missing, len(called))
