"""The Host check (api/hosts.py) on scopes as ASGI servers give them."""

from __future__ import annotations

import pytest

from api.hosts import Hosts
from api.settings import Settings


@pytest.mark.parametrize("server", [("127.0.0.1", 8000), ["127.0.0.1", 8000]], ids=["tuple", "list"])
def test_the_connections_address_replaces_the_host_header(server):
    """ASGI lets `server` be any iterable of host and port; Starlette's TestClient gives a
    list, which the cached address formatter could not hash (a TypeError, so a 500)."""
    scope = {"type": "http", "headers": [(b"host", b"evil.example")], "server": server}
    assert Hosts(Settings()).refusal(scope) is None
    assert scope["headers"] == [(b"host", b"127.0.0.1:8000")]
