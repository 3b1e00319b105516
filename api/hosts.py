"""The host a request is for: a Host header the operator did not list is refused, and
every absolute URL the app writes (redirects, the service description, JSON-LD
contexts) starts with the public base URL (ERKG_PUBLIC_URL) or, without one, the
address the request came in at: never with what the client wrote in its Host header.

Starlette builds `request.url` from the scope's scheme and Host header, so one
rewrite of the scope, before anything reads it, covers every place that makes a URL.
"""

from __future__ import annotations

from functools import lru_cache

from starlette.types import Scope

from .settings import Settings


def host_name(host: str) -> str:
    """The name in a Host header's value, without its port ([…] kept for IPv6)."""
    if host.startswith("["):
        return host[:host.find("]") + 1].lower()
    return host.rpartition(":")[0].lower() if ":" in host else host.lower()


class Hosts:
    def __init__(self, settings: Settings) -> None:
        self.allowed = {h.lower() for h in settings.allowed_hosts}
        url = settings.public_url
        self.scheme = url.scheme if url else None
        self.host = None if url is None else (url.host if url.port in (None, 80 if url.scheme == "http" else 443)
                                              else f"{url.host}:{url.port}").encode("latin-1")

    def refusal(self, scope: Scope) -> str | None:
        """Why the request's Host is refused (None: it is not); else rewrites its scope's
        Host and scheme to the public ones."""
        headers = scope["headers"]
        at = next((i for i, (k, _) in enumerate(headers) if k == b"host"), None)
        if self.allowed and (at is None or host_name(headers[at][1].decode("latin-1")) not in self.allowed):
            return ("the request has no Host header" if at is None else
                    f"this server does not answer for the host {headers[at][1].decode('latin-1')!r}") + \
                ": it answers for " + ", ".join(sorted(self.allowed))
        server = scope.get("server")  # ASGI: any iterable (host, port), e.g. a list in-process
        host = self.host or local_host(tuple(server) if server else None)
        if at is None:
            headers.append((b"host", host))
        elif headers[at][1] != host:
            headers[at] = (b"host", host)
        if self.scheme:
            scope["scheme"] = self.scheme
        return None


@lru_cache(maxsize=64)
def local_host(server: tuple[str, int | None] | None) -> bytes:
    """The address a connection came in at (the scope's server), as a Host value."""
    if not server:
        return b"localhost"
    host, port = server
    host = f"[{host}]" if ":" in host else host
    return (host if port is None else f"{host}:{port}").encode("latin-1")
