"""What the service asks of a query engine, whichever it is.

Two engines answer it: the embedded one (api.embedded: pyoxigraph in a pool of
worker processes, the default) and a remote SPARQL 1.1 endpoint (api.remote:
Oxigraph server, Virtuoso, Fuseki, GraphDB …). The routes see only this
contract: a Request in, an Answer or an EngineError out, and the dataset's
statistics.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Protocol

from kg.sparql_text import with_values
from kg.store import DatasetStats


class EngineError(Exception):
    """A query could not be answered: `status` is the HTTP status that fits, and
    `retry_after` (seconds) is set when a later try may succeed (api.problems makes
    the HTTP answer of each, the same on every route)."""

    status = 500
    retry_after: int | None = None


class QuerySyntaxError(EngineError):
    status = 400


class EvaluationError(EngineError):
    status = 400


class Refused(EngineError):
    """The engine refused a query of the service itself (REST API, pages, named queries),
    not one a client wrote: the engine's dialect, or a bug; not the client's fault."""

    status = 502


class QueryTimeout(EngineError):
    status = 503
    retry_after = 1


class Busy(EngineError):
    status = 503
    retry_after = 1


class Unavailable(EngineError):
    """The engine cannot be reached or failed; the answer may come on a later try."""

    status = 503
    retry_after = 1


class NotAcceptable(EngineError):
    """No format the client accepts fits the kind of answer."""

    status = 406

    def __init__(self, kind: str) -> None:
        super().__init__(f"no acceptable format for a {kind} answer")
        self.kind = kind


@dataclass(frozen=True)
class Request:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True
    base_iri: str | None = None  # what relative IRIs in the query resolve against
    prefixes: dict[str, str] | None = None  # predeclared, for the service's own queries
    substitutions: dict | None = None  # pyoxigraph Variable -> term: bound parameters (SEP-0007)
    accept: str | None = None  # the client's Accept header
    format: str | None = None  # a format name or media type that overrides Accept
    internal: bool = False  # the service's own query (REST API, pages), not a client's SPARQL

    def bound_text(self) -> str:
        """The query with its substitutions also written into the text (a VALUES block, and
        the terms where it would not bind them: kg.sparql_text.with_values), for an engine
        that takes only text, or that plans a query before it sees the substitutions.
        Raises ValueError for a query that has no WHERE group to bind them in."""
        if not self.substitutions:
            return self.query
        return with_values(self.query, {v.value: str(t) for v, t in self.substitutions.items()})


@dataclass
class Answer:
    """An answer: its kind ("solutions", "boolean" or "graph") and format (a name
    of kg.formats) are known; its body is `whole` (a small answer, the engine
    already free for the next query) or streams through `chunks()`."""

    kind: str
    format: str
    whole: bytes | None
    stream: Iterator[bytes] | None = None

    def chunks(self) -> Generator[bytes, None, None]:
        if self.whole is not None:
            yield self.whole
        elif self.stream is not None:
            yield from self.stream

    def read(self) -> bytes:
        return b"".join(self.chunks())


class Engine(Protocol):
    """A query engine over one dataset."""

    # True when the engine cannot reach other hosts whatever a query asks (the
    # SERVICE check is then not the only guard).
    isolated: bool

    @property
    def stats(self) -> DatasetStats:
        """The dataset's version and size, for ETags and the service description."""

    def ask(self, request: Request) -> Answer:
        """Run a query; returns with the whole answer, or once a large one starts to
        stream. Raises EngineError subclasses. Blocking: for threads."""

    async def ask_async(self, request: Request) -> Answer:
        """`ask` for the event loop."""

    def close(self) -> None:
        """Release the engine's processes and connections."""
