"""The OpenAPI description as a client generator reads it: short, stable operationIds
that make good method names, and the media types each operation really answers with."""

from __future__ import annotations

import re

import httpx


def operations(server) -> dict[tuple[str, str], dict]:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    return {(method, path): op for path, methods in spec["paths"].items() for method, op in methods.items()}


def test_operation_ids_are_short_camel_case_and_unique(server):
    ops = operations(server)
    ids = [op["operationId"] for op in ops.values()]
    assert len(ids) >= 75 and len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", i) and len(i) <= 40 for i in ids), ids
    named = {(m, p): op["operationId"] for (m, p), op in ops.items()}
    assert named[("get", "/api/v1/findings")] == "listFindings"
    assert named[("get", "/api/v1/roles/{role}")] == "getRole"
    assert named[("get", "/api/v1/queries/posts")] == "queryPosts"
    assert named[("get", "/download/{name}")] == "download"


def test_pages_are_described_as_html_not_json(server):
    ops = operations(server)
    for path in ("/", "/findings", "/id/{path}", "/ontology", "/graph/{name}"):
        content = ops[("get", path)]["responses"]["200"]["content"]
        assert "text/html" in content and "application/json" not in content, path
    assert "text/turtle" in ops[("get", "/id/{path}")]["responses"]["200"]["content"]
    assert list(ops[("get", "/findings")]["responses"]["200"]["content"]) == ["text/html"]
