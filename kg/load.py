"""`erkg load --to URL`: put a built dataset into a remote SPARQL store.

Each named graph of the dataset replaces the store's graph of the same name,
by the Graph Store Protocol (one PUT per graph) or by SPARQL Update (DROP, then
INSERT in batches); the store's graphs under the project's base that the
dataset no longer has are dropped. Loading twice gives the same store. Then the
store's triple count per graph is read back and must equal the dataset's.

Blank nodes stay whole: a graph's triples with a blank node go in one batch,
since each request makes its blank nodes anew. Batches are `INSERT { … } WHERE {}`
rather than INSERT DATA, which Virtuoso refuses when it holds blank nodes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import httpx
import pyoxigraph as ox
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import ErkgError
from .sparql_http import engine_said, graph_sizes_query, redirect_refused, sparql_client
from .store import materialize


@dataclass(frozen=True)
class Target:
    url: str  # the Graph Store Protocol endpoint, or the SPARQL Update endpoint
    protocol: Literal["gsp", "update"] = "gsp"
    query_url: str | None = None  # where the counts are read; the same as url if None
    user: str | None = None
    password: str | None = None
    auth: Literal["basic", "digest"] = "basic"
    timeout: float = 300.0

    def _sparql(self, url: str) -> SPARQLWrapper:
        return sparql_client(url, timeout=self.timeout, user=self.user, password=self.password, auth=self.auth)

    def graph_sizes(self, base: str) -> dict[str, int]:
        client = self._sparql(self.query_url or self.url)
        client.setQuery(graph_sizes_query(base))
        client.setReturnFormat(JSON)
        try:
            rows = client.queryAndConvert()["results"]["bindings"]
        except (SPARQLWrapperException, OSError, ValueError, KeyError) as e:
            raise ErkgError(f"{self.query_url or self.url}: cannot count the store's triples: {engine_said(e)}") from None
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def update(self, text: str) -> None:
        client = self._sparql(self.url)
        client.setQuery(text)
        try:
            client.query()
        except (SPARQLWrapperException, OSError) as e:
            raise ErkgError(f"{self.url}: the update was refused: {engine_said(e)}") from None

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace a graph (Graph Store Protocol, indirect identification). N-Triples
        is sent as text/turtle, which every store takes."""
        self._graph_store("PUT", graph, ntriples, ok=())

    def drop(self, graph: str) -> None:
        if self.protocol == "gsp":
            self._graph_store("DELETE", graph, None, ok=(404,))  # gone already: as wanted
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def _graph_store(self, method: str, graph: str, body: bytes | None, ok: tuple[int, ...]) -> None:
        auth = None
        if self.user:
            auth = (httpx.BasicAuth if self.auth == "basic" else httpx.DigestAuth)(self.user, self.password or "")
        headers = {"Content-Type": "text/turtle; charset=utf-8"} if body is not None else {}
        try:
            response = httpx.request(method, self.url, params={"graph": graph}, content=body, auth=auth,
                                     headers=headers, timeout=self.timeout)
        except httpx.HTTPError as e:
            raise ErkgError(f"{self.url}: {method} of the graph <{graph}> failed: {e}") from None
        if response.is_redirect:  # httpx follows none: say where it led
            location = str(response.url.join(response.headers["location"]))
            raise ErkgError(redirect_refused(method, str(response.url), response.status_code, location))
        if response.status_code >= 300 and response.status_code not in ok:
            raise ErkgError(f"{self.url}: {method} of the graph <{graph}> was refused with {response.status_code}: "
                            f"{' '.join(response.text.split())[:500]}")


@dataclass
class LoadReport:
    target: str
    graphs: dict[str, int]  # loaded: graph -> triples, as counted in the store afterwards
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def table(self) -> str:
        lines = [f"{n:>10}  {g}" for g, n in sorted(self.graphs.items())]
        lines += [f"{'dropped':>10}  {g}" for g in self.dropped]
        lines.append(f"{sum(self.graphs.values()):>10}  triples in {len(self.graphs)} graphs, "
                     f"loaded into {self.target} in {self.seconds:.1f} s and verified")
        return "\n".join(lines)


def load(dataset: Path, target: Target, *, base: str, cache: Path, batch: int = 500) -> LoadReport:
    """Put `dataset` into the store at `target`; raises ErkgError if a request is refused
    or the store's counts afterwards differ from the dataset's."""
    started = time.monotonic()
    info = materialize(dataset, cache)
    expected = {g: n for g, n in info.graphs.items() if g}
    if info.graphs.get("", 0):
        raise ErkgError(f"{dataset}: {info.graphs['']} triples are in the default graph; "
                        "ERKG loads named graphs only (the default graph is their union)")
    outside = sorted(g for g in expected if not g.startswith(base))
    if outside:
        raise ErkgError(f"{dataset}: graphs outside the base {base}: {', '.join(outside[:5])}; "
                        "give the dataset's base with --base")
    stale = sorted(set(target.graph_sizes(base)) - set(expected))
    store = ox.Store.read_only(str(info.path))
    for graph in sorted(expected):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        if target.protocol == "gsp":
            target.put(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        else:
            _insert(target, graph, triples, batch)
    for graph in stale:
        target.drop(graph)
    found = target.graph_sizes(base)
    if found != expected:
        wrong = [f"<{g}>: {expected.get(g, 0)} in the dataset, {found.get(g, 0)} in the store"
                 for g in sorted(set(found) | set(expected)) if found.get(g) != expected.get(g)]
        raise ErkgError(f"{target.url}: the store's counts differ from the dataset's after loading: "
                        + "; ".join(wrong[:10]))
    return LoadReport(target.url, found, stale, time.monotonic() - started)


def _insert(target: Target, graph: str, triples: list[ox.Triple], batch: int) -> None:
    """DROP the graph and INSERT its triples in batches, those with blank nodes in one."""
    def blank(t: ox.Triple) -> bool:
        return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)

    plain = [t for t in triples if not blank(t)]
    batches = [plain[i:i + batch] for i in range(0, len(plain), batch)]
    with_blanks = [t for t in triples if blank(t)]
    if with_blanks:
        batches.append(with_blanks)
    for i, part in enumerate(batches):
        body = ox.serialize(part, format=ox.RdfFormat.N_TRIPLES).decode()
        insert = f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
        target.update(f"DROP SILENT GRAPH <{graph}> ;\n{insert}" if i == 0 else insert)
    if not batches:
        target.update(f"DROP SILENT GRAPH <{graph}>")

