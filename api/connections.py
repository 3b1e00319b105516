"""Connection handling for `erkg serve`: uvicorn's httptools protocol with the limits
a server facing the open network needs, and the options `uvicorn.run` gets.

httptools has no limit on the header block: uvicorn feeds it whatever arrives, and
its Python wrapper joins a long header's pieces one by one (quadratic time, on the
event loop). `GuardedProtocol` therefore counts a request's header bytes before they
reach the parser and refuses the request (431) at `max_header_bytes`; it gives each
request `header_timeout` seconds to arrive with all its headers (a slowloris, or a
connection that never sends anything, is closed then), and answers connections
beyond `max_connections` with 503 instead of taking them on. A body must then
arrive within `body_timeout`, or the connection is closed. A refusal is sent, then
the connection is half-closed and read (into nothing) for a moment before it is
closed, so that the client reads the answer rather than a reset.

On a graceful shutdown (SIGTERM; each old process when `--workers N` restarts on
SIGHUP) uvicorn closes every connection with no request under way. One accepted a
moment before, whose request has not arrived yet, would lose that request; it is
answered instead, as the connection's last, if it arrives within SHUTDOWN_GRACE
(a request begun has `header_timeout`, as ever). As in uvicorn itself, the start of a
pipelined request that came with the end of the one before is not counted as begun.
"""

from __future__ import annotations

import logging
import resource
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .problems import MEDIA_TYPE, problem
from .settings import Settings

log = logging.getLogger("erkg")

# A refused connection is read into nothing for LINGER seconds, or LINGER_BYTES,
# before it is closed (see above).
LINGER = 0.5
LINGER_BYTES = 64 * 1024
# Seconds a connection that has sent nothing yet may still send its request once the
# server is shutting down (see above).
SHUTDOWN_GRACE = 1.0
# File descriptors kept for everything but client connections: the query workers'
# pipes, the store's files, logs, connections lingering after a refusal.
FD_RESERVE = 1024


@dataclass(frozen=True)
class Limits:
    max_header_bytes: int
    header_timeout: float
    body_timeout: float
    max_connections: int


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with Limits (see the module's docstring)."""

    def __init__(self, *args: Any, limits: Limits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._header_bytes_left = limits.max_header_bytes  # of the request whose headers are arriving
        self._in_headers = True  # False from a request's end of headers to its end
        self._header_timer: Any = None
        self._body_timer: Any = None
        self._refused = False
        self._last_request = False  # the server is shutting down: answer one more, then close
        self._discard_left = LINGER_BYTES  # once refused

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self._refuse(503, f"the server has {self.limits.max_connections} connections open, its limit: "
                              "try again shortly", {"Retry-After": "1"})
            return
        self._header_timer = self.loop.call_later(self.limits.header_timeout, self._headers_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        self._stop_body_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._discard_left -= len(data)
            if self._discard_left < 0:
                self.transport.close()
            return
        if self._in_headers:
            if len(data) > self._header_bytes_left:
                self._over_budget(data)
                return
            # Counted before it is parsed: parsing a request's end starts the next one's count.
            self._header_bytes_left -= len(data)
        super().data_received(data)
        # A request whose headers have begun but not ended gets a deadline (one that
        # arrives whole, the usual case, costs no timer).
        if self.transport.is_closing():
            return
        if self._in_headers and self._header_timer is None and self._header_bytes_left < self.limits.max_header_bytes:
            self._header_timer = self.loop.call_later(self.limits.header_timeout, self._headers_too_slow)
        elif not self._in_headers and self._body_timer is None:  # so does a body that has not all arrived
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_too_slow)

    def _over_budget(self, data: bytes) -> None:
        """Parse only what the header limit allows of `data`; the headers must end within it."""
        allowed = self._header_bytes_left
        self._header_bytes_left = 0
        super().data_received(data[:allowed])
        if self._in_headers and not self.transport.is_closing():
            self._refuse(431, f"the request's headers are over {self.limits.max_header_bytes // 1024} KB "
                              "together: send fewer or shorter ones")
        elif not self.transport.is_closing():
            super().data_received(data[allowed:])

    def on_headers_complete(self) -> None:
        self._in_headers = False
        self._stop_header_timer()
        super().on_headers_complete()
        if self._last_request and self.cycle is not None:
            self.cycle.keep_alive = False

    def shutdown(self) -> None:
        # A connection that has sent nothing yet, or part of a request, gets that request
        # answered (see the module's docstring); an idle keep-alive one is closed, as is usual.
        if self._refused:  # its refusal is sent, and it closes after LINGER
            return
        began = self._header_bytes_left < self.limits.max_header_bytes
        if self._in_headers and (self.cycle is None or began):
            self._last_request = True
            if not began:
                self.loop.call_later(SHUTDOWN_GRACE, self._close_if_silent)
            return
        super().shutdown()

    def _close_if_silent(self) -> None:
        if self.cycle is None and self._header_bytes_left == self.limits.max_header_bytes:
            self.transport.close()

    def on_message_complete(self) -> None:
        self._in_headers, self._header_bytes_left = True, self.limits.max_header_bytes
        self._stop_body_timer()
        super().on_message_complete()

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _stop_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _body_too_slow(self) -> None:
        """Close the connection: the app reading the body sees the client gone (an answer
        may be on its way already, so none is written here)."""
        self._body_timer = None
        log.debug("closed a connection from %s: the request's body did not arrive within %g s",
                  self.client[0] if self.client else "?", self.limits.body_timeout)
        self.transport.close()

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self._header_bytes_left == self.limits.max_header_bytes:  # silent: nothing to answer
            self.transport.close()
            return
        self._refuse(408, f"the request's headers did not arrive within {self.limits.header_timeout:g} s")

    def _refuse(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        """Answer `status` with a problem document and close the connection (see LINGER);
        while another answer is being sent on it, close it without one."""
        self._refused = True
        self._stop_header_timer()
        log.debug("refused a connection from %s: %s", self.client[0] if self.client else "?", detail)
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()
            return
        body = problem(status, detail).body
        fields = [*self.server_state.default_headers, *((k.encode(), v.encode()) for k, v in (headers or {}).items()),
                  (b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
                  (b"access-control-allow-origin", b"*"), (b"connection", b"close")]
        head = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()
        self.transport.write(head + b"".join(k + b": " + v + b"\r\n" for k, v in fields) + b"\r\n" + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER, self.transport.close)


def raise_fd_limit() -> int:
    """Raise this process's soft limit on open files to the hard one (server processes
    uvicorn starts inherit it); the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What `uvicorn.run` needs for Settings' connection limits, security headers and
    proxies. Raises the open-files limit, and keeps the connection cap under it."""
    fd_limit = raise_fd_limit()
    max_connections = min(settings.max_connections, fd_limit - FD_RESERVE)
    if max_connections < settings.max_connections:
        log.warning("at most %d connections (ERKG_MAX_CONNECTIONS is %d): the open-files limit is %d",
                    max_connections, settings.max_connections, fd_limit)
    limits = Limits(settings.max_header_bytes, settings.header_timeout, settings.body_timeout, max(max_connections, 1))
    trusted = ",".join(settings.trusted_proxies)
    return {
        "http": partial(GuardedProtocol, limits=limits),
        # uvicorn's own cap counts the connection asking, and requests still running for
        # clients that left: 503 past it too.
        "limit_concurrency": limits.max_connections + 1,
        "timeout_keep_alive": settings.keep_alive_timeout,
        # On every answer, the server's own refusals included (uvicorn's default headers).
        "headers": [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN")],
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: only from the listed proxies.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }
