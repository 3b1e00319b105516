"""Fair SPARQL: what one client may take of the query workers, as the Wikidata Query
Service limits its clients (5 queries at once, 60 s of query time per 60 s there).

A client is the address it connects from (the scope's client, which uvicorn sets from
X-Forwarded-For only for the proxies in ERKG_TRUSTED_PROXIES). Each may run
`Settings.queries_per_client` queries at once: by default one less than there are query
workers, so that a client's runaways, however many, leave a worker for everyone else.
And each has a budget of `client_query_seconds` of query time (from its admission to
its answer's end, the time it holds or waits for a worker), refilled evenly over a
minute; a client over either limit gets 429 with Retry-After. Only queries the engine
answers count: a cached answer costs nothing. A query is admitted with its request's
scope and released when its answer has been sent (api.sparql.serve), a streamed one
included.

All of it runs on the event loop: no locks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import Scope

from .engine import EngineError
from .settings import Settings

WINDOW = 60.0  # seconds over which a client's query time refills
MAX_TRACKED = 10_000  # clients held before those idle with a full budget are forgotten
SLOT = "erkg.query_slot"  # the request scope's key for its admitted query


class TooManyQueries(EngineError):
    """The client runs as many queries as it may, or has used its time: not the engine's
    refusal, but answered as one (api.problems)."""

    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass
class _Account:
    running: int
    budget: float  # seconds of query time left, as of `at`
    at: float


class Slot:
    """A client's admitted query; `release` (once) ends it and charges its time."""

    def __init__(self, on_release: Callable[[float], None]) -> None:
        self._on_release: Callable[[float], None] | None = on_release
        self._start = time.monotonic()

    def release(self) -> None:
        if self._on_release is not None:
            self._on_release(time.monotonic() - self._start)
            self._on_release = None


class ClientLimits:
    def __init__(self, settings: Settings) -> None:
        self.concurrent = settings.queries_per_client
        self.seconds = settings.client_query_seconds
        self._accounts: dict[str, _Account] = {}

    @staticmethod
    def client(scope: Scope) -> str:
        peer = scope.get("client")
        return peer[0] if peer else ""

    def admit(self, scope: Scope) -> None:
        """Admit one more query of the request's client (`release` ends it), or raise TooManyQueries."""
        now = time.monotonic()
        key = self.client(scope)
        account = self._accounts.get(key)
        if account is None:
            if len(self._accounts) >= MAX_TRACKED:
                self._forget_idle(now)
            account = self._accounts[key] = _Account(0, self.seconds, now)
        budget = self._refilled(account, now)
        if account.running >= self.concurrent:
            raise TooManyQueries(f"this client runs {account.running} SPARQL quer{'y' if account.running == 1 else 'ies'} "
                                 f"already, its limit at once: wait for {'it' if account.running == 1 else 'them'} "
                                 "to finish", 1)
        if budget <= 0:
            wait = math.ceil(-budget * WINDOW / self.seconds) + 1
            raise TooManyQueries(f"this client has used its {self.seconds:g} s of SPARQL query time per "
                                 f"{WINDOW:g} s: try again in {wait} s", wait)
        account.running += 1

        def release(seconds: float) -> None:
            account.budget, account.at = self._refilled(account, time.monotonic()) - seconds, time.monotonic()
            account.running -= 1

        scope[SLOT] = Slot(release)

    @staticmethod
    def release(scope: Scope) -> None:
        """End the request's query, if it was admitted: its time is charged to its client."""
        if (slot := scope.pop(SLOT, None)) is not None:
            slot.release()

    def _refilled(self, account: _Account, now: float) -> float:
        return min(self.seconds, account.budget + (now - account.at) * self.seconds / WINDOW)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, a in self._accounts.items() if a.running == 0 and self._refilled(a, now) >= self.seconds]:
            del self._accounts[key]
